/**
 * The batch case (issue 13), `BENCH_SCENARIOS=batch npm run bench`: 30 small images (3 random
 * layers of 200 KB each, no blob shared) from one local registry to another, promote-image's
 * `promote -f FILE` against `skopeo sync --src yaml --all --preserve-digests`, in the same run, each
 * into a fresh target registry every run, the order alternating. Both are timed from process
 * spawn to exit; after each run every image is checked at the target by tag (HEAD with the OCI +
 * Docker Accept list must answer the source's digest), or the run is an error and does not count.
 * Target: ours / skopeo ≤ 0.5 (median seconds).
 */
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { request } from 'undici'
import { startRegistry, type TestRegistry } from '../__tests__/helpers/registry.js'
import { seedImage, type SeededImage } from './seed.js'
import { MANIFEST_ACCEPT } from '../src/oci/mediatypes.js'

export const BATCH_IMAGES = 30
export const BATCH_LAYERS = 3
export const BATCH_LAYER_BYTES = 200_000
export const BATCH_LIMIT = 0.5

type Tool = 'ours' | 'skopeo'

interface Run {
  tool: Tool
  run: number
  seconds: number
  error?: string
}

/** Spawn → exit, in seconds; the last lines of stderr when it failed. */
async function timed(cmd: string, args: string[]): Promise<{ seconds: number; error?: string }> {
  const t0 = performance.now()
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => void (stderr.length < 65536 && (stderr += d.toString())))
  const code = await new Promise<number>((res, rej) => {
    child.once('error', rej)
    child.once('exit', c => res(c ?? 1))
  })
  const seconds = (performance.now() - t0) / 1000
  const error = code === 0 ? undefined : `exit ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`
  return { seconds, error }
}

/** The first image (by name) the target does not serve by tag with the source's digest. */
async function verifyAll(dst: TestRegistry, repoOf: (i: number) => string, images: SeededImage[]) {
  for (const [i, img] of images.entries()) {
    const res = await request(`${dst.url}/v2/${repoOf(i)}/manifests/rc`, {
      method: 'HEAD',
      headers: { accept: MANIFEST_ACCEPT }
    })
    await res.body.dump()
    const got = res.headers['docker-content-digest']
    if (res.statusCode !== 200 || got !== img.root.digest)
      return `${repoOf(i)}:rc answered ${res.statusCode} with ${String(got)}, expected ${img.root.digest}`
  }
  return undefined
}

const median = (xs: number[]): number | undefined => {
  if (!xs.length) return undefined
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** One run of one tool into a fresh target registry. */
async function runOnce(tool: Tool, run: number, ctx: Context): Promise<Run> {
  const dst = await startRegistry()
  try {
    const { src, images, scratch, cli, oursArgs } = ctx
    const names = images.map((_, i) => `app${i}`)
    let result: { seconds: number; error?: string }
    let repoOf: (i: number) => string
    if (tool === 'ours') {
      const file = join(scratch, `batch-${run}.yaml`)
      const entries = names.flatMap(n => [
        `  - name: ${n}`,
        `    source: ${src.host}/staging/${n}:rc`,
        '    tags: [rc]'
      ])
      writeFileSync(
        file,
        ['defaults:', `  targets: [${dst.host}/prod]`, 'images:', ...entries].join('\n') + '\n'
      )
      result = await timed('node', [cli, 'promote', '-f', file, ...oursArgs])
      repoOf = i => `prod/${names[i]}`
    } else {
      const file = join(scratch, `sync-${run}.yaml`)
      const lines = [
        `${src.host}:`,
        '  tls-verify: false',
        '  images:',
        ...names.map(n => `    staging/${n}: [rc]`)
      ]
      writeFileSync(file, lines.join('\n') + '\n')
      result = await timed('skopeo', [
        'sync',
        '--src',
        'yaml',
        '--dest',
        'docker',
        '--all',
        '--preserve-digests',
        '--dest-tls-verify=false',
        file,
        `${dst.host}/prod`
      ])
      // skopeo sync puts SOURCE_REPOSITORY's last path component under the destination
      repoOf = i => `prod/${names[i]}`
    }
    const error = result.error ?? (await verifyAll(dst, repoOf, images))
    return { tool, run, seconds: result.seconds, error }
  } finally {
    await dst.stop()
  }
}

interface Context {
  src: TestRegistry
  images: SeededImage[]
  scratch: string
  cli: string
  oursArgs: string[]
}

/**
 * Runs the batch case `runs` times per tool (order alternating) and returns its report: a
 * markdown section (figures, ratio, PASS / MISS and every run).
 */
export async function batchBench(opts: {
  cli: string
  runs: number
  scratch: string
  oursArgs: string[]
  log: (m: string) => void
}): Promise<{ markdown: string; text: string }> {
  const src = await startRegistry()
  try {
    opts.log(`batch: seeding ${BATCH_IMAGES} images of ${BATCH_LAYERS} × ${BATCH_LAYER_BYTES / 1000} KB`)
    const images: SeededImage[] = []
    for (let i = 0; i < BATCH_IMAGES; i++)
      images.push(
        await seedImage([{ url: src.url, repo: `staging/app${i}` }], BATCH_LAYERS, BATCH_LAYER_BYTES, 'rc')
      )
    const ctx: Context = { src, images, scratch: opts.scratch, cli: opts.cli, oursArgs: opts.oursArgs }
    const runs: Run[] = []
    for (let run = 0; run < opts.runs; run++) {
      const order: Tool[] = run % 2 ? ['skopeo', 'ours'] : ['ours', 'skopeo']
      for (const tool of order) {
        const r = await runOnce(tool, run, ctx)
        opts.log(
          `  batch run ${run + 1} ${tool.padEnd(7)} ${r.seconds.toFixed(2)} s${r.error ? `  ERROR ${r.error}` : ''}`
        )
        runs.push(r)
      }
    }
    return report(runs)
  } finally {
    await src.stop()
  }
}

function report(runs: Run[]): { markdown: string; text: string } {
  const ok = (tool: Tool): number[] => runs.filter(r => r.tool === tool && !r.error).map(r => r.seconds)
  const ours = median(ok('ours'))
  const sk = median(ok('skopeo'))
  const ratio = ours !== undefined && sk !== undefined ? ours / sk : undefined
  const failed = runs.some(r => r.error)
  const verdict = failed || ratio === undefined ? 'ERROR' : ratio <= BATCH_LIMIT ? 'PASS' : 'MISS'
  const f2 = (x: number | undefined): string => (x === undefined ? '–' : x.toFixed(2))
  const title = `batch: ${BATCH_IMAGES} images × ${BATCH_LAYERS} layers × ${BATCH_LAYER_BYTES / 1000} KB, loopback`
  const text = `${title}: ours ${f2(ours)} s, skopeo sync ${f2(sk)} s, ours/skopeo ${f2(ratio)} (target ≤ ${BATCH_LIMIT}) ${verdict}`
  const markdown = [
    '## Batch: a promotion file against skopeo sync (issue 13)',
    '',
    `\`promote-image promote -f FILE\` against \`skopeo sync --src yaml --dest docker --all --preserve-digests\`, ${BATCH_IMAGES} images (${BATCH_LAYERS} random layers of ${BATCH_LAYER_BYTES / 1000} KB each) from one local registry to a fresh one per run; median seconds from spawn to exit; every image verified by tag and digest at the target.`,
    '',
    '| case | ours s | skopeo sync s | ours/skopeo | target | result |',
    '| --- | --- | --- | --- | --- | --- |',
    `| ${title} | ${f2(ours)} | ${f2(sk)} | ${f2(ratio)} | ≤ ${BATCH_LIMIT} | ${verdict} |`,
    '',
    '| run | tool | seconds | error |',
    '| --- | --- | --- | --- |',
    ...runs.map(r => `| ${r.run + 1} | ${r.tool} | ${r.seconds.toFixed(2)} | ${r.error ?? ''} |`),
    ''
  ].join('\n')
  return { markdown, text }
}
