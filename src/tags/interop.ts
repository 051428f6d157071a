/**
 * Images × tags, and reading docker/metadata-action's outputs (`tags`, `labels`, `json`) so a
 * workflow that already runs metadata-action can hand its result to promote-image.
 */
import {
  formatReference,
  parseReference,
  validateForRegistry,
  withTag,
  ReferenceError,
  type Reference,
  type RegistryRuleOptions
} from '../reference/index.js'
import { TagRuleError } from './rules.js'

/**
 * metadata-action's `tags` output shape (§2.5 step 4): `image:tag` for each image (input order) ×
 * each tag (output order); with no images, the bare tag names. Images are used as given (already
 * parsed by `parseImages`).
 */
export function imageTags(images: string[], tags: string[]): string[] {
  if (images.length === 0) return [...tags]
  return images.flatMap(image => tags.map(tag => `${image}:${tag}`))
}

/** Result of {@link imageReferences}. */
export interface ImageReferences {
  /** Fully qualified references, image-major order. */
  references: Reference[]
  /** Registry warnings, once per image (name length, repository/project must exist). */
  warnings: string[]
}

/**
 * Combines images × tags into normalised, validated references: each image is checked with
 * `validateForRegistry` (lower-cased when `options.lowercase`), must name neither tag nor digest, and
 * each tag must be valid. Throws ReferenceError naming the image or tag at fault.
 */
export function imageReferences(
  images: string[],
  tags: string[],
  options: RegistryRuleOptions = {}
): ImageReferences {
  const references: Reference[] = []
  const warnings: string[] = []
  for (const image of images) {
    const check = validateForRegistry(image, options)
    const ref = check.reference
    if (ref.tag !== undefined || ref.digest !== undefined)
      throw new ReferenceError(
        image,
        `image ${JSON.stringify(image)}`,
        'an image is a repository name without tag or digest; tags come from the tag rules'
      )
    warnings.push(...check.warnings)
    for (const tag of tags) references.push(withTag(ref, tag))
  }
  return { references, warnings }
}

/**
 * Parses metadata-action's `tags` output: full references separated by newlines (or commas when
 * `sep-tags` was `,`); blank entries skipped. Each is normalised with `parseReference` (a bare
 * Docker Hub name becomes `docker.io/library/…`). Throws ReferenceError naming the bad entry.
 */
export function parseMetadataActionTags(output: string): Reference[] {
  return output
    .split(/[\r\n,]+/)
    .map(s => s.trim())
    .filter(s => s !== '')
    .map(parseReference)
}

/**
 * Parses metadata-action's `labels` (or `annotations`) output: `key=value` lines, split on the first
 * `=`; blank lines skipped; later keys win. Annotation level prefixes (`manifest:`, `index:`) are
 * kept as part of the key. Throws {@link TagRuleError} for a line without `=`.
 */
export function parseMetadataActionLabels(output: string): Record<string, string> {
  const labels = new Map<string, string>()
  for (const line of output.split(/\r?\n/)) {
    if (line.trim() === '') continue
    const eq = line.indexOf('=')
    if (eq <= 0) throw new TagRuleError(line, 'label', 'metadata-action label lines are key=value')
    labels.set(line.slice(0, eq).trim(), line.slice(eq + 1))
  }
  return Object.fromEntries(labels)
}

/** Result of {@link parseMetadataActionJson}. */
export interface MetadataActionJson {
  references: Reference[]
  labels: Record<string, string>
  annotations: string[]
}

/**
 * Parses metadata-action's `json` output (`{"tags": [...], "labels": {...}, "annotations": [...]}`).
 * Throws Error for text that is not such JSON, ReferenceError for a bad tag entry.
 */
export function parseMetadataActionJson(text: string): MetadataActionJson {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw new Error(`metadata-action json output is not JSON: ${(e as Error).message}`)
  }
  const o = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>
  const tags = Array.isArray(o.tags) ? o.tags.filter((t): t is string => typeof t === 'string') : []
  const labels: Record<string, string> = {}
  if (typeof o.labels === 'object' && o.labels !== null)
    for (const [k, v] of Object.entries(o.labels as Record<string, unknown>)) labels[k] = String(v)
  const annotations = Array.isArray(o.annotations)
    ? o.annotations.filter((a): a is string => typeof a === 'string')
    : []
  return { references: tags.map(parseReference), labels, annotations }
}

/** Formats references one per line (the shape of metadata-action's `tags` output). */
export function formatReferences(references: Reference[]): string {
  return references.map(formatReference).join('\n')
}
