/**
 * Starts real `docker-registry` (distribution 2.8, Debian package) instances on free loopback ports,
 * each with its own temporary storage, for tests, the demo and the benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Agent, request } from 'undici'

export interface RegistryOptions {
  /** htpasswd file (bcrypt) for `auth: htpasswd`. */
  htpasswdFile?: string
  /** token auth: realm URL, service name, issuer and a PEM bundle of the signing certificate. */
  token?: { realm: string; service: string; issuer: string; rootCertBundle: string }
  /**
   * TLS certificate and key (PEM files); the registry then speaks https. With `clientCa` it
   * requires client certificates signed by that CA (`http.tls.clientcas`), and the readiness probe
   * presents `probeClient`.
   */
  tls?: { certificate: string; key: string; clientCa?: string; probeClient?: { cert: string; key: string } }
  /** more top-level YAML for the config (e.g. a `validation:` section) */
  extraConfig?: string
  /** `storage.maintenance.readonly`: every write (upload, manifest PUT) is refused */
  readOnly?: boolean
}

export interface TestRegistry {
  /** `127.0.0.1:PORT` */
  host: string
  /** `http://127.0.0.1:PORT` or `https://…` */
  url: string
  /** storage root on disk */
  dir: string
  /** the docker-registry process (the bench reads its CPU time from /proc) */
  pid?: number
  stop(): Promise<void>
}

/** Finds a free TCP port on 127.0.0.1 (bind to port 0, read it, close). */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => resolve(port))
    })
  })
}

/**
 * Starts one registry and waits until `GET /v2/` answers (200 or 401). The free port is found
 * before the registry binds it, so another process can take it in between: such a start
 * ("address already in use") is tried again on a new port, up to 3 times. Throws after 15 s.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options)
    } catch (e) {
      if (attempt >= 3 || !/address already in use/.test((e as Error).message)) throw e
    }
  }
}

async function startOnce(options: RegistryOptions): Promise<TestRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'pi-registry-'))
  const port = await freePort()
  const lines = [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    ...(options.readOnly ? ['    readonly:', '      enabled: true'] : []),
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: promote-image-test-secret',
    '  relativeurls: false'
  ]
  if (options.tls) {
    lines.push('  tls:', `    certificate: ${options.tls.certificate}`, `    key: ${options.tls.key}`)
    if (options.tls.clientCa) lines.push('    clientcas:', `      - ${options.tls.clientCa}`)
  }
  if (options.htpasswdFile) {
    lines.push('auth:', '  htpasswd:', '    realm: promote-image-test', `    path: ${options.htpasswdFile}`)
  } else if (options.token) {
    lines.push(
      'auth:',
      '  token:',
      `    realm: ${options.token.realm}`,
      `    service: ${options.token.service}`,
      `    issuer: ${options.token.issuer}`,
      `    rootcertbundle: ${options.token.rootCertBundle}`
    )
  }
  if (options.extraConfig) lines.push(...options.extraConfig.trimEnd().split('\n'))
  const config = join(dir, 'config.yml')
  await writeFile(config, lines.join('\n') + '\n')
  const child: ChildProcess = spawn('docker-registry', ['serve', config], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    if (stderr.length < 8192) stderr += d.toString()
  })
  const scheme = options.tls ? 'https' : 'http'
  const url = `${scheme}://127.0.0.1:${port}`
  const deadline = Date.now() + 15000
  let probe: Agent | undefined
  for (;;) {
    if (child.exitCode !== null) {
      await rm(dir, { recursive: true, force: true })
      throw new Error(`docker-registry exited with ${child.exitCode}: ${stderr}`)
    }
    try {
      const res = await request(`${url}/v2/`, {
        method: 'GET',
        dispatcher: options.tls?.probeClient
          ? (probe ??= new Agent({ connect: { rejectUnauthorized: false, ...options.tls.probeClient } }))
          : options.tls
            ? insecureAgent()
            : undefined
      })
      await res.body.dump()
      if (res.statusCode === 200 || res.statusCode === 401) break
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`docker-registry did not start on ${url}: ${stderr}`)
    }
    await new Promise(r => setTimeout(r, 50))
  }
  await probe?.close()
  return {
    host: `127.0.0.1:${port}`,
    url,
    dir,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // a test registry holds nothing worth a graceful shutdown; its storage is removed next
        const exited = new Promise(r => child.once('exit', r))
        child.kill('SIGKILL')
        await exited
      }
      await rm(dir, { recursive: true, force: true })
    }
  }
}

let agent: Agent | undefined
/** Only for the readiness probe of a TLS test registry (its certificate comes from a test CA). */
function insecureAgent(): Agent {
  agent ??= new Agent({ connect: { rejectUnauthorized: false } })
  return agent
}
