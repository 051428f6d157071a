/**
 * The CLI's commands, one row each: how it is written (usage), what it does (summary, help), which
 * rows of the options schema (options.ts `OPTIONS`, by their `commands`) it takes, and what its
 * arguments are (for completion). The global usage's command list, `COMMAND --help`, `help
 * [COMMAND]`, "did you mean" and the shell completion are all derived from this table and the
 * schema. Pure.
 */
import { OPTIONS, type CliCommandName, type OptionSpec } from '../options.js'

/** What a command's positional arguments are, for completion. */
export type ArgumentKind = 'reference' | 'repository' | 'command' | 'shell' | 'none'

/** One command of the CLI. */
export interface CommandSpec {
  /** as typed: `copy` */
  name: string
  /** the schema's command names whose flags it takes (`promote` is also `promote-file`, with -f) */
  schema: readonly CliCommandName[]
  /** usage lines after `promote-image ` (each a way to call it) */
  usage: readonly string[]
  /** one line for the global usage (wrapped from column 42) and completion */
  summary: string
  /**
   * what `COMMAND --help` adds after the usage: the command's behaviour, one entry per line as
   * written (examples keep their indentation), each within HELP_WIDTH (__tests__/cli/help-width)
   */
  help: readonly string[]
  /** what the positional arguments are */
  args: ArgumentKind
}

/** Every command, in the order of the global help. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'copy',
    schema: ['copy'],
    usage: ['copy [OPTIONS] SRC DST [DST...]'],
    summary: 'copy SRC by digest to each DST (all platforms), then tag',
    help: [
      'Copies the manifest SRC names, with every blob, child manifest and referrer, to each DST by',
      'digest (blobs registry to registry: mounted where the registry allows, else streamed once),',
      'then tags each DST with the tag it names (else the tag of SRC). Prints the digest on stdout.',
      'SRC and DST are registry references; a docker:// prefix (skopeo) is accepted and dropped;',
      'oci:, dir:, docker-archive: and other transports are refused: only registries are read.',
      '--all and --preserve-digests are accepted, as crane and skopeo users write them: every',
      'platform is copied (unless --platform picks some) and manifests travel as their bytes.',
      'Credentials: --src-creds for the source registry, --dest-creds for every DST registry,',
      'USER[:PASS]; leave :PASS out and give the password in PROMOTE_IMAGE_SRC_PASSWORD /',
      'PROMOTE_IMAGE_DEST_PASSWORD or on stdin with --password-stdin (kept off argv), e.g.',
      '  printenv GHCR_TOKEN | promote-image copy --dest-creds octocat --password-stdin \\',
      '    docker://127.0.0.1:5000/app:1 ghcr.io/octocat/app:1',
      'then --authfile FILE (else $REGISTRY_AUTH_FILE), then the docker config.json.'
    ],
    args: 'reference'
  },
  {
    name: 'promote',
    schema: ['promote', 'promote-file'],
    usage: ['promote [OPTIONS] SRC DST [DST...]', 'promote -f FILE [--dry-run] [--json] [--shard K/N]'],
    summary: 'as copy (--dry-run: JSON plan); -f FILE: a promotion file',
    help: [
      'promote SRC DST...: as copy (see promote-image copy --help); with --dry-run the JSON plan is',
      'printed and nothing is written.',
      'promote -f FILE: every image of a promotion file (YAML) in one run; --shard K/N promotes',
      'only shard K of the N that plan -f FILE --shards N lists. The file owns --tag-policy,',
      '--moving-tag and --referrers (refused here). Credentials: --authfile, $REGISTRY_AUTH_FILE,',
      'the docker config.json.'
    ],
    args: 'reference'
  },
  {
    name: 'plan',
    schema: ['plan'],
    usage: ['plan -f FILE --shards N'],
    summary: 'print the shard matrix of a promotion file (one JSON line)',
    help: [
      'Splits the images of a promotion file into N shards for a job matrix, balanced by the bytes',
      "of each image: it reads the sources' manifests (GET and HEAD only, with the credentials",
      'promote -f reads them with) and writes nothing.'
    ],
    args: 'none'
  },
  {
    name: 'inspect',
    schema: ['inspect'],
    usage: ['inspect [OPTIONS] REF'],
    summary: 'print digest, media type, platforms and sizes',
    help: [
      "For an index: its platforms and the bytes of its manifests and of its children's distinct blobs",
      '(a blob platforms share counted once, as copy moves it); for an image: its platform (from its',
      'config) and the bytes of its manifest and blobs. With --json:',
      '{"reference", "digest", "mediaType", "manifestBytes", "blobBytes"} and, for an index,',
      '"platforms" and "attestations" (a count); for an image, "platform" (left out when its config',
      'names none).',
      'Credentials: --creds USER[:PASS] (password from PROMOTE_IMAGE_PASSWORD or --password-stdin',
      'when :PASS is left out), then --authfile FILE (else $REGISTRY_AUTH_FILE), then the docker',
      'config.json.'
    ],
    args: 'reference'
  },
  {
    name: 'verify',
    schema: ['verify'],
    usage: ['verify [--verify-key FILE]... [OPTIONS] REF', 'verify --records [OPTIONS] REF'],
    summary: 'check REF as the gate does; print its promotion records',
    help: [
      'Checks the image REF names at any registry as the promotion gate does (--verify-key,',
      '--certificate-identity[-regexp] with --certificate-oidc-issuer, --policy FILE; keyless',
      'bundles against --trusted-root FILE, else the Sigstore public-good instance), then prints',
      'each promotion record among its referrers: who promoted it, from where, to where, when, and',
      'what its signature was verified against. Exit status 0 when every check passed and every',
      'record verified, else 1 (the report is printed first). docs/verification.md has the policy file.',
      'Nothing to check (no --verify-key, identity or --policy) is a usage error (exit 2), as for cosign',
      'verify; --records prints the promotion records alone, requiring nothing (exit 0 with none);',
      '--records --verify-key FILE checks the records alone against that key (the image need not',
      'be signed; exit 1 with no record); --records with a --policy requiring attestations or scope',
      "all is a usage error (those are the gate's)."
    ],
    args: 'reference'
  },
  {
    name: 'digest',
    schema: ['digest'],
    usage: ['digest [OPTIONS] REF'],
    summary: 'print the digest of the manifest REF names',
    help: [
      'As crane digest: prints sha256:<hex> of the manifest or index REF names (a HEAD of the',
      'manifest); with --json {"reference", "digest", "mediaType", "size"} (size in bytes). The',
      "digest is the registry's Docker-Content-Digest answer, as crane's; inspect and manifest",
      'check it against the bytes served.',
      'Credentials as for inspect (--creds, --password-stdin, --authfile).'
    ],
    args: 'reference'
  },
  {
    name: 'ls',
    schema: ['ls'],
    usage: ['ls [OPTIONS] REPOSITORY'],
    summary: 'print the tags of a repository, one a line',
    help: [
      "As crane ls: prints every tag of REPOSITORY (no tag or digest), one a line in the registry's",
      'order; with --json a JSON array. A listing answered 404 NAME_UNKNOWN fails (exit status 1),',
      'naming the repository and that answer: distribution gives it for a repository it does not',
      'know and for one that holds manifests by digest but no tag. A repository listed with no tag',
      'prints nothing.',
      'Credentials as for inspect (--creds, --password-stdin, --authfile).'
    ],
    args: 'repository'
  },
  {
    name: 'manifest',
    schema: ['manifest'],
    usage: ['manifest [OPTIONS] REF'],
    summary: 'print the manifest REF names, as served',
    help: [
      'As crane manifest: writes the manifest or index as the registry serves it (never re-serialised: its',
      'sha256 is the digest that promote-image digest REF prints). On a terminal, control',
      'characters are escaped. Credentials as for inspect (--creds, --password-stdin, --authfile).'
    ],
    args: 'reference'
  },
  {
    name: 'config',
    schema: ['config'],
    usage: ['config [OPTIONS] REF'],
    summary: 'print the config blob of the image REF names',
    help: [
      'As crane config: writes the config blob of the image REF names, checked against its digest. An',
      'index has no config: the error names each of its images by digest, to pick one.',
      'Credentials as for inspect (--creds, --password-stdin, --authfile).'
    ],
    args: 'reference'
  },
  {
    name: 'merge',
    schema: ['merge'],
    usage: ['merge --to STAGING-REF [--require-platform PLATFORM]... SOURCE...'],
    summary: 'merge platform images into one index at STAGING-REF',
    help: [
      'Writes one index of the SOURCE images at STAGING-REF (issue 21: a build matrix, one platform per',
      'runner). A SOURCE is a reference (REGISTRY/REPOSITORY:TAG or @DIGEST; an index is flattened), a',
      "digest at STAGING-REF's repository, or staged: the images of commit $GITHUB_SHA the action staged",
      'under sha-<commit 12>-<inputs 8>-<os>-<arch>. Each child is listed byte for byte with the platform',
      'its config names; attestation manifests are kept, pointing at their child. All Docker children',
      'give a Docker manifest list; OCI, mixed or attested children an OCI index. The same children give',
      'the same digest: a tag already serving it is not written again (0 manifest PUTs). A child held',
      'by another repository is mounted or copied in first, by digest. STAGING-REF without a tag is',
      'written as sha-<first 12 hex of $GITHUB_SHA>. Prints the digest on stdout. Refused before any',
      'write (exit status 1): a SOURCE not found, two of one platform, a --require-platform no SOURCE',
      'is, staged with no image of the commit. Then promote it: promote-image promote STAGING-REF DST.'
    ],
    args: 'reference'
  },
  {
    name: 'tags',
    schema: ['tags'],
    usage: ['tags [--image REPO]... [--tags RULE]... [--flavor LINE]... [--lowercase]'],
    summary: 'print the tags (or REPO:tag references) of the git context',
    help: [
      'Computes tags from docker/metadata-action rules for the git context: GITHUB_* variables in',
      'Actions, else the local git checkout, its ref and commit taken from GITHUB_REF and GITHUB_SHA',
      'when set (GITHUB_REF=refs/tags/v1.2.3 previews a release). Rules that give no tag say why on',
      'stderr. No --tags: no tags. Sends no request.'
    ],
    args: 'none'
  },
  {
    name: 'help',
    schema: ['help'],
    usage: ['help [COMMAND]'],
    summary: "print this help, or a command's (as COMMAND --help)",
    help: [],
    args: 'command'
  },
  {
    name: 'completion',
    schema: ['completion'],
    usage: ['completion bash|zsh'],
    summary: 'print a shell completion script',
    help: [
      'bash: source <(promote-image completion bash)  (or save it in',
      '      ~/.local/share/bash-completion/completions/promote-image)',
      'zsh:  promote-image completion zsh > "${fpath[1]}/_promote-image"  (then compinit)'
    ],
    args: 'shell'
  }
]

/** The command typed as `name`, if any. */
export function commandSpec(name: string | undefined): CommandSpec | undefined {
  return COMMANDS.find(c => c.name === name)
}

/** The schema's rows whose flag `command` takes, in the schema's order. */
export function commandOptions(command: CommandSpec): OptionSpec[] {
  return OPTIONS.filter(o => o.flag && o.commands.some(c => command.schema.includes(c)))
}

/** Every flag as typed (`--dry-run`, `-f`), for "did you mean": of `command` when given, else of all. */
export function knownFlags(command?: CommandSpec): string[] {
  const rows = command ? commandOptions(command) : OPTIONS.filter(o => o.flag)
  return rows.flatMap(o => [`--${o.flag}`, ...(o.short ? [`-${o.short}`] : [])])
}

/** `-f, --file FILE`, `--timeout SECONDS`: how a flag is written in help. */
export function flagText(o: OptionSpec): string {
  return `${o.short ? `-${o.short}, ` : ''}--${o.flag}${o.value ? ` ${o.value}` : ''}`
}

/** Every help line fits in this many columns (a terminal 100 wide). */
export const HELP_WIDTH = 100
/** The column an option's help starts in (the flag before it, indented 2). */
const OPTION_COLUMN = 28
/** The column a command's summary starts in, in the global usage. */
const SUMMARY_COLUMN = 42

/**
 * `text` broken at spaces into lines of at most `width` characters, words kept whole (a word longer
 * than `width` stands alone on its line); runs of spaces count as one.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  return line ? [...lines, line] : lines
}

/**
 * `text` wrapped beside `left` from `column` on, within {@link HELP_WIDTH}: the first line after
 * `left` when it leaves a space before the column, else below it; the rest indented to the column.
 */
function besideColumn(left: string, text: string, column: number): string[] {
  const [first, ...rest] = wrapText(text, HELP_WIDTH - column)
  const indent = ' '.repeat(column)
  const head =
    left.length < column ? [`${left.padEnd(column - 1)} ${first ?? ''}`.trimEnd()] : [left, indent + first]
  return [...head, ...rest.map(line => indent + line)]
}

/**
 * The help lines of `rows`: the flag, then its help (the schema's entries as one text) wrapped in
 * the column from 28 to 100; a flag too long for its column has the help below it.
 */
function optionText(rows: OptionSpec[]): string[] {
  return rows.flatMap(o => besideColumn(`  ${flagText(o)}`, o.help.join(' '), OPTION_COLUMN))
}

/**
 * The help lines of the options `command` takes (a schema command name; every CLI option when none
 * is given), in the schema's order.
 */
export function optionLines(command?: CliCommandName): string {
  return optionText(OPTIONS.filter(o => o.flag && (!command || o.commands.includes(command)))).join('\n')
}

/** The lines listing every command: `  promote-image USAGE` and its summary beside (or below) it. */
export function commandLines(): string[] {
  return COMMANDS.flatMap(c =>
    c.usage.flatMap((u, i) => {
      const left = `  promote-image ${u}`
      return i === 0 ? besideColumn(left, c.summary, SUMMARY_COLUMN) : [left]
    })
  )
}

/** `promote-image COMMAND --help`: its usage, what it does, and only the options it takes. */
export function commandHelp(command: CommandSpec): string {
  const usage = command.usage.map((u, i) => `${i === 0 ? 'usage: ' : '       '}promote-image ${u}`)
  const options = optionText(commandOptions(command))
  return [
    ...usage,
    '',
    command.summary.charAt(0).toUpperCase() + command.summary.slice(1) + '.',
    ...command.help,
    ...(options.length ? ['', 'options:', ...options] : [])
  ].join('\n')
}
