/**
 * The action's inputs (kebab-case keys as in action.yml), read once and validated before anything
 * is built or sent: every reference against the distribution grammar and the target registry's
 * rules, every tag against the tag rule. A bad input throws InputError naming the input and the rule.
 */
import { existsSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { ReferenceError, validateForRegistry, type Reference, type RegistryKind } from './reference/index.js'
import {
  computeTags,
  ociLabels,
  parseMetadataActionLabels,
  parseMetadataActionTags,
  readGitHubContext,
  TagRuleError,
  type TagContext
} from './tags/index.js'
import type { Credential } from './auth/credentials.js'
import type { TagPolicy } from './copy/promote.js'
import type { UploadMode } from './copy/blobs.js'

/** Thrown for bad input: names the input and the rule it broke. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    message: string
  ) {
    super(`input "${input}": ${message}`)
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
  /** an existing image to promote instead of building (`registry/repo:tag` or `@digest`) */
  source?: Reference
  /** where the build is pushed: `registry/repo[:tag]` */
  'staging-image'?: Reference
  /** tags to apply at every target, computed from the `tags` (and `flavor`) input */
  tags: string[]
  /** notes from tag computation (rules that produced nothing, and why) */
  'tag-warnings': string[]
  /** production repositories, with registry */
  targets: Reference[]
  'registry-auth': Record<string, Credential>
  'insecure-registries': string[]
  'ca-file'?: string
  'tag-policy': TagPolicy
  'moving-tags': string[]
  'dry-run': boolean
  concurrency?: number
  /** ms to wait for an answer to one request try (default: the transport's, 120 s) */
  'request-timeout'?: number
  'upload-mode': UploadMode
  lowercase: boolean
  /** token for the GitHub REST API (deployments) */
  'github-token': string
  /** record a GitHub deployment in this environment (empty: none) */
  'deployment-environment'?: string
  'deployment-url'?: string
}

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

const REGISTRY_KINDS: RegistryKind[] = [
  'dockerhub',
  'ghcr',
  'ecr',
  'ecr-public',
  'gar',
  'gcr',
  'acr',
  'quay',
  'harbor',
  'generic'
]

/**
 * Parses `registry-kinds`: `HOST=KIND` lines naming the naming rules of a host that cannot be told
 * from its name (a Harbor or Quay on your own domain). Kinds: dockerhub, ghcr, ecr, ecr-public, gar,
 * gcr, acr, quay, harbor, generic.
 * @throws InputError naming the line and the rule
 */
export function parseRegistryKinds(text: string): Record<string, RegistryKind> {
  const out: Record<string, RegistryKind> = {}
  for (const line of listInput(text, true)) {
    const eq = line.indexOf('=')
    const host = line.slice(0, eq).trim().toLowerCase()
    const kind = line
      .slice(eq + 1)
      .trim()
      .toLowerCase() as RegistryKind
    if (eq <= 0 || !REGISTRY_KINDS.includes(kind)) {
      throw new InputError(
        'registry-kinds',
        `"${line}" must be HOST=KIND with KIND one of ${REGISTRY_KINDS.join(', ')}`
      )
    }
    out[host] = kind
  }
  return out
}

function reference(
  name: string,
  value: string,
  lowercase: boolean,
  kinds: Record<string, RegistryKind>,
  destination = false
): Reference {
  try {
    return validateForRegistry(value, { lowercase, destination, kinds }).reference
  } catch (e) {
    if (e instanceof ReferenceError) throw new InputError(name, e.message)
    throw e
  }
}

/**
 * Parses `registry-auth`: a YAML list of `{registry, username, password}` (or `identitytoken`).
 * @throws InputError naming the entry at fault
 */
export function parseRegistryAuth(text: string): Record<string, Credential> {
  if (!text.trim()) return {}
  let doc: unknown
  try {
    // failsafe schema: every value stays the string it was (no numbers, booleans or nulls), so a
    // password such as 0123456789 or yes is passed as written
    doc = parseYaml(text, { schema: 'failsafe' })
  } catch (e) {
    throw new InputError('registry-auth', `not valid YAML: ${(e as Error).message.split('\n')[0]}`)
  }
  if (!Array.isArray(doc))
    throw new InputError('registry-auth', 'must be a YAML list of {registry, username, password}')
  const out: Record<string, Credential> = {}
  doc.forEach((entry: Record<string, unknown>, i: number) => {
    const registry = typeof entry?.registry === 'string' ? entry.registry.trim() : ''
    if (!registry) throw new InputError('registry-auth', `entry ${i + 1} has no registry`)
    const username = entry.username === undefined ? undefined : String(entry.username)
    const password = entry.password === undefined ? undefined : String(entry.password)
    const identityToken = entry.identitytoken === undefined ? undefined : String(entry.identitytoken)
    if (!identityToken && (!username || password === undefined)) {
      throw new InputError(
        'registry-auth',
        `entry ${i + 1} (${registry}) needs username and password, or identitytoken`
      )
    }
    out[registry.replace(/^https?:\/\//, '').replace(/\/+$/, '')] = { username, password, identityToken }
  })
  return out
}

/**
 * Tags and build labels from the `tags`, `flavor` and `labels` inputs and the git context.
 * `tags` lines are: plain tags (`v1.2.3`, or several on one line separated by commas), tag rules in
 * docker/metadata-action's syntax (`type=semver,pattern={{version}}`), or docker/metadata-action's
 * `tags` output (full references; only the tag part is used). Plain tags must already be valid;
 * generated tags are always made valid (src/tags). Empty `tags` gives no tags (promotion by digest).
 * @throws InputError naming the input and the rule
 */
export function tagsAndLabels(
  tagsText: string,
  flavorText: string,
  labelsText: string,
  ctx: TagContext,
  now = new Date()
): { tags: string[]; labels: Record<string, string>; warnings: string[] } {
  const rules: string[] = []
  const fromReferences: string[] = []
  for (const line of listInput(tagsText)) {
    if (line.includes('=')) rules.push(line)
    else if (line.includes('/')) {
      try {
        for (const r of parseMetadataActionTags(line)) if (r.tag) fromReferences.push(r.tag)
      } catch (e) {
        if (e instanceof ReferenceError) throw new InputError('tags', e.message)
        throw e
      }
    } else rules.push(...listInput(line, true)) // a bare word is a raw tag (metadata-action syntax)
  }
  let labels: Record<string, string>
  let tags: string[] = []
  let warnings: string[] = []
  try {
    const userLabels = parseMetadataActionLabels(listInput(labelsText).join('\n'))
    if (rules.length) {
      const r = computeTags({ tags: rules, flavor: flavorText }, ctx, { now })
      tags = r.tags
      warnings = r.warnings
      labels = { ...r.labels, ...userLabels }
    } else {
      if (flavorText.trim()) throw new InputError('flavor', 'needs tag rules in "tags"')
      labels = { ...ociLabels(ctx, fromReferences[0] ?? '', now), ...userLabels }
    }
  } catch (e) {
    if (e instanceof TagRuleError)
      throw new InputError(e.part.startsWith('label') ? 'labels' : 'tags', e.message)
    if (e instanceof ReferenceError) throw new InputError('tags', e.message)
    throw e
  }
  for (const t of fromReferences) if (!tags.includes(t)) tags.push(t)
  for (const [k, v] of Object.entries(labels)) if (v === '') delete labels[k]
  return { tags, labels, warnings }
}

/**
 * Reads and validates every input. Nothing is sent anywhere.
 * @throws InputError naming the input and the rule it broke
 */
export function readInputs(
  get: InputReader,
  context: () => TagContext = () => readGitHubContext()
): ActionInputs {
  const lowercase = bool('lowercase', get('lowercase'), false)
  const source = get('source').trim()
  const staging = get('staging-image').trim()
  if (!source && !staging)
    throw new InputError('staging-image', 'required unless "source" names an image to promote')
  const kinds = parseRegistryKinds(get('registry-kinds'))
  const targets = listInput(get('targets')).map(t => reference('targets', t, lowercase, kinds, true))
  for (const t of targets) {
    if (t.tag || t.digest)
      throw new InputError(
        'targets',
        `"${t.registry}/${t.repository}" takes repositories only; put tags in "tags"`
      )
  }
  if (source && staging) {
    throw new InputError(
      'source',
      'give "source" (promote an existing image) or "staging-image" (build one), not both'
    )
  }
  const { tags, labels, warnings } = tagsAndLabels(get('tags'), get('flavor'), get('labels'), context())
  const policy = get('tag-policy').trim() || 'immutable'
  if (policy !== 'immutable' && policy !== 'overwrite')
    throw new InputError('tag-policy', `"${policy}" must be immutable or overwrite`)
  const mode = get('upload-mode').trim() || 'monolithic'
  if (mode !== 'monolithic' && mode !== 'chunked')
    throw new InputError('upload-mode', `"${mode}" must be monolithic or chunked`)
  const conc = get('concurrency').trim()
  const concurrency = conc ? Number(conc) : undefined
  if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)) {
    throw new InputError('concurrency', `"${conc}" must be a whole number from 1 to 64`)
  }
  const rt = get('request-timeout').trim()
  const requestTimeout = rt ? Number(rt) : undefined
  if (requestTimeout !== undefined && !(requestTimeout > 0 && requestTimeout <= 3600)) {
    throw new InputError('request-timeout', `"${rt}" must be a number of seconds above 0 and at most 3600`)
  }
  const caFile = get('ca-file').trim()
  if (caFile && !existsSync(caFile)) throw new InputError('ca-file', `"${caFile}": no such file`)
  const moving = get('moving-tags')
  return {
    context: get('context').trim() || '.',
    file: get('file').trim() || undefined,
    'build-args': listInput(get('build-args')),
    labels,
    platforms: listInput(get('platforms'), true),
    target: get('target').trim() || undefined,
    'no-cache': bool('no-cache', get('no-cache'), false),
    'docker-cli': get('docker-cli').trim() || undefined,
    source: source ? reference('source', source, lowercase, kinds) : undefined,
    'staging-image': staging ? reference('staging-image', staging, lowercase, kinds, true) : undefined,
    tags,
    'tag-warnings': warnings,
    targets,
    'registry-auth': parseRegistryAuth(get('registry-auth')),
    'insecure-registries': listInput(get('insecure-registries'), true),
    'ca-file': caFile || undefined,
    'tag-policy': policy,
    'moving-tags': moving.trim() ? listInput(moving, true) : ['latest', 'edge'],
    'dry-run': bool('dry-run', get('dry-run'), false),
    concurrency,
    'request-timeout': requestTimeout === undefined ? undefined : requestTimeout * 1000,
    'upload-mode': mode,
    lowercase,
    'github-token': get('github-token').trim(),
    'deployment-environment': get('deployment-environment').trim() || undefined,
    'deployment-url': get('deployment-url').trim() || undefined
  }
}
