/**
 * The docker daemon and BuildKit-capable CLI the build tests use on this machine: dockerd from the
 * Debian docker.io package (20.10) on unix:///var/run/docker.sock, started by scripts/services.sh.
 */
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const run = promisify(execFile)
const repoRoot = fileURLToPath(new URL('../..', import.meta.url))

/** The Debian docker 20.10 client: its classic `docker build` runs BuildKit with DOCKER_BUILDKIT=1. */
export const DEBIAN_DOCKER = '/usr/bin/docker'

/** True when the daemon answers `docker version` within 10 s. */
async function daemonAnswers(): Promise<boolean> {
  try {
    await run(DEBIAN_DOCKER, ['version', '--format', '{{.Server.Version}}'], { timeout: 10000 })
    return true
  } catch {
    return false
  }
}

/**
 * Makes sure dockerd answers: checks `/usr/bin/docker version`, else runs
 * `bash scripts/services.sh ensure` (installs what is missing, starts dockerd; up to 30 s).
 * @throws Error with the script's output when the daemon still does not answer.
 */
export async function ensureDockerd(): Promise<void> {
  if (await daemonAnswers()) return
  try {
    await run('bash', ['scripts/services.sh', 'ensure'], { cwd: repoRoot, timeout: 120000 })
  } catch (err) {
    const e = err as { stderr?: string; message: string }
    throw new Error(`scripts/services.sh ensure failed: ${e.stderr || e.message}`)
  }
  if (!(await daemonAnswers())) throw new Error('dockerd does not answer after scripts/services.sh ensure')
}

/**
 * The CLI the build tests hand to the driver when they do not test detection: `PROMOTE_IMAGE_DOCKER_CLI`
 * when set, else `/usr/bin/docker`.
 */
export function buildkitCli(): string {
  return process.env.PROMOTE_IMAGE_DOCKER_CLI || DEBIAN_DOCKER
}
