/** The shard planner as a table: exact shards and loads for each shape of promotion file. */
import { describe, expect, it } from '@jest/globals'
import { planShards, shardMatrix, type ShardImage } from '../../src/batch/shards.js'
import { fewerShardsText } from '../../src/batch/load.js'

/** An image needing `blobs` (`name:size`) at registry `r1`. */
const img = (name: string, ...blobs: string[]): ShardImage => ({
  name,
  needs: blobs.map(b => {
    const [key, size] = b.split(':')
    return { key: `r1 ${key}`, size: Number(size) }
  })
})

describe('planShards', () => {
  const cases: Array<
    [string, ShardImage[], number, Array<{ shard: number; images: number[]; bytes: number }>]
  > = [
    [
      'one shard takes everything',
      [img('a', 'x:5'), img('b', 'y:7')],
      1,
      [{ shard: 1, images: [0, 1], bytes: 12 }]
    ],
    [
      'four equal images, two shards: largest-first greedy, ties to the lower shard',
      [img('a', 'a:100'), img('b', 'b:100'), img('c', 'c:100'), img('d', 'd:100')],
      2,
      [
        { shard: 1, images: [0, 2], bytes: 200 },
        { shard: 2, images: [1, 3], bytes: 200 }
      ]
    ],
    [
      'unequal independent images are balanced by bytes',
      [img('s', 's:10'), img('big', 'g:90'), img('m1', 'm:50'), img('m2', 'n:40')],
      2,
      [
        { shard: 1, images: [0, 1], bytes: 100 },
        { shard: 2, images: [2, 3], bytes: 90 }
      ]
    ],
    [
      'two images sharing a large base stay together; the others fill the other shard',
      [img('a', 'base:1000', 'a:10'), img('c', 'c:500'), img('b', 'base:1000', 'b:10'), img('d', 'd:500')],
      2,
      [
        { shard: 1, images: [0, 2], bytes: 1020 },
        { shard: 2, images: [1, 3], bytes: 1000 }
      ]
    ],
    [
      'sharing that would overload one shard is given up: each shard takes a pair and pays the base once',
      [
        img('a', 'base:100', 'a:1000'),
        img('b', 'base:100', 'b:1000'),
        img('c', 'base:100', 'c:1000'),
        img('d', 'base:100', 'd:1000')
      ],
      2,
      [
        { shard: 1, images: [0, 1], bytes: 2100 },
        { shard: 2, images: [2, 3], bytes: 2100 }
      ]
    ],
    [
      'ten images on one large base: one shard, as no shard can be lighter than one image',
      Array.from({ length: 10 }, (_, i) => img(`app${i}`, 'base:60000', `own${i}:1000`)),
      3,
      [{ shard: 1, images: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], bytes: 70000 }]
    ],
    [
      'fewer images than shards: the empty shards are left out',
      [img('a', 'a:1'), img('b', 'b:2')],
      4,
      [
        { shard: 1, images: [1], bytes: 2 },
        { shard: 2, images: [0], bytes: 1 }
      ]
    ],
    [
      'a blob listed twice in one image counts once',
      [img('a', 'x:10', 'x:10'), img('b', 'y:15')],
      2,
      [
        { shard: 1, images: [1], bytes: 15 },
        { shard: 2, images: [0], bytes: 10 }
      ]
    ],
    ['no images, no shards', [], 3, []]
  ]
  it.each(cases)('%s', (_, images, n, expected) => {
    expect(planShards(images, n)).toEqual(expected)
  })

  it('the same blob at two registries is two needs (it crosses to each)', () => {
    const two = (name: string): ShardImage => ({
      name,
      needs: [
        { key: 'r1 base', size: 100 },
        { key: 'r2 base', size: 100 },
        { key: `r1 ${name}`, size: 10 }
      ]
    })
    expect(planShards([two('a'), two('b')], 2)).toEqual([{ shard: 1, images: [0, 1], bytes: 220 }])
  })

  it('every image lands in exactly one shard, for many shapes and shard counts', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const images = Array.from({ length: (seed % 13) + 1 }, (_, i) =>
        img(`i${i}`, `base${i % 3}:${(seed * 37) % 500}`, `own${i}:${((i + 1) * seed * 17) % 900}`)
      )
      for (const n of [1, 2, 3, 5, 8]) {
        const shards = planShards(images, n)
        expect(shards.length).toBeLessThanOrEqual(n)
        expect(shards.flatMap(s => s.images).sort((a, b) => a - b)).toEqual(images.map((_, i) => i))
        expect(planShards(images, n)).toEqual(shards)
      }
    }
  })

  it('refuses a shard count that is not a whole number of at least 1', () => {
    expect(() => planShards([], 0)).toThrow('shards must be a whole number ≥ 1, not 0')
    expect(() => planShards([], 1.5)).toThrow('shards must be a whole number ≥ 1, not 1.5')
  })
})

describe('shardMatrix', () => {
  it('names shards K/N@PLAN with the image names, in file order; PLAN: 12 hex of the SHA-256 of [N, [[K, names]…]]', () => {
    expect(shardMatrix([img('a', 'a:1'), img('b', 'b:3'), img('c', 'c:2')], 2)).toEqual({
      include: [
        { shard: '1/2@1495e3a34e2b', images: ['b'] },
        { shard: '2/2@1495e3a34e2b', images: ['a', 'c'] }
      ]
    })
  })
})

describe('fewerShardsText (newuser finding 37)', () => {
  it.each<[number, number[], number, string | undefined]>([
    [2, [1, 1], 2, undefined],
    [
      8,
      [160, 40],
      200,
      '8 shards asked, 2 planned (160 and 40 images): shards are balanced by the bytes each moves, not by their number of images, and these images share their layers, so more shards would move the shared bytes again (docs/promotion-files.md, "Shards for a matrix")'
    ],
    [
      8,
      [10, 20, 30],
      60,
      '8 shards asked, 3 planned (10, 20 and 30 images): shards are balanced by the bytes each moves, not by their number of images, and these images share their layers, so more shards would move the shared bytes again (docs/promotion-files.md, "Shards for a matrix")'
    ],
    [4, [1, 1], 2, undefined],
    [4, [], 0, undefined]
  ])('%i asked, %j planned of %i images', (n, sizes, images, text) => {
    expect(fewerShardsText(n, sizes, images)).toBe(text)
  })
})
