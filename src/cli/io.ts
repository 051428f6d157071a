/** What the CLI's command handlers write to and connect with. */
import type { Logger } from '../logger.js'
import { logText } from '../report/neutralise.js'

/** Where a handler writes: results on stdout, messages through the logger (stderr). */
export interface Io {
  out: (text: string) => void
  log: Logger
  /**
   * bytes for stdout exactly as given (`manifest`, `config`: what the registry served); without
   * it, the handler writes them as UTF-8 text through `out`
   */
  bytes?: (data: Uint8Array) => void
  /** registers secrets (a password given by flag, variable or stdin) to mask in all that is written */
  secrets?: (values: string[]) => void
  /** the environment (password variables, REGISTRY_AUTH_FILE, DOCKER_CONFIG); default process.env */
  env?: Record<string, string | undefined>
  /** reads all of stdin (`--password-stdin`); default the process's stdin */
  readStdin?: () => Promise<string>
}

/**
 * The process's streams: results on stdout, never rewritten (a digest, `NAME DIGEST`, JSON, a
 * manifest's bytes: what a script reads; nothing the CLI writes there holds a secret); messages on
 * stderr (`debug:` lines only when verbose), each through `logText` (neutralise.ts): stderr may be
 * a terminal or, in a workflow step, the Actions log, and messages quote registry text. Every
 * registered secret is masked there ({@link Masker}; in a GitHub Actions step also registered with
 * `::add-mask::`). Bytes go to stdout as given when it is a pipe or file; on a terminal their
 * control characters but line breaks and tabs are escaped, as `inline` does (a manifest holds none;
 * a hostile one cannot drive the terminal).
 */
export function processIo(verbose: boolean, env: Record<string, string | undefined> = process.env): Io {
  const masker = new Masker(
    env.GITHUB_ACTIONS === 'true' ? line => void process.stderr.write(line) : undefined
  )
  const err = (text: string): void => void process.stderr.write(masker.mask(logText(text)))
  const stdout = readerMayLeave(process.stdout)
  return {
    out: text => stdout.write(text),
    bytes: data =>
      stdout.write(process.stdout.isTTY ? terminalText(Buffer.from(data).toString('utf8')) : data),
    secrets: values => masker.add(values),
    log: {
      debug: m => void (verbose && err(`debug: ${m}\n`)),
      info: m => err(`${m}\n`),
      warning: m => err(`warning: ${m}\n`)
    }
  }
}

/**
 * Writes to `stream` (stdout) while its reader is there. When the reader goes away (`ls REPO |
 * head -1`, `copy … | grep -q …`), the write fails with EPIPE: the rest of the output is dropped
 * without a word and the command goes on to its own exit status (a copy that succeeded still exits
 * 0), as coreutils and crane/skopeo end quietly; without the handler, Node threw the EPIPE as an
 * unhandled 'error' event (a stack trace, exit status 1). Any other write error is thrown as before.
 */
export function readerMayLeave(stream: NodeJS.WritableStream): {
  write: (data: string | Uint8Array) => void
} {
  let writer = WRITERS.get(stream)
  if (!writer) {
    let gone = false
    // one listener per stream, however many times main() runs in one process (tests call it often)
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e
      gone = true
    })
    writer = { write: data => void (gone || stream.write(data)) }
    WRITERS.set(stream, writer)
  }
  return writer
}

/** The writer of each stream {@link readerMayLeave} was given. */
const WRITERS = new WeakMap<NodeJS.WritableStream, { write: (data: string | Uint8Array) => void }>()

/** C0 controls but LF, CR and TAB; DEL; C1. */
// eslint-disable-next-line no-control-regex -- control characters are what this escapes
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g

/** Text for a terminal: each {@link TERMINAL_CONTROL} character written as `\xHH`. */
function terminalText(text: string): string {
  return text.replace(TERMINAL_CONTROL, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/**
 * The shortest secret masked, in characters: a shorter one (a password `a`, `5f`) would hide the
 * output's own words and digests, and its `***` would tell the reader what it is; it is not masked,
 * and the flag that gave it says so (creds.ts).
 */
export const MIN_MASKED_LENGTH = 4

/** A letter or digit: a secret glued to one is part of a longer word (a digest, a name), not a secret. */
const WORD = /[\p{L}\p{N}]/u

/**
 * Removes every registered secret from text before it is written to stderr; when the CLI runs in a
 * GitHub Actions step (`GITHUB_ACTIONS=true`) each secret is also registered with the runner
 * (`::add-mask::` on stderr, as core.setSecret does on stdout), so the runner masks it in the log
 * as well. A secret is masked where it stands on its own: not where a letter or digit continues it
 * on either side (`5f` in `sha256:4c5f…`, `a` in `target`), which is another word of the output.
 * Secrets shorter than {@link MIN_MASKED_LENGTH} are not masked (nor announced).
 */
export class Masker {
  private readonly secrets: string[] = []
  constructor(private readonly announce: ((line: string) => void) | undefined = undefined) {}

  /** Registers secrets (empty, too short ones and those already known are skipped). */
  add(secrets: string[]): void {
    for (const s of secrets) {
      if (s.length < MIN_MASKED_LENGTH || this.secrets.includes(s)) continue
      this.secrets.push(s)
      // escaped as @actions/core escapes a command's data
      this.announce?.(`::add-mask::${s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`)
    }
    // the longest first: a password inside its own base64 form is never left half-masked
    this.secrets.sort((a, b) => b.length - a.length)
  }

  /** `text` with each registered secret, where it stands on its own, written as `***`. */
  mask(text: string): string {
    let out = text
    for (const s of this.secrets) out = maskStandalone(out, s)
    return out
  }
}

/** `text` with each occurrence of `secret` that no letter or digit continues written as `***`. */
function maskStandalone(text: string, secret: string): string {
  const gluedBefore = WORD.test(secret[0])
  const gluedAfter = WORD.test(secret[secret.length - 1])
  let out = ''
  let from = 0
  for (let at = text.indexOf(secret); at !== -1; at = text.indexOf(secret, at + 1)) {
    if (at < from) continue
    const end = at + secret.length
    if ((gluedBefore && at > 0 && WORD.test(text[at - 1])) || (gluedAfter && WORD.test(text[end] ?? '')))
      continue
    out += `${text.slice(from, at)}***`
    from = end
  }
  return out + text.slice(from)
}
