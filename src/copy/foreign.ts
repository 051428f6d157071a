/**
 * Foreign (non-distributable) layers a target registry refuses: a manifest naming one is pushed
 * without its bytes (image-spec layer.md: clients fetch them from the layer's `urls`), and a
 * registry that does not accept such URLs answers the manifest PUT with `MANIFEST_BLOB_UNKNOWN`
 * for that layer (distribution 2.8: 500 `UNKNOWN` + `MANIFEST_BLOB_UNKNOWN`, from its
 * `validation.manifests.urls` setting, which by default allows no URL). That answer is final
 * (errors.ts FINAL_OCI_CODES); this module puts it in words that name the layer and the setting.
 */
import { isNonDistributable } from '../oci/mediatypes.js'
import type { Descriptor, Manifest } from '../oci/manifest.js'
import { RegistryError } from '../registry/errors.js'

/** A layer sent by reference only: a non-distributable (foreign) media type. */
export function isForeignLayer(d: Descriptor): boolean {
  return isNonDistributable(d.mediaType)
}

/**
 * The foreign layers of `m` that the registry's `MANIFEST_BLOB_UNKNOWN` entries of `e` name (by
 * their `detail` digest); every foreign layer when no entry names a digest.
 * @returns [] when `e` is not such a refusal or `m` has no foreign layer
 */
export function refusedForeignLayers(e: unknown, m: Manifest): Descriptor[] {
  if (!(e instanceof RegistryError) || !e.hasCode('MANIFEST_BLOB_UNKNOWN')) return []
  const foreign = (m.json.layers ?? []).filter(isForeignLayer)
  const named = new Set(
    e.errors
      .filter(x => x.code === 'MANIFEST_BLOB_UNKNOWN' && typeof x.detail === 'string')
      .map(x => x.detail as string)
  )
  return named.size ? foreign.filter(l => named.has(l.digest)) : foreign
}

/**
 * The error for a manifest PUT that `registry` refused because of its foreign layers:
 * `registry R refused manifest D: it names foreign layer sha256:… (MEDIA TYPE, from URL), which R
 * does not accept; on a distribution registry, allow its URL in validation.manifests.urls.allow
 * (by default no URL is allowed)`, with the registry's answer as cause.
 * @returns undefined when `e` is not such a refusal (the caller rethrows it as is)
 */
export function foreignLayerError(e: unknown, m: Manifest, registry: string): Error | undefined {
  const layers = refusedForeignLayers(e, m)
  if (!layers.length) return undefined
  const named = layers
    .map(l => `${l.digest} (${l.mediaType}${l.urls?.length ? `, from ${l.urls[0]}` : ''})`)
    .join(', ')
  const noun = layers.length > 1 ? 'foreign layers' : 'foreign layer'
  return new Error(
    `registry ${registry} refused manifest ${m.digest}: it names ${noun} ${named}, whose bytes are fetched from ${layers.length > 1 ? 'their' : 'its'} URL and not pushed, and the registry does not accept such URLs; on a distribution registry allow ${layers.length > 1 ? 'them' : 'it'} in the validation.manifests.urls.allow setting (by default no URL is allowed)`,
    { cause: e }
  )
}
