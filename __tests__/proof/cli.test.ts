/**
 * The verification gate and the promotion record through the CLI (issue 20), on real registries:
 * `copy`/`promote` and `promote -f` with --verify-key / --certificate-identity / --policy refuse an
 * unsigned, wrongly signed or wrongly attested source with 0 writes at every target and say what was
 * checked, found and wanted; a correctly signed image, index and promotion file are promoted (the
 * staging docker-reference notwithstanding) with a record signed by --sign-key or --sign-keyless at a
 * fallback-tag target and a referrers-API target, which @sigstore/verify accepts; a re-run adds none;
 * `verify REF` prints the checks and the records; no key or token in any output.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { runCliFromSource, type CliRun } from '../helpers/cli-source.js'
import { GITHUB_ISSUER } from '../helpers/sigstore.js'
import { listTags, pushImage, randomBlob } from '../helpers/images.js'
import { SLSA_PROVENANCE_V1 } from '../../src/proof/policy.js'
import { PROMOTION_PREDICATE_TYPE } from '../../src/proof/record.js'
import {
  BUILDER,
  fallbackRecords,
  pemBody,
  piecesIn,
  recordBundle,
  RUN_ENV,
  startProofWorld,
  statementOf,
  verifyRecord,
  WF,
  writesAt,
  type ProofWorld
} from './interfaces-setup.js'

let w: ProofWorld
beforeAll(async () => {
  w = await startProofWorld('c')
}, 60_000)
afterAll(async () => await w?.stop())

/** Every output of every CLI run of this file (the secrets grep reads them). */
const said: string[] = []
async function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const r = await runCliFromSource(args, env)
  said.push(r.stdout, r.stderr)
  return r
}

const refusal = (source: string, digest: string, line: string): string =>
  `promote-image: verification of ${source}@${digest} failed; nothing was written at any target:\n  ${line}\n`

/** copy SRC to the two targets (fallback tag, referrers API) with `flags`; the writes they saw. */
async function copyTo(
  flags: string[],
  image: string,
  target: string,
  env: Record<string, string> = {}
): Promise<CliRun & { writes: string[] }> {
  w.pd.reset()
  w.pa.reset()
  const r = await cli(
    [
      'copy',
      ...flags,
      `${w.ps.host}/c/${image}:v1`,
      `${w.pd.host}/${target}:v1`,
      `${w.pa.host}/${target}:v1`
    ],
    env
  )
  return { ...r, writes: [...writesAt(w.pd), ...writesAt(w.pa)] }
}

describe('refused before any write', () => {
  it('unsigned: exit 1, 0 writes at every target, checked / found / wanted', async () => {
    const d = w.digests.unsigned
    const r = await copyTo(['--verify-key', w.files.pub], 'unsigned', 'prod/unsigned')
    expect([r.status, r.writes, r.stdout]).toEqual([1, [], ''])
    expect(r.stderr).toContain(
      refusal(
        `${w.ps.host}/c/unsigned`,
        d,
        `signature of ${d}: found no signature; wanted a signature over ${d} by key ${w.files.pub}`
      )
    )
  })

  it('signed by another key: refused naming the key given', async () => {
    const d = w.digests.app
    const tag = d.replace(':', '-')
    const r = await copyTo(['--verify-key', w.files.otherPub], 'app', 'prod/wrongkey')
    expect([r.status, r.writes]).toEqual([1, []])
    expect(r.stderr).toContain(
      refusal(
        `${w.ps.host}/c/app`,
        d,
        `signature of ${d}: found tag ${tag}.sig layer 0: signed by none of the keys ${w.files.otherPub} (docker-reference ${w.src.host}/c/app: informational, the digest binds); wanted a signature over ${d} by key ${w.files.otherPub}`
      )
    )
  })

  it('keyless, wrong identity: refused naming the identity found and wanted', async () => {
    const d = w.digests.keyless
    const other = 'https://github.com/acme/app/.github/workflows/other.yml@refs/heads/main'
    const r = await copyTo(
      [
        '--certificate-identity',
        other,
        '--certificate-oidc-issuer',
        GITHUB_ISSUER,
        '--trusted-root',
        w.files.root
      ],
      'keyless',
      'prod/wrongid'
    )
    expect([r.status, r.writes]).toEqual([1, []])
    expect(r.stderr).toMatch(
      new RegExp(
        `found referrer sha256:[0-9a-f]{64}: signed by identity "${esc(WF)}" issued by "${esc(GITHUB_ISSUER)}"; wanted a signature over ${d} by identity "${esc(other)}" issued by "${esc(GITHUB_ISSUER)}"\n`
      )
    )
  })

  it('keyless, wrong issuer (a pattern identity): refused naming the issuer found and wanted', async () => {
    const d = w.digests.keyless
    const r = await copyTo(
      [
        '--certificate-identity-regexp',
        '^https://github\\.com/acme/',
        '--certificate-oidc-issuer',
        'https://accounts.google.com',
        '--trusted-root',
        w.files.root
      ],
      'keyless',
      'prod/wrongissuer'
    )
    expect([r.status, r.writes]).toEqual([1, []])
    expect(r.stderr).toContain(
      `issued by "${GITHUB_ISSUER}"; wanted a signature over ${d} by identity /^https://github\\.com/acme// issued by "https://accounts.google.com"\n`
    )
  })

  it('a predicate rule broken (--policy): refused naming the field, found and wanted', async () => {
    const d = w.digests.app
    const policy = join(w.dir, 'strict.yaml')
    await writeFile(
      policy,
      [
        'verify-key: cosign.pub',
        'attestations:',
        `  - predicate-type: ${SLSA_PROVENANCE_V1}`,
        '    fields:',
        '      builder.id: https://builder.example/trusted'
      ].join('\n')
    )
    const r = await copyTo(['--policy', policy], 'app', 'prod/rule')
    expect([r.status, r.writes]).toEqual([1, []])
    expect(r.stderr).toContain(
      `  attestation ${SLSA_PROVENANCE_V1} of ${d}: found tag ${d.replace(':', '-')}.att layer 0: field builder.id (runDetails.builder.id) is "${BUILDER}", wanted "https://builder.example/trusted"; wanted attestation ${SLSA_PROVENANCE_V1} about ${d} by key ${w.files.pub} with builder.id "https://builder.example/trusted"\n`
    )
  })

  it('a dry run refused by the gate prints its plan with the failed checks', async () => {
    const dry = await cli([
      'promote',
      '--dry-run',
      '--verify-key',
      w.files.otherPub,
      `${w.ps.host}/c/app:v1`,
      `${w.pd.host}/prod/dry:v1`
    ])
    expect(dry.status).toBe(1)
    const plan = JSON.parse(dry.stdout) as { gate: { passed: boolean; checks: Array<{ check: string }> } }
    expect([plan.gate.passed, plan.gate.checks.map(c => c.check)]).toEqual([false, ['signature']])
  })

  it('bad proof flags are usage errors naming the flag, before any request', async () => {
    const runs = await Promise.all([
      cli(['copy', '--certificate-identity', WF, `${w.ps.host}/c/app:v1`, `${w.pd.host}/x:v1`]),
      cli(['copy', '--verify-key', join(w.dir, 'none.pub'), `${w.ps.host}/c/app:v1`, `${w.pd.host}/x:v1`]),
      cli(['copy', '--rekor-url', w.sig.url, `${w.ps.host}/c/app:v1`, `${w.pd.host}/x:v1`]),
      cli(['copy', '--verify-key', w.files.key, `${w.ps.host}/c/app:v1`, `${w.pd.host}/x:v1`]),
      cli(['inspect', '--sign-key', w.files.key, `${w.ps.host}/c/app:v1`])
    ])
    expect(runs.map(r => [r.status, r.stderr.split('\n')[0]])).toEqual([
      [
        2,
        `promote-image: --certificate-identity "${WF}": needs --certificate-oidc-issuer (as cosign requires)`
      ],
      [2, `promote-image: --verify-key "${join(w.dir, 'none.pub')}": no such file`],
      [
        2,
        `promote-image: --rekor-url "${w.sig.url}": is used by keyless signing only: give --sign-keyless too`
      ],
      [2, `promote-image: verify-key ${w.files.key}: a private key; give its public key (cosign public-key)`],
      [2, 'promote-image: --sign-key is not an option of inspect']
    ])
  })
})

it('--sign-keyless with no OIDC token to be had (no Actions endpoint, no SIGSTORE_ID_TOKEN): exit 2, no request (newuser finding 7)', async () => {
  // before: the image was copied and v1 tagged, then 'promotion record: error retrieving identity token'
  expect([process.env.ACTIONS_ID_TOKEN_REQUEST_URL, process.env.SIGSTORE_ID_TOKEN]).toEqual([
    undefined,
    undefined
  ])
  w.ps.reset()
  const r = await copyTo(
    ['--sign-keyless', '--fulcio-url', w.sig.url, '--rekor-url', w.sig.url],
    'app',
    'prod/nokeyless'
  )
  expect([r.status, r.stderr, r.writes, w.ps.log.length]).toEqual([
    2,
    'promote-image: sign-keyless: no OIDC token to sign the record with: in GitHub Actions grant the job `permissions: id-token: write`; elsewhere set SIGSTORE_ID_TOKEN\n(promote-image --help shows the usage)\n',
    [],
    0
  ])
})

it('--trusted-root not JSON: exit 2 before any request, for copy --dry-run and verify (newuser finding 25)', async () => {
  const notJson = join(w.dir, 'hostname')
  await writeFile(notJson, 'runner-1\n')
  const words = [
    '--trusted-root',
    notJson,
    '--certificate-identity',
    WF,
    '--certificate-oidc-issuer',
    GITHUB_ISSUER
  ]
  w.ps.reset()
  const runs = await Promise.all([
    cli(['copy', '--dry-run', ...words, `${w.ps.host}/c/app:v1`, `${w.pd.host}/x:v1`]),
    cli(['verify', ...words, `${w.ps.host}/c/app:v1`])
  ])
  const message = `promote-image: trusted-root ${notJson}: not JSON, so not a Sigstore trusted root (give its trusted_root.json: from the instance's TUF repository, or cosign trusted-root create)`
  expect(runs.map(r => [r.status, r.stderr.split('\n')[0]])).toEqual([
    [2, message],
    [2, message]
  ])
  expect(w.ps.log.length).toBe(0)
})

it('a fallback tag holding an image where the record would be listed: exit 1 before any write, v1 not written (newuser finding 7)', async () => {
  // before: v1 was written, then 'promotion record: …:sha256-… holds a …, not an index'
  const d = w.digests.app
  const tag = d.replace(':', '-')
  const squatter = await pushImage(w.dst.url, 'fbt/app', [randomBlob(100)], { tag })
  const r = await copyTo(['--sign-key', w.files.key], 'app', 'fbt/app')
  expect([r.status, r.writes, await listTags(w.dst.url, 'fbt/app')]).toEqual([1, [], [tag]])
  expect(r.stderr).toContain(
    `promotion record: ${w.pd.host}/fbt/app:${tag} holds a ${squatter.mediaType}, not an index: it is not a referrers list, and promote-image will not replace it\n`
  )
})

describe('promoted, with a signed record at every target', () => {
  let first: CliRun & { writes: string[] }
  beforeAll(async () => {
    first = await copyTo(['--verify-key', w.files.pub, '--sign-key', w.files.key], 'app', 'prod/app', RUN_ENV)
  })

  it('signed with the key at staging (docker-reference staging): promoted, the checks logged', () => {
    const d = w.digests.app
    expect([first.status, first.stdout]).toEqual([0, `${d}\n`])
    expect(first.stderr).toContain(
      `verified: signature of ${d}: tag ${d.replace(':', '-')}.sig layer 0: signed by key ${w.files.pub} (docker-reference ${w.src.host}/c/app: informational, the digest binds)\n`
    )
  })

  it('the record is at the fallback-tag target and the referrers-API target, verifies, its subject the digest', async () => {
    const d = w.digests.app
    const [atFallback] = await fallbackRecords(w.dst.url, 'prod/app', d)
    const listed = w.api
      .listed('prod/app', d)
      .filter(r => r.artifactType === 'application/vnd.dev.sigstore.bundle.v0.3+json')
    expect([typeof atFallback, listed.length]).toEqual(['string', 1])
    for (const [url, digest] of [
      [w.dst.url, atFallback],
      [w.apiReg.url, listed[0].digest]
    ]) {
      const { bundle, subject } = await recordBundle(url, 'prod/app', digest)
      expect(subject).toBe(d)
      expect(verifyRecord(bundle, { publicKey: w.signer.publicKey })).toBe('key')
      const s = statementOf(bundle)
      expect(s.predicateType).toBe(PROMOTION_PREDICATE_TYPE)
      expect(s.subject.map(x => x.digest.sha256)).toEqual([d.slice(7), d.slice(7)])
      expect(s.predicate).toMatchObject({
        source: { reference: `${w.ps.host}/c/app:v1`, digest: d },
        run: { repository: 'acme/app', runId: '42', actor: 'octocat', commit: 'c0ffee' },
        verification: { passed: true }
      })
    }
  })

  it('a re-run of the same job (attempt 2) adds no record and writes nothing', async () => {
    const again = await copyTo(['--verify-key', w.files.pub, '--sign-key', w.files.key], 'app', 'prod/app', {
      ...RUN_ENV,
      GITHUB_RUN_ATTEMPT: '2'
    })
    expect([again.status, again.writes]).toEqual([0, []])
    expect((await fallbackRecords(w.dst.url, 'prod/app', w.digests.app)).length).toBe(1)
    expect(
      w.api.listed('prod/app', w.digests.app).filter(r => r.artifactType?.includes('sigstore')).length
    ).toBe(1)
  })

  it('verify REF prints the checks and the record: who, from where, to where, when, against what', async () => {
    const d = w.digests.app
    const [rec] = await fallbackRecords(w.dst.url, 'prod/app', d)
    const r = await cli(['verify', '--verify-key', w.files.pub, `${w.pd.host}/prod/app:v1`])
    const tag = d.replace(':', '-')
    const lines = r.stdout.split('\n')
    expect([r.status, lines.slice(0, 1), lines.slice(2)]).toEqual([
      0,
      [`${w.pd.host}/prod/app:v1 is ${d}`],
      [
        'promotion records: 1',
        `  record ${rec} (fallback tag): verified against key ${w.files.pub}`,
        expect.stringMatching(
          /^ {4}promoted \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z by octocat in acme\/app run 42 attempt 1 \(workflow release, commit c0ffee\)$/
        ),
        `    from ${w.ps.host}/c/app:v1 (${d})`,
        `    to ${w.pd.host}/prod/app: v1 create`,
        `    to ${w.pa.host}/prod/app: v1 create`,
        `    gate: passed (signature ok)`,
        ''
      ]
    ])
    expect(lines[1]).toMatch(
      new RegExp(
        `^verified: signature of ${d}: found tag ${tag}\\.sig layer 0: signed by key ${esc(w.files.pub)}`
      )
    )
  })

  it('verify --records with no key: exit 0, the key-signed record listed as not checked, saying how to check it (newuser finding 21)', async () => {
    const d = w.digests.app
    const [rec] = await fallbackRecords(w.dst.url, 'prod/app', d)
    const r = await cli(['verify', '--records', `${w.pd.host}/prod/app:v1`])
    const lines = r.stdout.split('\n')
    expect([r.status, lines.slice(0, 3)]).toEqual([
      0,
      [
        `${w.pd.host}/prod/app:v1 is ${d}`,
        'promotion records: 1',
        `  record ${rec} (fallback tag): not checked: signed with a key, and no public key was given to check it against (give --verify-key FILE to check it; with --records, the records alone are checked)`
      ]
    ])
    expect(r.stdout).not.toContain('NOT verified')
  })

  it('verify --records --verify-key on an image that is not signed: the record alone is checked, exit 0 (newuser6 #5)', async () => {
    // the record signed with --sign-key, the image itself carrying no cosign signature
    const copied = await copyTo(['--sign-key', w.files.key], 'unsigned', 'rec/unsigned')
    expect(copied.status).toBe(0)
    const d = w.digests.unsigned
    const [rec] = await fallbackRecords(w.dst.url, 'rec/unsigned', d)
    const ref = `${w.pd.host}/rec/unsigned:v1`
    const bare = await cli(['verify', '--records', ref])
    expect(bare.stdout.split('\n').slice(0, 3)).toEqual([
      `${ref} is ${d}`,
      'promotion records: 1',
      `  record ${rec} (fallback tag): not checked: signed with a key, and no public key was given to check it against (give --verify-key FILE to check it; with --records, the records alone are checked)`
    ])
    // the advice followed; before: 'NOT verified: signature of …', exit 1
    const r = await cli(['verify', '--records', '--verify-key', w.files.pub, ref])
    expect([r.status, r.stderr, r.stdout.split('\n').slice(0, 3)]).toEqual([
      0,
      '',
      [
        `${ref} is ${d}`,
        'promotion records: 1',
        `  record ${rec} (fallback tag): verified against key ${w.files.pub}`
      ]
    ])
    // another key: the record does not verify, exit 1, still no gate line
    const other = await cli(['verify', '--records', '--verify-key', w.files.otherPub, ref])
    expect([other.status, other.stdout.split('\n').slice(0, 3)]).toEqual([
      1,
      [
        `${ref} is ${d}`,
        'promotion records: 1',
        `  record ${rec} (fallback tag): NOT verified: signed by none of the keys ${w.files.otherPub}`
      ]
    ])
    // without --records the gate still requires the image's signature
    const gated = await cli(['verify', '--verify-key', w.files.pub, ref])
    expect([gated.status, gated.stdout.split('\n')[1]]).toEqual([
      1,
      `NOT verified: signature of ${d}: found referrer ${rec}: a promotion record (${PROMOTION_PREDICATE_TYPE}), signed by key ${w.files.pub}, which is not a signature of the image; wanted a signature over ${d} by key ${w.files.pub}`
    ])
  })

  it('verify --records --verify-key on an unsigned image never promoted: exit 1, no record to check (review6 #2)', async () => {
    // before: 'promotion records: none', exit 0 (the gate dropped, every() of no record true)
    const d = w.digests.unsigned
    const ref = `${w.ps.host}/c/unsigned:v1`
    const r = await cli(['verify', '--records', '--verify-key', w.files.pub, ref])
    expect([r.status, r.stderr, r.stdout]).toEqual([
      1,
      '',
      [
        `${ref} is ${d}`,
        'promotion records: none',
        `NOT verified: no promotion record of ${d} to check against key ${w.files.pub}`,
        ''
      ].join('\n')
    ])
    // bare --records requires nothing: exit 0 with none
    const bare = await cli(['verify', '--records', ref])
    expect([bare.status, bare.stdout]).toEqual([0, `${ref} is ${d}\npromotion records: none\n`])
    // a policy's gate requirements are not dropped under --records: refused naming both
    const policy = join(w.dir, 'records-attested.yaml')
    await writeFile(
      policy,
      ['verify-key: cosign.pub', 'attestations:', `  - predicate-type: ${SLSA_PROVENANCE_V1}`].join('\n')
    )
    const gated = await cli(['verify', '--records', '--policy', policy, ref])
    expect([gated.status, gated.stdout, gated.stderr]).toEqual([
      2,
      '',
      `promote-image: verify: --records checks the promotion records alone, and --policy ${policy} requires attestations (${SLSA_PROVENANCE_V1}) of the image, which only the gate checks: drop --records to run the policy's gate (verify prints the records too)\n(promote-image --help shows the usage)\n`
    ])
  })

  it('verify with another key: exit 1, NOT verified, the record not verified', async () => {
    const r = await cli(['verify', '--verify-key', w.files.otherPub, `${w.pa.host}/prod/app:v1`])
    expect(r.status).toBe(1)
    expect(r.stdout).toContain(`NOT verified: signature of ${w.digests.app}: found `)
    expect(r.stdout).toContain('(referrers API): NOT verified: signed by none of the keys')
  })
})

it('an index signed at its root: promoted', async () => {
  const r = await copyTo(['--verify-key', w.files.pub], 'ix', 'prod/ix')
  expect([r.status, r.stdout]).toEqual([0, `${w.digests.ix}\n`])
})

it('keyless record (--sign-keyless, the CI token from the Actions endpoint stand-in): verifies as the workflow identity', async () => {
  const { token, ...tokenEnv } = await w.sig.actionsTokenEnv({ sub: WF })
  const r = await copyTo(
    ['--verify-key', w.files.pub, '--sign-keyless', '--fulcio-url', w.sig.url, '--rekor-url', w.sig.url],
    'app',
    'prod/keyless-record',
    { ...RUN_ENV, ...tokenEnv }
  )
  expect([r.status, r.stdout]).toEqual([0, `${w.digests.app}\n`])
  const listed = w.api
    .listed('prod/keyless-record', w.digests.app)
    .filter(x => x.artifactType?.includes('sigstore'))
  const { bundle, subject } = await recordBundle(w.apiReg.url, 'prod/keyless-record', listed[0].digest)
  expect(subject).toBe(w.digests.app)
  expect(verifyRecord(bundle, { trustedRoot: w.sig.trustedRoot, identity: WF, issuer: GITHUB_ISSUER })).toBe(
    `identity ${WF}`
  )
  expect(piecesIn(said.join('\n'), token.split('.').slice(1).join('.'))).toEqual([])
})

describe('offline: the public-good trusted root cannot be fetched (newuser4 finding 9)', () => {
  // TUF reaches https://tuf-repo-cdn.sigstore.dev through the proxy the environment names: a closed
  // loopback port (a blocked egress), so nothing leaves the machine; the TUF cache starts empty
  let offline: Record<string, string>
  let port: number
  beforeAll(async () => {
    port = await new Promise<number>(resolve => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo
        server.close(() => resolve(port))
      })
    })
    offline = { https_proxy: `http://127.0.0.1:${port}`, XDG_DATA_HOME: await mkdtemp(join(w.dir, 'xdg-')) }
  })
  const unavailable = () =>
    `the Sigstore public-good trusted root could not be fetched through TUF from https://tuf-repo-cdn\\.sigstore\\.dev \\(error refreshing TUF metadata: request to https://tuf-repo-cdn\\.sigstore\\.dev/\\d+\\.root\\.json failed, reason: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}\\): ` +
    esc(
      'let this machine reach it, or give a trusted_root.json as trusted-root (the CLI: --trusted-root FILE), as for a private instance or offline'
    )

  it('verify --records: the keyless record listed as not checked, saying why and the way out; exit 0 (it aborted: "error refreshing TUF metadata")', async () => {
    const d = w.digests.app
    const [rec] = w.api.listed('prod/keyless-record', d).filter(x => x.artifactType?.includes('sigstore'))
    const ref = `${w.pa.host}/prod/keyless-record:v1`
    const r = await cli(['verify', '--records', ref], offline)
    const lines = r.stdout.split('\n')
    expect([r.status, r.stderr, lines.slice(0, 2)]).toEqual([
      0,
      '',
      [`${ref} is ${d}`, 'promotion records: 1']
    ])
    expect(lines[2]).toMatch(
      new RegExp(
        `^  record ${rec.digest} \\(referrers API\\): not checked: a keyless record, and ${unavailable()}$`
      )
    )
    expect(lines[3]).toMatch(/^ {4}promoted \S+ by /)
    // following the advice: verified against the trusted root given
    const given = await cli(['verify', '--records', '--trusted-root', w.files.root, ref], offline)
    expect([given.status, given.stdout.split('\n')[2]]).toEqual([
      0,
      `  record ${rec.digest} (referrers API): verified against trusted root ${w.files.root}`
    ])
  })

  it('the keyless gate: NOT verified, the bundle named as not checked and why; exit 1', async () => {
    const d = w.digests.keyless
    const ref = `${w.ps.host}/c/keyless:v1`
    const id = ['--certificate-identity', WF, '--certificate-oidc-issuer', GITHUB_ISSUER]
    const r = await cli(['verify', ...id, ref], offline)
    expect([r.status, r.stderr]).toEqual([1, ''])
    expect(r.stdout.split('\n')[1]).toMatch(
      new RegExp(
        `^NOT verified: signature of ${d}: found referrer sha256:[0-9a-f]{64}: not checked: ${unavailable()}; wanted a signature over ${d} by identity "${esc(WF)}" issued by "${esc(GITHUB_ISSUER)}"$`
      )
    )
    const given = await cli(['verify', ...id, '--trusted-root', w.files.root, ref], offline)
    expect([given.status, given.stdout.split('\n')[1]]).toEqual([
      0,
      expect.stringMatching(
        new RegExp(
          `^verified: signature of ${d}: found referrer sha256:[0-9a-f]{64}: signed by identity "${esc(WF)}"`
        )
      )
    ])
  })
})

it('promote -f: the signed image promoted with its record, the unsigned one refused alone with 0 writes for it', async () => {
  const file = join(w.dir, 'release.yaml')
  await writeFile(
    file,
    [
      'defaults:',
      `  targets: [${w.pd.host}/file]`,
      'images:',
      `  - { name: app, source: "${w.ps.host}/c/app:v1", tags: [v1] }`,
      `  - { name: unsigned, source: "${w.ps.host}/c/unsigned:v1", tags: [v1] }`
    ].join('\n')
  )
  w.pd.reset()
  const r = await cli(
    ['promote', '-f', file, '--verify-key', w.files.pub, '--sign-key', w.files.key],
    RUN_ENV
  )
  expect([r.status, r.stdout]).toEqual([1, `app ${w.digests.app}\n`])
  expect(r.stderr).toContain(
    `  unsigned: verification of ${w.ps.host}/c/unsigned@${w.digests.unsigned} failed; nothing was written at any target:`
  )
  expect(writesAt(w.pd, '/file/unsigned/')).toEqual([])
  expect((await fallbackRecords(w.dst.url, 'file/app', w.digests.app)).length).toBe(1)
})

it('promote -f --json with the keys in the file (relative verify-key, sign-key env://NAME): gate and records per image', async () => {
  const file = join(w.dir, 'keys.yaml')
  await writeFile(
    file,
    [
      'defaults:',
      `  targets: [${w.pd.host}/fk]`,
      '  verify-key: cosign.pub',
      '  sign-key: env://RECORD_KEY',
      'images:',
      `  - { name: app, source: "${w.ps.host}/c/app:v1", tags: [v1] }`,
      `  - { name: unsigned, source: "${w.ps.host}/c/unsigned:v1", tags: [v1] }`
    ].join('\n')
  )
  w.pd.reset()
  const r = await cli(['promote', '-f', file, '--json'], { ...RUN_ENV, RECORD_KEY: w.keyPem })
  const images = JSON.parse(r.stdout) as Array<{
    name: string
    gate?: { passed: boolean }
    records?: Array<{ action: string; listedBy: string }>
  }>
  expect(r.status).toBe(1)
  expect(images.map(i => [i.name, i.gate?.passed, i.records?.map(x => [x.action, x.listedBy])])).toEqual([
    ['app', true, [['written', w.digests.app.replace(':', '-')]]],
    ['unsigned', false, undefined]
  ])
  expect(writesAt(w.pd, '/fk/unsigned/')).toEqual([])
  const both = await cli(['promote', '-f', file, '--verify-key', w.files.pub], { RECORD_KEY: w.keyPem })
  expect([both.status, both.stderr]).toEqual([
    2,
    `promote-image: ${file}: images[0] (name "app") has verify-key, sign-key; images[1] (name "unsigned") has verify-key, sign-key (its own or under defaults), and --verify-key was given too; the file's keys and the options are not mixed: give it in the file instead, under defaults for every image (an image's own keys win; paths are relative to the file), or remove the file's (from its images and defaults)\n(promote-image --help shows the usage)\n`
  ])
})

it('copy --sign-key of an unsigned image does not make it signed: verify --verify-key exits 1 and the next hop is refused with 0 writes (newuser4 finding 2)', async () => {
  const d = w.digests.unsigned
  const first = await cli(
    ['copy', '--sign-key', w.files.key, `${w.ps.host}/c/unsigned:v1`, `${w.pd.host}/launder/unsigned:v1`],
    RUN_ENV
  )
  expect([first.status, first.stdout]).toEqual([0, `${d}\n`])
  const [rec] = await fallbackRecords(w.dst.url, 'launder/unsigned', d)
  const found = `found referrer ${rec}: a promotion record (${PROMOTION_PREDICATE_TYPE}), signed by key ${w.files.pub}, which is not a signature of the image; wanted a signature over ${d} by key ${w.files.pub}`
  const v = await cli(['verify', '--verify-key', w.files.pub, `${w.pd.host}/launder/unsigned:v1`])
  expect([v.status, v.stdout.split('\n').slice(0, 2)]).toEqual([
    1,
    [`${w.pd.host}/launder/unsigned:v1 is ${d}`, `NOT verified: signature of ${d}: ${found}`]
  ])
  w.pd.reset()
  const next = await cli([
    'copy',
    '--verify-key',
    w.files.pub,
    `${w.pd.host}/launder/unsigned:v1`,
    `${w.pd.host}/dr/unsigned:v1`
  ])
  expect([next.status, writesAt(w.pd)]).toEqual([1, []])
  expect(next.stderr).toContain(refusal(`${w.pd.host}/launder/unsigned`, d, `signature of ${d}: ${found}`))
})

it('no key, passphrase or token in any output of this file', () => {
  const text = said.join('\n')
  expect(said.length).toBeGreaterThan(20)
  expect(piecesIn(text, pemBody(w.keyPem))).toEqual([])
})

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}
