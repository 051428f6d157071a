/**
 * `promote-image --help`, `COMMAND --help` and `--version`; the command lines and the option lines are
 * derived from the commands table (cli/commands.ts) and the options schema (options.ts).
 */
import {
  commandHelp,
  commandLines,
  commandSpec,
  flagText,
  HELP_WIDTH,
  optionLines,
  wrapText
} from './commands.js'

export { flagText, optionLines }

/** What the global usage says after the options, one paragraph each (wrapped to HELP_WIDTH). */
const NOTES = [
  'Credentials: --src-creds / --dest-creds / --creds USER[:PASS] (the password best from its variable or ' +
    '--password-stdin), then --authfile FILE or $REGISTRY_AUTH_FILE (containers-auth.json), then the docker ' +
    'config.json (DOCKER_CONFIG respected), as docker login writes it.',
  "promote-image COMMAND --help (or promote-image help COMMAND) shows one command's usage and options.",
  'HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or lower-case) are honoured; loopback hosts never use the proxy.',
  '--json on failure prints {"error": MESSAGE, "targets": [{"reference", "holdsImage", "tagged", ' +
    '"blobsCopied", "blobsMounted", "bytesCopied", "error"?}]}: where each target stands.',
  'Exit status: 0 success, 1 failure, 2 usage error (nothing sent), 130 / 143 after SIGINT / SIGTERM: ' +
    'open upload sessions cancelled, no tag changed, one line per target (promote -f: per image) saying ' +
    'what landed; a second signal ends the process at once. A signal during the tag step finishes the tags ' +
    '(no target is left half-tagged) and the run ends as it would have. A chunked upload (--upload-mode ' +
    'chunked) keeps its session in $XDG_CACHE_HOME/promote-image/uploads (else ~/.cache/promote-image/uploads): ' +
    "a killed run's upload is resumed from the offset the registry confirms; an entry older than 1 hour " +
    'or not confirmed by the registry is dropped and the upload starts from byte 0 (distribution drops a ' +
    'session whose PATCH was cut mid-body, so there a resume keeps only the chunks done before). A run that succeeded ' +
    "notes which repositories hold each blob in $XDG_CACHE_HOME/promote-image/blobs (as skopeo's blob-info " +
    "cache): a later copy mounts a blob from there when it is on the target's own registry."
]

/**
 * The usage text `--help` prints: every line within HELP_WIDTH columns. Made when asked, not when
 * the module loads: every command loads this module, and wrapping the help of every option costs
 * a run that prints none of it.
 */
export function usageText(): string {
  return [
    'usage:',
    ...commandLines(),
    'options:',
    optionLines(),
    ...NOTES.flatMap(note => wrapText(note, HELP_WIDTH))
  ].join('\n')
}

/** The package version, set by the bundler (scripts/bundle.mjs); 'dev' when run from source. */
declare const __PROMOTE_IMAGE_VERSION__: string | undefined
export const VERSION = typeof __PROMOTE_IMAGE_VERSION__ === 'string' ? __PROMOTE_IMAGE_VERSION__ : 'dev'

/**
 * Prints the usage on stdout, or with `topic` that command's own (its usage, what it does, the
 * options it takes: cli/commands.ts); exit status 0.
 */
export function runHelp(out: (text: string) => void, topic?: string): number {
  const command = commandSpec(topic)
  out((command ? commandHelp(command) : usageText()) + '\n')
  return 0
}

/** Prints the version on stdout; exit status 0. */
export function runVersion(out: (text: string) => void): number {
  out(`${VERSION}\n`)
  return 0
}
