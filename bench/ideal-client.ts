/**
 * The "ideal client" of the floor bench (bench/floor.ts, issue 23): the fewest requests and the least
 * work a copy of one single-platform image between two plain-http registries needs, and nothing else.
 * No checks beyond what the protocol needs: no digest is computed, nothing is HEADed, nothing is
 * mounted, no retry, no auth, no tag listing. It is a yardstick, not a tool: a client that does less
 * than this does not copy the image.
 *
 *   node ideal-client.cjs SRC_URL SRC_REPO DIGEST DST_URL DST_REPO TAG CONCURRENCY
 *
 * 1. `GET /v2/SRC_REPO/manifests/DIGEST` (distribution spec "Pulling manifests"), the bytes kept;
 * 2. for every blob (config and layers), at most CONCURRENCY at once: the source's
 *    `GET /v2/SRC_REPO/blobs/DIGEST` beside the target's `POST /v2/DST_REPO/blobs/uploads/`, then
 *    `PUT LOCATION&digest=DIGEST` with the whole body ("Pushing a blob monolithically", POST then PUT;
 *    distribution 2.8 ignores the one-request `POST ?digest=`);
 * 3. `PUT /v2/DST_REPO/manifests/TAG` with the source's bytes ("Pushing manifests").
 *
 * 3 requests per blob + 2: 305 for 100 layers. node:http with keep-alive sockets (no undici to load),
 * bodies read whole (blobs here are 50 KB). Exit 0 when every answer was the spec's success status;
 * else a line on stderr and exit 1. Built to CommonJS by bench/floor.ts (esbuild) before a run, so
 * its start-up is node's and this file's alone.
 */
import { Agent, request } from 'node:http'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
}

const agent = new Agent({ keepAlive: true, maxSockets: Infinity })

/** One HTTP/1.1 exchange; the answer's body read whole. */
function call(
  method: string,
  url: string | URL,
  headers: Record<string, string>,
  body?: Buffer
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers }, res => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** Throws unless `a` has status `want`. */
function expect(a: Answer, want: number, what: string): Answer {
  if (a.status !== want) throw new Error(`${what} answered ${a.status}: ${a.body.toString().slice(0, 200)}`)
  return a
}

const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json'
].join(', ')

interface Descriptor {
  digest: string
}

async function main(argv: string[]): Promise<void> {
  const [src, srcRepo, digest, dst, dstRepo, tag, concurrency] = argv
  const manifest = expect(
    await call('GET', `${src}/v2/${srcRepo}/manifests/${digest}`, { accept: MANIFEST_ACCEPT }),
    200,
    'GET manifest'
  )
  const parsed = JSON.parse(manifest.body.toString()) as { config: Descriptor; layers: Descriptor[] }
  const blobs = [parsed.config, ...parsed.layers].map(d => d.digest)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < blobs.length) {
      const blob = blobs[next++]
      const [read, session] = await Promise.all([
        call('GET', `${src}/v2/${srcRepo}/blobs/${blob}`, {}),
        call('POST', `${dst}/v2/${dstRepo}/blobs/uploads/`, { 'content-length': '0' })
      ])
      expect(read, 200, `GET ${blob}`)
      expect(session, 202, 'POST upload')
      const location = new URL(String(session.headers.location), dst)
      location.searchParams.set('digest', blob)
      const headers = {
        'content-type': 'application/octet-stream',
        'content-length': String(read.body.length)
      }
      expect(await call('PUT', location, headers, read.body), 201, `PUT ${blob}`)
    }
  }
  const width = Math.max(1, Math.min(Number(concurrency) || blobs.length, blobs.length))
  await Promise.all(Array.from({ length: width }, worker))
  const type = String(manifest.headers['content-type'])
  const headers = { 'content-type': type, 'content-length': String(manifest.body.length) }
  expect(
    await call('PUT', `${dst}/v2/${dstRepo}/manifests/${tag}`, headers, manifest.body),
    201,
    'PUT manifest'
  )
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: Error) => {
    process.stderr.write(`ideal client: ${e.message}\n`)
    process.exit(1)
  }
)
