/**
 * A distribution 2.8 registry that accepts manifests whose layers carry `urls` (non-distributable /
 * foreign layers): distribution refuses them unless `validation.manifests.urls.allow` is set, which
 * the shared launcher (helpers/registry.ts) does not write. Its environment override
 * (REGISTRY_VALIDATION_MANIFESTS_URLS_ALLOW) cannot be used from Jest, whose `process.env` is a
 * copy that child processes do not see — so this starts one with the setting in its config.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { request } from 'undici'
import { freePort, type TestRegistry } from '../helpers/registry.js'

/** Starts the registry on a free loopback port; throws after 15 s without an answer on `/v2/`. */
export async function startUrlRegistry(): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'pi-url-registry-'))
  const port = await freePort()
  const config = join(dir, 'config.yml')
  await writeFile(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: error',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      'validation:',
      '  manifests:',
      '    urls:',
      '      allow:',
      "        - '^https://'",
      ''
    ].join('\n')
  )
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 8192) stderr += d.toString()
  })
  const url = `http://127.0.0.1:${port}`
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise(r => child.once('exit', r))
      child.kill('SIGKILL')
      await exited
    }
    await rm(dir, { recursive: true, force: true })
  }
  for (const deadline = Date.now() + 15000; ;) {
    try {
      const res = await request(`${url}/v2/`)
      await res.body.dump()
      if (res.statusCode === 200) break
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop()
      throw new Error(`docker-registry did not start on ${url}: ${stderr}`)
    }
    await new Promise(r => setTimeout(r, 50))
  }
  return { host: `127.0.0.1:${port}`, url, dir, stop }
}
