/**
 * Build secrets as docker/build-push-action takes them: `secrets` (`id=value`), `secret-files`
 * (`id=path`) and `secret-envs` (`id=ENV_NAME`) entries → {@link BuildSecret}s; values are written to
 * mode-0600 files in a private temporary directory and passed as `src`, so no value enters argv.
 * Error messages name the entry by its position, never by its text (it may hold the value).
 */
import { chmod, mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BuildInputError, type BuildInputs, type BuildSecret } from './args.js'

const SECRET_ID = /^[A-Za-z0-9_.-]+$/

/** `ID=…` split at the first `=`; checks the id (letters, digits, `_.-`) and a non-empty rest. */
function split(input: string, entry: string, index: number, shape: string): [string, string] {
  const eq = entry.indexOf('=')
  const id = eq > 0 ? entry.slice(0, eq).trim() : ''
  const rest = eq > 0 ? entry.slice(eq + 1) : ''
  if (!SECRET_ID.test(id) || rest === '') {
    throw new BuildInputError(
      input,
      `entry ${index + 1} is not ${shape} (an id of letters, digits, "_", "." or "-", then "=" and a non-empty ${shape.split('=')[1]})`
    )
  }
  return [id, rest]
}

/**
 * `secrets` input entries `id=value` (the value may hold `=` and newlines) → `{id, value}`.
 * @throws BuildInputError `secrets`, naming the entry's position only.
 */
export function parseSecrets(entries: string[]): BuildSecret[] {
  return entries.map((entry, i) => {
    const [id, value] = split('secrets', entry, i, 'id=value')
    return { id, value }
  })
}

/**
 * `secret-files` input entries `id=path` → `{id, src}` (the file is read by the docker CLI).
 * @throws BuildInputError `secret-files`.
 */
export function parseSecretFiles(entries: string[]): BuildSecret[] {
  return entries.map((entry, i) => {
    const [id, src] = split('secret-files', entry, i, 'id=path')
    return { id, src: src.trim() }
  })
}

/**
 * `secret-envs` input entries `id=ENV_NAME` → `{id, env}` (the docker CLI reads the variable). With
 * `environment` (the environment the build runs with), a variable that is not set there is refused:
 * docker would hand the build an empty secret without a word (the classic slip: the step has no
 * `env:` for it). Its message names the entry's id and variable (names, never a value).
 * @throws BuildInputError `secret-envs`: an entry not `id=name`, or naming a variable not set.
 */
export function parseSecretEnvs(entries: string[], environment?: NodeJS.ProcessEnv): BuildSecret[] {
  return entries.map((entry, i) => {
    const [id, rest] = split('secret-envs', entry, i, 'id=name')
    const env = rest.trim()
    if (environment && environment[env] === undefined)
      throw new BuildInputError(
        'secret-envs',
        `${id}=${env}: the environment variable ${env} is not set, so the build would get secret ${id} empty; give it to this step (env: ${env}: \${{ secrets.NAME }})`
      )
    return { id, env }
  })
}

/** BuildKit refuses a secret larger than 500 KiB; a file beyond that is never a build secret. */
const SECRET_FILE_LIMIT = 500 * 1024

/**
 * The values the build's secrets hold, for masking (the action's core.setSecret) and redaction:
 * each `{id, value}` as given (`secrets`), each `{id, env}` variable's value in `env`
 * (`secret-envs`; an unset or empty variable holds none) and what each `{id, src}` file
 * (`secret-files`) holds, read as UTF-8 text (at most 500 KiB, BuildKit's limit for a secret;
 * relative paths against the working directory, as the docker CLI reads them), so a file's secret
 * is masked and redacted like the others. A file that cannot be read adds nothing: the docker CLI
 * reports it when it reads it.
 * @returns the values in input order, each once
 */
export async function readSecretValues(secrets: BuildSecret[], env: NodeJS.ProcessEnv): Promise<string[]> {
  const values: string[] = []
  for (const s of secrets)
    values.push('src' in s ? await readSmallFile(s.src) : 'value' in s ? s.value : (env[s.env] ?? ''))
  return [...new Set(values.filter(v => v !== ''))]
}

/** The file's first {@link SECRET_FILE_LIMIT} bytes as text, or '' when it cannot be read. */
async function readSmallFile(path: string): Promise<string> {
  try {
    const handle = await open(path, 'r')
    try {
      const buffer = Buffer.alloc(SECRET_FILE_LIMIT)
      const { bytesRead } = await handle.read(buffer, 0, SECRET_FILE_LIMIT, 0)
      return buffer.subarray(0, bytesRead).toString('utf8')
    } finally {
      await handle.close()
    }
  } catch {
    return ''
  }
}

/** Inputs whose secrets are all files or variables, and how to remove the files written for them. */
export interface WrittenSecrets {
  inputs: BuildInputs
  /** The secret values (for redaction of output), in input order: `secrets`, `secret-envs` and `secret-files` ({@link readSecretValues}). */
  values: string[]
  /** Removes the temporary directory; safe to call twice. */
  remove(): Promise<void>
}

/**
 * Writes every `{id, value}` secret of `inputs` to `DIR/<n>-<id>` (mode 0600, DIR a fresh mode-0700
 * directory under `tempDir`, default the OS temp dir) and returns the inputs with `{id, src}` in its
 * place. Nothing is written when no secret holds a value. `env` is where `secret-envs` values are read
 * for redaction (the command's environment).
 * @throws Error from the file system (the directory is removed first).
 */
export async function writeSecretFiles(
  inputs: BuildInputs,
  tempDir = tmpdir(),
  env: NodeJS.ProcessEnv = process.env
): Promise<WrittenSecrets> {
  const secrets = inputs.secrets ?? []
  const values = await readSecretValues(secrets, env)
  if (!secrets.some(s => 'value' in s)) return { inputs, values, remove: async () => {} }
  const dir = await mkdtemp(join(tempDir, 'promote-image-secrets-'))
  const remove = () => rm(dir, { recursive: true, force: true })
  try {
    await chmod(dir, 0o700)
    const resolved: BuildSecret[] = []
    for (const [i, secret] of secrets.entries()) {
      if (!('value' in secret)) {
        resolved.push(secret)
        continue
      }
      const src = join(dir, `${i}-${secret.id}`)
      await writeFile(src, secret.value, { mode: 0o600 })
      resolved.push({ id: secret.id, src })
    }
    return { inputs: { ...inputs, secrets: resolved }, values, remove }
  } catch (err) {
    await remove()
    throw err
  }
}

/** `text` with every secret value (of 4+ characters, and each of its lines) replaced by `***`. */
export function redact(text: string, values: string[]): string {
  const parts = values.flatMap(v => [v, ...v.split(/\r?\n/)]).filter(p => p.trim().length >= 4)
  // longest first, so a line of a value is not replaced before the whole value
  parts.sort((a, b) => b.length - a.length)
  let out = text
  for (const part of parts) out = out.split(part).join('***')
  return out
}
