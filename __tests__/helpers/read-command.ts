/** Builds the parsed form of `digest|ls|manifest|config REF` for handler tests. */
import { parseCommandLine, type InspectCommand } from '../../src/cli/args.js'
import type { ReadCommand } from '../../src/cli/registry-read.js'

/** A command as the CLI parses it (REF checked by the reference grammar), without credential flags. */
export function readCommand(command: ReadCommand['command'], ref: string, json = false): ReadCommand {
  const c = parseCommandLine(['inspect', ref], { fileExists: () => false }) as InspectCommand
  return {
    command,
    reference: c.reference,
    options: c.options,
    credentials: { creds: [], passwordStdin: false },
    json,
    verbose: false
  }
}
