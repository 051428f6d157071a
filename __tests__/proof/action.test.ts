/**
 * The verification gate and the promotion record through the action (issue 20), on real registries:
 * inputs read through the schema; an unsigned or wrongly signed source is refused with 0 writes at
 * every target, the summary and the plan output showing each check; a signed image and a promotion
 * file are promoted with a record at the fallback-tag target and the referrers-API target, signed
 * keyless with the job's OIDC token (core.getIDToken against the ID-token endpoint stand-in) or with
 * a key given inline as from a secret; a re-run adds none; no key or token in the log, the summary
 * or an output.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { runAction, type ActionRun } from '../helpers/action.js'
import { startProxy } from '../helpers/proxy.js'
import { listTags, pushImage, randomBlob, rawManifest } from '../helpers/images.js'
import { GITHUB_ISSUER } from '../helpers/sigstore.js'
import {
  fallbackRecords,
  pemBody,
  piecesIn,
  recordBundle,
  RUN_ENV,
  startProofWorld,
  verifyRecord,
  WF,
  writesAt,
  type ProofWorld
} from './interfaces-setup.js'

let w: ProofWorld
const saved = { ...process.env }
/** A digest or `sha256-<hex>` as the summary's tables write it: `<wbr>` between 16-digit groups. */
const wbr = (text: string): string => text.replace(/[0-9a-f]{64}/g, hex => hex.match(/.{16}/g)!.join('<wbr>'))
beforeAll(async () => {
  w = await startProofWorld('a')
}, 60_000)
afterAll(async () => {
  process.env = saved
  await w?.stop()
})

/** Every run's log, summary and outputs (the secrets grep reads them), the runner's ::add-mask:: lines aside. */
const said: string[] = []
let n = 0
async function act(
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {}
): Promise<ActionRun> {
  const r = await runAction(w.dir, `run${++n}`, inputs, { ...RUN_ENV, ...env })
  said.push(
    r.log
      .split('\n')
      .filter(l => !l.startsWith('::add-mask::'))
      .join('\n'),
    r.summary,
    r.outputText
  )
  return r
}

/** Promote `image` from staging to the fallback-tag and the referrers-API targets. */
async function promoteTo(
  image: string,
  target: string,
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {}
): Promise<ActionRun & { writes: string[] }> {
  w.pd.reset()
  w.pa.reset()
  const r = await act(
    {
      source: `${w.ps.host}/a/${image}:v1`,
      targets: `${w.pd.host}/${target}\n${w.pa.host}/${target}`,
      tags: 'v1',
      ...inputs
    },
    env
  )
  return { ...r, writes: [...writesAt(w.pd), ...writesAt(w.pa)] }
}

describe('refused', () => {
  it('a trusted-root that is not JSON: failed before any request, naming the input (newuser finding 25)', async () => {
    // before: never read as JSON; the run went on (a build and its push, with one) and failed later
    // with 'found no signature'
    const notJson = join(w.dir, 'hostname')
    await writeFile(notJson, 'runner-1\n')
    const array = join(w.dir, 'array.json')
    await writeFile(array, '[]')
    w.ps.reset()
    const identity = { 'certificate-identity': WF, 'certificate-oidc-issuer': GITHUB_ISSUER }
    const r = await promoteTo('app', 'prod/badroot', { ...identity, 'trusted-root': notJson })
    const a = await promoteTo('app', 'prod/badroot', { ...identity, 'trusted-root': array })
    expect([r.failed, a.failed, r.writes, a.writes, w.ps.log.length]).toEqual([1, 1, [], [], 0])
    expect(r.log).toContain(
      `::error::trusted-root ${notJson}: not JSON, so not a Sigstore trusted root (give its trusted_root.json: from the instance's TUF repository, or cosign trusted-root create)\n`
    )
    expect(a.log).toContain(
      `::error::trusted-root ${array}: not a Sigstore trusted root (JSON, but not an object)\n`
    )
  })
  it("sign-keyless without the job's OIDC token (no permissions: id-token: write): failed before any request, naming the remedy (newuser finding 7)", async () => {
    // before: promoted and tagged v1, then '… promotion record: error retrieving identity token', and
    // the summary said v1 was still to create
    w.ps.reset()
    const r = await promoteTo(
      'app',
      'prod/nokeyless',
      { 'sign-keyless': 'true', 'fulcio-url': w.sig.url, 'rekor-url': w.sig.url },
      { ACTIONS_ID_TOKEN_REQUEST_URL: undefined, ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined }
    )
    expect([r.failed, r.writes, w.ps.log.length]).toEqual([1, [], 0])
    expect(r.log).toContain(
      '::error::sign-keyless: the job has no OIDC token to sign the record with (ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set): grant the job `permissions: id-token: write`\n'
    )
    const half = await promoteTo(
      'app',
      'prod/nokeyless',
      { 'sign-keyless': 'true', 'fulcio-url': w.sig.url, 'rekor-url': w.sig.url },
      {
        ACTIONS_ID_TOKEN_REQUEST_URL: `${w.sig.url}/actions/id-token`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: undefined
      }
    )
    expect([half.failed, half.writes]).toEqual([1, []])
    expect(half.log).toContain(
      '::error::sign-keyless: the job has no OIDC token to sign the record with (ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set): grant the job `permissions: id-token: write`\n'
    )
  })
  it('unsigned: failed, 0 writes, the summary shows the failed check and nothing written, the plan output the gate', async () => {
    const d = w.digests.unsigned
    const r = await promoteTo('unsigned', 'prod/unsigned', { 'verify-key': w.files.pub })
    expect([r.failed, r.writes]).toEqual([1, []])
    expect(r.log).toContain(
      `::error::verification of ${w.ps.host}/a/unsigned@${d} failed; nothing was written at any target:%0A  signature of ${d}: found no signature; wanted a signature over ${d} by key ${w.files.pub}`
    )
    expect(r.summary).toContain(
      'not promoted: the verification gate refused it\n\nThe source did not pass the verification checks below.\n\nNothing was written to any target.'
    )
    expect(r.summary).toContain(
      `| signature | <code>${wbr(d)}</code> | ❌ failed | no signature | a signature over ${wbr(d)} by key ${w.files.pub} |`
    )
    expect(r.summary).not.toContain('### Promotion records')
    const plan = JSON.parse(r.outputs.plan) as { gate: { passed: boolean } }
    expect(plan.gate.passed).toBe(false)
    expect(r.outputs.promoted).toBeUndefined()
  })

  it('keyless by another identity: refused naming found and wanted', async () => {
    const other = 'https://github.com/acme/app/.github/workflows/other.yml@refs/heads/main'
    const r = await promoteTo('keyless', 'prod/wrongid', {
      'certificate-identity': other,
      'certificate-oidc-issuer': GITHUB_ISSUER,
      'trusted-root': w.files.root
    })
    expect([r.failed, r.writes]).toEqual([1, []])
    expect(r.log).toContain(
      `signed by identity "${WF}" issued by "${GITHUB_ISSUER}"; wanted a signature over ${w.digests.keyless} by identity "${other}" issued by "${GITHUB_ISSUER}"`
    )
  })

  it('a trusted root with nothing to verify against it, a policy file asking for nothing: refused, nothing sent (newuser finding 5)', async () => {
    // before: the gate was silently off and the image promoted
    w.ps.reset()
    const r = await promoteTo('unsigned', 'prod/rootonly', { 'trusted-root': w.files.root })
    expect([r.failed, r.writes]).toEqual([1, []])
    expect(r.log).toContain(
      `::error::trusted-root ${w.files.root}: nothing is verified against it, so every image would pass; give verify-key, certificate-identity or certificate-identity-regexp (with certificate-oidc-issuer), or policy`
    )
    const empty = join(dirname(w.files.root), 'asks-nothing.yml')
    await writeFile(empty, 'children: true\n')
    const p = await promoteTo('unsigned', 'prod/emptypolicy', { policy: empty })
    expect([p.failed, p.writes]).toEqual([1, []])
    expect(p.log).toContain(
      `::error::policy ${empty}: asks for nothing to check (no verify-key, identity or attestations), so every image would pass; give one of them`
    )
    expect(w.ps.log.length).toBe(0)
  })

  it('an identity without its issuer: the input named, nothing sent', async () => {
    w.ps.reset()
    const r = await promoteTo('app', 'prod/x', { 'certificate-identity': WF })
    expect(r.failed).toBe(1)
    expect(r.log).toContain(
      `::error::input "certificate-identity": "${WF}" needs certificate-oidc-issuer (as cosign requires)`
    )
    expect(w.ps.log.length + r.writes.length).toBe(0)
  })
})

describe('signed: promoted, a keyless record at every target (the job OIDC token)', () => {
  let first: ActionRun & { writes: string[] }
  let token: string
  beforeAll(async () => {
    const { token: t, ...tokenEnv } = await w.sig.actionsTokenEnv({ sub: WF })
    token = t
    first = await promoteTo(
      'app',
      'prod/app',
      {
        'verify-key': w.signer.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        'sign-keyless': 'true',
        'fulcio-url': w.sig.url,
        'rekor-url': w.sig.url
      },
      tokenEnv
    )
  })

  it('promoted; the token fetched with audience sigstore and masked', () => {
    expect(first.failed).toBeUndefined()
    expect(first.outputs.digest).toBe(w.digests.app)
    expect(w.sig.requests).toContain('GET /actions/id-token')
    expect(first.log).toContain(`::add-mask::${token}\n`)
  })

  it('the summary and the plan list each check with its result and the record per target', async () => {
    const d = w.digests.app
    const [atFallback] = await fallbackRecords(w.dst.url, 'prod/app', d)
    const atApi = w.api.listed('prod/app', d).filter(x => x.artifactType?.includes('sigstore'))[0].digest
    expect(first.summary).toContain('### Verification')
    expect(first.summary).toMatch(
      new RegExp(
        `\\| signature \\| <code>${wbr(d)}</code> \\| ✅ passed \\| tag ${wbr(d.replace(':', '-'))}\\.sig layer 0: signed by key &#40;PEM given inline&#41; `
      )
    )
    expect(first.summary).toContain(
      `### Promotion records\n\n| target | record | digest | listed by |\n| --- | --- | --- | --- |\n| <code>${w.pd.host}/prod/app</code> | written | <code>${wbr(atFallback)}</code> | ${wbr(d.replace(':', '-'))} |\n| <code>${w.pa.host}/prod/app</code> | written | <code>${wbr(atApi)}</code> | referrers API |`
    )
    const plan = JSON.parse(first.outputs.plan) as {
      gate: { passed: boolean; checks: Array<{ check: string; passed: boolean }> }
      targets: Array<{ record: { action: string; digest: string } }>
    }
    expect(plan.gate.checks.map(c => [c.check, c.passed])).toEqual([['signature', true]])
    expect(plan.targets.map(t => [t.record.action, t.record.digest])).toEqual([
      ['written', atFallback],
      ['written', atApi]
    ])
  })

  it('each record verifies with @sigstore/verify as the workflow identity; its subject is the promoted digest', async () => {
    const d = w.digests.app
    const [atFallback] = await fallbackRecords(w.dst.url, 'prod/app', d)
    const atApi = w.api.listed('prod/app', d).filter(x => x.artifactType?.includes('sigstore'))[0].digest
    for (const [url, digest] of [
      [w.dst.url, atFallback],
      [w.apiReg.url, atApi]
    ]) {
      const { bundle, subject } = await recordBundle(url, 'prod/app', digest)
      expect(subject).toBe(d)
      expect(
        verifyRecord(bundle, { trustedRoot: w.sig.trustedRoot, identity: WF, issuer: GITHUB_ISSUER })
      ).toBe(`identity ${WF}`)
    }
  })

  it('a re-run of the same job adds no record and writes nothing', async () => {
    const { token: _t, ...tokenEnv } = await w.sig.actionsTokenEnv({ sub: WF })
    const again = await promoteTo(
      'app',
      'prod/app',
      {
        'verify-key': w.files.pub,
        'sign-keyless': 'true',
        'fulcio-url': w.sig.url,
        'rekor-url': w.sig.url
      },
      { ...tokenEnv, GITHUB_RUN_ATTEMPT: '2' }
    )
    expect([again.failed, again.writes]).toEqual([undefined, []])
    expect(again.summary).toContain(`| <code>${w.pd.host}/prod/app</code> | present |`)
    expect((await fallbackRecords(w.dst.url, 'prod/app', w.digests.app)).length).toBe(1)
  })

  it('a re-run that moves a tag back (moved away since, tag-policy overwrite) writes a record of its own (newuser4 finding 3)', async () => {
    // another image took v1 at the fallback-tag target after the first attempt
    const other = await pushImage(w.dst.url, 'prod/app', [randomBlob(500)], { tag: 'v1' })
    const { token: _t, ...tokenEnv } = await w.sig.actionsTokenEnv({ sub: WF })
    const back = await promoteTo(
      'app',
      'prod/app',
      {
        'verify-key': w.files.pub,
        'sign-keyless': 'true',
        'fulcio-url': w.sig.url,
        'rekor-url': w.sig.url,
        'tag-policy': 'overwrite'
      },
      { ...tokenEnv, GITHUB_RUN_ATTEMPT: '3' }
    )
    expect(back.failed).toBeUndefined()
    // before: 'present' (the first attempt's record, which lists v1 as created, not this move)
    expect(back.summary).toContain(`| <code>${w.pd.host}/prod/app</code> | written |`)
    expect(back.summary).toContain(`| <code>${w.pa.host}/prod/app</code> | present |`)
    const records = await fallbackRecords(w.dst.url, 'prod/app', w.digests.app)
    expect(records.length).toBe(2)
    const moved = await Promise.all(records.map(r => recordBundle(w.dst.url, 'prod/app', r)))
    expect(moved.map(m => m.subject)).toEqual([w.digests.app, w.digests.app])
    expect((await rawManifest(w.dst.url, 'prod/app', 'v1'))!.digest).toBe(w.digests.app)
    expect(other.digest).not.toBe(w.digests.app)
  })

  it('no piece of the token in the log, the summary or the outputs', () => {
    expect(piecesIn(said.join('\n'), token.split('.').slice(1).join('.'))).toEqual([])
  })
})

it('the record refused after the tags: the summary says the target is tagged and the record not written (newuser finding 7)', async () => {
  // before: '❌ failed | v1 to create', 'By digest, once promoted', and the record row 'write'
  const refusing = await startProxy(w.dst.url, {
    fault: req =>
      req.method === 'PUT' && /\/manifests\/sha256-[0-9a-f]{64}$/.test(req.url ?? '')
        ? { kind: 'respond', status: 403, body: '{"errors":[{"code":"DENIED","message":"no"}]}' }
        : undefined
  })
  try {
    const d = w.digests.app
    const r = await act({
      source: `${w.ps.host}/a/app:v1`,
      targets: `${refusing.host}/rec/app`,
      tags: 'v1',
      'sign-key': w.files.key
    })
    expect(r.failed).toBe(1)
    // v1 landed; no record (its `sha256-<hex>` index) did; the source's cosign tags travelled
    const tags = await listTags(w.dst.url, 'rec/app')
    expect(tags.filter(t => !/^sha256-[0-9a-f]{64}\.(sig|att)$/.test(t))).toEqual(['v1'])
    expect(r.summary).toContain(
      `| <code>${refusing.host}/rec/app</code> | ❌ tagged; the record was not written | <code>v1</code> created |`
    )
    expect(r.summary).toContain(`**Pull by digest**:\n\n\`\`\`text\n${refusing.host}/rec/app@${d}\n\`\`\``)
    expect(r.summary).toContain(
      `### Promotion records\n\n| target | record | digest | listed by |\n| --- | --- | --- | --- |\n| <code>${refusing.host}/rec/app</code> | ❌ not written |  |  |`
    )
  } finally {
    await refusing.stop()
  }
})

it('an index signed at its root: promoted', async () => {
  const r = await promoteTo('ix', 'prod/ix', { 'verify-key': w.files.pub })
  expect([r.failed, r.outputs.digest]).toEqual([undefined, w.digests.ix])
})

it('promotion-file with verify-key and sign-key (inline PEM, as from a secret): the signed image promoted with records, the unsigned refused with 0 writes for it', async () => {
  const file = join(w.dir, 'release.yaml')
  await writeFile(
    file,
    [
      'defaults:',
      `  targets: [${w.pd.host}/file, ${w.pa.host}/file]`,
      'images:',
      `  - { name: app, source: "${w.ps.host}/a/app:v1", tags: [v1] }`,
      `  - { name: unsigned, source: "${w.ps.host}/a/unsigned:v1", tags: [v1] }`
    ].join('\n')
  )
  w.pd.reset()
  w.pa.reset()
  const r = await act({ 'promotion-file': file, 'verify-key': w.files.pub, 'sign-key': w.keyPem })
  expect(r.failed).toBe(1)
  expect(JSON.parse(r.outputs.promoted).map((p: { target: string }) => p.target)).toEqual([
    `${w.pd.host}/file/app`,
    `${w.pa.host}/file/app`
  ])
  expect([...writesAt(w.pd, '/file/unsigned/'), ...writesAt(w.pa, '/file/unsigned/')]).toEqual([])
  const [rec] = await fallbackRecords(w.dst.url, 'file/app', w.digests.app)
  const { bundle, subject } = await recordBundle(w.dst.url, 'file/app', rec)
  expect([subject, verifyRecord(bundle, { publicKey: w.signer.publicKey })]).toEqual([w.digests.app, 'key'])
  expect(r.summary).toContain('### app\n\n#### Verification')
  expect(r.summary).toContain('### unsigned\n\n#### Verification')
  expect(r.summary).toContain(`| <code>${w.pd.host}/file/app</code> | written | <code>${wbr(rec)}</code> |`)
  // every line of the key was masked before anything was logged
  for (const line of w.keyPem.split('\n').filter(l => l && !l.startsWith('-----')))
    expect(r.log).toContain(`::add-mask::${line}\n`)
})

it('promotion-file keys (verify-key relative to the file, sign-key env://NAME): the signed image promoted with its record, the unsigned refused with 0 writes for it', async () => {
  const file = join(w.dir, 'keys.yaml')
  await writeFile(
    file,
    [
      'defaults:',
      `  targets: [${w.pd.host}/fk]`,
      '  verify-key: cosign.pub',
      '  sign-key: env://PROMOTE_SIGN_KEY',
      'images:',
      `  - { name: app, source: "${w.ps.host}/a/app:v1", tags: [v1] }`,
      `  - { name: unsigned, source: "${w.ps.host}/a/unsigned:v1", tags: [v1] }`
    ].join('\n')
  )
  w.pd.reset()
  const r = await act({ 'promotion-file': file }, { PROMOTE_SIGN_KEY: w.keyPem })
  expect(r.failed).toBe(1)
  expect(JSON.parse(r.outputs.promoted).map((p: { target: string }) => p.target)).toEqual([
    `${w.pd.host}/fk/app`
  ])
  expect(r.log).toContain(
    `unsigned: verification of ${w.ps.host}/a/unsigned@${w.digests.unsigned} failed; nothing was written at any target:`
  )
  expect(writesAt(w.pd, '/fk/unsigned/')).toEqual([])
  const [rec] = await fallbackRecords(w.dst.url, 'fk/app', w.digests.app)
  const { bundle, subject } = await recordBundle(w.dst.url, 'fk/app', rec)
  expect([subject, verifyRecord(bundle, { publicKey: w.signer.publicKey })]).toEqual([w.digests.app, 'key'])
  for (const line of w.keyPem.split('\n').filter(l => l && !l.startsWith('-----')))
    expect(r.log).toContain(`::add-mask::${line}\n`)

  // the file's keys and the inputs' together: refused before any request, naming the image
  w.ps.reset()
  const both = await act(
    { 'promotion-file': file, 'verify-key': w.files.pub },
    { PROMOTE_SIGN_KEY: w.keyPem }
  )
  expect(both.failed).toBe(1)
  expect(both.log).toContain(
    `::error::${file}: images[0] (name "app") has verify-key, sign-key; images[1] (name "unsigned") has verify-key, sign-key (its own or under defaults), and input verify-key was given too; the file's keys and the inputs are not mixed: give it in the file instead, under defaults for every image (an image's own keys win; paths are relative to the file), or remove the file's (from its images and defaults)`
  )
  expect(w.ps.log.length).toBe(0)
})

it('no piece of the signing key in any log, summary or output of this file', () => {
  expect(said.length).toBeGreaterThan(15)
  expect(piecesIn(said.join('\n'), pemBody(w.keyPem))).toEqual([])
})
