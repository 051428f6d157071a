/**
 * Request budgets (issue 23): the budget text, shares and the sliding window as tables with an
 * injected clock; then on real registries behind recording stand-ins: the plan's requests per
 * registry are exactly what the writes send; a budget too small is refused before any write;
 * three shards, each running with its share of the matrix, stay together within the budget in
 * every second the stand-in counts; a 429 storm at one registry does not stall images bound for
 * another; and three shard processes of the CLI (`promote -f FILE --shard K/3`) behind a stand-in
 * for Docker Hub's pull limit (`ratelimit-*` headers counting every client's manifest GETs per
 * window) stay together within the limit in every window; a limit spent for Hub's 6 hours fails
 * the images past it at once, naming the registry and the remedy.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  BudgetSpentError,
  RateLimiter,
  budgetShare,
  formatRequestBudgets,
  parseRequestBudgets
} from '../../src/registry/ratelimit.js'
import { createRegistryClient } from '../../src/registry/factory.js'
import { promote, RequestBudgetError, type PromotePlan } from '../../src/copy/promote.js'
import { parsePromotionFile } from '../../src/batch/file.js'
import { runBatch } from '../../src/batch/run.js'
import { matrixOf } from '../../src/batch/load.js'
import type { TestRegistry } from '../helpers/registry.js'
import { startProxy, type FaultHook, type Proxy } from '../helpers/proxy.js'
import { runCliFromSource } from '../helpers/cli-source.js'
import { listTags, pushImage, randomBlob } from '../helpers/images.js'
import { startRegistries } from '../copy/setup.js'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseCommandLine, type PlanCommand, type PromoteFileCommand } from '../../src/cli/args.js'
import { runPlan } from '../../src/cli/plan.js'
import { clientOptions, type ClientEdge } from '../../src/engine-options.js'
import { silentLogger } from '../../src/logger.js'
import { OPTION_FLAGS, OPTION_INPUTS, OptionError, parseOptions } from '../../src/options.js'
import { withTlsAdvice } from '../../src/report/tls-words.js'
import { runPromoteFile } from '../../src/cli/promote-file.js'

describe('budget text', () => {
  it.each([
    [['ghcr.io=20/s'], { 'ghcr.io': { perSecond: 20 } }],
    [['docker.io=100'], { 'docker.io': { total: 100 } }],
    [
      ['registry-1.docker.io=2.5/s,600 ghcr.io=1'],
      { 'docker.io': { perSecond: 2.5, total: 600 }, 'ghcr.io': { total: 1 } }
    ],
    [
      ['localhost:5000=8/s', 'Index.Docker.io=3/s'],
      { 'localhost:5000': { perSecond: 8 }, 'docker.io': { perSecond: 3 } }
    ],
    [[''], {}]
  ])('%j', (texts, expected) => {
    expect(parseRequestBudgets(texts)).toEqual(expected)
  })

  it.each([
    [
      'ghcr.io',
      'request budget "ghcr.io": must be REGISTRY=N/s, REGISTRY=TOTAL or REGISTRY=N/s,TOTAL (N > 0, TOTAL a whole number > 0)'
    ],
    [
      'ghcr.io=0/s',
      'request budget "ghcr.io=0/s": must be REGISTRY=N/s, REGISTRY=TOTAL or REGISTRY=N/s,TOTAL (N > 0, TOTAL a whole number > 0)'
    ],
    [
      'ghcr.io=5/m',
      'request budget "ghcr.io=5/m": must be REGISTRY=N/s, REGISTRY=TOTAL or REGISTRY=N/s,TOTAL (N > 0, TOTAL a whole number > 0)'
    ],
    [
      'ghcr.io=1.5',
      'request budget "ghcr.io=1.5": must be REGISTRY=N/s, REGISTRY=TOTAL or REGISTRY=N/s,TOTAL (N > 0, TOTAL a whole number > 0)'
    ],
    ['docker.io=5 index.docker.io=6', 'request budget "index.docker.io=6": docker.io is given a budget twice']
  ])('%j is refused', (text, message) => {
    expect(() => parseRequestBudgets([text])).toThrow(message)
  })

  it('the option is named at the edge, each interface in its own words (options.ts)', () => {
    const rule =
      'must be REGISTRY=N/s, REGISTRY=TOTAL or REGISTRY=N/s,TOTAL (N > 0, TOTAL a whole number > 0)'
    for (const [names, option] of [
      [OPTION_FLAGS, '--request-budget'],
      [OPTION_INPUTS, 'request-budget']
    ] as const)
      expect(() => parseOptions({ requestBudgets: ['ghcr.io'] }, names, () => true)).toThrow(
        new OptionError(option, 'ghcr.io', rule)
      )
  })

  it('shares divide the rate (fractions kept) and the total (rounded down, at least 1), and print as parsed', () => {
    const budgets = parseRequestBudgets(['ghcr.io=20/s,1000 docker.io=2/s a.example=2'])
    expect(formatRequestBudgets(budgetShare(budgets, 3))).toBe(
      'a.example=1 docker.io=0.666/s ghcr.io=6.666/s,333'
    )
    expect(parseRequestBudgets([formatRequestBudgets(budgetShare(budgets, 3))])).toEqual(
      budgetShare(budgets, 3)
    )
    expect(() => budgetShare(budgets, 0)).toThrow('shares must be a whole number ≥ 1, not 0')
  })
})

describe('RateLimiter budgets (injected clock)', () => {
  const make = (budgets: string) => {
    let now = 1_000_000
    const starts: number[] = []
    const limiter = new RateLimiter(
      { budgets: parseRequestBudgets([budgets]) },
      { now: () => now, sleep: async ms => void (now += ms) }
    )
    const go = async (host: string): Promise<void> => {
      await limiter.acquire(host, 'GET blobs')
      starts.push(now - 1_000_000)
    }
    return { limiter, starts, go }
  }

  it('spaces requests evenly: N per second plus the 50 ms guard', async () => {
    const { starts, go } = make('r.example=3/s')
    for (let i = 0; i < 7; i++) await go('r.example')
    expect(starts).toEqual([0, 350, 700, 1050, 1400, 1750, 2100])
  })

  it('concurrent requests are let go one spacing apart, from when each is actually let go', async () => {
    // a fake clock with timers: the earliest sleeper wakes first; one wakes 100 ms late (a busy loop)
    let now = 0
    const timers: Array<{ at: number; wake: () => void }> = []
    const limiter = new RateLimiter(
      { budgets: parseRequestBudgets(['r.example=4/s']) },
      { now: () => now, sleep: ms => new Promise<void>(wake => void timers.push({ at: now + ms, wake })) }
    )
    const starts: number[] = []
    const all = Promise.all(
      Array.from({ length: 5 }, async () => {
        await limiter.acquire('r.example', 'GET blobs')
        starts.push(now)
      })
    )
    for (let late = 100; ; late = 0) {
      await new Promise(r => setImmediate(r))
      if (timers.length === 0) break
      timers.sort((a, b) => a.at - b.at)
      const first = timers.shift() as { at: number; wake: () => void }
      now = Math.max(now, first.at + late)
      first.wake()
    }
    await all
    // 1050 / 4 = 262.5 ms apart; the late wake-up shifts those after it, never bunches them
    expect(starts).toEqual([0, 363, 626, 889, 1152])
  })

  it('a rate under 1/s spaces single requests; other registries are not held', async () => {
    const { starts, go } = make('r.example=0.5/s')
    await go('r.example')
    await go('other.example')
    await go('r.example')
    expect(starts).toEqual([0, 0, 2100])
  })

  it('a reservation is set aside from the total: requests run in it draw on it, no other request takes it, release gives back the rest (newuser finding 10)', async () => {
    const { limiter, go } = make('h.example=5')
    const mine = limiter.reserve(
      new Map([
        ['h.example', 3],
        ['other.example', 2]
      ])
    )
    expect(limiter.remaining('h.example')).toBe(2)
    await go('h.example')
    await go('h.example')
    // the 2 left to all are spent: a request outside the reservation is refused, one inside is not
    await expect(go('h.example')).rejects.toThrow(new BudgetSpentError('h.example', 5))
    await mine.run(async () => await go('h.example'))
    expect(limiter.remaining('h.example')).toBe(0)
    mine.release()
    mine.release()
    expect(limiter.remaining('h.example')).toBe(2)
    expect([limiter.spent.get('h.example'), limiter.remaining('other.example')]).toEqual([3, undefined])
  })

  it('Docker Hub hosts share one budget; past the total a request is refused naming the option', async () => {
    const { limiter, go } = make('docker.io=2')
    await go('registry-1.docker.io')
    expect(limiter.remaining('index.docker.io')).toBe(1)
    await go('registry-1.docker.io')
    expect(limiter.remaining('docker.io')).toBe(0)
    await expect(go('registry-1.docker.io')).rejects.toThrow(new BudgetSpentError('docker.io', 2))
    // the engine gives the facts; the edge (report/tls-words.ts) names the option as each interface does
    await expect(
      go('registry-1.docker.io').catch(e => Promise.reject(withTlsAdvice(e, OPTION_INPUTS)))
    ).rejects.toThrow(
      'docker.io: the request budget of 2 requests (request-budget) is spent; raise it or promote fewer images per run'
    )
    await expect(
      go('registry-1.docker.io').catch(e => Promise.reject(withTlsAdvice(e, OPTION_FLAGS)))
    ).rejects.toThrow(
      'docker.io: the request budget of 2 requests (--request-budget) is spent; raise it or promote fewer images per run'
    )
    expect(limiter.remaining('other.example')).toBeUndefined()
  })

  it('a shard spends its third of what the headers allow (sharedBy 3), a window at a time', async () => {
    let now = 0
    const starts: number[] = []
    const limiter = new RateLimiter({ sharedBy: 3 }, { now: () => now, sleep: async ms => void (now += ms) })
    limiter.observe('h', 'GET manifests', { 'ratelimit-limit': '9;w=10', 'ratelimit-remaining': '7;w=10' })
    for (let i = 0; i < 8; i++) {
      await limiter.acquire('h', 'GET manifests')
      starts.push(now)
    }
    // ⌊7 / 3⌋ = 2 now; then ⌊9 / 3⌋ = 3 a window (10 s + 5 %) after the last: one process alone
    // would have started 7 at 0
    expect(starts).toEqual([0, 0, 10_500, 10_500, 10_500, 21_000, 21_000, 21_000])
    // Docker Hub's 6-hour window: a spent share is not waited for; it fails naming the host
    const hub = new RateLimiter({ sharedBy: 3 }, { now: () => now, sleep: async ms => void (now += ms) })
    hub.observe('registry-1.docker.io', 'GET manifests', {
      'ratelimit-limit': '100;w=21600',
      'ratelimit-remaining': '5;w=21600'
    })
    await hub.acquire('registry-1.docker.io', 'GET manifests')
    await expect(hub.acquire('registry-1.docker.io', 'GET manifests')).rejects.toThrow(
      "registry-1.docker.io: the registry's rate limit of 100 requests per 21600 s is used up, shared by 3 shards: this one's share is used up; it frees up later than the 120 s a run waits: log in to the registry (or use an account with a larger limit), or run again once the window has passed"
    )
    // a limit smaller than the shards leaves each none: refused at once, not waited for
    const few = new RateLimiter({ sharedBy: 3 }, { now: () => now, sleep: async ms => void (now += ms) })
    few.observe('h', 'HEAD manifests', { 'ratelimit-limit': '2;w=10', 'ratelimit-remaining': '2;w=10' })
    await expect(few.acquire('h', 'GET manifests')).rejects.toThrow(
      "h: the registry's rate limit of 2 requests per 10 s leaves nothing to each of 3 shards; run at most 2 shards, or log in to the registry (or use an account with a larger limit)"
    )
  })
})

describe("a shard shares each registry's ratelimit-* headers with the other shards", () => {
  const edge = (sharedBy?: number): ClientEdge => ({
    credentials: async () => undefined,
    logger: silentLogger,
    sharedBy
  })
  const parsed = (...extra: string[]): PromoteFileCommand =>
    parseCommandLine(['promote', '-f', 'f.yaml', ...extra], { fileExists: () => true }) as PromoteFileCommand

  it('--shard K/N gives the client sharedBy N, beside the budgets; one process shares nothing', () => {
    const one = parsed('--shard', '2/3')
    expect(clientOptions(one.options, edge(one.shard?.n)).rateLimit).toEqual({ sharedBy: 3 })
    const both = parsed('--shard', '1/4', '--request-budget', 'ghcr.io=10/s')
    expect(clientOptions(both.options, edge(both.shard?.n)).rateLimit).toEqual({
      budgets: { 'ghcr.io': { perSecond: 10 } },
      sharedBy: 4
    })
    expect(clientOptions(parsed().options, edge(undefined)).rateLimit).toBeUndefined()
    expect(clientOptions(parsed('--shard', '1/1').options, edge(1)).rateLimit).toBeUndefined()
  })
})

/** The most exchanges that arrived within any window of `ms` (the stand-in's count per second). */
function busiest(at: number[], ms = 1000): number {
  const xs = [...at].sort((a, b) => a - b)
  let most = 0
  for (let i = 0, j = 0; i < xs.length; i++) {
    while (xs[i] - xs[j] >= ms) j++
    most = Math.max(most, i - j + 1)
  }
  return most
}

describe('request budgets on real registries', () => {
  let src: TestRegistry
  let d1: TestRegistry
  let d2: TestRegistry
  let ps: Proxy
  let p1: Proxy
  let p2: Proxy

  beforeAll(async () => {
    ;[src, d1, d2] = await startRegistries(3)
    ;[ps, p1, p2] = await Promise.all([startProxy(src.url), startProxy(d1.url), startProxy(d2.url)])
    for (let i = 0; i < 9; i++)
      await pushImage(src.url, `team/s${i}`, [randomBlob(2_000 + i), randomBlob(3_000 + i)], { tag: 'rc' })
    await pushImage(src.url, 'team/three', [randomBlob(5_000), randomBlob(6_000), randomBlob(7_000)], {
      tag: 'rc'
    })
  })
  afterAll(async () => {
    await Promise.all([ps?.stop(), p1?.stop(), p2?.stop()])
    await Promise.all([src?.stop(), d1?.stop(), d2?.stop()])
  })

  it("the plan's requests per registry are exactly what the writes send", async () => {
    const client = createRegistryClient({
      rateLimit: { budgets: parseRequestBudgets([`${ps.host}=1000 ${p1.host}=1000`]) }
    })
    let plan: PromotePlan | undefined
    const before: number[] = []
    try {
      await promote(client, {
        source: { registry: ps.host, repository: 'team/three', reference: 'rc' },
        targets: [{ repo: { registry: p1.host, repository: 'exact/three' }, tags: ['v1', 'latest'] }],
        requestBudget: client.transport.rateLimits,
        onPlan: p => {
          plan = p
          before.push(ps.log.length, p1.log.length)
          ps.reset()
          p1.reset()
        }
      })
    } finally {
      await client.close()
    }
    // 4 blobs: 4 source GETs; 4 × POST + PUT, the manifest under v1, then latest. Spent before
    // the plan: what each stand-in saw (over plain http: loopback hosts)
    expect(plan?.budget).toEqual([
      { registry: ps.host, requests: 4, remaining: 1000 - before[0] },
      { registry: p1.host, requests: 10, remaining: 1000 - before[1] }
    ])
    expect([ps.log.length, p1.log.length]).toEqual([4, 10])
    expect(await listTags(d1.url, 'exact/three')).toEqual(['latest', 'v1'])
  })

  it('a budget smaller than the writes need is refused before any write', async () => {
    const client = createRegistryClient({
      rateLimit: { budgets: parseRequestBudgets([`${p1.host}=11`]) }
    })
    p1.reset()
    let error: unknown
    try {
      await promote(client, {
        source: { registry: ps.host, repository: 'team/three', reference: 'rc' },
        targets: [{ repo: { registry: p1.host, repository: 'small/three' }, tags: ['v1'] }],
        requestBudget: client.transport.rateLimits
      }).catch(e => (error = e))
    } finally {
      await client.close()
    }
    // left: 11 less the probes the stand-in saw (no ping: the first probe's answer settles the
    // scheme): the root and tag HEADs and the tag listing beside them; its 404 (a new repository)
    // spares the 4 blob HEADs
    expect(p1.log.length).toBe(3)
    // newuser6 #23: the total needed (the probe's reads and the writes), before: only 'the writes
    // need 9, the budget has 8 left', and raising it to 9 was refused again
    const line = `${p1.host}: the writes need 9 requests, the request budget of 11 has 8 left (3 taken before the writes): 12 in all`
    expect([(error as RequestBudgetError).problems, (error as RequestBudgetError).covering]).toEqual([
      [line],
      [`${p1.host}=12`]
    ])
    // the interfaces' words (the edge names the option)
    const again = (): RequestBudgetError =>
      new RequestBudgetError((error as RequestBudgetError).problems, (error as RequestBudgetError).covering)
    expect(withTlsAdvice(again(), OPTION_INPUTS).message).toBe(
      `request budget too small, nothing written:\n  ${line}\n  set request-budget: ${p1.host}=12 or more, or promote fewer images per run`
    )
    expect(withTlsAdvice(again(), OPTION_FLAGS).message).toBe(
      `request budget too small, nothing written:\n  ${line}\n  give --request-budget ${p1.host}=12 or more, or promote fewer images per run`
    )
    expect(withTlsAdvice(new RequestBudgetError(['x']), OPTION_INPUTS).message).toBe(
      'request budget too small, nothing written:\n  x\n  raise request-budget, or promote fewer images per run'
    )
    expect(p1.log.map(x => x.method).filter(m => m !== 'GET' && m !== 'HEAD')).toEqual([])
    expect(await listTags(d1.url, 'small/three')).toEqual([])

    // the advice followed: a budget of exactly 12 promotes it, 12 requests at the target
    const followed = createRegistryClient({
      rateLimit: { budgets: parseRequestBudgets([`${p1.host}=12`]) }
    })
    p1.reset()
    try {
      const done = await promote(followed, {
        source: { registry: ps.host, repository: 'team/three', reference: 'rc' },
        targets: [{ repo: { registry: p1.host, repository: 'small/three' }, tags: ['v1'] }],
        requestBudget: followed.transport.rateLimits
      })
      expect(done.targets.map(t => t.tags)).toEqual([[{ tag: 'v1', action: 'create' }]])
    } finally {
      await followed.close()
    }
    expect(p1.log.length).toBe(12)
    expect(await listTags(d1.url, 'small/three')).toEqual(['v1'])
  })

  const file = (prefix: string, images: Array<[string, string]>): ReturnType<typeof parsePromotionFile> =>
    parsePromotionFile(
      [
        'images:',
        ...images.flatMap(([name, target]) => [
          `  - name: ${name}`,
          `    source: ${ps.host}/team/${name}:rc`,
          `    targets: [${target}/${prefix}/${name}]`,
          '    tags: [v1]',
          '    referrers: none'
        ])
      ].join('\n'),
      `${prefix}.yaml`
    )

  it('images admitted together each reserve their writes: none runs out mid-copy, a refused one writes nothing (newuser finding 10)', async () => {
    // before: each image was checked against the total left, not what the images admitted before it
    // would still send, so images admitted together ran it out mid-copy ('… the request budget of 40
    // requests is spent') and left blobs without tags
    const names = ['s0', 's1', 's2', 's3', 's4']
    const { images } = file(
      'reserved',
      names.map(n => [n, p1.host])
    )
    const client = createRegistryClient({ rateLimit: { budgets: parseRequestBudgets([`${p1.host}=30`]) } })
    p1.reset()
    const outcomes = await runBatch(client, images, { requestBudget: client.transport.rateLimits }).finally(
      () => client.close()
    )
    const promoted = outcomes.filter(o => o.result).map(o => o.image.name)
    const refused = outcomes.filter(o => o.error instanceof RequestBudgetError).map(o => o.image.name)
    const others = outcomes.filter(o => o.error && !(o.error instanceof RequestBudgetError))
    expect(others.map(o => o.error?.message)).toEqual([])
    expect([promoted.length > 0, refused.length > 0, promoted.length + refused.length]).toEqual([
      true,
      true,
      5
    ])
    for (const o of outcomes.filter(x => x.error))
      expect(o.error?.message).toMatch(
        new RegExp(
          `^request budget too small, nothing written:\\n  ${p1.host}: the writes need \\d+ requests, the request budget of \\d+ has \\d+ left \\(\\d+ taken before the writes\\): \\d+ in all\\n`
        )
      )
    const writes = (n: string): string[] =>
      p1.log
        .filter(x => x.path.startsWith(`/v2/reserved/${n}/`) && x.method !== 'GET' && x.method !== 'HEAD')
        .map(x => `${x.method} ${x.path}`)
    expect(refused.flatMap(writes)).toEqual([])
    for (const n of promoted) expect(await listTags(d1.url, `reserved/${n}`)).toEqual(['v1'])
    expect(p1.log.length).toBeLessThanOrEqual(40)
  })

  it('a dry run checks each image against the total less what the images planned before it reserved (newuser finding 10)', async () => {
    // before: '5 of 5 images planned' with a total that a real run ran out of mid-copy
    const names = ['s0', 's1', 's2', 's3', 's4']
    const { images } = file(
      'reserved-dry',
      names.map(n => [n, p1.host])
    )
    const client = createRegistryClient({ rateLimit: { budgets: parseRequestBudgets([`${p1.host}=30`]) } })
    p1.reset()
    const outcomes = await runBatch(client, images, {
      requestBudget: client.transport.rateLimits,
      dryRun: true
    }).finally(() => client.close())
    const planned = outcomes.filter(o => o.result).map(o => o.image.name)
    const refused = outcomes.filter(o => o.error instanceof RequestBudgetError).map(o => o.image.name)
    expect([planned.length > 0, refused.length > 0, planned.length + refused.length]).toEqual([true, true, 5])
    // what the planned images reserved and the probes spent fit the total
    const reserved = outcomes
      .flatMap(o => o.result?.plan.budget ?? [])
      .filter(e => e.registry === p1.host)
      .reduce((n, e) => n + e.requests, 0)
    expect(reserved + p1.log.length).toBeLessThanOrEqual(30)
    expect(p1.log.map(x => x.method).filter(m => m !== 'GET' && m !== 'HEAD')).toEqual([])
  })

  it('three shards, each with its share from the matrix, stay within the budget in every second', async () => {
    const BUDGET = 24
    const names = Array.from({ length: 9 }, (_, i) => `s${i}`)
    const { images } = file(
      'sharded',
      names.map(n => [n, p1.host])
    )
    const planner = createRegistryClient()
    const budgets = parseRequestBudgets([`${p1.host}=${BUDGET}/s`])
    const matrix = await matrixOf(planner, images, 3, undefined, budgets).finally(() => planner.close())
    expect(matrix.include.map(s => [s.shard.replace(/@.*/, ''), s.images.length, s.budget])).toEqual([
      ['1/3', 3, `${p1.host}=8/s`],
      ['2/3', 3, `${p1.host}=8/s`],
      ['3/3', 3, `${p1.host}=8/s`]
    ])
    p1.reset()
    const outcomes = await Promise.all(
      matrix.include.map(async s => {
        const client = createRegistryClient({
          rateLimit: { budgets: parseRequestBudgets([s.budget as string]) }
        })
        try {
          return await runBatch(
            client,
            images.filter(i => s.images.includes(i.name)),
            {
              requestBudget: client.transport.rateLimits
            }
          )
        } finally {
          await client.close()
        }
      })
    )
    expect(outcomes.flat().map(o => [o.image.name, o.error?.message])).toEqual(
      expect.arrayContaining(names.map(n => [n, undefined]))
    )
    for (const n of names) expect(await listTags(d1.url, `sharded/${n}`)).toEqual(['v1'])
    // the budget mattered: more requests than one second allows, spread over several seconds
    expect(p1.log.length).toBeGreaterThan(2 * BUDGET)
    // the limiter spaces each shard's request starts 125 ms apart (8/s), so any 900 ms holds at most
    // 8 starts per shard; counting arrivals over 900 ms, not 1000, leaves 100 ms for the time a
    // request takes from its start to the stand-in on a loaded machine (at load ~20, 25 arrived
    // within one 1000 ms window though every shard kept its spacing)
    const arrivals = p1.log.map(x => x.at)
    expect(busiest(arrivals, 900)).toBeLessThanOrEqual(BUDGET)
  })

  it('the CLI: plan --shards prints each share; promote -f --request-budget refuses a plan it cannot fit, naming the flag', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'budget-')), 'file.yaml')
    writeFileSync(
      path,
      [
        'images:',
        ...['s0', 's1'].flatMap(n => [
          `  - name: ${n}`,
          `    source: ${ps.host}/team/${n}:rc`,
          `    targets: [${p2.host}/cli/${n}]`,
          '    tags: [v1]'
        ])
      ].join('\n') + '\n'
    )
    const run = async (argv: string[]): Promise<{ code: number; out: string; err: string[] }> => {
      const cmd = parseCommandLine(argv, { fileExists: () => true }) as PlanCommand | PromoteFileCommand
      const out: string[] = []
      const err: string[] = []
      const log = (m: string): void => void err.push(m)
      const io = {
        out: (t: string) => void out.push(t),
        log: { debug: () => undefined, info: log, warning: log }
      }
      const code = cmd.command === 'plan' ? await runPlan(cmd, io) : await runPromoteFile(cmd, io)
      return { code, out: out.join(''), err }
    }
    const plan = await run(['plan', '-f', path, '--shards', '2', '--request-budget', `${p2.host}=9/s,101`])
    expect(JSON.parse(plan.out)).toEqual({
      include: [
        { shard: '1/2@f154239ec144', images: ['s1'], budget: `${p2.host}=4.5/s,50` },
        { shard: '2/2@f154239ec144', images: ['s0'], budget: `${p2.host}=4.5/s,50` }
      ]
    })
    const small = await run(['promote', '-f', path, '--request-budget', `${p2.host}=6`])
    expect(small.code).toBe(1)
    expect(small.err.join('\n')).toMatch(
      new RegExp(
        `the request budget of 6 has \\d+ left \\(\\d+ taken before the writes\\): \\d+ in all\\n  give --request-budget ${p2.host.replace(/\./g, '\\.')}=\\d+ or more, or promote fewer images per run`
      )
    )
    expect(await listTags(d2.url, 'cli/s0')).toEqual([])
    expect(
      parseCommandLine(['promote', '-f', path, '--request-budget', 'ghcr.io=fast'], {
        fileExists: () => true
      })
    ).toEqual({
      command: 'usage-error',
      message:
        '--request-budget "ghcr.io=fast": must be REGISTRY=N/s, REGISTRY=TOTAL or REGISTRY=N/s,TOTAL (N > 0, TOTAL a whole number > 0)'
    })
  })

  it('a 429 storm at one registry does not stall images bound for another', async () => {
    p1.reset()
    p1.setFault(() => ({ kind: 'respond', status: 429, headers: { 'retry-after': '30' } }))
    const held: Array<() => void> = []
    const client = createRegistryClient({
      // the Retry-After waits are held until released: no wall clock
      sleep: () => new Promise<void>(resolve => held.push(resolve))
    })
    const { images } = file('storm', [
      ['s0', p1.host],
      ['s1', p1.host],
      ['s2', p1.host],
      ['s3', p2.host],
      ['s4', p2.host]
    ])
    try {
      const batch = runBatch(client, images, { imagesAtOnce: 2 })
      // both images bound for the other registry complete while the storm holds the first (the
      // wall clock only bounds how long the test looks)
      const other = async (): Promise<string[][]> =>
        await Promise.all(['s3', 's4'].map(n => listTags(d2.url, `storm/${n}`)))
      for (const until = Date.now() + 10_000; Date.now() < until;) {
        if ((await other()).every(t => t.length === 1)) break
        await new Promise(r => setTimeout(r, 20))
      }
      expect(await other()).toEqual([['v1'], ['v1']])
      expect(held.length).toBeGreaterThan(0)
      expect(p1.log.map(x => x.status).filter(s => s !== 429)).toEqual([])
      p1.setFault(undefined)
      while (held.length) held.shift()?.()
      const release = setInterval(() => held.splice(0).forEach(r => r()), 5)
      const outcomes = await batch.finally(() => clearInterval(release))
      expect(outcomes.map(o => [o.image.name, o.error?.message])).toEqual([
        ['s0', undefined],
        ['s1', undefined],
        ['s2', undefined],
        ['s3', undefined],
        ['s4', undefined]
      ])
    } finally {
      p1.setFault(undefined)
      await client.close()
    }
  })
})

/**
 * A stand-in for Docker Hub's pull limit in front of a real registry (docker docs pulls.md): every
 * manifest GET, from any client, counts against `limit` per fixed window of `windowMs` (the first
 * from the first counted GET); answers to manifest GETs and HEADs carry `ratelimit-limit: L;w=S`
 * and `ratelimit-remaining: R;w=S`, HEADs counting nothing; a GET past the limit is answered 429
 * TOOMANYREQUESTS without Retry-After, as Hub answers it.
 */
function pullLimit(limit: number, windowMs: number): { hook: FaultHook; counts: () => number[] } {
  let t0 = 0
  const counts: number[] = []
  const w = windowMs / 1000
  const headers = (remaining: number): Record<string, string> => ({
    'ratelimit-limit': `${limit};w=${w}`,
    'ratelimit-remaining': `${remaining};w=${w}`,
    'docker-ratelimit-source': '127.0.0.1'
  })
  const hook: FaultHook = req => {
    if (!/\/manifests\//.test(req.url ?? '') || (req.method !== 'GET' && req.method !== 'HEAD'))
      return undefined
    const now = Date.now()
    const k = t0 ? Math.floor((now - t0) / windowMs) : 0
    if (req.method === 'HEAD')
      return { kind: 'rewrite', headers: headers(Math.max(0, limit - (counts[k] ?? 0))) }
    if (!t0) t0 = now
    counts[k] = (counts[k] ?? 0) + 1
    if (counts[k] <= limit) return { kind: 'rewrite', headers: headers(limit - counts[k]) }
    return {
      kind: 'respond',
      status: 429,
      headers: { ...headers(0), 'content-type': 'application/json' },
      body: JSON.stringify({
        errors: [{ code: 'TOOMANYREQUESTS', message: 'You have reached your pull rate limit.' }]
      })
    }
  }
  return { hook, counts: () => Array.from(counts, c => c ?? 0) }
}

describe("shards share a registry's ratelimit-* headers, end to end (the CLI, as the matrix runs it)", () => {
  const LIMIT = 9
  const WINDOW_MS = 2000
  const NAMES = ['h0', 'h1', 'h2', 'h3', 'h4', 'h5']
  let src: TestRegistry
  let dst: TestRegistry
  let stand: Proxy

  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    stand = await startProxy(src.url)
    for (const [i, n] of NAMES.entries())
      await pushImage(src.url, `team/${n}`, [randomBlob(1_000 + i), randomBlob(1_500 + i)], { tag: 'rc' })
  })
  afterAll(async () => {
    await stand?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  const fileOf = (prefix: string): string => {
    const path = join(mkdtempSync(join(tmpdir(), 'pull-limit-')), 'file.yaml')
    writeFileSync(
      path,
      [
        'images:',
        ...NAMES.flatMap(n => [
          `  - name: ${n}`,
          `    source: ${stand.host}/team/${n}:rc`,
          `    targets: [${dst.host}/${prefix}/${n}]`,
          '    tags: [v1]',
          '    referrers: none'
        ])
      ].join('\n') + '\n'
    )
    return path
  }

  it('three shards (promote -f FILE --shard K/3) together stay within the limit in every window', async () => {
    const limit = pullLimit(LIMIT, WINDOW_MS)
    stand.reset()
    stand.setFault(limit.hook)
    const path = fileOf('sharded')
    const runs = await Promise.all(
      [1, 2, 3].map(k => runCliFromSource(['promote', '-f', path, '--shard', `${k}/3`]))
    )
    expect(runs.map(r => [r.status, r.status === 0 ? '' : r.stderr])).toEqual([
      [0, ''],
      [0, ''],
      [0, '']
    ])
    for (const n of NAMES) expect(await listTags(dst.url, `sharded/${n}`)).toEqual(['v1'])
    const gets = stand.entries('GET', /\/manifests\//)
    // each shard sizes all six images (the same plan everywhere) and pulls its own two again: more
    // pulls than one window allows, so the shares and the windows were what kept them in
    expect(limit.counts().reduce((a, b) => a + b, 0)).toBe(gets.length)
    expect(gets.length).toBe(3 * (6 + 2))
    expect(gets.filter(e => e.status === 429)).toEqual([])
    expect(Math.max(...limit.counts())).toBeLessThanOrEqual(LIMIT)
    // the HEADs carried the headers too, and counted nothing
    expect(stand.count('HEAD', /\/manifests\//)).toBeGreaterThan(0)
  })

  it('one process alone (no --shard) spends the whole limit at once: more than a shard may', async () => {
    const limit = pullLimit(LIMIT, WINDOW_MS)
    stand.reset()
    stand.setFault(limit.hook)
    const run = await runCliFromSource(['promote', '-f', fileOf('alone')])
    expect([run.status, run.status === 0 ? '' : run.stderr]).toEqual([0, ''])
    expect(stand.entries('GET', /\/manifests\//).filter(e => e.status === 429)).toEqual([])
    // a shard of three spends at most ⌊9 / 3⌋ = 3 per window; alone, the six pulls are not held to that
    expect(limit.counts().reduce((a, b) => a + b, 0)).toBe(6)
    expect(limit.counts()[0]).toBeGreaterThan(Math.floor(LIMIT / 3))
  })
})

describe('a pull limit spent for 6 hours, end to end', () => {
  const NAMES = ['g0', 'g1', 'g2', 'g3', 'g4', 'g5']
  let src: TestRegistry
  let dst: TestRegistry
  let stand: Proxy
  beforeAll(async () => {
    ;[src, dst] = await startRegistries(2)
    stand = await startProxy(src.url, { fault: pullLimit(4, 21_600_000).hook })
    for (const [i, n] of NAMES.entries())
      await pushImage(src.url, `team/${n}`, [randomBlob(900 + i), randomBlob(800 + i)], { tag: 'rc' })
  })
  afterAll(async () => {
    await stand?.stop()
    await Promise.all([src?.stop(), dst?.stop()])
  })

  it('the images past the limit fail at once, naming the registry and the remedy; none is pulled twice', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'pull-spent-')), 'file.yaml')
    writeFileSync(
      path,
      [
        'images:',
        ...NAMES.flatMap(n => [
          `  - name: ${n}`,
          `    source: ${stand.host}/team/${n}:rc`,
          `    targets: [${dst.host}/spent/${n}]`,
          '    tags: [v1]',
          '    referrers: none'
        ])
      ].join('\n') + '\n'
    )
    const run = await runCliFromSource(['promote', '-f', path])
    expect(run.status).toBe(1)
    const summary = run.stderr.split('promote-image: 2 of 6 images failed:\n')[1]?.trimEnd().split('\n')
    const message = `${stand.host}: the registry's rate limit of 4 requests per 21600 s is used up; it frees up later than the 120 s a run waits: log in to the registry (or use an account with a larger limit), or run again once the window has passed`
    expect(summary?.map(l => l.replace(/^ {2}g\d: /, ''))).toEqual([message, message])
    const promoted = NAMES.filter(n => !summary?.some(l => l.startsWith(`  ${n}: `)))
    for (const n of promoted) expect(await listTags(dst.url, `spent/${n}`)).toEqual(['v1'])
    // four pulls answered; the GETs that left together before the first answer may meet 429 once,
    // none is sent again into a limit known to be spent
    const gets = stand.entries('GET', /\/manifests\//)
    expect(gets.filter(e => e.status === 200).length).toBe(4)
    expect(NAMES.map(n => gets.filter(e => e.path === `/v2/team/${n}/manifests/rc`).length <= 1)).toEqual(
      NAMES.map(() => true)
    )
  })
})
