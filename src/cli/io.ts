/** What the CLI's command handlers write to and connect with. */
import type { Logger } from '../logger.js'

/** Where a handler writes: results on stdout, messages through the logger (stderr). */
export interface Io {
  out: (text: string) => void
  log: Logger
}

/** The process's streams: results on stdout; messages on stderr (`debug:` lines only when verbose). */
export function processIo(verbose: boolean): Io {
  return {
    out: text => void process.stdout.write(text),
    log: {
      debug: m => void (verbose && process.stderr.write(`debug: ${m}\n`)),
      info: m => void process.stderr.write(`${m}\n`),
      warning: m => void process.stderr.write(`warning: ${m}\n`)
    }
  }
}
