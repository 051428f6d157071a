/**
 * The signed promotion record on real registries: stored as a Sigstore bundle referrer at a target
 * without a referrers API (distribution 2.8: the fallback tag) and at one with it (our stand-in in
 * front of distribution), verified with @sigstore/verify against the keys or trust root used, its
 * subject the promoted digest; a re-run of the same job adds none, a new run adds its own.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
/* eslint-disable @typescript-eslint/no-explicit-any -- registry JSON read in assertions */
import { generateKeyPairSync } from 'node:crypto'
import { request } from 'undici'
import { bundleFromJSON } from '@sigstore/bundle'
import { TrustedRoot } from '@sigstore/protobuf-specs'
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify'
import { createRegistryClient } from '../../src/registry/factory.js'
import {
  promote,
  standingAfter,
  type PromoteError,
  type PromoteOptions,
  type PromotePlan,
  type PromoteResult
} from '../../src/copy/promote.js'
import { summaryMarkdown } from '../../src/report/summary.js'
import {
  PROMOTION_PREDICATE_TYPE,
  RECORD_IDENTITY,
  recordManifest,
  writeRecord,
  type RecordRun
} from '../../src/proof/record.js'
import { KeylessSigner, type SigningMethod } from '../../src/proof/sigstore.js'
import { X509Certificate } from 'node:crypto'
import { createServer, type AddressInfo } from 'node:net'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { startReferrersApi, type ReferrersApi } from '../helpers/referrers-api.js'
import { pushImage, randomBlob, rawManifest, type SeededImage } from '../helpers/images.js'
import { GITHUB_ISSUER, startSigstore, type MockSigstore } from '../helpers/sigstore.js'
import { startRegistries } from '../copy/setup.js'
import { runVerify, type VerifyCommand } from '../../src/cli/verify.js'
import type { EngineOptions } from '../../src/options.js'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const WF = 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main'
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json'
const NOW = Date.parse('2026-12-06T08:00:00.000Z')
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
const run42: RecordRun = {
  identity: 'https://github.com/acme/app/actions/runs/42/job/release',
  repository: 'acme/app',
  workflow: 'release',
  runId: '42',
  runAttempt: '1',
  job: 'release',
  commit: 'c0ffee',
  actor: 'octocat',
  serverUrl: 'https://github.com'
}

let src: TestRegistry, dst: TestRegistry, apiReg: TestRegistry
let api: ReferrersApi
let ps: Proxy, pd: Proxy, pa: Proxy
let sig: MockSigstore

beforeAll(async () => {
  ;[src, dst, apiReg] = await startRegistries(3)
  api = await startReferrersApi(apiReg.url)
  ;[ps, pd, pa, sig] = await Promise.all([
    startProxy(src.url),
    startProxy(dst.url),
    startProxy(api.url),
    startSigstore()
  ])
})
afterAll(async () => {
  await Promise.all([ps?.stop(), pd?.stop(), pa?.stop(), sig?.stop(), api?.stop()])
  await Promise.all([src, dst, apiReg].map(r => r?.stop()))
})

/** Every line the engine logged, in every run of this file (the secrets grep reads them). */
const logged: string[] = []
const logger = {
  debug: (m: string) => void logged.push(m),
  info: (m: string) => void logged.push(m),
  warning: (m: string) => void logged.push(m)
}

async function promoteWith(
  repo: string,
  signing: SigningMethod,
  runInfo: RecordRun | undefined,
  dryRun = false,
  onPlan?: PromoteOptions['onPlan']
): Promise<PromoteResult> {
  const client = createRegistryClient({ logger, onRequest: e => logged.push(JSON.stringify(e)) })
  const options: PromoteOptions = {
    source: { registry: ps.host, repository: repo, reference: 'v1' },
    targets: [
      { repo: { registry: pd.host, repository: `prod/${repo}` }, tags: ['v1', 'latest'] },
      { repo: { registry: pa.host, repository: `prod/${repo}` }, tags: ['v1'] }
    ],
    record: { signing, ...(runInfo ? { run: runInfo } : {}), version: '0.1.0', now: () => NOW },
    logger,
    dryRun,
    ...(onPlan ? { onPlan } : {})
  }
  try {
    return await promote(client, options)
  } finally {
    await client.close()
  }
}

async function blob(url: string, repo: string, digest: string): Promise<Buffer> {
  const res = await request(`${url}/v2/${repo}/blobs/${digest}`)
  return Buffer.from(await res.body.arrayBuffer())
}

/** The bundle of record manifest `digest` at `url`/`repo`, and the manifest. */
async function recordAt(
  url: string,
  repo: string,
  digest: string
): Promise<{ manifest: Record<string, any>; bundle: Buffer }> {
  const m = JSON.parse(
    ((await rawManifest(url, repo, digest))?.bytes ?? Buffer.from('{}')).toString()
  ) as Record<string, any>
  return { manifest: m, bundle: await blob(url, repo, m.layers[0].digest) }
}

const statementOf = (bundle: Buffer): Record<string, any> =>
  JSON.parse(Buffer.from(JSON.parse(bundle.toString()).dsseEnvelope.payload, 'base64').toString()) as Record<
    string,
    any
  >

describe('a record signed with a key', () => {
  let image: SeededImage
  let first: PromoteResult
  beforeAll(async () => {
    image = await pushImage(src.url, 'rk/app', [randomBlob(1500)], { tag: 'v1' })
    first = await promoteWith('rk/app', { kind: 'key', key: privateKey }, run42)
  })

  it('is written at the fallback-tag target and at the referrers-API target', () => {
    const tag = image.digest.replace(':', '-')
    expect(first.records?.map(r => [r.target, r.action, r.listedBy])).toEqual([
      [`${pd.host}/prod/rk/app`, 'written', tag],
      [`${pa.host}/prod/rk/app`, 'written', 'referrers API']
    ])
    expect(first.plan.targets.map(t => t.record?.action)).toEqual(['written', 'written'])
  })

  it('is listed by the fallback index and by the API, with its identity annotation', async () => {
    const tag = image.digest.replace(':', '-')
    const index = JSON.parse(
      ((await rawManifest(dst.url, 'prod/rk/app', tag))?.bytes ?? Buffer.from('{}')).toString()
    ) as {
      manifests: Array<Record<string, any>>
    }
    expect(index.manifests.map(m => [m.digest, m.artifactType, m.annotations[RECORD_IDENTITY]])).toEqual([
      [first.records?.[0].digest, BUNDLE, run42.identity]
    ])
    expect(
      api
        .listed('prod/rk/app', image.digest)
        .map(m => [m.digest, m.artifactType, m.annotations?.[RECORD_IDENTITY]])
    ).toEqual([[first.records?.[1].digest, BUNDLE, run42.identity]])
  })

  it('verifies with @sigstore/verify against its public key; the subject is the promoted digest', async () => {
    const { manifest, bundle } = await recordAt(dst.url, 'prod/rk/app', first.records?.[0].digest as string)
    expect(manifest.subject).toEqual({
      mediaType: image.mediaType,
      digest: image.digest,
      size: image.bytes.length
    })
    expect(manifest.artifactType).toBe(BUNDLE)
    const material = {
      ...toTrustMaterial(
        TrustedRoot.fromJSON({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1' })
      ),
      publicKey: () => ({ publicKey, validFor: () => true })
    }
    const signer = new Verifier(material, {
      tlogThreshold: 0,
      ctlogThreshold: 0,
      timestampThreshold: 0
    }).verify(toSignedEntity(bundleFromJSON(JSON.parse(bundle.toString()))))
    expect(signer.key.equals(publicKey)).toBe(true)
    const s = statementOf(bundle)
    expect(s.subject).toEqual([
      { name: `${pd.host}/prod/rk/app`, digest: { sha256: image.digest.slice(7) } },
      { name: `${pa.host}/prod/rk/app`, digest: { sha256: image.digest.slice(7) } }
    ])
    expect(s.predicateType).toBe(PROMOTION_PREDICATE_TYPE)
    expect(s.predicate).toEqual({
      source: { reference: `${ps.host}/rk/app:v1`, digest: image.digest, mediaType: image.mediaType },
      targets: [
        {
          repository: `${pd.host}/prod/rk/app`,
          tags: [
            { tag: 'v1', action: 'create' },
            { tag: 'latest', action: 'create' }
          ]
        },
        { repository: `${pa.host}/prod/rk/app`, tags: [{ tag: 'v1', action: 'create' }] }
      ],
      tagPolicy: { policy: 'immutable', movingTags: ['latest', 'edge'] },
      run: {
        repository: 'acme/app',
        workflow: 'release',
        runId: '42',
        runAttempt: '1',
        job: 'release',
        commit: 'c0ffee',
        actor: 'octocat',
        serverUrl: 'https://github.com'
      },
      promotedAt: '2026-12-06T08:00:00.000Z',
      tool: { name: 'promote-image', version: '0.1.0' }
    })
  })

  it('a re-run of the same job (attempt 2) adds none and writes nothing', async () => {
    pd.reset()
    pa.reset()
    const again = await promoteWith('rk/app', { kind: 'key', key: privateKey }, { ...run42, runAttempt: '2' })
    expect(again.records?.map(r => [r.action, r.digest])).toEqual(
      first.records?.map(r => ['present', r.digest])
    )
    const writes = [...pd.log, ...pa.log].filter(e => e.method !== 'GET' && e.method !== 'HEAD')
    expect(writes.length).toBe(0)
  })

  it('verify REF prints the record: who, from where, to where, when, verified against the key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pi-verify-'))
    const keyFile = join(dir, 'cosign.pub')
    await writeFile(keyFile, publicKey.export({ type: 'spki', format: 'pem' }))
    const options: EngineOptions = {
      insecureRegistries: [],
      registryKinds: {},
      tagPolicy: 'immutable',
      movingTags: [],
      uploadMode: 'monolithic'
    }
    const out: string[] = []
    const io = {
      out: (t: string) => void out.push(t),
      log: { debug: () => {}, info: () => {}, warning: () => {} }
    }
    const cmd: VerifyCommand = {
      command: 'verify',
      reference: { registry: dst.host, repository: 'prod/rk/app', tag: 'v1' },
      options,
      verify: { verifyKey: [keyFile] },
      json: false,
      verbose: false
    }
    // the record, signed by that key over the digest, is not a signature of the image, which
    // nobody signed (newuser4 finding 2): exit 1, the record listed and verified all the same
    expect(await runVerify(cmd, io)).toBe(1)
    expect(out.join('').split('\n')).toEqual([
      `${dst.host}/prod/rk/app:v1 is ${image.digest}`,
      `NOT verified: signature of ${image.digest}: found referrer ${first.records?.[0].digest}: a promotion record (${PROMOTION_PREDICATE_TYPE}), signed by key ${keyFile}, which is not a signature of the image; wanted a signature over ${image.digest} by key ${keyFile}`,
      'promotion records: 1',
      `  record ${first.records?.[0].digest} (fallback tag): verified against key ${keyFile}`,
      '    promoted 2026-12-06T08:00:00.000Z by octocat in acme/app run 42 attempt 1 (workflow release, commit c0ffee)',
      `    from ${ps.host}/rk/app:v1 (${image.digest})`,
      `    to ${pd.host}/prod/rk/app: v1 create, latest create`,
      `    to ${pa.host}/prod/rk/app: v1 create`,
      ''
    ])
  })

  it('the next hop gated by the same key refuses the image: its record is no signature, nothing written (newuser4 finding 2)', async () => {
    const before = pa.log.length
    const client = createRegistryClient({ logger })
    const options: PromoteOptions = {
      source: { registry: pd.host, repository: 'prod/rk/app', reference: 'v1' },
      targets: [{ repo: { registry: pa.host, repository: 'next/rk/app' }, tags: ['v1'] }],
      verify: {
        keys: [{ name: 'cosign.pub', key: publicKey }],
        identities: [],
        attestations: [],
        scope: 'root'
      },
      logger
    }
    const failed = await promote(client, options).then(
      () => 'promoted',
      (e: Error) => e.message
    )
    await client.close()
    expect(failed).toBe(
      `verification of ${pd.host}/prod/rk/app@${image.digest} failed; nothing was written at any target:\n` +
        `  signature of ${image.digest}: found referrer ${first.records?.[0].digest}: a promotion record (${PROMOTION_PREDICATE_TYPE}), signed by key cosign.pub, which is not a signature of the image; wanted a signature over ${image.digest} by key cosign.pub`
    )
    expect(pa.log.slice(before).filter(e => e.method !== 'GET' && e.method !== 'HEAD')).toEqual([])
  })

  it('a dry run plans the record: present for this job, write for a new run; nothing written', async () => {
    pd.reset()
    pa.reset()
    const same = await promoteWith('rk/app', { kind: 'key', key: privateKey }, run42, true)
    expect(same.plan.targets.map(t => t.record)).toEqual([
      { action: 'present', digest: first.records?.[0].digest, listedBy: image.digest.replace(':', '-') },
      { action: 'present', digest: first.records?.[1].digest, listedBy: 'referrers API' }
    ])
    const other = await promoteWith(
      'rk/app',
      { kind: 'key', key: privateKey },
      { ...run42, identity: 'x' },
      true
    )
    expect(other.plan.targets.map(t => t.record?.action)).toEqual(['write', 'write'])
    expect([...pd.log, ...pa.log].filter(e => e.method !== 'GET' && e.method !== 'HEAD').length).toBe(0)
  })

  it('a new run adds its own', async () => {
    const next = await promoteWith(
      'rk/app',
      { kind: 'key', key: privateKey },
      { ...run42, identity: 'https://github.com/acme/app/actions/runs/43/job/release', runId: '43' }
    )
    expect(next.records?.map(r => r.action)).toEqual(['written', 'written'])
    const tag = image.digest.replace(':', '-')
    const index = JSON.parse(
      ((await rawManifest(dst.url, 'prod/rk/app', tag))?.bytes ?? Buffer.from('{}')).toString()
    ) as {
      manifests: Array<{ digest: string }>
    }
    expect(index.manifests.map(m => m.digest)).toEqual([first.records?.[0].digest, next.records?.[0].digest])
    expect(api.listed('prod/rk/app', image.digest).length).toBe(2)
  })
})

describe('a fallback tag that holds an image (a write raced in after the look)', () => {
  it('writeRecord refuses it with the one wording (notAReferrersList) and leaves the tag as it was', async () => {
    // before: `…:sha256-… holds a …, not an index: it is not a referrers list` (no step, no "will not replace")
    const image = await pushImage(dst.url, 'rq/app', [randomBlob(300)], { tag: 'v1' })
    const tag = image.digest.replace(':', '-')
    const squatter = await pushImage(dst.url, 'rq/app', [randomBlob(200)], { tag })
    const bundle = Buffer.from('{"bundle":"stand-in"}')
    const subject = { mediaType: image.mediaType, digest: image.digest, size: image.bytes.length }
    const record = recordManifest(bundle, subject, 'rq-identity', '2026-12-07T00:00:00Z')
    const client = createRegistryClient({ logger })
    try {
      await expect(
        writeRecord(client, { registry: pd.host, repository: 'rq/app' }, record, bundle, false)
      ).rejects.toThrow(
        new Error(
          `promotion record: ${pd.host}/rq/app:${tag} holds a ${squatter.mediaType}, not an index: it is not a referrers list, and promote-image will not replace it`
        )
      )
    } finally {
      await client.close()
    }
    expect((await rawManifest(dst.url, 'rq/app', tag))?.digest).toBe(squatter.digest)
  })
})

describe('a keyless record (Fulcio + Rekor stand-ins, a GitHub-shaped OIDC token)', () => {
  it('verifies with @sigstore/verify against the trust root used, with the workflow identity', async () => {
    const image = await pushImage(src.url, 'rl/app', [randomBlob(1000)], { tag: 'v1' })
    const token = await sig.token({ sub: WF })
    const result = await promoteWith(
      'rl/app',
      {
        kind: 'keyless',
        token: async () => token,
        fulcioURL: sig.url,
        rekorURL: sig.url,
        rekorEntryType: 'intoto',
        tsaURL: sig.url
      },
      undefined
    )
    expect(result.records?.map(r => [r.action, r.listedBy])).toEqual([
      ['written', image.digest.replace(':', '-')],
      ['written', 'referrers API']
    ])
    expect(result.plan.targets.map(t => t.record?.action)).toEqual(['written', 'written'])
    const { bundle } = await recordAt(apiReg.url, 'prod/rl/app', result.records?.[1].digest as string)
    const trust = toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(sig.trustedRoot)))
    const signer = new Verifier(trust).verify(toSignedEntity(bundleFromJSON(JSON.parse(bundle.toString()))), {
      subjectAlternativeName: WF,
      extensions: { issuer: GITHUB_ISSUER }
    })
    expect(signer.identity?.subjectAlternativeName).toBe(WF)
    expect(statementOf(bundle).subject[0].digest).toEqual({ sha256: image.digest.slice(7) })
    // no CI run: the identity is the digest with the target and its tags; a re-run adds none
    const again = await promoteWith(
      'rl/app',
      {
        kind: 'keyless',
        token: async () => token,
        fulcioURL: sig.url,
        rekorURL: sig.url,
        rekorEntryType: 'intoto'
      },
      undefined
    )
    expect(again.records?.map(r => r.action)).toEqual(['present', 'present'])
    // secrets: the OIDC token and the private key never in a log line, the result or the plan
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
    const keyBody = pem.split('\n')[1]
    const said = [...logged, JSON.stringify(result), JSON.stringify(again)].join('\n')
    expect(logged.length).toBeGreaterThan(10)
    expect([said.includes(token), said.includes(token.split('.')[1]), said.includes(keyBody)]).toEqual([
      false,
      false,
      false
    ])
  })
})

describe('sign-keyless when Fulcio or Rekor cannot be reached (newuser4 finding 10)', () => {
  /** A loopback port nothing listens on. */
  const closedPort = (): Promise<number> =>
    new Promise(resolve => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo
        server.close(() => resolve(port))
      })
    })
  const keyless = (
    fulcioURL: string,
    rekorURL: string,
    token: string
  ): Extract<SigningMethod, { kind: 'keyless' }> => ({
    kind: 'keyless',
    token: async () => token,
    fulcioURL,
    rekorURL,
    rekorEntryType: 'intoto'
  })
  const writes = (): string[] =>
    [...pd.log, ...pa.log]
      .filter(e => e.method !== 'GET' && e.method !== 'HEAD')
      .map(e => `${e.method} ${e.path}`)

  it('Fulcio unreachable: refused before any write, naming Fulcio, its URL and the cause (before: failed after the tags); the summary says nothing written (newuser5 N7: unknown)', async () => {
    await pushImage(src.url, 'kf/app', [randomBlob(900)], { tag: 'v1' })
    const port = await closedPort()
    const fulcio = `http://127.0.0.1:${port}`
    pd.reset()
    pa.reset()
    let plan: PromotePlan | undefined
    const error = await promoteWith(
      'kf/app',
      keyless(fulcio, sig.url, await sig.token({ sub: WF })),
      run42,
      false,
      p => void (plan = p)
    ).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    expect(error?.message).toBe(
      `promotion record: Fulcio ${fulcio} could not issue a signing certificate (request to ${fulcio}/api/v2/signingCert failed, reason: connect ECONNREFUSED 127.0.0.1:${port}); nothing was written at any target`
    )
    expect(writes()).toEqual([])
    // the job summary's row per target
    const summary = summaryMarkdown({ dryRun: false, release: {}, plan, ...(error ? { error } : {}) })
    const rows = summary.split('| target | result | tags |\n| --- | --- | --- |\n')[1]?.split('\n\n')[0]
    expect(rows?.split('\n')).toEqual([
      `| <code>${pd.host}/prod/kf/app</code> | ➖ not written | <code>v1</code> to create<br><code>latest</code> to create |`,
      `| <code>${pa.host}/prod/kf/app</code> | ➖ not written | <code>v1</code> to create |`
    ])
    expect(standingAfter(error)).toEqual([])
  })

  it('Rekor unreachable: tagged, the record not written, the message says so and to run again; run again: the record added, no tag written', async () => {
    const image = await pushImage(src.url, 'kr/app', [randomBlob(900)], { tag: 'v1' })
    const port = await closedPort()
    const rekor = `http://127.0.0.1:${port}`
    const token = await sig.token({ sub: WF })
    const error = await promoteWith('kr/app', keyless(sig.url, rekor, token), run42).then(
      () => undefined,
      (e: unknown) => e as Error
    )
    const why = `promotion record: Rekor ${rekor} could not log the signature (request to ${rekor}/api/v1/log/entries failed, reason: connect ECONNREFUSED 127.0.0.1:${port}); the image is promoted and tagged at every target: run the promotion again to add the record`
    expect((error as PromoteError).failures.map(f => [f.target, f.error.message])).toEqual([
      [`${pd.host}/prod/kr/app`, why],
      [`${pa.host}/prod/kr/app`, why]
    ])
    expect((error as PromoteError).beforeTags).toBe(false)
    // following the advice
    pd.reset()
    pa.reset()
    const again = await promoteWith('kr/app', keyless(sig.url, sig.url, token), run42)
    expect(again.records?.map(r => [r.action, r.listedBy])).toEqual([
      ['written', image.digest.replace(':', '-')],
      ['written', 'referrers API']
    ])
    expect(writes().filter(w => /\/manifests\/(v1|latest)$/.test(w))).toEqual([])
  })

  it('the certificate is asked for once, and again only when it has under a minute left', async () => {
    const fulcio = await startProxy(sig.url)
    try {
      let clock = Date.now()
      const signer = new KeylessSigner(
        keyless(fulcio.url, sig.url, await sig.token({ sub: WF })),
        () => clock
      )
      await signer.certify()
      const first = await signer.sign(Buffer.from('a'))
      await signer.sign(Buffer.from('b'))
      expect(fulcio.count('POST', /signingCert/)).toBe(1)
      const pem = (s: typeof first): string => (s.key.$case === 'x509Certificate' ? s.key.certificate : '')
      clock = Date.parse(new X509Certificate(pem(first)).validTo) - 59_000
      const later = await signer.sign(Buffer.from('c'))
      expect([fulcio.count('POST', /signingCert/), pem(later) === pem(first)]).toEqual([2, false])
    } finally {
      await fulcio.stop()
    }
  })
})
