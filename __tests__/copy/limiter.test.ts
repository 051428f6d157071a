/** The byte-weighted transfer limiter (copy/limiter.ts): pure, no I/O. */
import { describe, expect, it } from '@jest/globals'
import { HostLimiter, Limiter, SLOT_BYTES, transferUnits } from '../../src/copy/limiter.js'

describe('transferUnits: a transfer weighs its share of a 1 MiB slot, 1/8 at least', () => {
  it.each([
    [0, 8, 1],
    [50_000, 8, 1],
    [131_072, 8, 1],
    [131_073, 8, 2],
    [600_000, 8, 5],
    [SLOT_BYTES, 8, 8],
    [5e9, 8, 8],
    [50_000, 1, 1],
    [5e9, 1, 1]
  ])('%i bytes, %i per slot: %i units', (bytes, perSlot, units) => {
    expect(transferUnits(bytes, perSlot)).toBe(units)
  })
})

describe('Limiter', () => {
  it('lets a small waiter in while a large one that does not fit waits (order of arrival otherwise)', async () => {
    const l = new Limiter(8)
    const order: string[] = []
    const first = await l.acquire(6)
    const big = l.acquire(8).then(r => (order.push('big'), r))
    const small = l.acquire(1).then(r => (order.push('small'), r))
    await new Promise(r => setImmediate(r))
    expect(order).toEqual(['small'])
    first()
    ;(await small)()
    await big
    expect(order).toEqual(['small', 'big'])
  })

  it('a release is counted once', async () => {
    const l = new Limiter(1)
    const r = await l.acquire()
    r()
    r()
    const a = await l.acquire()
    let b = false
    void l.acquire().then(() => (b = true))
    await new Promise(res => setImmediate(res))
    expect(b).toBe(false)
    a()
  })
})

describe('HostLimiter', () => {
  it('2 slots: 24 blobs of 50 KB at once on a host (a slot more for small ones), or 2 of 1 MiB; each host on its own', async () => {
    const h = new HostLimiter(2)
    const smalls = await Promise.all(Array.from({ length: 24 }, () => h.acquireAll(['a'], 50_000)))
    let more = false
    void h.acquireAll(['a'], 50_000).then(() => (more = true))
    const other = await h.acquireAll(['b'], SLOT_BYTES)
    await new Promise(r => setImmediate(r))
    expect(more).toBe(false)
    smalls[0]()
    await new Promise(r => setImmediate(r))
    expect(more).toBe(true)
    other()
  })

  it('2 slots full of large blobs: 8 small ones still move (an image config never waits for a layer), the 9th waits, a 3rd large waits', async () => {
    const h = new HostLimiter(2)
    const large = await Promise.all([h.acquireAll(['a'], SLOT_BYTES), h.acquireAll(['a'], SLOT_BYTES)])
    let third = false
    void h.acquireAll(['a'], SLOT_BYTES).then(() => (third = true))
    const smalls = await Promise.all(Array.from({ length: 8 }, () => h.acquireAll(['a'], 50_000)))
    let ninth = false
    let ninthRelease: (() => void) | undefined
    void h.acquireAll(['a'], 50_000).then(r => ((ninth = true), (ninthRelease = r)))
    await new Promise(r => setImmediate(r))
    expect([third, ninth]).toEqual([false, false])
    smalls[0]()
    await new Promise(r => setImmediate(r))
    expect([third, ninth]).toEqual([false, true])
    // a large one needs its whole slot below the small ones' reserve: in once they are gone
    large[0]()
    await new Promise(r => setImmediate(r))
    expect(third).toBe(false)
    smalls.slice(1).forEach(r => r())
    await new Promise(r => setImmediate(r))
    expect(third).toBe(false)
    ninthRelease?.()
    await new Promise(r => setImmediate(r))
    expect(third).toBe(true)
  })

  it('one blob per slot (perSlot 1): no slot kept for small ones', async () => {
    const h = new HostLimiter(2, 1)
    await Promise.all([h.acquireAll(['a'], SLOT_BYTES), h.acquireAll(['a'], SLOT_BYTES)])
    let small = false
    void h.acquireAll(['a'], 50_000).then(() => (small = true))
    await new Promise(r => setImmediate(r))
    expect(small).toBe(false)
  })
})
