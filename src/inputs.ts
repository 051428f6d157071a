/**
 * The action's inputs (kebab-case keys as in action.yml), read once and validated before anything
 * is built or sent: every reference against the distribution grammar and the target registry's
 * rules, every tag against the tag rule. A bad input throws InputError naming the input and the rule.
 */
import {
  ReferenceError,
  registryKey,
  sameRepository,
  validateForRegistry,
  type Reference,
  type RegistryKind
} from './reference/index.js'
import {
  computeTags,
  noTagReason,
  ociLabels,
  parseMetadataActionLabels,
  parseMetadataActionTags,
  readGitHubContext,
  TagRuleError,
  type TagContext,
  type TagKind,
  type VersionLine
} from './tags/index.js'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { registryReference, TransportError } from './reference/transport.js'
import type { Credential } from './auth/credentials.js'
import { BuildInputError, isRemoteContext, type BuildInputs } from './build/args.js'
import { parseSecretEnvs, parseSecretFiles, parseSecrets } from './build/secrets.js'
import { dockerfileStages } from './build/dockerfile.js'
import { parseCacheMode, type CacheMode } from './build/cache.js'
import { Inputs } from './constants.js'
import { inputFault } from './input-fault.js'
import { readYamlInput, YamlInputError } from './yaml-input.js'
import {
  checkVerificationRequired,
  ENGINE_OPTIONS,
  OptionError,
  OPTION_INPUTS,
  OPTIONS,
  optionSpec,
  parseOptions,
  type EngineOptions,
  type OptionSpec,
  type RawOptions
} from './options.js'

import { PromotionFileError, type PromotionFile } from './batch/file.js'
import { targetKey } from './copy/targets.js'
import { parsePlatform, PLATFORM_RULE } from './copy/platforms.js'
import { loadPromotionFile } from './batch/load.js'
import { parseShard, SHARD_RULE, type ShardChoice } from './batch/shards.js'

/** Thrown for bad input: names the input and the rule it broke. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string
  ) {
    super(inputFault(input, message))
    this.name = 'InputError'
  }
}

export interface ActionInputs {
  context: string
  file?: string
  'build-args': string[]
  /** build labels: the org.opencontainers.image.* set from the git context, then the `labels` input */
  labels: Record<string, string>
  platforms: string[]
  target?: string
  'no-cache': boolean
  'docker-cli'?: string
  /** the build-push-action inputs beyond the basic ones (secrets, cache, attestations, …) */
  build: BuildExtras
  /** `cache: actions`: keep the build cache in the Actions cache across runs */
  cache: CacheMode
  /** build even when the image of this commit and build inputs is already staged */
  rebuild: boolean
  /**
   * `push` (schema row `push`, default true): false builds only, as docker/build-push-action's
   * `push: false`: nothing is pushed to `staging-image` or promoted, no registry is asked
   */
  push: boolean
  /** an existing image to promote instead of building (`registry/repo:tag` or `@digest`) */
  source?: Reference
  /** where the build is pushed: `registry/repo[:tag]` */
  'staging-image'?: Reference
  /**
   * tags to apply at every target: the plain tags and tag rules of the `tags` (and `flavor`) input;
   * empty `tags` = none (promotion by digest only)
   */
  tags: string[]
  /**
   * the tags of each target, keyed by copy/targets.ts targetKey (`registry/repository`, aliases folded):
   * `tags` first, then the tags of the full references in `tags` that name that target
   */
  'target-tags': Record<string, string[]>
  /**
   * the kind of each tag a tag rule gave (tags/compute.ts TagKind: `rolling` ones may move under the
   * `immutable` tag policy), by tag; a plain tag is `fixed`, and so is any tag a full reference names
   */
  'tag-kinds': Map<string, TagKind>
  /** the version line of each tag of a semver rule (tags/line.ts): a rolling one never moves back */
  'tag-lines'?: Map<string, VersionLine>
  /** notes from tag computation (rules that produced nothing, and why) */
  'tag-warnings': string[]
  /** production repositories, with registry */
  targets: Reference[]
  'registry-auth': Record<string, Credential>
  /**
   * the engine's options (options.ts: tag-policy, moving-tags, upload-mode, concurrency,
   * request-timeout, ca-file, insecure-registries, registry-kinds, client-cert/-key, referrers, …),
   * read from their inputs as the schema says; engine-options.ts builds the engine's from them
   */
  options: EngineOptions
  'dry-run': boolean
  lowercase: boolean
  /** token for the GitHub REST API (deployments) */
  'github-token': string
  /** record a GitHub deployment in this environment (empty: none) */
  'deployment-environment'?: string
  /** promote every image of this promotion file (read and checked) instead of one image (src/batch/) */
  'promotion-file'?: PromotionFile
  /** with `promotion-file`: only shard K of N (as `plan-shards` N planned them; `K/N@PLAN` from the matrix) */
  shard?: ShardChoice
  /** with `promotion-file`: plan N shards into the `matrix` output, promote nothing */
  'plan-shards'?: number
  'deployment-url'?: string
  /**
   * the merge's sources as written (references, digests, `staged`; merge/stage.ts checks them before
   * any request): with any, the action builds nothing and promotes the index it writes at staging
   */
  merge: string[]
  /** with `merge`: platforms the index must hold, as written (merge/stage.ts checks them) */
  'merge-platforms': string[]
}

/** The BuildInputs fields read from the build-push-action inputs of the same names. */
export type BuildExtras = Pick<
  BuildInputs,
  | 'pull'
  | 'secrets'
  | 'ssh'
  | 'buildContexts'
  | 'annotations'
  | 'provenance'
  | 'sbom'
  | 'network'
  | 'addHosts'
  | 'shmSize'
  | 'ulimits'
  | 'builder'
  | 'cacheFrom'
  | 'cacheTo'
>

/** Reads one input by name; the action passes `core.getInput`, tests a map. */
export type InputReader = (name: string) => string

/** Splits a multi-line (or comma-separated) input into trimmed non-empty entries; `#` starts a comment line. */
export function listInput(value: string, commas = false): string[] {
  return value
    .split(commas ? /[\n,]/ : /\n/)
    .map(s => s.trim())
    .filter(s => s && !s.startsWith('#'))
}

function bool(name: string, value: string, fallback: boolean): boolean {
  const v = value.trim().toLowerCase()
  if (v === '') return fallback
  if (v === 'true') return true
  if (v === 'false') return false
  throw new InputError(name, `"${value}" is not true or false`)
}

function reference(
  name: string,
  value: string,
  lowercase: boolean,
  kinds: Record<string, RegistryKind>,
  destination = false
): Reference {
  try {
    // skopeo's docker:// dropped, a URL or another transport refused: the CLI's rule (reference/transport.ts)
    const bare = registryReference(value, name, host => `${OPTION_INPUTS.insecureRegistries}: ${host}`)
    return validateForRegistry(bare, { lowercase, destination, kinds }).reference
  } catch (e) {
    if (e instanceof TransportError) throw new InputError(name, `${e.detail} (in "${value}")`)
    // an upper-case name most often comes from ${{ github.repository_owner }}: the input that fixes it
    if (e instanceof ReferenceError && e.code === 'NAME_CONTAINS_UPPERCASE')
      throw new InputError(name, `${e.message}, or set "${Inputs.lowercase}: true" to lower-case it`)
    if (e instanceof ReferenceError) throw new InputError(name, e.message)
    throw e
  }
}

/** The registry of a `registry-auth` entry that names none (docker/login-action's default). */
const DOCKER_HUB = 'docker.io'

/** The fields of a `registry-auth` entry (the only ones its messages name). */
const REGISTRY_AUTH_FIELDS = ['registry', 'username', 'password', 'identitytoken']

/** Field `name` of `registry-auth` entry `i` (0-based): a string or absent; anything else is refused, unquoted. */
function authField(entry: Record<string, unknown>, name: string, i: number): string | undefined {
  const value = entry[name]
  if (value === undefined || typeof value === 'string') return value
  throw new InputError(
    Inputs.registryAuth,
    `entry ${i + 1}, field ${name}: must be a single value (text), not a list or mapping`
  )
}

/**
 * Parses `registry-auth`: a YAML list of `{registry, username, password}` (or `identitytoken`),
 * keyed by `registryKey` (reference/hosts.ts): `https://ghcr.io/`, `GHCR.io` → `ghcr.io`;
 * docker login's `https://index.docker.io/v1/` → `docker.io`; an entry without `registry` is
 * Docker Hub (`docker.io`), as in docker/login-action.
 * YAML tags are refused, and no message quotes a value (yaml-input.ts).
 * @throws InputError naming the entry at fault (also when two entries name the same registry)
 */
export function parseRegistryAuth(text: string): Record<string, Credential> {
  if (!text.trim()) return {}
  let doc: unknown
  try {
    // failsafe schema: every value stays the string it was (no numbers, booleans or nulls), so a
    // password such as 0123456789 or yes is passed as written; tags refused, nothing printed or quoted
    doc = readYamlInput(text, REGISTRY_AUTH_FIELDS)
  } catch (e) {
    // an unquoted password starting with * reads as a YAML alias: say how to write it
    if (e instanceof YamlInputError && e.message.includes('an alias (*name)'))
      throw new InputError(
        Inputs.registryAuth,
        `${e.message}; a value starting with * or & is quoted ('…'), or given as \${{ toJSON(secrets.NAME) }}`
      )
    if (e instanceof YamlInputError) throw new InputError(Inputs.registryAuth, e.message)
    throw e
  }
  if (!Array.isArray(doc))
    throw new InputError(Inputs.registryAuth, 'must be a YAML list of {registry, username, password}')
  const out: Record<string, Credential> = {}
  const entryOf = new Map<string, string>()
  doc.forEach((entry: Record<string, unknown>, i: number) => {
    const given = typeof entry?.registry === 'string' ? entry.registry.trim() : ''
    // docker/login-action's default: an entry without registry logs in to Docker Hub
    const registry = given || `${DOCKER_HUB}, no registry given`
    const key = registryKey(given || DOCKER_HUB)
    const earlier = entryOf.get(key)
    if (earlier)
      throw new InputError(
        Inputs.registryAuth,
        `entry ${i + 1} (${registry}) names the same registry as ${earlier}`
      )
    entryOf.set(key, `entry ${i + 1} (${registry})`)
    const username = authField(entry, 'username', i)
    const password = authField(entry, 'password', i)
    const identityToken = authField(entry, 'identitytoken', i)
    if (!identityToken && (!username || password === undefined)) {
      // a misspelt field (pasword:) is named: key names that look like words only, never a value
      const unknown = Object.keys(entry ?? {}).filter(k => !REGISTRY_AUTH_FIELDS.includes(k))
      const named = unknown.filter(k => /^[A-Za-z_-]{1,30}$/.test(k)).map(k => `"${k}"`)
      const hint = unknown.length
        ? ` (${named.length ? `it has ${named.join(', ')}` : 'it has other keys'}; the fields are ${REGISTRY_AUTH_FIELDS.join(', ')})`
        : ''
      throw new InputError(
        Inputs.registryAuth,
        `entry ${i + 1} (${registry}) needs username and password, or identitytoken${hint}`
      )
    }
    out[key] = { username, password, identityToken }
  })
  return out
}

/** A full reference found in the `tags` input (docker/metadata-action's `tags` output). */
interface TagReference {
  /** the entry as written */
  entry: string
  reference: Reference
}

/** Sorts `tags` lines: tag rules and plain tags (commas split) apart from full references. */
function classifyTagLines(tagsText: string): { rules: string[]; references: TagReference[] } {
  const rules: string[] = []
  const references: TagReference[] = []
  for (const line of listInput(tagsText)) {
    if (line.includes('=')) rules.push(line)
    else if (line.includes('/')) {
      for (const entry of listInput(line, true)) {
        try {
          const [reference] = parseMetadataActionTags(entry)
          references.push({ entry, reference: reference! })
        } catch (e) {
          if (e instanceof ReferenceError) throw new InputError(Inputs.tags, e.message)
          throw e
        }
      }
    } else rules.push(...listInput(line, true)) // a bare word is a raw tag (metadata-action syntax)
  }
  for (const { entry, reference } of references)
    if (!reference.tag || reference.digest)
      throw new InputError(
        Inputs.tags,
        `"${entry}" is a full reference without a tag${reference.digest ? ' (or with a digest)' : ''}: a full reference in "tags" is REGISTRY/REPOSITORY:TAG`
      )
  return { rules, references }
}

/**
 * Each target's tags: `common` for every target, then the tags of the references naming it.
 * @throws InputError when a reference names a repository that is not one of `targets`
 */
function tagsPerTarget(
  common: string[],
  references: TagReference[],
  targets: Reference[]
): { targetTags: Record<string, string[]>; warnings: string[] } {
  const targetTags: Record<string, string[]> = {}
  for (const t of targets) targetTags[targetKey(t)] = [...common]
  for (const { entry, reference } of references) {
    const target = targets.find(t => sameRepository(t, reference))
    if (!target) {
      const named = targets.map(t => `${t.registry}/${t.repository}`).join(', ')
      throw new InputError(
        Inputs.tags,
        `"${entry}" names ${reference.registry}/${reference.repository}, which is not one of the targets (${named || 'none'}): a full reference applies to its own target only; add its repository to "targets" or give the tag alone to apply it to every target`
      )
    }
    const list = targetTags[targetKey(target)]!
    if (!list.includes(reference.tag!)) list.push(reference.tag!)
  }
  const warnings: string[] = []
  if (references.length && !common.length)
    for (const t of targets)
      if (!targetTags[targetKey(t)]!.length)
        warnings.push(
          `target ${t.registry}/${t.repository} gets no tags: the full references in "tags" name other targets only, so it is promoted by digest only`
        )
  return { targetTags, warnings }
}

/**
 * Refuses tag rules that gave no tag on this ref when there are targets: nothing would name the
 * image there. Almost always a trigger mistake (a release workflow run on a branch push), which
 * docker/build-push-action refuses too (`tag is needed when pushing to registry`); an empty `tags`
 * input still promotes by digest only.
 * @param warnings the rules' own warnings (`"main" is not a valid semver version`)
 * @throws InputError naming `tags`, the ref, what each rule type needs and the three ways out
 */
function refuseNoTags(rules: string[], warnings: string[], ctx: TagContext): never {
  throw new InputError(
    Inputs.tags,
    `${noTagReason(rules, warnings, ctx)}; nothing would name the image at the targets. Run on a tag, add a rule for branches (type=ref,event=branch), or set "tags" empty to promote by digest only`
  )
}

/**
 * Tags and build labels from the `tags`, `flavor` and `labels` inputs and the git context.
 * `tags` lines are: plain tags (`v1.2.3`, or several on one line separated by commas), tag rules in
 * docker/metadata-action's syntax (`type=semver,pattern={{version}}`), or docker/metadata-action's
 * `tags` output (full references `registry/repository:tag`). Plain tags must already be valid;
 * generated tags are always made valid (src/tags). Empty `tags` gives no tags (promotion by digest
 * only; metadata-action's default rules are not applied), in the action and the CLI alike.
 *
 * `tags` in the result: every tag named (plain, generated, and the references' tags). With `targets`
 * given: `common` holds the plain and generated tags (for every target) and `targetTags` each
 * target's list keyed by copy/targets.ts targetKey: `common`, then the tags of the references that name that
 * target (by {@link sameRepository}: Docker Hub aliases folded).
 * @throws InputError naming the input and the rule; with `targets`, for a full reference whose
 *   repository is not one of them (naming the reference and the targets), and for tag rules that
 *   give no tag on this ref (see refuseNoTags)
 */
export function tagsAndLabels(
  tagsText: string,
  flavorText: string,
  labelsText: string,
  ctx: TagContext,
  now = new Date(),
  targets?: Reference[]
): {
  tags: string[]
  common: string[]
  targetTags: Record<string, string[]>
  kinds: Map<string, TagKind>
  lines: Map<string, VersionLine>
  labels: Record<string, string>
  warnings: string[]
} {
  const { rules, references } = classifyTagLines(tagsText)
  const fromReferences = references.map(r => r.reference.tag!)
  const { common, kinds, lines, labels, warnings } = renderTagRules(
    rules,
    fromReferences,
    flavorText,
    labelsText,
    ctx,
    now
  )
  const tags = [...common]
  for (const t of fromReferences) if (!tags.includes(t)) tags.push(t)
  if (targets?.length && rules.length && !tags.length) refuseNoTags(rules, warnings, ctx)
  // a tag written in full (metadata-action's output) is literal: it never moves on its own say
  for (const t of fromReferences)
    if (kinds.has(t)) {
      kinds.set(t, 'fixed')
      lines.delete(t)
    }
  for (const [k, v] of Object.entries(labels)) if (v === '') delete labels[k]
  const perTarget = targets ? tagsPerTarget(common, references, targets) : { targetTags: {}, warnings: [] }
  return {
    tags,
    common,
    targetTags: perTarget.targetTags,
    kinds,
    lines,
    labels,
    warnings: [...warnings, ...perTarget.warnings]
  }
}

/**
 * The tags and labels that tag rules render on this ref (docker/metadata-action's rules), each
 * tag's kind and version line, and the `labels` input over them; with no rules, the OCI labels of
 * the first full reference's tag.
 * @throws InputError naming `tags`, `flavor` or `labels` and the rule (a flavor without rules, a
 *   bad rule, flavor line or label)
 */
function renderTagRules(
  rules: string[],
  fromReferences: string[],
  flavorText: string,
  labelsText: string,
  ctx: TagContext,
  now: Date
): {
  common: string[]
  kinds: Map<string, TagKind>
  lines: Map<string, VersionLine>
  labels: Record<string, string>
  warnings: string[]
} {
  const kinds = new Map<string, TagKind>()
  const lines = new Map<string, VersionLine>()
  try {
    const userLabels = parseMetadataActionLabels(listInput(labelsText).join('\n'))
    if (!rules.length) {
      if (flavorText.trim()) throw new InputError(Inputs.flavor, 'needs tag rules in "tags"')
      const labels = { ...ociLabels(ctx, fromReferences[0] ?? '', now), ...userLabels }
      return { common: [], kinds, lines, labels, warnings: [] }
    }
    const r = computeTags({ tags: rules, flavor: flavorText }, ctx, { now })
    for (const t of r.computed) {
      kinds.set(t.tag, t.kind)
      if (t.line) lines.set(t.tag, t.line)
    }
    return { common: r.tags, kinds, lines, labels: { ...r.labels, ...userLabels }, warnings: r.warnings }
  } catch (e) {
    if (e instanceof TagRuleError)
      throw new InputError(
        e.part.startsWith('label') ? Inputs.labels : e.field === 'flavor' ? Inputs.flavor : Inputs.tags,
        e.detail
      )
    if (e instanceof ReferenceError) throw new InputError(Inputs.tags, e.message)
    throw e
  }
}

/**
 * The `platforms` input's entries, each `OS/ARCH[/VARIANT]` as `promote-platforms` and
 * `merge-platforms` take them (copy/platforms.ts parsePlatform). docker reads a bare `linux` as
 * linux on the daemon's architecture, but the staging tag names the platform (`-OS-ARCH`, which
 * `merge: staged` reads), so the architecture is asked for (newuser6 #25: `linux` was staged as
 * `sha-…-linux`).
 * @throws InputError `platforms`, naming the entry and the rule
 */
function buildPlatforms(entries: string[]): string[] {
  for (const entry of entries) {
    try {
      parsePlatform(entry, Inputs.platforms)
    } catch {
      throw new InputError(
        Inputs.platforms,
        `"${entry}": ${PLATFORM_RULE}; give the architecture too, as the staging tag names it (-OS-ARCH)`
      )
    }
  }
  return entries
}

/** An input's text as an option's raw value, split as the schema says (empty: not given). */
function rawInput(get: InputReader, spec: OptionSpec): string | string[] | undefined {
  const text = get(spec.input!)
  if (!spec.split) return text.trim() || undefined
  const entries = listInput(text, spec.split === 'commas')
  return entries.length ? entries : undefined
}

/** The engine options from their inputs (options.ts checks them). @throws InputError naming the input */
function readOptions(get: InputReader): EngineOptions {
  const raw = Object.fromEntries(ENGINE_OPTIONS.map(o => [o.name, rawInput(get, o)])) as RawOptions
  try {
    return parseOptions(raw, OPTION_INPUTS)
  } catch (e) {
    if (e instanceof OptionError) throw new InputError(e.option, `"${e.value}" ${e.rule}`)
    throw e
  }
}

/**
 * `require-verification` (options.ts checkVerificationRequired): refused when nothing is given to
 * verify, by the inputs or (with `promotion-file`) by each image of the file.
 * @throws InputError naming the input and what to give
 */
function requireVerified(options: EngineOptions, file: PromotionFile | undefined): void {
  try {
    checkVerificationRequired(options, OPTION_INPUTS, file)
  } catch (e) {
    if (e instanceof OptionError) throw new InputError(e.option, `"${e.value}" ${e.rule}`)
    throw e
  }
}

/**
 * The build-push-action inputs (same names and meanings): secrets as `id=value` / `id=path` /
 * `id=ENV` lines, lists one per line (`add-hosts` also comma-separated), strings empty = unset; a
 * `secret-envs` variable not set in `env` (the environment the build runs with) is refused.
 * @throws InputError naming the input (a secret entry only by its position or names, never its value)
 */
function readBuildExtras(get: InputReader, env: NodeJS.ProcessEnv): BuildExtras {
  const text = (name: string): string | undefined => get(name).trim() || undefined
  try {
    return {
      pull: bool(Inputs.pull, get(Inputs.pull), false),
      secrets: [
        ...parseSecrets(listInput(get(Inputs.secrets))),
        ...parseSecretFiles(listInput(get(Inputs.secretFiles))),
        ...parseSecretEnvs(listInput(get(Inputs.secretEnvs)), env)
      ],
      ssh: listInput(get(Inputs.ssh)),
      buildContexts: listInput(get(Inputs.buildContexts)),
      annotations: listInput(get(Inputs.annotations)),
      provenance: text(Inputs.provenance),
      sbom: text(Inputs.sbom),
      network: text(Inputs.network),
      addHosts: listInput(get(Inputs.addHosts), true),
      shmSize: text(Inputs.shmSize),
      ulimits: listInput(get(Inputs.ulimit)),
      builder: text(Inputs.builder),
      cacheFrom: listInput(get(Inputs.cacheFrom)),
      cacheTo: listInput(get(Inputs.cacheTo))
    }
  } catch (e) {
    if (e instanceof BuildInputError) throw new InputError(e.input, e.rule)
    throw e
  }
}

/** `cache` (actions, none or empty). @throws InputError */
function readCacheMode(get: InputReader): CacheMode {
  try {
    return parseCacheMode(get(Inputs.cache))
  } catch (e) {
    if (e instanceof BuildInputError) throw new InputError(e.input, e.rule)
    throw e
  }
}

/**
 * `source` or `staging-image` (exactly one; no build input with `source`), and `targets`
 * (repositories only). @throws InputError
 */
function readImages(
  get: InputReader,
  lowercase: boolean,
  kinds: Record<string, RegistryKind>
): Pick<ActionInputs, 'source' | 'staging-image' | 'targets'> {
  const source = get(Inputs.source).trim()
  const staging = get(Inputs.stagingImage).trim()
  if (!source && !staging && !get(Inputs.promotionFile).trim())
    throw new InputError(Inputs.stagingImage, 'required unless "source" names an image to promote')
  const targets = listInput(get(Inputs.targets)).map(text => {
    refuseTargetList(text)
    const t = reference(Inputs.targets, text, lowercase, kinds, true)
    // the entry as written: the tag or digest it must not have is the point of the message
    if (t.tag || t.digest)
      throw new InputError(
        Inputs.targets,
        `"${text}" must be a repository, without a tag or digest; put tags in "tags"`
      )
    return t
  })
  if (source && staging) {
    throw new InputError(
      Inputs.source,
      'give "source" (promote an existing image) or "staging-image" (build one), not both'
    )
  }
  if (source) refuseBuildInputs(get)
  const stagingImage = staging ? reference(Inputs.stagingImage, staging, lowercase, kinds, true) : undefined
  if (stagingImage?.digest) refuseStagingDigest(staging, get(Inputs.mergeSources).trim() !== '')
  return {
    source: source ? reference(Inputs.source, source, lowercase, kinds) : undefined,
    'staging-image': stagingImage,
    targets
  }
}

/**
 * `staging-image` is where this step writes (the build's push, or the merge's index), so a digest
 * in it cannot be honoured (it was dropped, and another digest promoted: newuser6 #18); refused as
 * `targets: REPO:TAG` is, quoting the entry as written, with the input that promotes an existing
 * image. @throws InputError `staging-image`
 */
function refuseStagingDigest(text: string, merging: boolean): never {
  throw new InputError(
    Inputs.stagingImage,
    merging
      ? `"${text}" names a digest: with "merge", staging-image is where the merged index is written (REGISTRY/REPOSITORY[:TAG]), and its digest is the merge's to give`
      : `"${text}" names a digest: staging-image is where the build is pushed (REGISTRY/REPOSITORY[:TAG]); to promote that existing image instead, give it as "source" (and no build inputs)`
  )
}

/**
 * A line of `targets` written as a list (a YAML `- ` item, or several repositories separated by
 * commas or spaces; a line with `#` is left to the grammar), which no reference can be: refused saying the input's shape, one repository
 * per line (before: the grammar's words on a path component `one, 127.0.0.1:5303` or a domain
 * `- 127.0.0.1:5303`). @throws InputError `targets`, quoting the line
 */
function refuseTargetList(text: string): void {
  if (/^-\s/.test(text))
    throw new InputError(
      Inputs.targets,
      `"${text}": give one repository per line, without "- " (the input is lines of text, not a YAML list)`
    )
  if (text.includes(',') || (/\s/.test(text) && !text.includes('#')))
    throw new InputError(
      Inputs.targets,
      `"${text}" names several repositories on one line; give one repository per line`
    )
}

/**
 * Inputs the promotion file governs (the options the schema says it owns; its tags are refused
 * apart, per image only), each with the values that mean "not given": empty, or action.yml's
 * default (the schema's).
 */
const FILE_INPUTS: Array<[string, string[]]> = [
  ...OPTIONS.filter(o => o.fileKey).map((o): [string, string[]] => [o.input!, ['', o.default ?? '']])
]

/**
 * Inputs of options that apply to one image and that no promotion file key takes (the schema's
 * commands leave out promote-file; the CLI refuses their flags with -f FILE), each with the values
 * that mean "not given".
 */
const SINGLE_IMAGE_INPUTS: Array<[string, string[]]> = OPTIONS.filter(
  o => o.input && !o.fileKey && !(o.commands as readonly string[]).includes('promote-file')
).map((o): [string, string[]] => [o.input!, ['', o.default ?? '']])

/**
 * `promotion-file` (every image of the file, src/batch/) with `shard` K/N or `plan-shards` N:
 * exclusive with `source`, `staging-image` and `targets` (the file names them), the inputs the file
 * owns, every build input and the deployment inputs (a file run would ignore them); `shard` and
 * `plan-shards` only with a file, and not both. The file is read and checked whole here
 * (batch/file.ts), before any request. @throws InputError
 */
function readPromotionFile(
  get: InputReader,
  kinds: Record<string, RegistryKind>
): Pick<ActionInputs, 'promotion-file' | 'shard' | 'plan-shards'> {
  const file = get(Inputs.promotionFile).trim()
  const shard = get(Inputs.shard).trim()
  const plan = get(Inputs.planShards).trim()
  if (!file) {
    if (shard || plan)
      throw new InputError(shard ? Inputs.shard : Inputs.planShards, 'needs "promotion-file"')
    return {}
  }
  refuseIgnoredWithFile(get)
  if (shard && plan)
    throw new InputError(
      Inputs.shard,
      'give "shard" (promote one shard) or "plan-shards" (plan them), not both'
    )
  const chosen = shard ? parseShard(shard) : undefined
  if (shard && !chosen) throw new InputError(Inputs.shard, `"${shard}" ${SHARD_RULE}`)
  const n = Number(plan)
  if (plan && !(Number.isInteger(n) && n >= 1 && n <= 256))
    throw new InputError(Inputs.planShards, `"${plan}" must be a whole number from 1 to 256`)
  let promotion: PromotionFile
  try {
    promotion = loadPromotionFile(file, kinds)
  } catch (e) {
    // a relative path that is not there: most often the repository was not checked out
    const where = !isAbsolute(file) && !existsSync(file) ? ` (${checkoutAdvice()})` : ''
    if (e instanceof PromotionFileError) throw new InputError(Inputs.promotionFile, e.message + where)
    throw e
  }
  return {
    'promotion-file': promotion,
    shard: chosen,
    'plan-shards': plan ? n : undefined
  }
}

/**
 * With `promotion-file` the file names every source, target and tag rule: `source`, `staging-image`
 * and `targets`, an input the file sets instead ({@link FILE_INPUTS}), `tags` and `flavor` (a file's
 * tags are literal, per image), an input of a one-image option no file key takes
 * ({@link SINGLE_IMAGE_INPUTS}, e.g. `promote-platforms`), a build input ({@link BUILD_INPUTS}) and
 * the deployment inputs would be ignored, so each is refused (an input left at its action.yml
 * default is not given).
 * @throws InputError naming the input and what to do instead
 */
function refuseIgnoredWithFile(get: InputReader): void {
  for (const other of [Inputs.source, Inputs.stagingImage, Inputs.targets])
    if (get(other).trim())
      throw new InputError(other, `not with "promotion-file" (the file names every source and target)`)
  // the file says what travels and how tags may move (reviewed with it)
  // a file's tags are literal and per image: defaults takes none, and there are no rules to flavor
  if (get(Inputs.tags).trim())
    throw new InputError(
      Inputs.tags,
      'not with "promotion-file": give each image its tags in the file (images[].tags; defaults takes no tags)'
    )
  if (get(Inputs.flavor).trim())
    throw new InputError(
      Inputs.flavor,
      'not with "promotion-file": a file gives each image its tags as they are (images[].tags), with no tag rules to flavor'
    )
  const ignored = givenInput(get, FILE_INPUTS)
  if (ignored)
    throw new InputError(
      ignored,
      `not with "promotion-file": set ${ignored} in the file (under defaults, or per image)`
    )
  // an option of one image that no file key takes (the schema: not a promote-file option), e.g.
  // promote-platforms: the CLI refuses its flag with -f FILE, the action refuses the input alike
  const single = givenInput(get, SINGLE_IMAGE_INPUTS)
  if (single)
    throw new InputError(
      single,
      'not with "promotion-file": it applies to one image (a step with "source" or "staging-image"), and a promotion file has no such key'
    )
  // nothing is built, and no deployment recorded, for a file: such an input would be ignored
  const built = givenInput(get, BUILD_INPUTS)
  if (built)
    throw new InputError(
      built,
      `not with "promotion-file": the file's sources are promoted as they are, nothing is built (build in an earlier step with "staging-image", then name the staged image as a source in the file)`
    )
  const deployment = givenInput(get, [
    [Inputs.deploymentEnvironment, ['']],
    [Inputs.deploymentUrl, ['']]
  ])
  if (deployment)
    throw new InputError(
      deployment,
      `not with "promotion-file": a GitHub deployment is recorded for one image (a step with "source" or "staging-image")`
    )
}

/**
 * The build's inputs, each with the values that mean "not given" (empty, or action.yml's default):
 * with `merge` any other value would be ignored, so it is refused.
 */
const BUILD_INPUTS: Array<[string, string[]]> = [
  [Inputs.platforms, ['']],
  [Inputs.context, ['', '.']],
  [Inputs.file, ['']],
  [Inputs.buildArgs, ['']],
  [Inputs.labels, ['']],
  [Inputs.target, ['']],
  [Inputs.noCache, ['', 'false']],
  [Inputs.dockerCli, ['']],
  [Inputs.pull, ['', 'false']],
  [Inputs.secrets, ['']],
  [Inputs.secretFiles, ['']],
  [Inputs.secretEnvs, ['']],
  [Inputs.ssh, ['']],
  [Inputs.buildContexts, ['']],
  [Inputs.annotations, ['']],
  [Inputs.provenance, ['']],
  [Inputs.sbom, ['']],
  [Inputs.network, ['']],
  [Inputs.addHosts, ['']],
  [Inputs.shmSize, ['']],
  [Inputs.ulimit, ['']],
  [Inputs.builder, ['']],
  [Inputs.cacheFrom, ['']],
  [Inputs.cacheTo, ['']],
  [Inputs.cache, ['']],
  [Inputs.rebuild, ['', 'false']],
  [Inputs.push, ['', 'true']]
]

/**
 * With `source` nothing is built, so a build input ({@link BUILD_INPUTS}) given would be ignored:
 * refused, naming it and `source` (`platforms` pointing at `promote-platforms`, which selects
 * platforms of a source), before anything is written.
 * @throws InputError
 */
function refuseBuildInputs(get: InputReader): void {
  const input = givenInput(get, BUILD_INPUTS)
  if (!input) return
  throw new InputError(
    input,
    input === Inputs.platforms
      ? 'not with "source": nothing is built from a source; to promote some of its platforms, use "promote-platforms"'
      : input === Inputs.push
        ? 'not with "source": push: false builds without writing, and nothing is built from a source; to see what the promotion would do without writing, use "dry-run: true"'
        : 'not with "source": the source is promoted as it is, nothing is built (to build, give "staging-image" instead of "source")'
  )
}

/**
 * The first of `inputs` that is given: its value (trimmed) is none of the values that mean "not
 * given" (empty, or action.yml's default), in the list's order; undefined when none is.
 */
function givenInput(get: InputReader, inputs: Array<[string, string[]]>): string | undefined {
  return inputs.find(([input, unset]) => !unset.includes(get(input).trim()))?.[0]
}

/**
 * `merge` and `merge-platforms` (schema rows `mergeSources`, `mergePlatforms`): the merge writes
 * its index at `staging-image` (required) and builds nothing, so `source`, `promotion-file` and
 * every build input ({@link BUILD_INPUTS}) are refused with it; `merge-platforms` needs `merge`.
 * @throws InputError
 */
function readMerge(get: InputReader): Pick<ActionInputs, 'merge' | 'merge-platforms'> {
  const entries = (name: string): string[] => {
    const raw = rawInput(get, optionSpec(name))
    return raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw
  }
  const merge = entries('mergeSources')
  const platforms = entries('mergePlatforms')
  if (!merge.length) {
    if (platforms.length) throw new InputError(Inputs.mergePlatforms, 'needs "merge"')
    return { merge, 'merge-platforms': platforms }
  }
  for (const other of [Inputs.source, Inputs.promotionFile])
    if (get(other).trim())
      throw new InputError(
        other,
        `not with "merge" (the merge's index at "staging-image" is what is promoted)`
      )
  if (!get(Inputs.stagingImage).trim())
    throw new InputError(Inputs.stagingImage, 'required with "merge": where the index is written')
  const built = givenInput(get, BUILD_INPUTS)
  if (built)
    throw new InputError(
      built,
      'not with "merge": the merge builds nothing (build each platform in a job of its own, then merge them)'
    )
  return { merge, 'merge-platforms': platforms }
}

/**
 * Where a relative path of an input is read from, and the usual cause of a missing one: `paths
 * are relative to the working directory, /home/runner/work/app/app; check out the repository with
 * actions/checkout first` (the runner starts the step in GITHUB_WORKSPACE).
 */
const checkoutAdvice = (): string =>
  `paths are relative to the working directory, ${process.cwd()}; check out the repository with actions/checkout first`

/**
 * A local `context` must be a directory and `file` (relative to the working directory, as the
 * docker CLI reads `--file`) an existing file; without `file`, the context must hold a `Dockerfile`
 * (or `dockerfile`, the docker CLI's fallback); and `target` must be a stage of the Dockerfile
 * (build/dockerfile.ts, when its stages can be known from its text). Refused before anything is
 * built; a remote context (build/args.ts isRemoteContext) or `-` (stdin) is left to docker (its
 * `file` is inside it), and so is `file: -`.
 * @throws InputError `context`, `file` or `target`, naming the path (and the stages there are)
 */
function checkBuildPaths(context: string, file: string | undefined, target: string | undefined): void {
  if (context === '-' || isRemoteContext(context)) return
  if (!existsSync(context) || !statSync(context).isDirectory())
    throw new InputError(Inputs.context, `${context} is not a directory (${checkoutAdvice()})`)
  if (file !== undefined && file !== '-' && (!existsSync(file) || !statSync(file).isFile()))
    throw new InputError(
      Inputs.file,
      `${file} does not exist (paths are relative to the working directory, ${process.cwd()}, not to the context)`
    )
  if (file === '-') return
  const dockerfile = file ?? ['Dockerfile', 'dockerfile'].map(name => join(context, name)).find(isFile)
  if (dockerfile === undefined)
    throw new InputError(
      Inputs.context,
      `${context} has no Dockerfile, and "${Inputs.file}" is not given (the Dockerfile is CONTEXT/Dockerfile unless "${Inputs.file}" names another; paths are relative to the working directory, ${process.cwd()})`
    )
  if (target !== undefined) checkTarget(dockerfile, target)
}

/** Whether `path` is a file (following links). */
const isFile = (path: string): boolean => existsSync(path) && statSync(path).isFile()

/**
 * `target` must name a stage of `dockerfile` (compared without case, as BuildKit lower-cases stage
 * names); a Dockerfile whose stages cannot be known from its text is left to docker.
 * @throws InputError `target`, naming the Dockerfile and its stages
 */
function checkTarget(dockerfile: string, target: string): void {
  let text: string
  try {
    text = readFileSync(dockerfile, 'utf8')
  } catch {
    return // docker says why it cannot read it
  }
  const { stages, checkable } = dockerfileStages(text)
  if (!checkable || stages.some(s => s.toLowerCase() === target.toLowerCase())) return
  const its = stages.length
    ? `its stages: ${stages.join(', ')}; give one of them, or leave "${Inputs.target}" empty to build the last stage`
    : `it names no stage (FROM … AS NAME); leave "${Inputs.target}" empty to build the last stage`
  throw new InputError(Inputs.target, `the Dockerfile ${dockerfile} has no stage ${target} (${its})`)
}

/**
 * Reads and validates every input. Nothing is sent anywhere.
 * @param env the environment the build will run with (`secret-envs` names variables of it)
 * @throws InputError naming the input and the rule it broke
 */
export function readInputs(
  get: InputReader,
  context: () => TagContext = () => readGitHubContext(),
  env: NodeJS.ProcessEnv = process.env
): ActionInputs {
  const lowercase = bool(Inputs.lowercase, get(Inputs.lowercase), false)
  const push = bool(Inputs.push, get(Inputs.push), true)
  const options = readOptions(get)
  const merge = readMerge(get)
  const images = readImages(get, lowercase, options.registryKinds)
  // before the tag rules: with a file, "tags" and "flavor" are refused as such (not "flavor needs tags")
  const promotion = readPromotionFile(get, options.registryKinds)
  const { common, targetTags, kinds, lines, labels, warnings } = tagsAndLabels(
    get(Inputs.tags),
    get(Inputs.flavor),
    get(Inputs.labels),
    context(),
    new Date(),
    // push: false promotes nothing: rules that give no tag on this ref (a pull request) are no fault
    push ? images.targets : []
  )
  const optional = (name: string): string | undefined => get(name).trim() || undefined
  if (images['staging-image'] && !merge.merge.length)
    checkBuildPaths(optional(Inputs.context) ?? '.', optional(Inputs.file), optional(Inputs.target))
  // planning shards promotes nothing, nor does a build with push: false: the jobs that promote check
  if (!promotion['plan-shards'] && push) requireVerified(options, promotion['promotion-file'])
  return {
    context: optional(Inputs.context) ?? '.',
    file: optional(Inputs.file),
    'build-args': listInput(get(Inputs.buildArgs)),
    labels,
    platforms: buildPlatforms(listInput(get(Inputs.platforms), true)),
    target: optional(Inputs.target),
    'no-cache': bool(Inputs.noCache, get(Inputs.noCache), false),
    'docker-cli': optional(Inputs.dockerCli),
    build: readBuildExtras(get, env),
    cache: readCacheMode(get),
    rebuild: bool(Inputs.rebuild, get(Inputs.rebuild), false),
    push,
    ...images,
    ...promotion,
    tags: common,
    'target-tags': targetTags,
    'tag-kinds': kinds,
    'tag-lines': lines,
    'tag-warnings': warnings,
    'registry-auth': parseRegistryAuth(get(Inputs.registryAuth)),
    options,
    'dry-run': bool(Inputs.dryRun, get(Inputs.dryRun), false),
    lowercase,
    'github-token': get(Inputs.githubToken).trim(),
    'deployment-environment': optional(Inputs.deploymentEnvironment),
    'deployment-url': optional(Inputs.deploymentUrl),
    ...merge
  }
}
