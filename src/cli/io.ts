/** What the CLI's command handlers write to and connect with. */
import type { Logger } from '../logger.js'
import { logText } from '../report/neutralise.js'

/** Where a handler writes: results on stdout, messages through the logger (stderr). */
export interface Io {
  out: (text: string) => void
  log: Logger
}

/**
 * The process's streams: results on stdout; messages on stderr (`debug:` lines only when verbose),
 * each through `logText` (neutralise.ts): stderr may be a terminal or, in a workflow step, the
 * Actions log, and messages quote registry text.
 */
export function processIo(verbose: boolean): Io {
  return {
    out: text => void process.stdout.write(text),
    log: {
      debug: m => void (verbose && process.stderr.write(`debug: ${logText(m)}\n`)),
      info: m => void process.stderr.write(`${logText(m)}\n`),
      warning: m => void process.stderr.write(`warning: ${logText(m)}\n`)
    }
  }
}
