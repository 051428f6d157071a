/** The logger the engine takes; the action passes one built on @actions/core, the CLI one on stderr. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = { debug() {}, info() {}, warning() {} }
