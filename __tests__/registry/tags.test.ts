/**
 * The tag list verb (end-8): a real registry's tags, a repository it does not know, and through a
 * stand-in in front of it a `Link: rel="next"` page, entries that are not tags, and a body that is
 * not a tag list.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createRegistryClient } from '../../src/registry/factory.js'
import type { RegistryClient } from '../../src/registry/client.js'
import { RegistryError } from '../../src/registry/errors.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'
import { startProxy, type Proxy } from '../helpers/proxy.js'
import { seedImage } from './fixtures.js'

describe('listTags against a real registry', () => {
  let reg: TestRegistry
  let proxy: Proxy
  let client: RegistryClient

  beforeAll(async () => {
    reg = await startRegistry()
    proxy = await startProxy(reg.url)
    for (const tag of ['v1', 'sha-0123456789ab-1a2b3c4d-linux-amd64', 'latest'])
      await seedImage(reg.url, 'team/app', tag, [100])
    client = createRegistryClient()
  })
  afterAll(async () => {
    await client?.close()
    await proxy?.stop()
    await reg?.stop()
  })

  it('lists every tag of a repository, [] for one the registry does not know', async () => {
    const tags = await client.listTags({ registry: reg.host, repository: 'team/app' })
    expect([...tags].sort()).toEqual(['latest', 'sha-0123456789ab-1a2b3c4d-linux-amd64', 'v1'])
    expect(await client.listTags({ registry: reg.host, repository: 'team/none' })).toEqual([])
    expect(client.stats.tagListGets).toBe(2)
  })

  it('repositoryMustExist: a repository the registry does not know is its 404 NAME_UNKNOWN, thrown', async () => {
    const none = { registry: reg.host, repository: 'team/none' }
    const e = await client.listTags(none, { repositoryMustExist: true }).then(
      () => undefined,
      (x: unknown) => x as RegistryError
    )
    expect(e).toBeInstanceOf(RegistryError)
    expect([e!.status, e!.errors]).toEqual([
      404,
      [
        {
          code: 'NAME_UNKNOWN',
          message: 'repository name not known to registry',
          detail: { name: 'team/none' }
        }
      ]
    ])
    const app = await client.listTags(
      { registry: reg.host, repository: 'team/app' },
      { repositoryMustExist: true }
    )
    expect(app.length).toBe(3)
  })

  it('follows Link: rel="next" and leaves out entries that are not tags', async () => {
    proxy.reset()
    proxy.setFault(req =>
      req.url === '/v2/team/app/tags/list?n=1000'
        ? {
            kind: 'respond',
            status: 200,
            headers: {
              'content-type': 'application/json',
              link: '</v2/team/app/tags/list?n=1000&last=a>; rel="next"'
            },
            body: JSON.stringify({ name: 'team/app', tags: ['a', '../x', 7, 'b/c'] })
          }
        : undefined
    )
    const tags = await client.listTags({ registry: proxy.host, repository: 'team/app' })
    expect(tags.slice(0, 1)).toEqual(['a'])
    expect([...tags.slice(1)].sort()).toEqual(['latest', 'sha-0123456789ab-1a2b3c4d-linux-amd64', 'v1'])
    expect(proxy.entries('GET', /tags\/list/).map(e => e.path)).toEqual([
      '/v2/team/app/tags/list?n=1000',
      '/v2/team/app/tags/list?n=1000&last=a'
    ])
  })

  it('with maxPages: undefined when a further page would be needed, the list when it ends in time', async () => {
    proxy.reset()
    proxy.setFault(req =>
      req.url === '/v2/team/app/tags/list?n=1000'
        ? {
            kind: 'respond',
            status: 200,
            headers: {
              'content-type': 'application/json',
              link: '</v2/team/app/tags/list?n=1000&last=a>; rel="next"'
            },
            body: JSON.stringify({ name: 'team/app', tags: ['a'] })
          }
        : undefined
    )
    const repo = { registry: proxy.host, repository: 'team/app' }
    expect(await client.listTags(repo, { maxPages: 1 })).toBeUndefined()
    expect(proxy.entries('GET', /tags\/list/).map(e => e.path)).toEqual(['/v2/team/app/tags/list?n=1000'])
    expect((await client.listTags(repo, { maxPages: 2 }))?.length).toBe(4)
    proxy.setFault(undefined)
  })

  it('refuses a body that is not a tag list, naming the repository', async () => {
    proxy.reset()
    proxy.setFault(() => ({ kind: 'respond', status: 200, body: '{"tags": "v1"}' }))
    await expect(client.listTags({ registry: proxy.host, repository: 'team/app' })).rejects.toThrow(
      `the tag list of ${proxy.host}/team/app is not {"tags": [...]}`
    )
    proxy.setFault(undefined)
  })
})
