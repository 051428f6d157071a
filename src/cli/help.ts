/** `promote-image --help` and `--version`; the option lines are derived from the schema (options.ts). */
import { OPTIONS, type CliCommandName, type OptionSpec } from '../options.js'

/** `-f, --file FILE`, `--timeout SECONDS`: how a flag is written in help. */
export function flagText(o: OptionSpec): string {
  return `${o.short ? `-${o.short}, ` : ''}--${o.flag}${o.value ? ` ${o.value}` : ''}`
}

/**
 * The help lines of the options `command` takes (every CLI option when none is given), in the
 * schema's order: the flag in a column of 26, its help beside it and continued below.
 */
export function optionLines(command?: CliCommandName): string {
  return OPTIONS.filter(o => o.flag)
    .filter(o => !command || o.commands.includes(command))
    .flatMap(o => {
      const [first, ...rest] = o.help
      return [`  ${flagText(o).padEnd(25)} ${first}`, ...rest.map(line => `${' '.repeat(28)}${line}`)]
    })
    .join('\n')
}

/** The usage text `--help` prints. */
export const USAGE = `usage:
  promote-image copy SRC DST [DST...]     copy SRC by digest to each DST (all platforms), then tag
  promote-image promote SRC DST [DST...]  same as copy; add --dry-run for a JSON plan
  promote-image promote -f FILE [--dry-run] [--json] [--shard K/N]
                                          promote every image of a promotion file (YAML) in one
                                          run; --shard K/N: only that shard of plan --shards N
  promote-image plan -f FILE --shards N   print the shard matrix of a promotion file (one JSON line)
  promote-image inspect REF               print digest, media type, platforms and size
  promote-image tags [--image REPO] [--tags RULE]...
                                          print the tags (or REPO:tag references) for the current
                                          git context: GITHUB_* variables in Actions, else local git
options:
${optionLines()}
Credentials come from the docker config.json (DOCKER_CONFIG respected), as docker login writes it.
HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or lower-case) are honoured; loopback hosts never use the proxy.
--json on failure prints {"error": MESSAGE, "targets": [{"reference", "holdsImage", "tagged",
"blobsCopied", "blobsMounted", "bytesCopied", "error"?}]}: where each target stands.
Exit status: 0 success, 1 failure, 2 usage error (nothing sent), 130 / 143 after SIGINT / SIGTERM:
open upload sessions cancelled, no tag changed, one line per target (promote -f: per image) saying
what landed; a second signal ends the process at once. A signal during the tag step finishes the tags
(no target is left half-tagged) and the run ends as it would have. A chunked upload (--upload-mode
chunked) keeps its session in $XDG_CACHE_HOME/promote-image/uploads (else ~/.cache/promote-image/uploads):
a killed run's upload is resumed from the offset the registry confirms; an entry older than 1 hour
or not confirmed by the registry is dropped and the upload starts from byte 0.`

/** The package version, set by the bundler (scripts/bundle.mjs); 'dev' when run from source. */
declare const __PROMOTE_IMAGE_VERSION__: string | undefined
export const VERSION = typeof __PROMOTE_IMAGE_VERSION__ === 'string' ? __PROMOTE_IMAGE_VERSION__ : 'dev'

/** Prints the usage on stdout; exit status 0. */
export function runHelp(out: (text: string) => void): number {
  out(USAGE + '\n')
  return 0
}

/** Prints the version on stdout; exit status 0. */
export function runVersion(out: (text: string) => void): number {
  out(`${VERSION}\n`)
  return 0
}
