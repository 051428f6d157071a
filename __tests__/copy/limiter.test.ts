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
  it('2 slots: 16 blobs of 50 KB at once on a host, or 2 of 1 MiB; each host on its own', async () => {
    const h = new HostLimiter(2)
    const smalls = await Promise.all(Array.from({ length: 16 }, () => h.acquireAll(['a'], 50_000)))
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
})
