import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote, PromoteError } from '../../src/copy/promote.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import {
  CONFIG,
  OCI_MANIFEST,
  blobOf,
  oddJson,
  pushBlob,
  pushManifest,
  rawManifest
} from '../helpers/images.js'
import { startUrlRegistry } from './url-registry.js'

// issue 24 finding 3: distribution's default validation.manifests.urls refuses a manifest naming a
// foreign layer with 500 UNKNOWN + MANIFEST_BLOB_UNKNOWN: a verdict, not a passing failure
describe('a target that refuses foreign layers (distribution 2.8, default validation)', () => {
  let src: TestRegistry
  let dst: TestRegistry
  let pd: Proxy
  const foreign = blobOf(
    Buffer.from('a foreign layer'.repeat(50)),
    'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip'
  )
  const config = blobOf(Buffer.from('{"os":"windows","architecture":"amd64"}'), CONFIG)
  let digest: string

  beforeAll(async () => {
    ;[src, dst] = await Promise.all([startUrlRegistry(), startRegistry()])
    pd = await startProxy(dst.url)
    for (const b of [config, foreign]) await pushBlob(src.url, 'team/win', b)
    const bytes = oddJson({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: CONFIG, digest: config.digest, size: config.size },
      layers: [
        {
          mediaType: foreign.mediaType,
          digest: foreign.digest,
          size: foreign.size,
          urls: ['https://foreign.example.com/base.tar.gz']
        }
      ]
    })
    digest = await pushManifest(src.url, 'team/win', 'v1', bytes, OCI_MANIFEST)
  })
  afterAll(async () => {
    await pd?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  it('is refused once, not retried, naming the layer, its URL and the registry setting', async () => {
    const client = createRegistryClient({ retry: { baseDelayMs: 10, maxDelayMs: 20 } })
    const e = await promote(client, {
      source: { registry: src.host, repository: 'team/win', reference: 'v1' },
      targets: [{ repo: { registry: pd.host, repository: 'prod/win' }, tags: ['v1'] }]
    }).catch((x: unknown) => x)
    await client.close()
    expect(e).toBeInstanceOf(PromoteError)
    const failure = (e as PromoteError).failures[0].error
    expect(failure.message).toBe(
      `registry ${pd.host} refused manifest ${digest}: it names foreign layer ${foreign.digest} (${foreign.mediaType}, from https://foreign.example.com/base.tar.gz), whose bytes are fetched from its URL and not pushed, and the registry does not accept such URLs; on a distribution registry allow it in the validation.manifests.urls.allow setting (by default no URL is allowed)`
    )
    // one PUT of the manifest: 500 with MANIFEST_BLOB_UNKNOWN is final (was 5 tries, 3.2 s)
    expect(pd.entries('PUT', /\/manifests\//).map(x => x.status)).toEqual([500])
    expect(await rawManifest(dst.url, 'prod/win', 'v1')).toBeUndefined()
  })
})
