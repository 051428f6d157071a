/**
 * `npm run demo`: the main job end to end on this machine. Starts a staging registry and two
 * production registries on loopback, builds examples/hello with BuildKit, runs the action's own
 * entry point (node dist/index.js with INPUT_* set as the runner sets them), and prints the digest
 * at staging and at both targets, which must be equal.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { request } from 'undici'
import { startRegistry, type TestRegistry } from '../__tests__/helpers/registry.js'
import { MANIFEST_ACCEPT } from '../src/oci/mediatypes.js'

async function headDigest(reg: TestRegistry, repo: string, ref: string): Promise<string> {
  const res = await request(`${reg.url}/v2/${repo}/manifests/${ref}`, {
    method: 'HEAD',
    headers: { accept: MANIFEST_ACCEPT }
  })
  await res.body.dump()
  return res.statusCode === 200
    ? String(res.headers['docker-content-digest'])
    : `(missing: ${res.statusCode})`
}

const root = resolve(import.meta.dirname, '..')
const regs = await Promise.all([startRegistry(), startRegistry(), startRegistry()])
const [staging, prodA, prodB] = regs
const work = await mkdtemp(join(tmpdir(), 'promote-image-demo-'))
let code = 1
try {
  const outputFile = join(work, 'output')
  const summaryFile = join(work, 'summary.md')
  await writeFile(outputFile, '')
  await writeFile(summaryFile, '')
  const inputs: Record<string, string> = {
    context: join(root, 'examples/hello'),
    'staging-image': `${staging.host}/demo/hello`,
    tags: 'v1.0.0, latest',
    targets: `${prodA.host}/prod/hello\n${prodB.host}/mirror/hello`,
    'docker-cli': process.env.PROMOTE_IMAGE_DOCKER_CLI ?? ''
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1'
  }
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v
  console.log(`staging registry ${staging.host}; production registries ${prodA.host}, ${prodB.host}`)
  console.log('running: node dist/index.js (the action entry point)\n')
  code = await new Promise<number>(done => {
    const child = spawn(process.execPath, [join(root, 'dist/index.js')], { env, stdio: 'inherit' })
    child.on('exit', c => done(c ?? 1))
  })
  if (code !== 0) throw new Error(`the action exited with ${code}`)
  const out = await readFile(outputFile, 'utf8')
  const digestOut = /digest<<(.+)\n([^\n]*)\n/.exec(out)?.[2]
  const a = await headDigest(staging, 'demo/hello', 'build-1-1')
  const b = await headDigest(prodA, 'prod/hello', 'v1.0.0')
  const c = await headDigest(prodB, 'mirror/hello', 'v1.0.0')
  console.log('\ndigest output           ', digestOut)
  console.log(`staging    ${staging.host}/demo/hello:build-1-1  ${a}`)
  console.log(`production ${prodA.host}/prod/hello:v1.0.0  ${b}`)
  console.log(`production ${prodB.host}/mirror/hello:v1.0.0  ${c}`)
  if (a === b && b === c && a === digestOut && a.startsWith('sha256:')) {
    console.log('\nall three digests are equal')
    code = 0
  } else {
    console.log('\nDIGESTS DIFFER')
    code = 1
  }
} catch (e) {
  console.error(`demo failed: ${(e as Error).message}`)
  code = 1
} finally {
  await Promise.all(regs.map(r => r.stop()))
  await rm(work, { recursive: true, force: true })
}
process.exit(code)
