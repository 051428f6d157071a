/**
 * The CLI as crane / skopeo / regctl users type it (issue 19): `--all` and `--preserve-digests`
 * accepted, `docker://` dropped and other transports refused, credential flags, the read commands,
 * per-command help, "did you mean", and completion generated from the schema. Exact values.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseCommandLine, type Command } from '../../src/cli/args.js'
import { COMMANDS, commandHelp, commandOptions, commandSpec, flagText } from '../../src/cli/commands.js'
import { bashCompletion, zshCompletion } from '../../src/cli/completion.js'
import { runHelp, usageText } from '../../src/cli/help.js'
import { OPTIONS } from '../../src/options.js'

const files = new Set(['/etc/auth.json'])
const parse = (...argv: string[]): Command => parseCommandLine(argv, { fileExists: p => files.has(p) })
const usageError = (message: string): Command => ({ command: 'usage-error', message })

describe('copy habits: --all, --preserve-digests, docker:// parse as the plain command', () => {
  const plain = parse('copy', 'ghcr.io/o/a:v1', 'ghcr.io/o/b:v1')
  it.each([
    [['copy', '--all', 'ghcr.io/o/a:v1', 'ghcr.io/o/b:v1']],
    // skopeo's -a for --all (was 'unknown option -a for copy')
    [['copy', '-a', 'ghcr.io/o/a:v1', 'ghcr.io/o/b:v1']],
    [['copy', '-a', '--preserve-digests', 'docker://ghcr.io/o/a:v1', 'ghcr.io/o/b:v1']],
    [['copy', '--preserve-digests', 'ghcr.io/o/a:v1', 'ghcr.io/o/b:v1']],
    [['copy', '--all', '--preserve-digests', 'docker://ghcr.io/o/a:v1', 'docker://ghcr.io/o/b:v1']],
    [['copy', 'docker://ghcr.io/o/a:v1', 'ghcr.io/o/b:v1']]
  ])('%j', argv => {
    expect(plain).toMatchObject({ command: 'copy', reference: 'v1' })
    expect(parse(...argv)).toEqual(plain)
  })
})

describe('the read commands and credential flags parse', () => {
  it.each<[string[], Command]>([
    [
      ['digest', 'docker://ghcr.io/o/a:v1'],
      {
        command: 'digest',
        reference: { registry: 'ghcr.io', repository: 'o/a', tag: 'v1' },
        options: expect.anything() as never,
        json: false,
        verbose: false
      }
    ],
    [
      ['ls', '--json', 'ghcr.io/o/a'],
      {
        command: 'ls',
        reference: { registry: 'ghcr.io', repository: 'o/a' },
        options: expect.anything() as never,
        json: true,
        verbose: false
      }
    ],
    [
      ['manifest', '--creds', 'bob', '--password-stdin', 'ghcr.io/o/a:v1'],
      {
        command: 'manifest',
        reference: { registry: 'ghcr.io', repository: 'o/a', tag: 'v1' },
        options: expect.anything() as never,
        credentials: {
          creds: [{ flag: '--creds', username: 'bob' }],
          passwordStdin: true,
          authFile: undefined
        },
        json: false,
        verbose: false
      }
    ],
    [
      ['config', '--authfile', '/etc/auth.json', 'ghcr.io/o/a:v1'],
      {
        command: 'config',
        reference: { registry: 'ghcr.io', repository: 'o/a', tag: 'v1' },
        options: expect.anything() as never,
        credentials: { creds: [], passwordStdin: false, authFile: '/etc/auth.json' },
        json: false,
        verbose: false
      }
    ],
    [['help'], { command: 'help', topic: undefined }],
    [['help', 'ls'], { command: 'help', topic: 'ls' }],
    [['ls', '--help'], { command: 'help', topic: 'ls' }],
    [['completion', 'zsh'], { command: 'completion', shell: 'zsh' }]
  ])('%j', (argv, command) => expect(parse(...argv)).toEqual(command))

  it('copy: --src-creds and --dest-creds with their passwords', () => {
    expect(
      parse('copy', '--src-creds', 'alice:pa:ss', '--dest-creds', 'bob', 'ghcr.io/o/a:v1', 'quay.io/org/b')
    ).toMatchObject({
      command: 'copy',
      credentials: {
        creds: [
          { flag: '--src-creds', username: 'alice', password: 'pa:ss' },
          { flag: '--dest-creds', username: 'bob' }
        ],
        passwordStdin: false
      }
    })
  })
})

describe('usage errors: the input, the rule, and what was meant', () => {
  it.each<[string[], string]>([
    [
      ['copy', 'oci:/tmp/layout:v1', 'ghcr.io/o/b:v1'],
      'SRC "oci:/tmp/layout:v1": the oci: transport (an OCI image layout directory) is not read; promote-image reads and writes registries only (REF or docker://REF). Push the image to a registry first, e.g. skopeo copy oci:… docker://REGISTRY/REPOSITORY:TAG'
    ],
    [
      ['copy', 'ghcr.io/o/a:v1', 'dir:/tmp/out'],
      'DST 1 "dir:/tmp/out": the dir: transport (a directory of manifest and blob files) is not read; promote-image reads and writes registries only (REF or docker://REF). Push the image to a registry first, e.g. skopeo copy dir:… docker://REGISTRY/REPOSITORY:TAG'
    ],
    [
      ['digest', 'docker-daemon:app:1'],
      'REF "docker-daemon:app:1": the docker-daemon: transport (the docker daemon\'s image store) is not read; promote-image reads and writes registries only (REF or docker://REF). Push the image to a registry first, e.g. skopeo copy docker-daemon:… docker://REGISTRY/REPOSITORY:TAG'
    ],
    // a URL where a reference is wanted (before: 'domain "http:": a domain is host[:port] where host is DNS labels…')
    [
      ['copy', 'http://127.0.0.1:5000/app:v1', 'ghcr.io/o/b'],
      'SRC "http://127.0.0.1:5000/app:v1": a reference has no URL scheme; write 127.0.0.1:5000/app:v1 (plain http is used for a loopback registry, and for another with --insecure 127.0.0.1:5000)'
    ],
    [
      ['digest', 'https://ghcr.io/o/a:v1'],
      'REF "https://ghcr.io/o/a:v1": a reference has no URL scheme; write ghcr.io/o/a:v1 (registries are reached over https)'
    ],
    [
      ['copy', 'https://localhost:5000/app:v1', 'ghcr.io/o/b'],
      'SRC "https://localhost:5000/app:v1": a reference has no URL scheme; write localhost:5000/app:v1 (plain http is tried first for a loopback registry, then https)'
    ],
    [['inspect', '--all', 'ghcr.io/o/a:v1'], '--all is not an option of inspect'],
    [['inspect', '-a', 'ghcr.io/o/a:v1'], '--all is not an option of inspect'],
    [['ls', '--preserve-digests', 'ghcr.io/o/a'], '--preserve-digests is not an option of ls'],
    [
      ['digest', '--src-creds', 'u:p', 'ghcr.io/o/a:v1'],
      "--src-creds is not an option of digest; it takes --creds for REF's registry"
    ],
    [
      ['ls', '--dest-creds', 'u:p', 'ghcr.io/o/a'],
      "--dest-creds is not an option of ls; it takes --creds for REF's registry"
    ],
    [
      ['copy', '--creds', 'u:p', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      '--creds is not an option of copy; it takes --src-creds for SRC and --dest-creds for every DST'
    ],
    [
      ['merge', '--dest-creds', 'u:p', '--to', 'ghcr.io/o/a', 'ghcr.io/o/b:1'],
      "--dest-creds is not an option of merge; it takes --creds for --to's registry"
    ],
    [
      ['manifest', '--json', 'ghcr.io/o/a:v1'],
      '--json is not an option of manifest; its output already is JSON: the manifest as the registry serves it, byte for byte'
    ],
    [
      ['copy', '--src-creds', ':secret', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      '--src-creds ":***": no user name before the colon (USER[:PASS])'
    ],
    [
      ['digest', '--authfile', '/nonexistent.json', 'ghcr.io/o/a:v1'],
      '--authfile "/nonexistent.json": no such file'
    ],
    [
      ['ls', 'ghcr.io/o/a:v1'],
      'REPOSITORY "ghcr.io/o/a:v1": ls lists a repository\'s tags; name the repository without :TAG or @DIGEST (ghcr.io/o/a)'
    ],
    [['digest'], 'digest needs exactly one REF'],
    // a registry alone (before: the Docker Hub repository-name rule for "127.0.0.1")
    [['digest', '127.0.0.1:45101'], 'REF "127.0.0.1:45101" names a registry only; add /REPOSITORY[:TAG]'],
    [['copy', 'ghcr.io/o/a:v1', 'ghcr.io'], 'DST 1 "ghcr.io" names a registry only; add /REPOSITORY[:TAG]'],
    [['cpoy', 'a', 'b'], 'unknown command "cpoy" (did you mean copy?)'],
    [['manfiest', 'ghcr.io/o/a:v1'], 'unknown command "manfiest" (did you mean manifest?)'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['version'], 'unknown command "version" (did you mean --version?)'],
    [['help', 'lss'], 'unknown command "lss" (did you mean ls?)'],
    [['completion', 'fish'], 'completion "fish": the shells are bash and zsh'],
    [['completion'], 'completion needs a SHELL: bash or zsh'],
    [
      ['copy', '--dryrun', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      'unknown option --dryrun for copy (did you mean --dry-run?); promote-image copy --help lists its options'
    ],
    [
      ['copy', '--src-cred', 'u', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      'unknown option --src-cred for copy (did you mean --src-creds?); promote-image copy --help lists its options'
    ],
    [
      ['ls', '--jsn', 'ghcr.io/o/a'],
      'unknown option --jsn for ls (did you mean --json?); promote-image ls --help lists its options'
    ],
    // a flag of another command is still named
    [
      ['ls', '--dry-rn', 'ghcr.io/o/a'],
      'unknown option --dry-rn for ls (did you mean --dry-run?); promote-image ls --help lists its options'
    ],
    // skopeo's flags with another spelling here name it (before: only "unknown option")
    [
      ['copy', '--dest-tls-verify=false', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      "unknown option --dest-tls-verify for copy (skopeo's; here --insecure HOST[:PORT] for each registry that may use plain http or unverified TLS); promote-image copy --help lists its options"
    ],
    [
      ['copy', '--multi-arch', 'all', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      "unknown option --multi-arch for copy (skopeo's; here every platform is copied unless --platform picks some); promote-image copy --help lists its options"
    ],
    [
      ['copy', '--src-authfile', 'a.json', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      "unknown option --src-authfile for copy (skopeo's; here --authfile FILE for every registry); promote-image copy --help lists its options"
    ],
    // a peer's flag whose nearest name here means the opposite or weakens security: said what it is
    // (before: '(did you mean -v or -h?)' and '(did you mean --insecure?)')
    [
      ['copy', '-q', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      "unknown option -q for copy (skopeo's and docker's; there is none here: logs and progress go to stderr, the result alone to stdout); promote-image copy --help lists its options"
    ],
    [
      ['ls', '--quiet', 'ghcr.io/o/a'],
      "unknown option --quiet for ls (skopeo's and docker's; there is none here: logs and progress go to stderr, the result alone to stdout); promote-image ls --help lists its options"
    ],
    [
      ['copy', '--insecure-policy', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      "unknown option --insecure-policy for copy (skopeo's, to skip its signature policy; here no signature is checked unless --verify-key, --certificate-identity or --policy asks for it); promote-image copy --help lists its options"
    ],
    // one-letter flags are all one edit apart, and --insecure is never offered for a near miss
    [
      ['copy', '-d', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      'unknown option -d for copy; promote-image copy --help lists its options'
    ],
    [
      ['ls', '--insecur', 'x', 'ghcr.io/o/a'],
      'unknown option --insecur for ls; promote-image ls --help lists its options'
    ],
    // a flag's value in the tool's words (before: parseArgs's "Option '-f, --file <value>' argument
    // missing" and "Option '--dry-run' does not take an argument")
    [['promote', '-f'], '-f takes a value (FILE) and none was given'],
    [
      ['promote', '-f', 'p.yaml', '--dry-run=false'],
      '--dry-run takes no value, not "false"; give --dry-run to turn it on, or leave it out'
    ],
    [['--verison'], 'unknown option --verison (did you mean --version?)'],
    [
      ['copy', '--zzz', 'a', 'b'],
      'unknown option --zzz for copy; promote-image copy --help lists its options'
    ]
  ])('%j', (argv, message) => expect(parse(...argv)).toEqual(usageError(message)))
})

describe('help', () => {
  const help = (topic?: string): string => {
    let text = ''
    runHelp(t => void (text += t), topic)
    return text
  }

  it('ls --help: its usage, what it does, and only its options', () => {
    expect(help('ls')).toBe(
      [
        'usage: promote-image ls [OPTIONS] REPOSITORY',
        '',
        'Print the tags of a repository, one a line.',
        "As crane ls: prints every tag of REPOSITORY (no tag or digest), one a line in the registry's",
        'order; with --json a JSON array. A listing answered 404 NAME_UNKNOWN fails (exit status 1),',
        'naming the repository and that answer: distribution gives it for a repository it does not',
        'know and for one that holds manifests by digest but no tag. A repository listed with no tag',
        'prints nothing.',
        'Credentials as for inspect (--creds, --password-stdin, --authfile).',
        '',
        'options:',
        '  --insecure HOST[:PORT]    HOST[:PORT] may use plain http or TLS without certificate verification,',
        "                            as docker's insecure-registries: a HOST without :PORT covers no other",
        '                            port (warned each run; repeatable)',
        '  --ca-file FILE            PEM CA bundle to trust (NODE_EXTRA_CA_CERTS works too)',
        '  --client-cert HOST=FILE   PEM TLS client certificate for registry HOST[:PORT] only (mTLS;',
        '                            repeatable)',
        '  --client-key HOST=FILE    its PEM private key, unencrypted (one per --client-cert)',
        '  --timeout SECONDS         give up on a request with no answer after this long, per try, whole',
        '                            seconds 1 to 3600 (default 120)',
        '  --registry-kind HOST=KIND naming rules for HOST (harbor, quay, … as in the registry-kinds input;',
        '                            repeatable)',
        '  --creds USER[:PASS]       (inspect, digest, ls, manifest, config, verify, merge) credentials for',
        "                            REF's registry (merge: --to's); without :PASS the password comes from",
        '                            PROMOTE_IMAGE_PASSWORD or --password-stdin',
        '  --password-stdin          read the password of the one creds flag given without :PASS from stdin',
        '                            (as docker login)',
        '  --authfile FILE           containers-auth.json or docker config.json to read credentials from',
        '                            first (podman login writes one); default $REGISTRY_AUTH_FILE; then the',
        '                            docker config.json',
        '  --json                    print the result as JSON',
        '  -v, --verbose             debug logging on stderr, with one line per request (method, URL without',
        '                            query values, status, ms, retries)',
        '  -h, --help                this help',
        '  --version                 print the version',
        ''
      ].join('\n')
    )
  })

  it.each(COMMANDS.map(c => [c.name]))("%s --help: that command's page, the same as help %s", name => {
    const spec = commandSpec(name)!
    const page = help(name)
    expect(page).toBe(commandHelp(spec) + '\n')
    expect(page.split('\n')[0]).toBe(`usage: promote-image ${spec.usage[0]}`)
    // the flags it lists are exactly the ones the schema gives the command
    // (a flag longer than the 24-character column runs on into its text after one space)
    const flags = commandOptions(spec).map(flagText)
    const lines = page.split('\n').filter(l => /^ {2}-/.test(l))
    const listed = lines.map((l, i) =>
      /^ {2}\S.*?(?= |$)/.test(l) ? l.slice(2, 2 + (flags[i]?.length ?? 25)) : ''
    )
    expect(listed).toEqual(flags)
    lines.forEach((l, i) => expect([' ', undefined]).toContain(l[2 + flags[i].length]))
    expect(parse(name, '--help')).toEqual({ command: 'help', topic: name })
    expect(parse('help', name)).toEqual({ command: 'help', topic: name })
  })

  // newuser (2nd pass) finding 21: plan's help said it sends no request; it reads the sources
  it('plan --help says it reads the sources and writes nothing', () => {
    expect(help('plan')).toContain(
      "balanced by the bytes\nof each image: it reads the sources' manifests (GET and HEAD only, with the credentials\npromote -f reads them with) and writes nothing."
    )
    expect(help('plan')).not.toContain('sends no request')
  })

  it('copy --help documents each habit', () => {
    const page = help('copy')
    for (const words of [
      'a docker:// prefix (skopeo) is accepted and dropped',
      'oci:, dir:, docker-archive: and other transports are refused: only registries are read',
      '--all and --preserve-digests are accepted',
      '  -a, --all                 (copy, promote) accepted, as crane and skopeo take it: every platform is\n' +
        '                            copied unless --platform picks some',
      '  printenv GHCR_TOKEN | promote-image copy --dest-creds octocat --password-stdin \\'
    ])
      expect(page).toContain(words)
    // a password is never written on argv in an example
    expect(page).not.toMatch(/--(src-|dest-)?creds [a-z][^ ]*:/)
  })

  it('the global page lists every command and --version', () => {
    expect(help()).toBe(usageText() + '\n')
    for (const c of COMMANDS) expect(usageText()).toContain(`  promote-image ${c.usage[0]}`)
    expect(usageText()).toContain('  --version                 print the version')
  })
})

describe('completion generated from the schema', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pi-completion-'))
    for (const f of ['auth.json', 'auth-ci.json', 'other.txt']) await writeFile(join(dir, f), '{}')
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  /** What bash completes for the words typed (the last one is being completed). */
  function complete(...words: string[]): string[] {
    const script = `${bashCompletion()}
COMP_WORDS=(${words.map(w => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_promote_image; printf '%s\\n' "\${COMPREPLY[@]}"`
    const r = spawnSync('bash', ['--norc', '-c', script], { encoding: 'utf8', cwd: dir })
    expect(r.stderr).toBe('')
    return r.stdout.split('\n').filter(Boolean)
  }

  it.each<[string[], string[]]>([
    [
      ['promote-image', 'co'],
      ['copy', 'config', 'completion']
    ],
    [['promote-image', 'l'], ['ls']],
    [
      ['promote-image', '--ver'],
      ['--verbose', '--version']
    ],
    [['promote-image', 'copy', '--src'], ['--src-creds']],
    [['promote-image', 'copy', '--pre'], ['--preserve-digests']],
    [['promote-image', 'digest', '--src'], []],
    [['promote-image', 'digest', '--cr'], ['--creds']],
    [['promote-image', 'ls', '--a'], ['--authfile']],
    [['promote-image', '--timeout', '5', 'dig'], ['digest']],
    [['promote-image', 'help', 'ma'], ['manifest']],
    [
      ['promote-image', 'completion', ''],
      ['bash', 'zsh']
    ],
    [
      ['promote-image', 'copy', '--authfile', 'auth'],
      ['auth.json', 'auth-ci.json']
    ],
    [['promote-image', 'copy', '--timeout', ''], []],
    // newuser6 #25: the schema's choices (before: nothing offered)
    [
      ['promote-image', 'copy', '--tag-policy', ''],
      ['immutable', 'overwrite']
    ],
    [['promote-image', 'copy', '--upload-mode', 'c'], ['chunked']],
    [
      ['promote-image', 'copy', '--referrers', ''],
      ['all', 'none', 'cosign']
    ]
  ])('%j', (words, expected) => expect(complete(...words).sort()).toEqual([...expected].sort()))

  it('every flag of the schema is offered to the commands that take it', () => {
    for (const c of COMMANDS) {
      const offered = complete('promote-image', c.name, '-')
      expect(offered.sort()).toEqual(
        commandOptions(c)
          .flatMap(o => [`--${o.flag}`, ...(o.short ? [`-${o.short}`] : [])])
          .sort()
      )
    }
  })

  it('zsh: a flag with choices offers its words (newuser6 #25)', () => {
    const script = zshCompletion()
    expect(script).toContain(":POLICY:(immutable overwrite)' \\")
    expect(script).toContain(":MODE:(monolithic chunked)' \\")
    expect(script).toContain(":WHAT:(all none cosign)' \\")
  })

  it('zsh: one _arguments block per command, its flags from the schema', () => {
    const script = zshCompletion()
    expect(script.split('\n')[0]).toBe('#compdef promote-image')
    const block = script.slice(
      script.indexOf('    digest)'),
      script.indexOf('      ;;', script.indexOf('    digest)'))
    )
    expect(block.split('\n')).toEqual([
      '    digest)',
      '      _arguments -s \\',
      "        '*--insecure=[HOST\\[\\:PORT\\] may use plain http or TLS without certificate verification]:HOST\\[\\:PORT\\]:' \\",
      "        '--ca-file=[PEM CA bundle to trust (NODE_EXTRA_CA_CERTS works too)]:FILE:_files' \\",
      "        '*--client-cert=[PEM TLS client certificate for registry HOST\\[\\:PORT\\] only (mTLS; repeatable)]:HOST=FILE:' \\",
      "        '*--client-key=[its PEM private key, unencrypted (one per --client-cert)]:HOST=FILE:' \\",
      "        '--timeout=[give up on a request with no answer after this long, per try, whole seconds]:SECONDS:' \\",
      "        '*--registry-kind=[naming rules for HOST (harbor, quay, … as in the registry-kinds input; repeatable)]:HOST=KIND:' \\",
      "        '--creds=[(inspect, digest, ls, manifest, config, verify, merge) credentials for REF'\\''s registry]:USER\\[\\:PASS\\]:' \\",
      "        '--password-stdin[read the password of the one creds flag given without \\:PASS from stdin (as docker login)]' \\",
      "        '--authfile=[containers-auth.json or docker config.json to read credentials from first (podman login]:FILE:_files' \\",
      "        '--json[print the result as JSON]' \\",
      "        '--verbose[debug logging on stderr, with one line per request (method, URL without]' \\",
      "        '-v[debug logging on stderr, with one line per request (method, URL without]' \\",
      "        '--help[this help]' \\",
      "        '-h[this help]' \\",
      "        '--version[print the version]' \\",
      "        '*:reference:'",
      ''
    ])
    expect(OPTIONS.filter(o => o.flag).every(o => script.includes(`--${o.flag}`))).toBe(true)
  })
})
