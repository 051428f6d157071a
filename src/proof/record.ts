/**
 * The signed promotion record: an in-toto Statement v1 whose subject is the promoted digest and
 * whose predicate ({@link PROMOTION_PREDICATE_TYPE}) says what was promoted from where to where,
 * under which tag policy, after which gate checks, by which CI run and when; signed into a
 * Sigstore bundle v0.3 (sigstore.ts) and stored at every target as a referrer of the digest, the
 * layout cosign's BUNDLE_SPEC.md and actions/attest use (an OCI manifest with `artifactType`
 * `application/vnd.dev.sigstore.bundle.v0.3+json`, the empty config, one bundle layer, `subject`),
 * listed by the target's referrers API or, without one, in the fallback tag's index (merged with
 * what it lists, referrers/discovery.ts `fallbackIndex` and oci/manifest.ts `mergeIndexes`).
 *
 * "The same job" is {@link RecordRun.identity}: the CI run's job without its attempt (GitHub:
 * server/repository/run id/job), so re-running a job finds its record and adds none, while a new
 * run adds its own; outside CI, the source digest with the target and its tags. It travels as the
 * annotation {@link RECORD_IDENTITY} on the record manifest (and so in every referrers list).
 */
import type { PutManifestAnswer, RegistryApi, Repository } from '../registry/api.js'
import { digestOf } from '../oci/digest.js'
import { isIndex, mergeIndexes, type Descriptor, type Manifest } from '../oci/manifest.js'
import { OCI_EMPTY, OCI_MANIFEST } from '../oci/mediatypes.js'
import { fallbackIndex, notAReferrersList, referrersTag } from '../referrers/discovery.js'
import { IN_TOTO_PAYLOAD_TYPE, STATEMENT_V1 } from './intoto.js'
import { SIGSTORE_BUNDLE_V03 } from './evidence.js'
import { PROMOTION_PREDICATE_TYPE, type GateReport } from './policy.js'
import type { KeylessSigner, SigningMethod } from './sigstore.js'

/** The predicate type of a promotion record (a name; nothing is fetched from it), owned by the policy, which never counts a record as a signature. */
export { PROMOTION_PREDICATE_TYPE }
/** The annotation carrying the record's identity ("the same job"). */
export const RECORD_IDENTITY = 'dev.promote-image.record.identity'

/** The CI run that promoted (GitHub Actions' `GITHUB_*` variables, read at the edge). */
export interface RecordRun {
  /** "the same job": GitHub `https://github.com/o/r/actions/runs/123/job/release` (no attempt) */
  identity?: string
  repository?: string
  workflow?: string
  runId?: string
  runAttempt?: string
  job?: string
  commit?: string
  actor?: string
  serverUrl?: string
}

/** One target as the record states it: where, its tags and what each tag did. */
export interface RecordTarget {
  /** `registry/repository` */
  repository: string
  tags: Array<{ tag: string; action: 'create' | 'move' | 'keep'; from?: string }>
}

/** The promotion predicate ({@link PROMOTION_PREDICATE_TYPE}). */
export interface PromotionPredicate {
  source: { reference: string; digest: string; mediaType: string }
  targets: RecordTarget[]
  tagPolicy: { policy: string; movingTags: string[] }
  /** the gate's checks; absent when no policy was given */
  verification?: GateReport
  run?: Omit<RecordRun, 'identity'>
  /** RFC 3339, from the injected clock */
  promotedAt: string
  tool: { name: 'promote-image'; version: string }
}

/** How the record is made: the signing method, the CI run, the clock (ms since the epoch). */
export interface RecordOptions {
  signing: SigningMethod
  /** keyless: the signer {@link certifyRecord} got its certificate for before any write */
  certified?: KeylessSigner
  run?: RecordRun
  version?: string
  now?: () => number
}

/** What one target got. */
export interface RecordResult {
  target: string
  /** `written` this run; `present`: a record of the same job was already there */
  action: 'written' | 'present'
  /** the record manifest's digest */
  digest: string
  /** `referrers API` or the fallback tag `sha256-<hex>` */
  listedBy: string
}

/** The statement's bytes (subject: the digest, named by each target repository). */
export function recordStatement(digest: string, predicate: PromotionPredicate): Buffer {
  const [alg, hex] = digest.split(':')
  const subject = predicate.targets.map(t => ({ name: t.repository, digest: { [alg]: hex } }))
  return Buffer.from(
    JSON.stringify({ _type: STATEMENT_V1, subject, predicateType: PROMOTION_PREDICATE_TYPE, predicate })
  )
}

/**
 * The identity of the record at one target: the run's job, else `sha256:` of digest, target and
 * tags. A re-run (attempt 2, 3, …) that moves a tag there gets its own (`JOB?attempt=N`): the
 * tag was moved away since the job's first record (another release, then `tag-policy: overwrite`
 * moving it back), which that record does not say.
 */
export function recordIdentity(run: RecordRun | undefined, digest: string, target: RecordTarget): string {
  if (run?.identity) {
    const rerun = run.runAttempt !== undefined && run.runAttempt !== '1'
    return rerun && target.tags.some(t => t.action === 'move')
      ? `${run.identity}?attempt=${run.runAttempt}`
      : run.identity
  }
  const tags = target.tags.map(t => t.tag).sort()
  return digestOf(Buffer.from(JSON.stringify([digest, target.repository, tags])))
}

const EMPTY = Buffer.from('{}')

/**
 * The record manifest (BUNDLE_SPEC.md): empty config, the bundle as its one layer, `subject` the
 * promoted root; annotations `dev.sigstore.bundle.content`, `…predicateType`,
 * `org.opencontainers.image.created` and {@link RECORD_IDENTITY}.
 */
export function recordManifest(
  bundle: Buffer,
  subject: Descriptor,
  identity: string,
  created: string
): Manifest {
  const layerDigest = digestOf(bundle)
  const json = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: SIGSTORE_BUNDLE_V03,
    config: { mediaType: OCI_EMPTY, digest: digestOf(EMPTY), size: EMPTY.length },
    layers: [
      {
        mediaType: SIGSTORE_BUNDLE_V03,
        digest: layerDigest,
        size: bundle.length,
        annotations: { 'org.opencontainers.image.title': `${layerDigest.replace(':', '-')}.sigstore.json` }
      }
    ],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations: {
      'dev.sigstore.bundle.content': 'dsse-envelope',
      'dev.sigstore.bundle.predicateType': PROMOTION_PREDICATE_TYPE,
      'org.opencontainers.image.created': created,
      [RECORD_IDENTITY]: identity
    }
  }
  const bytes = Buffer.from(JSON.stringify(json))
  return { bytes, mediaType: OCI_MANIFEST, digest: digestOf(bytes), json }
}

/**
 * Finds a record of the same job among the target's referrers of `digest`: its referrers API
 * (an empty list still says the API is there), else the fallback tag's index.
 * @returns its digest and how the target lists referrers (`api` or the fallback tag)
 * @throws RegistryError from the client; Error `promotion record: REPO:sha256-… holds a …, not an index: …`
 *   (referrers/discovery.ts notAReferrersList) when the fallback tag holds something else (known
 *   before any write)
 */
export async function findRecord(
  api: RegistryApi,
  repo: Repository,
  digest: string,
  identity: string
): Promise<{ found?: string; via: 'api' | 'fallback-tag' }> {
  const listed = await api.listReferrers(repo, digest, SIGSTORE_BUNDLE_V03)
  let entries: Descriptor[]
  if (listed) entries = listed.manifests
  else {
    const tag = referrersTag(digest)
    const index = await api.getManifest(repo, tag, { allowMissing: true })
    // known before any write: the record could not be listed there (writeRecord would refuse it)
    if (index && !isIndex(index))
      throw new Error(
        `promotion record: ${notAReferrersList(`${repo.registry}/${repo.repository}:${tag}`, index.mediaType)}`
      )
    entries = index ? (index.json.manifests ?? []) : []
  }
  const same = entries.find(
    e => e.artifactType === SIGSTORE_BUNDLE_V03 && e.annotations?.[RECORD_IDENTITY] === identity
  )
  return { ...(same ? { found: same.digest } : {}), via: listed ? 'api' : 'fallback-tag' }
}

/** Uploads a small blob unless the repository has it (end-2 HEAD, end-4a POST, end-6 PUT). */
async function pushSmallBlob(api: RegistryApi, repo: Repository, bytes: Buffer): Promise<void> {
  const digest = digestOf(bytes)
  if ((await api.headBlob(repo, digest)) === bytes.length) return
  const start = await api.startUpload(repo)
  if (!start.mounted) await api.putBlob(start.session, digest, bytes.length, bytes)
}

/**
 * Runs a read-modify-write of one tag of one repository (or of the record blobs) with no other of
 * this process on the same key (a promotion file's images: copy/holders.ts tagWrites); absent:
 * runs it at once.
 */
export type TagWriteSerial = <T>(repo: Repository, tag: string, fn: () => Promise<T>) => Promise<T>

/** The {@link TagWriteSerial} key of a repository's record blobs (no tag has this name: it has a space). */
const RECORD_BLOBS = 'record blobs'

/** Times the fallback index is merged and written again when a re-read does not list the record. */
export const RECORD_INDEX_ATTEMPTS = 3

/**
 * Writes the record at one target: the empty config and the bundle blob (under `serial`), the manifest by digest,
 * then, unless the registry answered `OCI-Subject` or `listsKept` (its referrers API lists it), the fallback index
 * `sha256-<hex>` merged with what it already lists (a tag holding something else is refused). That
 * read-modify-write runs under `serial` (other images of the run wait), then the tag is read again:
 * another writer (another run) that replaced the index meanwhile dropped the record, so it is
 * merged into what the tag holds now and written again, up to {@link RECORD_INDEX_ATTEMPTS} times.
 * @returns how the target lists it
 * @throws RegistryError from the client; Error `promotion record: REPO:sha256-… holds a …, not an
 *   index: …` (referrers/discovery.ts notAReferrersList) when the fallback tag holds a non-index, or
 *   when it still does not list the record after the last attempt
 */
export async function writeRecord(
  api: RegistryApi,
  repo: Repository,
  record: Manifest,
  bundle: Buffer,
  listsKept: boolean,
  serial: TagWriteSerial = (_repo, _tag, fn) => fn()
): Promise<string> {
  // one image at a time per repository: two uploads of the shared empty config there would rewrite
  // its link while another record's manifest PUT reads it (MANIFEST_BLOB_UNKNOWN)
  await serial(repo, RECORD_BLOBS, async () => {
    await pushSmallBlob(api, repo, EMPTY)
    await pushSmallBlob(api, repo, bundle)
  })
  const answer: PutManifestAnswer = {}
  await api.putManifest(repo, record.digest, record, answer)
  const subject = record.json.subject as Descriptor
  if (answer.ociSubject || listsKept) return 'referrers API'
  const tag = referrersTag(subject.digest)
  const entry: Descriptor = {
    mediaType: OCI_MANIFEST,
    digest: record.digest,
    size: record.bytes.length,
    artifactType: SIGSTORE_BUNDLE_V03,
    annotations: record.json.annotations
  }
  const ours = fallbackIndex([entry])
  const read = async (): Promise<Manifest | undefined> => {
    const existing = await api.getManifest(repo, tag, { allowMissing: true })
    if (existing && !isIndex(existing))
      throw new Error(
        `promotion record: ${notAReferrersList(`${repo.registry}/${repo.repository}:${tag}`, existing.mediaType)}`
      )
    return existing
  }
  await serial(repo, tag, async () => {
    let existing = await read()
    for (let attempt = 1; ; attempt++) {
      const merged = existing ? mergeIndexes(existing, ours) : ours
      if (!merged) return
      await api.putManifest(repo, tag, merged)
      existing = await read()
      if (existing && !mergeIndexes(existing, ours)) return
      if (attempt === RECORD_INDEX_ATTEMPTS)
        throw new Error(
          `${repo.registry}/${repo.repository}:${tag}: another writer replaced the referrers list ${attempt} times, and it does not list the record ${record.digest}`
        )
    }
  })
  return tag
}

/** One target of {@link recordPromotion}: its key for results, repository and record entry. */
export interface RecordPlace {
  target: string
  repo: Repository
  entry: RecordTarget
}

/** What one place holds already: the record's identity there, a record of the same job, how it lists referrers. */
export interface RecordSeen {
  identity: string
  /** the digest of a record of the same job found there */
  found?: string
  via?: 'api' | 'fallback-tag'
}

/** How a place lists its records: `referrers API` or the fallback tag. */
function listedByOf(seen: RecordSeen, subject: string): string {
  return seen.via === 'api' ? 'referrers API' : referrersTag(subject)
}

/**
 * Looks at every place for a record of the same job (one referrers listing each, in parallel).
 * @throws RegistryError from a target
 */
export async function lookForRecords(
  api: RegistryApi,
  subject: string,
  places: RecordPlace[],
  run: RecordRun | undefined
): Promise<RecordSeen[]> {
  return await Promise.all(
    places.map(async p => {
      const identity = recordIdentity(run, subject, p.entry)
      return { identity, ...(await findRecord(api, p.repo, subject, identity)) }
    })
  )
}

/** The plan's view of one place: `present` (with its digest) or `write`, and how it is listed. */
export function plannedRecord(
  seen: RecordSeen,
  subject: string
): { action: 'write' | 'present'; digest?: string; listedBy: string } {
  return {
    action: seen.found ? 'present' : 'write',
    ...(seen.found ? { digest: seen.found } : {}),
    listedBy: listedByOf(seen, subject)
  }
}

/**
 * Keyless signing's certificate, got before any write when a record will be written (some place
 * lacks one): a Fulcio that cannot issue one (down, unreachable, the token refused) then refuses the
 * promotion with nothing written, instead of failing after the tags. Key signing needs nothing.
 * @param seen what {@link lookForRecords} found at each place
 * @returns the certified signer for {@link recordPromotion} (`RecordOptions.certified`), or
 *   undefined (a key, or a record of the same job at every place)
 * @param signal the run's interruption: the wait for Fulcio ends when it aborts
 * @throws Error `Fulcio URL could not issue a signing certificate (cause)` (sigstore.ts signingFailure;
 *   `(no answer within N s)` past the signing method's `timeoutMs`); `signal.reason` when it aborted
 */
export async function certifyRecord(
  options: RecordOptions,
  seen: RecordSeen[],
  signal?: AbortSignal
): Promise<KeylessSigner | undefined> {
  if (options.signing.kind !== 'keyless' || seen.every(s => s.found)) return undefined
  const { KeylessSigner } = await import('./sigstore.js')
  const signer = new KeylessSigner(options.signing)
  await signer.certify(signal)
  return signer
}

/**
 * Leaves the signed record at every target that lacks one of the same job: signs once (only when
 * one lacks it), then writes where missing.
 * @param subject the promoted root (digest, media type, size)
 * @param seen what {@link lookForRecords} found (looked for again when not given)
 * @param serial the read-modify-writes of the fallback index, one at a time per tag (writeRecord)
 * @param signal the run's interruption: the wait for the signing (Fulcio, Rekor, TSA) ends when it aborts
 * @returns one result per place, in order
 * @throws Error from signing (Fulcio, Rekor; `signal.reason` when it aborted) or from a target (RegistryError)
 */
export async function recordPromotion(
  api: RegistryApi,
  subject: Descriptor,
  predicate: Omit<PromotionPredicate, 'promotedAt' | 'tool' | 'run' | 'targets'>,
  places: RecordPlace[],
  options: RecordOptions,
  seen?: RecordSeen[],
  serial?: TagWriteSerial,
  signal?: AbortSignal
): Promise<RecordResult[]> {
  const looked = seen ?? (await lookForRecords(api, subject.digest, places, options.run))
  const present = (i: number): RecordResult => ({
    target: places[i].target,
    action: 'present',
    digest: looked[i].found as string,
    listedBy: listedByOf(looked[i], subject.digest)
  })
  if (looked.every(s => s.found)) return places.map((_, i) => present(i))
  const created = new Date((options.now ?? Date.now)()).toISOString()
  const { identity: _identity, ...run } = options.run ?? {}
  const full: PromotionPredicate = {
    ...predicate,
    targets: places.map(p => p.entry),
    ...(options.run ? { run } : {}),
    promotedAt: created,
    tool: { name: 'promote-image', version: options.version ?? 'dev' }
  }
  const { signStatement } = await import('./sigstore.js')
  const statement = recordStatement(subject.digest, full)
  const bundle = await signStatement(
    statement,
    IN_TOTO_PAYLOAD_TYPE,
    options.signing,
    options.certified,
    signal
  )
  return await Promise.all(
    places.map(async (p, i): Promise<RecordResult> => {
      if (looked[i].found) return present(i)
      const record = recordManifest(bundle, subject, looked[i].identity, created)
      const by = await writeRecord(api, p.repo, record, bundle, looked[i].via === 'api', serial)
      return { target: p.target, action: 'written', digest: record.digest, listedBy: by }
    })
  )
}
