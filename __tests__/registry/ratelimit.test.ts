import { describe, expect, it } from '@jest/globals'
import { RateLimiter, parseRateLimit, requestKind } from '../../src/registry/ratelimit.js'
import { parseUploadRange, withDigest } from '../../src/registry/client.js'
import { retryAfterMs } from '../../src/registry/transport.js'

describe('header parsing', () => {
  it.each([
    ['100;w=21600', { count: 100, windowSeconds: 21600 }],
    ['76;w=21600', { count: 76, windowSeconds: 21600 }],
    ['100', { count: 100, windowSeconds: undefined }],
    [' 5 ; w = 60', { count: 5, windowSeconds: 60 }],
    ['100;w=21600, 200;w=3600', { count: 100, windowSeconds: 21600 }],
    ['', undefined],
    ['many', undefined]
  ])('ratelimit value %j', (value, expected) => {
    expect(parseRateLimit(value)).toEqual(expected)
  })

  it.each([
    ['0-0', 0],
    ['0-99', 99],
    ['bytes=0-99', 99],
    ['0--1', -1],
    ['bytes=0--1', -1],
    ['BYTES=0-5', 5],
    ['', undefined],
    ['0-', undefined],
    ['99', undefined]
  ])('upload Range %j', (value, expected) => {
    expect(parseUploadRange(value)).toBe(expected)
  })

  it.each([
    ['http://r/v2/a/blobs/uploads/u', 'http://r/v2/a/blobs/uploads/u?digest=sha256%3Aab'],
    [
      'http://r/v2/a/blobs/uploads/u?_state=a%2Bb%3D%3D',
      'http://r/v2/a/blobs/uploads/u?_state=a%2Bb%3D%3D&digest=sha256%3Aab'
    ],
    [
      'http://s/up/u?_state=a+b==&X-Amz-Signature=x~y',
      'http://s/up/u?_state=a+b==&X-Amz-Signature=x~y&digest=sha256%3Aab'
    ]
  ])('digest appended to %s without rebuilding the query', (location, expected) => {
    expect(withDigest(new URL(location), 'sha256:ab').toString()).toBe(expected)
  })

  it.each([
    ['3', 3000],
    ['0', 0],
    ['Wed, 21 Oct 2015 07:28:10 GMT', 10000],
    ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
    ['soon', undefined],
    [undefined, undefined]
  ])('Retry-After %j', (value, expected) => {
    expect(retryAfterMs(value, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(expected)
  })

  it.each([
    ['GET', '/v2/a/b/manifests/v1', 'GET manifests'],
    ['HEAD', '/v2/a/manifests/sha256:00', 'HEAD manifests'],
    ['GET', '/v2/a/blobs/sha256:00', 'GET blobs'],
    ['PATCH', '/v2/a/blobs/uploads/x', 'PATCH uploads'],
    ['GET', '/v2/', 'GET other']
  ])('request kind of %s %s', (method, path, kind) => {
    expect(requestKind(method, new URL(path, 'http://r'))).toBe(kind)
  })
})

describe('RateLimiter (one budget per host)', () => {
  const make = () => {
    let now = 1_000_000
    const waits: number[] = []
    const lines: string[] = []
    const limiter = new RateLimiter(
      { lowWater: 3, lowWaterFraction: 0, maxPaceMs: 1000 },
      {
        now: () => now,
        sleep: async ms => {
          waits.push(ms)
          now += ms
        },
        logger: {
          debug: m => lines.push(`debug ${m}`),
          info: m => lines.push(`info ${m}`),
          warning: m => lines.push(`warning ${m}`)
        }
      }
    )
    return { limiter, waits, lines, tick: (ms: number) => (now += ms) }
  }
  const hub = (remaining: number) => ({
    'ratelimit-limit': '100;w=21600',
    'ratelimit-remaining': `${remaining};w=21600`,
    'docker-ratelimit-source': '192.0.2.1'
  })

  it('does not wait while the budget is comfortable, logs what the host reports', async () => {
    const { limiter, waits, lines } = make()
    limiter.observe('registry-1.docker.io', 'GET manifests', hub(50))
    for (let i = 0; i < 5; i++) await limiter.acquire('registry-1.docker.io', 'GET manifests')
    expect(waits).toEqual([])
    expect(lines).toEqual([
      'debug registry-1.docker.io: rate limit 50 of 100 per 21600 s left (source 192.0.2.1)'
    ])
    expect(limiter.hosts.get('registry-1.docker.io')?.remaining).toBe(45)
  })

  it('paces counted requests once remaining is at the low-water mark, and only those', async () => {
    const { limiter, waits, lines } = make()
    limiter.observe('registry-1.docker.io', 'GET manifests', hub(3))
    await limiter.acquire('registry-1.docker.io', 'GET manifests')
    await limiter.acquire('registry-1.docker.io', 'GET manifests')
    await limiter.acquire('registry-1.docker.io', 'HEAD manifests')
    await limiter.acquire('registry-1.docker.io', 'GET blobs')
    await limiter.acquire('other.example', 'GET manifests')
    await limiter.acquire('registry-1.docker.io', 'GET manifests')
    // 21600 s / 100 = 216 s per request, capped at maxPaceMs
    expect(waits).toEqual([1000, 1000])
    expect(lines).toEqual([
      'warning registry-1.docker.io: rate limit 3 of 100 per 21600 s left (source 192.0.2.1); slowing down (authenticate to get a larger limit)'
    ])
  })

  it('shares the budget between concurrent transfers', async () => {
    const { limiter, waits } = make()
    limiter.observe('h', 'GET manifests', { 'ratelimit-limit': '10', 'ratelimit-remaining': '5' })
    await Promise.all(Array.from({ length: 4 }, () => limiter.acquire('h', 'GET manifests')))
    // remaining 5, 4: no pacing; at 3 and 2 (low water 3) paced one gap apart: the first paced
    // request starts at once, the next 1000 ms later (window unknown: 3600 s / 10, capped at 1000 ms)
    expect(waits).toEqual([1000])
    expect(limiter.hosts.get('h')?.remaining).toBe(1)
  })

  it('holds every request to a host after a Retry-After', async () => {
    const { limiter, waits, tick } = make()
    limiter.block('h', 1500)
    tick(500)
    await limiter.acquire('h', 'PUT uploads')
    await limiter.acquire('h', 'GET blobs')
    await limiter.acquire('other', 'GET blobs')
    expect(waits).toEqual([1000])
  })
})
