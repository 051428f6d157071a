/**
 * Build contexts for real dockerd builds that run commands: FROM scratch with the static busybox of
 * the Debian busybox-static package (/bin/busybox) copied in, so nothing is pulled.
 */
import { execFile } from 'node:child_process'
import { access, copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { ExecFn, ExecResult } from '../../src/build/driver.js'
import { actionsExec } from '../../src/build/driver.js'

const run = promisify(execFile)
export const BUSYBOX = '/bin/busybox'

/**
 * A fresh context directory: `busybox` next to a Dockerfile that starts with
 * `FROM scratch`, `COPY busybox /bin/busybox`, `RUN ["/bin/busybox","--install","-s","/bin"]`,
 * then `steps` (one Dockerfile line each); `files` are written into the context too. `first` lines
 * come right after `FROM scratch` (e.g. a COPY of a unique file, so no other build shares the cache).
 * @throws Error telling how to install busybox-static when /bin/busybox is missing.
 */
export async function busyboxContext(
  steps: string[],
  files: Record<string, string> = {},
  first: string[] = []
): Promise<string> {
  try {
    await access(BUSYBOX)
  } catch {
    throw new Error(`${BUSYBOX} is missing: apt-get install -y busybox-static (scripts/services.sh should)`)
  }
  const dir = await mkdtemp(join(tmpdir(), 'pi-ctx-'))
  await copyFile(BUSYBOX, join(dir, 'busybox'))
  const dockerfile = [
    'FROM scratch',
    ...first,
    'COPY busybox /bin/busybox',
    'RUN ["/bin/busybox","--install","-s","/bin"]',
    ...steps
  ]
  await writeFile(join(dir, 'Dockerfile'), `${dockerfile.join('\n')}\n`)
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true })
    await writeFile(join(dir, name), text)
  }
  return dir
}

/** The text of `path` inside a local image (docker create + docker cp). */
export async function fileInImage(cli: string, image: string, path: string): Promise<string> {
  const id = (await run(cli, ['create', image, '/bin/sh'])).stdout.trim()
  try {
    return (await run('sh', ['-c', `${cli} cp ${id}:${path} - | tar -xO`])).stdout
  } finally {
    await run(cli, ['rm', id])
  }
}

/** Every command an {@link ExecFn} ran, with its whole output. */
export interface Recorded {
  argv: string[]
  env: Record<string, string>
  result: ExecResult
}

/** {@link actionsExec} (silent), recording each command and its output into `into`. */
export function recordingExec(into: Recorded[], before?: (args: string[]) => Promise<void>): ExecFn {
  return async (cmd, args, opts) => {
    await before?.(args)
    const result = await actionsExec(cmd, args, { ...opts, silent: true })
    into.push({ argv: [cmd, ...args], env: opts.env, result })
    return result
  }
}
