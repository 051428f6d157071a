import { describe, expect, it } from '@jest/globals'
import {
  RateLimitSpentError,
  RateLimiter,
  parseRateLimit,
  requestKind,
  type RateLimitOptions
} from '../../src/registry/ratelimit.js'
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
  const make = (options: Partial<RateLimitOptions> = {}) => {
    let now = 1_000_000
    const waits: number[] = []
    const lines: string[] = []
    const starts: number[] = []
    const limiter = new RateLimiter(
      { lowWater: 3, lowWaterFraction: 0, ...options },
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
    const go = async (host: string, kind: string): Promise<void> => {
      await limiter.acquire(host, kind)
      starts.push(now - 1_000_000)
    }
    return { limiter, waits, lines, starts, go, tick: (ms: number) => (now += ms) }
  }
  const hub = (remaining: number) => ({
    'ratelimit-limit': '100;w=21600',
    'ratelimit-remaining': `${remaining};w=21600`,
    'docker-ratelimit-source': '192.0.2.1'
  })
  const HUB = 'registry-1.docker.io'

  it('does not wait while the share is comfortable, logs what the host reports', async () => {
    const { limiter, waits, lines } = make()
    limiter.observe(HUB, 'GET manifests', hub(50))
    for (let i = 0; i < 5; i++) await limiter.acquire(HUB, 'GET manifests')
    expect(waits).toEqual([])
    expect(lines).toEqual([
      'debug registry-1.docker.io: rate limit 50 of 100 per 21600 s left (source 192.0.2.1)'
    ])
    expect(limiter.hosts.get(HUB)).toMatchObject({ remaining: 45, share: 45 })
  })

  it('counts manifest GETs, never HEADs (headers on a HEAD speak of the GETs); a share spent for 6 hours fails at once', async () => {
    const { limiter, waits, lines, go } = make()
    // Hub answers a HEAD with the headers too (its way to read the limit without spending a pull)
    limiter.observe(HUB, 'HEAD manifests', hub(2))
    expect([...(limiter.hosts.get(HUB)?.kinds ?? [])]).toEqual(['GET manifests'])
    for (let i = 0; i < 5; i++) await go(HUB, 'HEAD manifests')
    await go(HUB, 'GET manifests')
    await go(HUB, 'GET blobs')
    await go(HUB, 'GET manifests')
    await go('other.example', 'GET manifests')
    await expect(go(HUB, 'GET manifests')).rejects.toThrow(
      new RateLimitSpentError(HUB, 100, 21600, 1, 120_000)
    )
    expect(new RateLimitSpentError(HUB, 100, 21600, 1, 120_000).message).toBe(
      "registry-1.docker.io: the registry's rate limit of 100 requests per 21600 s is used up; it frees up later than the 120 s a run waits: log in to the registry (or use an account with a larger limit), or run again once the window has passed"
    )
    // HEADs stay free after the share is spent; nothing waited for a window it could not see end
    await go(HUB, 'HEAD manifests')
    expect(waits).toEqual([])
    expect(lines).toEqual([
      'warning registry-1.docker.io: rate limit 2 of 100 per 21600 s left (source 192.0.2.1); log in to the registry for a larger limit'
    ])
  })

  it('a spent share is renewed a window plus a guard after the last counted request; a later report only lowers it', async () => {
    const { limiter, starts, go, tick, lines } = make()
    const report = (remaining: number) =>
      limiter.observe('h', 'GET manifests', {
        'ratelimit-limit': '4;w=2',
        'ratelimit-remaining': `${remaining};w=2`
      })
    report(3)
    for (let i = 0; i < 3; i++) await go('h', 'GET manifests')
    tick(500)
    await go('h', 'GET manifests')
    // the share (3) was spent at 0: the next window of the host cannot hold it, 2000 + 250 ms (5 %,
    // at least 250) later a new share, the whole limit, starts
    expect(starts).toEqual([0, 0, 0, 2250])
    report(4) // a report of more left does not raise the share (3 left of the new 4)
    expect(limiter.hosts.get('h')?.share).toBe(3)
    report(1) // one of less does
    await go('h', 'GET manifests')
    await go('h', 'GET manifests')
    expect(starts).toEqual([0, 0, 0, 2250, 2250, 4500])
    // one line per wait
    expect(lines.filter(l => l.startsWith('info'))).toEqual([
      "info h: this run's share of the rate limit of 4 per 2 s is spent; waiting 1.8 s for its window",
      "info h: this run's share of the rate limit of 4 per 2 s is spent; waiting 2.3 s for its window"
    ])
  })

  it('a report of none left on requests sent before the headers were known: no share until a window after it', async () => {
    // GETs that left together before any answer; one answered 429 with none left
    const { limiter, go } = make()
    limiter.observe(HUB, 'GET manifests', hub(0))
    await expect(go(HUB, 'GET manifests')).rejects.toThrow(
      new RateLimitSpentError(HUB, 100, 21600, 1, 120_000)
    )
    const short = make()
    short.limiter.observe('h', 'GET manifests', {
      'ratelimit-limit': '4;w=2',
      'ratelimit-remaining': '0;w=2'
    })
    await short.go('h', 'GET manifests')
    expect(short.starts).toEqual([2250])
  })

  it('a host that gives no window: a spent share fails, saying so', async () => {
    const { limiter, go } = make()
    limiter.observe('h', 'GET manifests', { 'ratelimit-limit': '10', 'ratelimit-remaining': '1' })
    await go('h', 'GET manifests')
    await expect(go('h', 'GET manifests')).rejects.toThrow(
      "h: the registry's rate limit of 10 requests is used up; the registry does not say when it frees up: log in to the registry (or use an account with a larger limit), or run again once the window has passed"
    )
  })

  it('shares the count between concurrent transfers', async () => {
    // a fake clock with timers: the earliest sleeper wakes first
    let now = 0
    const timers: Array<{ at: number; wake: () => void }> = []
    const limiter = new RateLimiter(
      {},
      { now: () => now, sleep: ms => new Promise<void>(wake => void timers.push({ at: now + ms, wake })) }
    )
    const starts: number[] = []
    limiter.observe('h', 'GET manifests', { 'ratelimit-limit': '10;w=60', 'ratelimit-remaining': '5;w=60' })
    const all = Promise.all(
      Array.from({ length: 7 }, async () => {
        await limiter.acquire('h', 'GET manifests')
        starts.push(now)
      })
    )
    for (;;) {
      await new Promise(r => setImmediate(r))
      if (timers.length === 0) break
      timers.sort((a, b) => a.at - b.at)
      const first = timers.shift() as { at: number; wake: () => void }
      now = Math.max(now, first.at)
      first.wake()
    }
    await all
    // five go at once; the last two wait out the window (60 s + 3 s) from the fifth, then share 10
    expect(starts).toEqual([0, 0, 0, 0, 0, 63_000, 63_000])
    expect(limiter.hosts.get('h')?.share).toBe(8)
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

  it("a Retry-After beats a spent share's window: the registry said when to come back; its next report sets the share afresh", async () => {
    const { limiter, go, starts, tick } = make()
    limiter.observe(HUB, 'GET manifests', hub(40))
    tick(1000)
    // answered 429 with none left and Retry-After: 10
    limiter.observe(HUB, 'GET manifests', hub(0))
    limiter.block(HUB, 10_000)
    await go(HUB, 'GET manifests')
    await go(HUB, 'GET manifests')
    limiter.observe(HUB, 'GET manifests', hub(2))
    await go(HUB, 'GET manifests')
    await go(HUB, 'GET manifests')
    await expect(go(HUB, 'GET manifests')).rejects.toThrow(
      new RateLimitSpentError(HUB, 100, 21600, 1, 120_000)
    )
    expect(starts).toEqual([11_000, 11_000, 11_000, 11_000])
  })

  it('a Retry-After that comes while a request waits (here for its budget spacing) holds it too', async () => {
    let now = 0
    const starts: number[] = []
    let blocked = false
    const limiter: RateLimiter = new RateLimiter(
      { budgets: { h: { perSecond: 1 } } },
      {
        now: () => now,
        sleep: async ms => {
          // a 429 with Retry-After: 3 answers another request while this one waits
          if (!blocked) limiter.block('h', 3000)
          blocked = true
          now += ms
        }
      }
    )
    await limiter.acquire('h', 'GET blobs')
    starts.push(now)
    await limiter.acquire('h', 'GET blobs')
    starts.push(now)
    // spaced 1050 ms, then held to the end of the block (3000), not let go at 1050
    expect(starts).toEqual([0, 3000])
  })
})
