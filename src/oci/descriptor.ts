/**
 * The shape of what a registry serves, checked before any of it is used (image-spec
 * descriptor.md, manifest.md, image-index.md): every descriptor has a string `mediaType`, a
 * supported digest (sha256 or sha512, so nothing path-like ever reaches a URL) and a `size` that
 * is a non-negative safe integer; `manifests` and `layers` are arrays of descriptors, `config` and
 * `subject` descriptors, a `platform` an object of strings. Pure.
 */
import { LIMITS } from '../limits.js'
import { digestProblem } from './digest.js'

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** Why `platform` is not an image-index.md platform object, or undefined. */
function platformProblem(p: unknown): string | undefined {
  if (!isObject(p)) return 'platform is not an object'
  for (const key of ['os', 'architecture', 'variant', 'os.version'] as const)
    if (p[key] !== undefined && typeof p[key] !== 'string') return `platform.${key} is not a string`
  const features = p['os.features']
  if (features !== undefined && !(Array.isArray(features) && features.every(f => typeof f === 'string')))
    return 'platform.os.features is not a list of strings'
  return undefined
}

/**
 * Why `d` is not a descriptor we can use, in words (`size is not a non-negative integer`,
 * `digest "sha384:…" uses the unsupported algorithm sha384 (supported: sha256, sha512)`), or
 * undefined when it is one.
 */
export function descriptorProblem(d: unknown): string | undefined {
  if (!isObject(d))
    return d === null ? 'it is null' : `it is ${Array.isArray(d) ? 'a list' : `a ${typeof d}`}`
  if (typeof d.mediaType !== 'string') return 'mediaType is not a string'
  const digest = digestProblem(d.digest)
  if (digest) return digest.startsWith('digest ') ? digest : `digest ${digest}`
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0)
    return 'size is not a non-negative integer'
  if (d.platform !== undefined) return platformProblem(d.platform)
  return undefined
}

/**
 * Checks a parsed manifest or index (`index` true for an index / manifest list) before use.
 * @param what `index 127.0.0.1:5000/app@sha256:…` / `manifest …`, the start of every message
 * @throws Error `WHAT: manifests[3] is not a descriptor (size is not a non-negative integer)`,
 *   `WHAT: manifests is not a list`, `WHAT: lists 10001 manifests, over the indexChildren limit of
 *   10000`, `WHAT: is not a JSON object`
 */
export function checkManifestShape(json: unknown, index: boolean, what: string): void {
  if (!isObject(json)) throw new Error(`${what}: is not a JSON object`)
  const list = (key: 'manifests' | 'layers'): void => {
    const v = json[key]
    if (v === undefined) return
    if (!Array.isArray(v)) throw new Error(`${what}: ${key} is not a list`)
    if (key === 'manifests' && v.length > LIMITS.indexChildren)
      throw new Error(
        `${what}: lists ${v.length} manifests, over the indexChildren limit of ${LIMITS.indexChildren}`
      )
    v.forEach((d, i) => one(`${key}[${i}]`, d))
  }
  const one = (where: string, d: unknown): void => {
    const problem = descriptorProblem(d)
    if (problem) throw new Error(`${what}: ${where} is not a descriptor (${problem})`)
  }
  if (index) list('manifests')
  else {
    if (json.config !== undefined) one('config', json.config)
    list('layers')
  }
  if (json.subject !== undefined) one('subject', json.subject)
}
