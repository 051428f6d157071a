/** Helpers of the interruption tests: polling for a condition, and a registry's upload sessions. */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { TestRegistry } from './registry.js'
import type { Proxy } from './proxy.js'

/** Waits until `ready()` holds (checked every 20 ms); throws after 20 s. */
export async function until(ready: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => setTimeout(r, 20))
  }
}

/**
 * The upload sessions the registry holds on disk for `repository`: directories of `_uploads` with
 * a `startedat` or `data` file. (distribution's DELETE removes both, then its writer's close puts
 * back a 108-byte `hashstates/sha256/0` stub: no bytes and no session, never resumable.)
 */
export async function sessions(reg: TestRegistry, repository: string): Promise<string[]> {
  const dir = join(reg.dir, 'data/docker/registry/v2/repositories', repository, '_uploads')
  const ids = await readdir(dir).catch(() => [])
  const held = await Promise.all(
    ids.map(async id => {
      const files = await readdir(join(dir, id))
      return files.includes('startedat') || files.includes('data') ? [id] : []
    })
  )
  return held.flat()
}

/** Blob reads through `proxy` (its GETs of `/blobs/`) at 4 MiB/s: a copy slow enough to interrupt. */
export function throttleBlobReads(proxy: Proxy): void {
  proxy.setFault(req =>
    req.method === 'GET' && req.url?.includes('/blobs/')
      ? { kind: 'throttle', bytesPerSecond: 4 * 1024 * 1024 }
      : undefined
  )
}

/** `start-end status` of each PATCH that reached `proxy` for `repository`'s uploads. */
export function patchRanges(proxy: Proxy, repository: string): string[] {
  return proxy
    .entries('PATCH', new RegExp(`^/v2/${repository}/blobs/uploads/`))
    .map(e => `${String(e.requestHeaders['content-range'])} ${e.status}`)
}
