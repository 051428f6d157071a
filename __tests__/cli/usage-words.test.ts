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
