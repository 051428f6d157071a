/**
 * Usage errors on stderr in the tool's own words, exit status 2 (newuser findings 10, 11 and 19):
 * `main(argv)` in process, the whole of stderr asserted.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src/cli.js'

/** `main(argv)`'s exit status and everything it wrote to stderr. */
async function run(argv: string[]): Promise<[number, string]> {
  const writes: string[] = []
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
    writes.push(String(chunk))
    return true
  })
  try {
    return [await main(argv), writes.join('')]
  } finally {
    spy.mockRestore()
  }
}

const usage = (message: string): [number, string] => [
  2,
  `promote-image: ${message}\n(promote-image --help shows the usage)\n`
]

describe('"did you mean" never points at the opposite or at a security-weakening flag', () => {
  it.each([
    // before: '(did you mean -v or -h?)': -v is the opposite of quiet
    [
      ['copy', '-q', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      "unknown option -q for copy (skopeo's and docker's; there is none here: logs and progress go to stderr, the result alone to stdout); promote-image copy --help lists its options"
    ],
    // before: '(did you mean --insecure?)': a flag that turns off TLS verification
    [
      ['copy', '--insecure-policy', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      "unknown option --insecure-policy for copy (skopeo's, to skip its signature policy; here no signature is checked unless --verify-key, --certificate-identity or --policy asks for it); promote-image copy --help lists its options"
    ],
    [
      ['ls', '--insecur', 'x', 'ghcr.io/o/a'],
      'unknown option --insecur for ls; promote-image ls --help lists its options'
    ]
  ])('%j', async (argv, message) => expect(await run(argv)).toEqual(usage(message)))
})

// newuser (2nd pass) finding 20: crane's, skopeo's, regctl's and buildx's habits point at the flag
// or command that does it here, or say there is none (before: a wrong "did you mean", or nothing)
describe("other tools' flags and commands say what does it here", () => {
  const SRC = 'ghcr.io/o/a:v1'
  const DST = 'ghcr.io/o/b'
  const copyHelp = '; promote-image copy --help lists its options'
  it.each([
    // before: '(did you mean --sign-key?)', which signs a promotion record, not the image
    [
      ['copy', '--sign-by', 'KEY', SRC, DST],
      `unknown option --sign-by for copy (skopeo's, to sign the copied image; there is none here: sign the image with cosign; --sign-key FILE signs a promotion record, --verify-key FILE checks a signature)${copyHelp}`
    ],
    // before: '(did you mean --all?)'
    [
      ['copy', '--allow-nondistributable-artifacts', SRC, DST],
      `unknown option --allow-nondistributable-artifacts for copy (crane's, to push the bytes of foreign layers; there is none here: foreign layers travel by reference, as their urls say)${copyHelp}`
    ],
    [
      ['copy', '-j', '4', SRC, DST],
      `unknown option -j for copy (crane's; here --concurrency N: transfers at once per registry host)${copyHelp}`
    ],
    [
      ['copy', '--jobs', '4', SRC, DST],
      `unknown option --jobs for copy (crane's; here --concurrency N: transfers at once per registry host)${copyHelp}`
    ],
    [
      ['copy', '--digestfile', 'd.txt', SRC, DST],
      `unknown option --digestfile for copy (skopeo's; here the digest is the only thing on stdout: promote-image copy SRC DST > FILE)${copyHelp}`
    ],
    [
      ['copy', '--retry-times', '3', SRC, DST],
      `unknown option --retry-times for copy (skopeo's; here a request that meets a temporary failure (408, 429, 500, 502, 503, 504, a dropped connection) is sent up to 4 more times with backoff (Retry-After honoured), an upload cut mid-way started afresh up to 2 more, and --timeout SECONDS bounds each try)${copyHelp}`
    ],
    [
      ['copy', '-n', SRC, DST],
      `unknown option -n for copy (crane's; here the default --tag-policy immutable refuses to move a tag to another digest, before any write; --moving-tag TAG names the tags that may move)${copyHelp}`
    ],
    [
      ['copy', '--no-clobber', SRC, DST],
      `unknown option --no-clobber for copy (crane's; here the default --tag-policy immutable refuses to move a tag to another digest, before any write; --moving-tag TAG names the tags that may move)${copyHelp}`
    ],
    // before: plain 'unknown option -t'; '--tag' gave '(did you mean --tag-policy or --tags?)'
    [
      ['merge', '-t', 'ghcr.io/o/a:v1', 'ghcr.io/o/a@sha256:' + 'a'.repeat(64)],
      "unknown option -t for merge (docker buildx imagetools create's; here --to STAGING-REF); promote-image merge --help lists its options"
    ],
    [
      ['merge', '--tag', 'ghcr.io/o/a:v1', 'x'],
      "unknown option --tag for merge (docker buildx imagetools create's; here --to STAGING-REF); promote-image merge --help lists its options"
    ],
    // before: '--referrers "ghcr.io/o/a:v1": must be all, none, …' (SRC read as the value)
    [
      ['copy', '--referrers', SRC, DST],
      `--referrers takes WHAT (all, none, or artifact types), not the image reference "${SRC}"; every referrer travels unless --referrers says otherwise`
    ],
    // before: '--referrers "ghcr.io/o/a:v1": must be all, none, …' (the = form missed the habit)
    [
      ['copy', `--referrers=${SRC}`, DST],
      `--referrers takes WHAT (all, none, or artifact types), not the image reference "${SRC}"; every referrer travels unless --referrers says otherwise`
    ],
    // before: plain 'copy needs SRC and at least one DST' (a SRC shaped like a media type went to --referrers)
    [
      ['copy', '--referrers=library/alpine', DST],
      'copy needs SRC and at least one DST; --referrers took "library/alpine" as its value (artifact types), not as SRC'
    ],
    [['copy', '--referrers', 'all', DST], 'copy needs SRC and at least one DST'],
    // before: '--insecure "localhost:5000/app:1": must be a host or host:port, without scheme or path …'
    [
      ['copy', '--insecure=localhost:5000/app:1', DST],
      '--insecure takes a registry HOST[:PORT], not the image reference "localhost:5000/app:1" (for its registry: --insecure localhost:5000)'
    ],
    // newuser3 finding 2, before: SRC taken as USER:PASS (user "127.0.0.1"), DST1 copied to DST2, exit 0
    [
      ['copy', '--src-creds', '127.0.0.1:9/src/one:rc1', '127.0.0.1:9/x:v1', '127.0.0.1:9/z:v1'],
      '--src-creds takes USER[:PASS], not the image reference "127.0.0.1:…" (printed up to its first colon: a password may follow); a USER:PASS of that shape goes as --src-creds USER with the password in PROMOTE_IMAGE_SRC_PASSWORD or --password-stdin'
    ],
    [
      ['copy', `--dest-creds=${SRC}`, '127.0.0.1:9/x:v1', '127.0.0.1:9/z:v1'],
      `--dest-creds takes USER[:PASS], not the image reference "${SRC.slice(0, SRC.indexOf(':'))}:…" (printed up to its first colon: a password may follow); a USER:PASS of that shape goes as --dest-creds USER with the password in PROMOTE_IMAGE_DEST_PASSWORD or --password-stdin`
    ],
    // a real USER:PASS of that shape is refused too, but its password is never printed
    [
      ['copy', '--src-creds', 'john.doe:123/x', '127.0.0.1:9/x:v1', '127.0.0.1:9/z:v1'],
      '--src-creds takes USER[:PASS], not the image reference "john.doe:…" (printed up to its first colon: a password may follow); a USER:PASS of that shape goes as --src-creds USER with the password in PROMOTE_IMAGE_SRC_PASSWORD or --password-stdin'
    ],
    [
      ['digest', '--creds', 'library/alpine', '127.0.0.1:9/x:v1'],
      '--creds takes USER[:PASS], not the image reference "library/alpine"'
    ],
    // newuser3 finding 13, before: plain 'unknown option --raw for inspect' / '--format', and
    // '--platform is not an option of manifest'
    [
      ['inspect', '--raw', SRC],
      "unknown option --raw for inspect (skopeo inspect's, for the manifest's bytes; here promote-image manifest REF); promote-image inspect --help lists its options"
    ],
    [
      ['inspect', '--format', '{{.Digest}}', SRC],
      "unknown option --format for inspect (skopeo's and crane's Go template; here --json prints the fields as JSON, for jq); promote-image inspect --help lists its options"
    ],
    [
      ['manifest', '--platform', 'linux/arm64', SRC],
      "--platform is not an option of manifest; crane's --platform picks an index's child: here promote-image config REF names each child by digest and platform, and REF@DIGEST reads that child"
    ],
    // before: 'unknown command "tag" (did you mean tags?)', which computes tag names from git
    [
      ['tag', SRC, 'v2'],
      `unknown command "tag" (crane's, to tag an image in its registry; here promote-image copy REPO:TAG REPO:NEWTAG adds the tag and moves no blob; tags computes tag names from git)`
    ],
    [['cp', SRC, DST], `unknown command "cp" (crane's; here copy)`],
    // newuser4 #18, before: 'unknown option --src-no-creds for copy (did you mean --src-creds?)', the
    // opposite of skopeo's flag; the others a bare 'unknown option', -f 'not of copy' alone
    ...(['--src-no-creds', '--dest-no-creds'] as const).map((flag): [string[], string] => [
      ['copy', flag, SRC, DST],
      `unknown option ${flag} for copy (skopeo's, to read anonymously; there is none here: leave the flag out, and a registry is asked without credentials unless a creds flag, the auth file or the docker config.json holds some for it); promote-image copy --help lists its options`
    ]),
    [
      ['copy', '--remove-signatures', SRC, DST],
      "unknown option --remove-signatures for copy (skopeo's; here --referrers none: signatures, SBOMs and cosign's tags stay behind; --referrers TYPE,… keeps only those artifact types); promote-image copy --help lists its options"
    ],
    [
      ['copy', '--format', 'v2s2', SRC, DST],
      "unknown option --format for copy (skopeo copy's --format (-f) converts manifests; there is none here: manifests travel as their bytes, so digests never change); promote-image copy --help lists its options"
    ],
    [
      ['copy', '-f', 'oci', SRC, DST],
      "--file is an option of promote -f FILE and plan -f FILE only, not of copy; skopeo copy's --format (-f) converts manifests; there is none here: manifests travel as their bytes, so digests never change"
    ],
    [
      ['ls', '--full-ref', 'ghcr.io/o/a'],
      "unknown option --full-ref for ls (crane ls's, to print REPOSITORY:TAG; here ls prints the tags alone: promote-image ls REPOSITORY | sed 's|^|REPOSITORY:|'); promote-image ls --help lists its options"
    ],
    [['image', 'copy', SRC, DST], `unknown command "image" (regctl's image copy; here copy)`],
    // newuser6 #16, before: bare 'unknown command' / 'unknown option' lines; sync --src suggested --src-creds
    [
      ['list-tags', 'docker://ghcr.io/o/a'],
      `unknown command "list-tags" (skopeo's; here promote-image ls REPO)`
    ],
    ...[
      ['sync', '--src', 'yaml', 'f.yaml', 'ghcr.io'],
      ['sync', 'a', 'b']
    ].map((argv): [string[], string] => [
      argv,
      `unknown command "sync" (skopeo's; here promote-image promote -f FILE copies the images a promotion file lists)`
    ]),
    [
      ['catalog', 'ghcr.io'],
      `unknown command "catalog" (crane's, to list a registry's repositories; there is none here: promote-image ls REPO lists one repository's tags)`
    ],
    ...[
      ['login', '-u', 'bob', 'ghcr.io'],
      ['auth', 'login', 'ghcr.io']
    ].map((argv): [string[], string] => [
      argv,
      `unknown command "${argv[0]}" (skopeo's, crane auth's, docker's; there is none here: docker login's config.json is read, or give --authfile FILE, or --creds (--src-creds, --dest-creds) USER[:PASS])`
    ]),
    // newuser6 #25, before: '--json is not an option of manifest' alone
    [
      ['manifest', '--json', SRC],
      '--json is not an option of manifest; its output already is JSON: the manifest as the registry serves it, byte for byte'
    ],
    [
      ['config', '--json', SRC],
      "--json is not an option of config; its output already is JSON: the image's config blob as the registry serves it, byte for byte"
    ],
    // newuser6 #25, before: 'repository name must be lowercase' without the name to use (the action offers it)
    [
      ['digest', '127.0.0.1:5000/A/multi:v1'],
      'REF: invalid reference "127.0.0.1:5000/A/multi:v1": repository "A/multi": repository names must be lowercase; use "127.0.0.1:5000/a/multi:v1"'
    ],
    [
      ['copy', 'ghcr.io/Acme/App:v1', DST],
      'SRC: invalid reference "ghcr.io/Acme/App:v1": repository "Acme/App": GHCR owner and image names must be lowercase; use "ghcr.io/acme/app:v1"'
    ],
    // a name of Object.prototype is no foreign command (was: 'unknown command "constructor"function Object() …')
    [['constructor'], 'unknown command "constructor"'],
    [
      ['inspect', '--config', '--raw', SRC],
      "unknown option --config for inspect (skopeo inspect's, for the image's config; here promote-image config REF); promote-image inspect --help lists its options"
    ],
    [
      ['digest', '--full-ref', SRC],
      'unknown option --full-ref for digest (crane digest\'s, to print REPOSITORY@DIGEST; here digest prints the digest alone: echo "REPOSITORY@$(promote-image digest REF)"); promote-image digest --help lists its options'
    ],
    // a flag misspelt on a command that exists is still suggested by name
    [
      ['copy', '--src', 'x', SRC, DST],
      'unknown option --src for copy (did you mean --src-creds?); promote-image copy --help lists its options'
    ],
    [
      ['index', 'create', SRC],
      `unknown command "index" (regctl's index create, docker buildx imagetools create; here merge)`
    ]
  ])('%j', async (argv, message) => expect(await run(argv)).toEqual(usage(message)))

  it('the credentials flags still take USER[:PASS], a password with / too', async () => {
    const { parseCommandLine } = await import('../../src/cli/args.js')
    const env = { fileExists: () => false }
    for (const creds of ['alice:pa/ss', 'robot:5000/x', 'org+robot:TOKEN/with/slashes', 'localhost'])
      expect(parseCommandLine(['copy', '--src-creds', creds, SRC, DST], env)).toMatchObject({
        command: 'copy',
        source: { registry: 'ghcr.io' }
      })
  })

  it('--referrers still takes artifact types', async () => {
    const { parseCommandLine } = await import('../../src/cli/args.js')
    const env = { fileExists: () => false }
    for (const types of [
      'application/spdx+json',
      'cosign,application/vnd.dev.cosign.artifact.sig.v1+json',
      'none'
    ])
      expect(parseCommandLine(['copy', '--referrers', types, SRC, DST], env)).toMatchObject({
        command: 'copy'
      })
  })
})

describe("a flag's value: in the words of every other flag, not parseArgs's", () => {
  it.each([
    // before: "Option '-f, --file <value>' argument missing"
    [['promote', '-f'], '-f takes a value (FILE) and none was given'],
    [
      ['plan', '-f', '--shards', '2'],
      '-f takes a value (FILE), not the option "--shards"; write --file=--shards if that is the value'
    ],
    // a one-letter group: parseArgs's message, in ours
    [['promote', '-vf'], '--file takes a value (FILE) and none was given'],
    // before: "Option '--dry-run' does not take an argument"
    [
      ['copy', '--dry-run=false', 'ghcr.io/o/a:v1', 'ghcr.io/o/b'],
      '--dry-run takes no value, not "false"; give --dry-run to turn it on, or leave it out'
    ],
    // before: "Option '--json' does not take an argument"
    [
      ['ls', '--json=false', 'ghcr.io/o/a'],
      '--json takes no value, not "false"; give --json to turn it on, or leave it out'
    ],
    // before: "Option '-v, --verbose' does not take an argument"
    [
      ['digest', '--verbose=1', 'ghcr.io/o/a:v1'],
      '--verbose takes no value, not "1"; give --verbose to turn it on, or leave it out'
    ]
  ])('%j', async (argv, message) => expect(await run(argv)).toEqual(usage(message)))
})

describe("key files: what is wrong with them, never OpenSSL's words", () => {
  let dir = ''
  const file = (name: string): string => join(dir, name)
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'usage-words-'))
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    await writeFile(file('pk.pem'), publicKey.export({ type: 'spki', format: 'pem' }))
    await writeFile(file('sk.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }))
    await writeFile(file('hostname'), 'builder-7\n')
    await writeFile(file('cut.pem'), '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n')
    const pk = publicKey.export({ type: 'spki', format: 'pem' }).toString()
    const other = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey
    // newuser (2nd pass) findings 39 and 21: a rotation's appended key, a PEM from a secret store
    await writeFile(file('two.pem'), other.export({ type: 'spki', format: 'pem' }).toString() + pk)
    await writeFile(file('literal.pem'), pk.trimEnd().split('\n').join('\\n'))
    await writeFile(file('oneline.pem'), pk.trimEnd().split('\n').join(' '))
    const sk = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    await writeFile(file('sk-literal.pem'), sk.trimEnd().split('\n').join('\\n'))
  })
  afterAll(async () => rm(dir, { recursive: true, force: true }))

  const copy = (...flags: string[]): string[] => [
    'copy',
    ...flags,
    '127.0.0.1:1/s/app:v1',
    '127.0.0.1:1/d/app:v1'
  ]

  it.each([
    // before: 'sign-key …/pk.pem: not a PEM private key (error:1E08010C:DECODER routines::unsupported)'
    [
      ['--sign-key', 'pk.pem'],
      'sign-key DIR/pk.pem: a public key; give its private key (the public key is for verify-key)'
    ],
    // the reverse mistake, as it was already said
    [
      ['--verify-key', 'sk.pem'],
      'verify-key DIR/sk.pem: a private key; give its public key (cosign public-key)'
    ],
    // before: 'verify-key …/hostname is not a PEM public key (error:1E08010C:DECODER routines::unsupported)'
    [
      ['--verify-key', 'hostname'],
      'verify-key DIR/hostname: not a PEM public key (no -----BEGIN PUBLIC KEY----- block)'
    ],
    [
      ['--verify-key', 'cut.pem'],
      'verify-key DIR/cut.pem: not a PEM public key (its -----BEGIN PUBLIC KEY----- block does not decode as a public key)'
    ],
    [
      ['--sign-key', 'hostname'],
      'sign-key DIR/hostname: not a PEM private key (no -----BEGIN PRIVATE KEY----- block)'
    ],
    // before: the first key alone was read, and an image signed by the second was refused unsaid
    [
      ['--verify-key', 'two.pem'],
      'verify-key DIR/two.pem: holds 2 PEM public keys, and only one would be read; give each as a verify-key of its own (any one of them then suffices)'
    ],
    // before: '… block does not decode as a public key', with nothing about why
    [
      ['--verify-key', 'literal.pem'],
      'verify-key DIR/literal.pem: not a PEM public key (its -----BEGIN PUBLIC KEY----- block does not decode as a public key: it holds the two characters \\n where its line breaks should be; give the PEM with real line breaks)'
    ],
    [
      ['--verify-key', 'oneline.pem'],
      'verify-key DIR/oneline.pem: not a PEM public key (its -----BEGIN PUBLIC KEY----- block does not decode as a public key: it is on one line, its line breaks lost; give the PEM with its line breaks)'
    ],
    [
      ['--sign-key', 'sk-literal.pem'],
      'sign-key DIR/sk-literal.pem: not a PEM private key (its -----BEGIN PRIVATE KEY----- block does not decode as a private key: it holds the two characters \\n where its line breaks should be; give the PEM with real line breaks)'
    ]
  ])('%j', async ([flag, name], message) => {
    expect(await run(copy(flag, file(name)))).toEqual(usage(message.replace('DIR', dir)))
  })
})

describe('verify with nothing to check is a usage error, as cosign verify without a key or identity (newuser finding 5)', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'usage-verify-'))
    await writeFile(join(dir, 'root.json'), '{}')
    await writeFile(join(dir, 'empty.yml'), `trusted-root: root.json\nchildren: true\n`)
  })
  afterAll(async () => rm(dir, { recursive: true, force: true }))
  const NOTHING =
    'verify: nothing to check; give --verify-key FILE, --certificate-identity ID or --certificate-identity-regexp RE (with --certificate-oidc-issuer URL), or --policy FILE; --records prints the promotion records alone, requiring nothing'

  // before: 'promotion records: none' on stdout and exit 0, no registry asked (127.0.0.1:1 answers nothing)
  it('verify REF', async () => {
    expect(await run(['verify', '127.0.0.1:1/s/app:v1'])).toEqual(usage(NOTHING))
  })
  it('verify --json REF, verify --trusted-root FILE REF: still nothing to check', async () => {
    expect(await run(['verify', '--json', '127.0.0.1:1/s/app:v1'])).toEqual(usage(NOTHING))
    expect(await run(['verify', '--trusted-root', join(dir, 'root.json'), '127.0.0.1:1/s/app:v1'])).toEqual(
      usage(NOTHING)
    )
  })
  it('a policy file that asks for nothing: refused naming it', async () => {
    const file = join(dir, 'empty.yml')
    expect(await run(['verify', '--policy', file, '127.0.0.1:1/s/app:v1'])).toEqual(
      usage(
        `policy ${file}: asks for nothing to check (no verify-key, identity or attestations), so every image would pass; give one of them`
      )
    )
  })
})

describe('copy with a trusted root and nothing to verify against it is refused (newuser finding 5, the gate side)', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'usage-root-'))
    await writeFile(join(dir, 'root.json'), '{}')
  })
  afterAll(async () => rm(dir, { recursive: true, force: true }))
  // before: accepted, no check made, the image promoted (127.0.0.1:1 answers nothing: refused before any request)
  it('copy --trusted-root FILE SRC DST', async () => {
    const root = join(dir, 'root.json')
    expect(
      await run(['copy', '--trusted-root', root, '127.0.0.1:1/s/app:v1', '127.0.0.1:1/d/app:v1'])
    ).toEqual(
      usage(
        `trusted-root ${root}: nothing is verified against it, so every image would pass; give verify-key, certificate-identity or certificate-identity-regexp (with certificate-oidc-issuer), or policy`
      )
    )
  })
})
