/**
 * The job summary as a person sees it (issue 22): four summaries made by the action's entry point
 * against real registries — a signed release promoted to two registries, the next build of it
 * refused by the tag policy (4 tags at 2 targets: 8 violations), two platform images merged into
 * one index and promoted to two registries, and a dry run to three targets —
 * turned into HTML with marked (GFM, as GitHub renders a job summary: raw HTML kept), styled with
 * github-markdown-css (light) in a `.markdown-body` column of GitHub's content width (1012 px), and
 * laid out by Debian's Chromium, headless, through playwright-core (one launch for the four).
 *
 * Asserted from the rendered page, not from the Markdown: no table, code block or any other element
 * of the summary is wider than the column (scrollWidth ≤ clientWidth, right edge ≤ the column's),
 * with every `<details>` open as a reviewer would open it; and the numbers in the text agree with
 * the tables (registries and targets in the heading, refused tags, the referrers count line and its
 * columns' sums, the references to pull by digest; "nothing was written" only when no target row
 * shows a write). PNGs of the four go to .tmp/summary-png/ (gitignored; CI keeps them as an
 * artifact). Chromium is installed by scripts/services.sh (or named by PROMOTE_IMAGE_CHROMIUM, or found on
 * PATH: helpers/chromium.ts); without one this test fails, saying so.
 * Fonts are this machine's (DejaVu on Debian): wider than GitHub's usual ones, so a fit here is a
 * fit there.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { marked } from 'marked'
import { chromium, type Browser } from 'playwright-core'
import { runAction, type ActionRun } from '../helpers/action.js'
import { chromiumExecutable } from '../helpers/chromium.js'
import { cosignAttest, cosignSign, cosignSignReferrer, cosignTag } from '../helpers/cosign.js'
import {
  listTags,
  pushIndex,
  pushImage,
  randomBlob,
  rawManifest,
  type SeededIndex
} from '../helpers/images.js'
import { formatBytes } from '../../src/report/format.js'
import { startRegistry, type TestRegistry } from '../helpers/registry.js'

const root = resolve(import.meta.dirname, '../..')
/** Where the screenshots go (gitignored: `.tmp/`); the CI workflow uploads this folder. */
const PNG_DIR = join(root, '.tmp', 'summary-png')
/** The emoji of the headings and results, as people see them (without it: empty boxes, other widths). */
const EMOJI_FONT = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf'
/** GitHub's content column (px) on a job's summary page. */
const COLUMN = 1012
const SHA = '0123456789abcdef0123456789abcdef01234567'
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'

/** A table as it reads on the page: its header cells and each row's cells (innerText, `<br>` as `\n`). */
interface PageTable {
  header: string[]
  rows: string[][]
}

/** A box that may be wider than the column: its size, its scroll width and where it ends. */
interface Box {
  what: string
  scrollWidth: number
  clientWidth: number
  right: number
  /** its width (px) laid out without the column's limit: more than clientWidth means it wraps to fit */
  natural: number
}

/** What the page shows, measured in Chromium. */
interface Rendered {
  /** the column's left and right edge (px) */
  column: { left: number; right: number; width: number }
  /** every table and pre, and the widest other element */
  boxes: Box[]
  /** elements (outside tables and pre, which scroll) whose right edge is past the column's */
  outside: string[]
  /** the page's scroll width (px): wider than the viewport means a horizontal scroll bar */
  pageScrollWidth: number
  headings: string[]
  /** how many lines each heading is laid out on */
  headingLines: number[]
  paragraphs: string[]
  listItems: string[]
  /** each list item's inline code as the lines it is laid out on */
  codeLines: string[][]
  pres: string[]
  tables: PageTable[]
}

/** Runs in the page: measures the column and reads what it shows (plain JS: no DOM types here). */
const MEASURE = `(() => {
  for (const d of document.querySelectorAll('details')) d.open = true
  const column = document.querySelector('.markdown-body')
  const c = column.getBoundingClientRect()
  const name = el => el.tagName.toLowerCase() + ': ' + el.innerText.replace(/\\s+/g, ' ').slice(0, 80)
  const natural = el => {
    const style = el.getAttribute('style')
    el.style.maxWidth = 'none'
    el.style.width = 'max-content'
    const width = el.getBoundingClientRect().width
    if (style === null) el.removeAttribute('style')
    else el.setAttribute('style', style)
    return Math.round(width)
  }
  const boxes = [...column.querySelectorAll('table, pre')].map(el => ({
    what: name(el),
    scrollWidth: el.scrollWidth,
    clientWidth: el.clientWidth,
    right: el.getBoundingClientRect().right,
    natural: natural(el)
  }))
  const outside = [...column.querySelectorAll('*')]
    .filter(el => !el.closest('table, pre') && el.getBoundingClientRect().right > c.right + 0.5)
    .map(name)
  const text = sel => [...column.querySelectorAll(sel)].map(el => el.innerText.trim())
  const linesOf = el => {
    const lines = []
    let top
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
    const range = document.createRange()
    for (let node = walk.nextNode(); node; node = walk.nextNode())
      for (let i = 0; i < node.data.length; i++) {
        range.setStart(node, i)
        range.setEnd(node, i + 1)
        const rect = range.getClientRects()[0]
        if (!rect) continue
        if (top === undefined || rect.top > top + 1) lines.push('')
        if (top === undefined || rect.top > top + 1) top = rect.top
        lines[lines.length - 1] += node.data[i]
      }
    return lines.map(l => l.trim())
  }
  const tables = [...column.querySelectorAll('table')].map(t => ({
    header: [...t.querySelectorAll('thead th')].map(th => th.innerText.trim()),
    rows: [...t.querySelectorAll('tbody tr')].map(tr => [...tr.children].map(td => td.innerText.trim()))
  }))
  return {
    column: { left: c.left, right: c.right, width: c.width },
    boxes,
    outside,
    pageScrollWidth: document.documentElement.scrollWidth,
    headings: text('h1, h2, h3'),
    headingLines: [...column.querySelectorAll('h1, h2, h3')].map(el => linesOf(el).length),
    paragraphs: text('p'),
    listItems: text('li'),
    codeLines: [...column.querySelectorAll('li > code')].map(linesOf),
    pres: text('pre'),
    tables
  }
})()`

/** The page GitHub would show: the summary's HTML in a `.markdown-body` column of {@link COLUMN} px. */
function page(html: string, css: string): string {
  return [
    '<!doctype html><html><head><meta charset="utf-8"><style>',
    css,
    'body { margin: 0; padding: 16px; background: #ffffff; }',
    `.markdown-body { box-sizing: content-box; width: ${COLUMN}px; padding: 0; }`,
    '</style></head><body><article class="markdown-body">',
    html,
    '</article></body></html>'
  ].join('\n')
}

/** The table whose header starts with `first` (and `second`, when given); fails when there is none. */
function tableOf(r: Rendered, first: string, second?: string): PageTable {
  const t = r.tables.find(x => x.header[0] === first && (second === undefined || x.header[1] === second))
  if (!t) throw new Error(`no table headed "${first}${second ? ` | ${second}` : ''}" in the summary`)
  return t
}

const sum = (xs: string[]): number => xs.reduce((n, x) => n + Number(x), 0)

/**
 * Asserts what holds for every summary: nothing wider than the column, and the counts in the text
 * equal the tables' rows; `digest` is the promoted image's.
 */
function assertAgrees(r: Rendered, digest: string): void {
  // the column itself is GitHub's width, and nothing in it is wider
  expect(r.column.width).toBe(COLUMN)
  for (const b of r.boxes) {
    expect({ what: b.what, fits: b.scrollWidth <= b.clientWidth }).toEqual({ what: b.what, fits: true })
    expect({ what: b.what, inside: b.right <= r.column.right + 0.5 }).toEqual({ what: b.what, inside: true })
  }
  expect(r.outside).toEqual([])
  expect(r.pageScrollWidth).toBeLessThanOrEqual(COLUMN + 32)

  const targets = tableOf(r, 'target', 'result')
  const names = targets.rows.map(row => row[0])
  const registries = new Set(names.map(t => t.slice(0, t.indexOf('/')))).size
  const heading = r.headings[0]
  // the heading's count: "to N registries", or "to N targets on M registries"
  const reach =
    /to (\d+) targets on (\d+) registries/.exec(heading) ?? /to (\d+) registr(?:y|ies)/.exec(heading)
  // (a refusal's heading counts the refused tags instead: asserted by its case)
  if (!heading.includes('not promoted')) {
    expect(reach).not.toBeNull()
    expect(Number(reach![1])).toBe(names.length)
    expect(Number(reach![2] ?? reach![1])).toBe(registries)
  }

  // the digest: once in full, in the Digest line
  const digestLine = r.paragraphs.filter(p => p.startsWith('Digest:'))
  expect(digestLine).toEqual([expect.stringContaining(`Digest: ${digest}`)])

  // the transfer statistics: a line per target, in the same order, its blobs and manifests counted
  // as done or to do (a list: as a table beside a long target it was 1041–1229 px)
  const stats = r.listItems.filter(l => /: \d+ blobs? (copied|to copy) \(/.test(l))
  expect(stats.map(l => l.slice(0, l.indexOf(': ')))).toEqual(names)
  for (const l of stats)
    expect(l).toMatch(
      /: \d+ blobs? (copied|to copy) \([^)]+\), \d+ (mounted|to mount), \d+ (skipped|to skip); \d+ manifests? (pushed|to push), \d+ already there(; \d+\.\d\d s)?$/
    )
  // the heading fits on one line (it wrapped "(dry" / "run)" at 1012 px)
  expect(r.headingLines[0]).toBe(1)

  // the references to pull by digest: one per target row (in these three cases every target holds
  // the image, or none does), each `target@digest` (a code block, or a list when one is too long)
  const refs = r.pres.length
    ? r.pres.flatMap(p => p.split('\n'))
    : r.listItems.filter(l => l.includes('@sha256:'))
  expect(refs).toEqual(names.map(t => `${t}@${digest}`))
  // a reference too long for a line wraps before its @, never inside the target or the digest
  const wraps = r.codeLines.filter(l => l.join('').includes('@sha256:'))
  for (const [i, lines] of wraps.entries())
    expect(lines).toEqual(lines.length === 1 ? [`${names[i]}@${digest}`] : [names[i], `@${digest}`])

  // the referrers: "K artifacts at N targets: C copied, T already there." against the table's rows and
  // sums; an image with none has neither the line nor the table
  const line = r.paragraphs.find(p => /^\d+ artifacts? at \d+ targets?:/.test(p))
  expect(line === undefined).toBe(!r.tables.some(t => t.header[0] === 'artifact'))
  if (line !== undefined) assertReferrers(r, line, names.length)

  // "nothing was written" only when no target row shows a write (a verified/held image, a tag created or moved)
  const written = targets.rows.some(row => /✅|☑️/.test(row[1]) || /\b(created|moved)\b/.test(row[2]))
  const nothing = r.paragraphs.some(p => /nothing was written/i.test(p))
  expect({ written, nothing }).toEqual({ written, nothing: !written })
}

/** The referrers count line `line` against the referrers table: its rows, its columns' sums, `targets`. */
function assertReferrers(r: Rendered, line: string, targets: number): void {
  const m = /^(\d+) artifacts? at (\d+) targets?: (\d+) (?:copied|to copy), (\d+) already there\.$/.exec(line)
  expect(m).not.toBeNull()
  const referrers = tableOf(r, 'artifact')
  // and it needs no wrapping: its headers are no wider than their numbers (it was 1046 px with "(targets)")
  const box = r.boxes.find(b => b.what.startsWith('table: artifact'))
  expect(box?.natural).toBeLessThanOrEqual(COLUMN)
  expect(Number(m![1])).toBe(referrers.rows.length)
  expect(Number(m![2])).toBe(targets)
  expect(Number(m![3])).toBe(sum(referrers.rows.map(row => row[3])))
  expect(Number(m![4])).toBe(sum(referrers.rows.map(row => row[4])))
  for (const row of referrers.rows) expect(Number(row[3]) + Number(row[4])).toBeLessThanOrEqual(targets)
}

describe('the job summary in Chromium, in GitHub’s 1012-pixel column', () => {
  let regs: TestRegistry[]
  let browser: Browser | undefined
  let work: string
  let css: string
  const saved = { ...process.env }
  const key = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey

  beforeAll(async () => {
    // PROMOTE_IMAGE_CHROMIUM, /usr/bin/chromium, or one on PATH; none fails (helpers/chromium.ts)
    const executablePath = chromiumExecutable()
    if (!existsSync(EMOJI_FONT))
      throw new Error(
        `the emoji font (package fonts-noto-color-emoji) is not installed (${EMOJI_FONT}): the job summary is rendered with it. Run \`sudo bash scripts/services.sh ensure\`, which installs it.`
      )
    css = await readFile(join(root, 'node_modules/github-markdown-css/github-markdown-light.css'), 'utf8')
    ;[regs, browser] = await Promise.all([
      Promise.all([startRegistry(), startRegistry(), startRegistry()]),
      chromium.launch({
        executablePath,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking']
      })
    ])
    work = await mkdtemp(join(tmpdir(), 'pi-summary-browser-'))
    await mkdir(PNG_DIR, { recursive: true })
  })
  afterAll(async () => {
    process.env = saved
    await browser?.close()
    await Promise.all((regs ?? []).map(r => r.stop()))
    if (work) await rm(work, { recursive: true, force: true })
  })

  /** One run of the action as the runner starts it on a release tag. */
  const run = (name: string, inputs: Record<string, string>): Promise<ActionRun> =>
    runAction(
      work,
      name,
      inputs,
      {
        GITHUB_REPOSITORY: 'octo-org/checkout',
        GITHUB_API_URL: undefined,
        GITHUB_RUN_ID: undefined,
        GITHUB_EVENT_PATH: undefined,
        GITHUB_REF: 'refs/tags/v1.0.0',
        GITHUB_SHA: SHA,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_EVENT_NAME: 'release'
      },
      { now: 1_800_000_000_000 }
    )

  /** A release build as CI stages it: two platforms, provenance, a cosign signature and SBOM, an OCI 1.1 signature. */
  async function build(tag: string): Promise<SeededIndex> {
    const staging = regs[0]
    const index = await pushIndex(staging.url, 'ci/checkout', tag, {
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' }
      ],
      shared: [randomBlob(4000)],
      uniqueSize: 2000,
      attestation: true
    })
    const ref = `${staging.host}/ci/checkout`
    await cosignSign(staging.url, 'ci/checkout', index.digest, key, ref)
    await cosignAttest(staging.url, 'ci/checkout', index.digest, key, 'https://spdx.dev/Document', {
      spdxVersion: 'SPDX-2.3'
    })
    const subject = { digest: index.digest, size: index.bytes.length, mediaType: OCI_INDEX }
    await cosignSignReferrer(staging.url, 'ci/checkout', subject, key, ref)
    return index
  }

  /** The summary rendered and measured, and its screenshot written to PNG_DIR/NAME.png. */
  async function render(name: string, markdown: string): Promise<Rendered> {
    const html = marked.parse(markdown, { gfm: true, async: false })
    const tab = await browser!.newPage({ viewport: { width: COLUMN + 32, height: 900 } })
    try {
      await tab.setContent(page(html, css))
      const measured = (await tab.evaluate(MEASURE)) as Rendered
      await tab.screenshot({ path: join(PNG_DIR, `${name}.png`), fullPage: true })
      // for the record (not asserted): each box's width in the column, and unbounded
      const boxes = measured.boxes.map(
        b => `${b.what.slice(0, 24)}… ${b.clientWidth} px (unbounded ${b.natural})`
      )
      process.stderr.write(
        `summary-browser ${name}: column ${measured.column.width} px; ${boxes.join('; ')}\n`
      )
      return measured
    } finally {
      await tab.close()
    }
  }

  const targetsOf = (): string[] => [`${regs[1].host}/payments/checkout`, `${regs[2].host}/mirror/checkout`]

  it('success: two registries, every count in the text equal to its table, nothing wider than the column', async () => {
    const index = await build('rc-1')
    const old = await pushImage(regs[1].url, 'payments/checkout', [randomBlob(100)], { tag: 'latest' })
    const r = await run('success', {
      source: `${regs[0].host}/ci/checkout:rc-1`,
      tags: 'v1.0.0\nv1.0\nv1\nstable\nlatest',
      targets: targetsOf().join('\n')
    })
    expect(r.failed).toBeUndefined()
    const page = await render('success', r.summary)
    assertAgrees(page, index.digest)
    expect(page.headings[0]).toBe('✅ checkout v1.0.0 promoted to 2 registries')
    const targets = tableOf(page, 'target', 'result')
    expect(targets.rows.map(row => row[1])).toEqual(['✅ verified', '✅ verified'])
    expect(targets.rows[0][2]).toContain(`latest moved from ${old.digest.slice(0, 19)}`)
    // the .sig and .att tags, the OCI 1.1 signature listed by its fallback tag
    expect(tableOf(page, 'artifact').rows.map(row => [row[0], row[3], row[4]])).toEqual([
      ['cosign signature', '2', '0'],
      ['cosign signature', '2', '0'],
      ['cosign attestation', '2', '0']
    ])
  })

  it('failure: the next build refused by the tag policy (4 tags at 2 targets), each tag once, nothing written', async () => {
    const index = await build('rc-2')
    const r = await run('refused', {
      source: `${regs[0].host}/ci/checkout:rc-2`,
      tags: 'v1.0.0\nv1.0\nv1\nstable\nlatest',
      targets: targetsOf().join('\n')
    })
    expect(r.failed).toBe(1)
    const page = await render('refused', r.summary)
    assertAgrees(page, index.digest)
    expect(page.headings[0]).toBe('❌ checkout v1.0.0 not promoted: the tag policy refused 4 tags')
    // "refused N tags" in the heading and the sentence = the tags the table lists (the four share one
    // row: same targets, same digest); each tag times its targets = the ⛔ marks of the target table
    const refused = tableOf(page, 'tags', 'at')
    const tags = refused.rows.map(row => row[0].split(', '))
    expect(tags).toEqual([['v1.0.0', 'v1.0', 'v1', 'stable']])
    expect(page.paragraphs).toContain(
      'The tag policy immutable refused 4 tags already pointing at another image:'
    )
    expect(refused.rows.map(row => row[1].split('\n'))).toEqual([targetsOf()])
    const targets = tableOf(page, 'target', 'result')
    const marks = targets.rows.map(row => (row[2].match(/⛔/g) ?? []).length)
    const refusedAt = refused.rows.map((row, i) => tags[i].length * row[1].split('\n').length)
    const total = (xs: number[]): number => xs.reduce((n, x) => n + x, 0)
    expect(total(refusedAt)).toBe(total(marks))
    expect(marks).toEqual([4, 4])
    expect(targets.rows.map(row => row[1])).toEqual(['⛔ refused', '⛔ refused'])
    expect(page.paragraphs).toContain('Nothing was written to any target.')
  })

  it('merge: two platform images merged into one index at staging and promoted; the headline says merged, its line counts what the Platforms line lists', async () => {
    const staging = regs[0]
    const images = await Promise.all(
      (['amd64', 'arm64'] as const).map(architecture =>
        pushImage(staging.url, 'ci/checkout', [randomBlob(3000)], {
          tag: `merge-${architecture}`,
          platform: { os: 'linux', architecture }
        })
      )
    )
    const r = await run('merge', {
      merge: images.map((_, i) => `${staging.host}/ci/checkout:merge-${['amd64', 'arm64'][i]}`).join('\n'),
      'merge-platforms': 'linux/amd64,linux/arm64',
      'staging-image': `${staging.host}/ci/checkout:merged`,
      tags: 'v1.2.0',
      targets: targetsOf().join('\n')
    })
    expect(r.failed).toBeUndefined()
    const digest = r.outputs.digest!
    const page = await render('merge', r.summary)
    assertAgrees(page, digest)
    expect(page.headings[0]).toBe('✅ checkout v1.2.0 merged and promoted to 2 registries')
    // the line under the headline: how many platform images, into which index (its digest the Digest
    // line's), written at staging by this run; as many images as the Platforms line lists
    const merged = page.paragraphs.filter(p => p.startsWith('Merged:'))
    expect(merged).toEqual([
      `Merged: 2 platform images into index ${digest.slice(0, 19)}, written at ${staging.host}/ci/checkout:merged.`
    ])
    const platforms = page.paragraphs.find(p => p.startsWith('Platforms:'))
    expect(platforms).toBe('Platforms: linux/amd64, linux/arm64')
    expect(Number(/(\d+) platform images/.exec(merged[0]!)![1])).toBe(platforms!.split(', ').length)
    expect(tableOf(page, 'target', 'result').rows.map(row => [row[1], row[2]])).toEqual([
      ['✅ verified', 'v1.2.0 created'],
      ['✅ verified', 'v1.2.0 created']
    ])
  })

  /**
   * promote-platforms (newuser finding 2): the Digest line and the reference to pull are the digest
   * promoted (the chosen child, or the new index), which the target serves; the source index's
   * digest, which the target does not hold (404), is said once, under From; the log names the same.
   */
  it.each([
    { platforms: ['linux/arm64'], chosen: [1], what: 'one platform: the child’s own manifest' },
    { platforms: ['linux/arm64', 'linux/s390x'], chosen: [1, 2], what: '2 of 3 platforms: a new index' }
  ])(
    'promote-platforms, $what: Digest and Pull by digest name the promoted digest, which resolves at the target',
    async ({ platforms, chosen }) => {
      const staging = regs[0]
      const tag = `pp-${chosen.length}`
      const index = await pushIndex(staging.url, 'ci/checkout', tag, {
        platforms: ['amd64', 'arm64', 's390x'].map(architecture => ({ os: 'linux', architecture })),
        shared: [randomBlob(3000)],
        uniqueSize: 1000
      })
      const repo = `pp/checkout-${chosen.length}`
      const target = `${regs[1].host}/${repo}`
      const r = await run(`platforms-${chosen.length}`, {
        source: `${staging.host}/ci/checkout:${tag}`,
        tags: 'v1.0.0',
        targets: target,
        'promote-platforms': platforms.join(',')
      })
      expect(r.failed).toBeUndefined()
      const promoted = r.outputs.digest!
      const atTarget = await rawManifest(regs[1].url, repo, promoted)
      expect(atTarget?.digest).toBe(promoted)
      // what was promoted: the arm64 child itself, or an index of exactly the chosen children
      if (chosen.length === 1) expect(promoted).toBe(index.children[1].digest)
      else
        expect(
          (JSON.parse(atTarget!.bytes.toString()) as { manifests: Array<{ digest: string }> }).manifests.map(
            m => m.digest
          )
        ).toEqual(chosen.map(i => index.children[i].digest))
      // the source index is not at the target: pulling it there would fail
      expect(await rawManifest(regs[1].url, repo, index.digest)).toBeUndefined()
      expect(JSON.parse(r.outputs.promoted!)).toEqual([
        {
          target,
          digest: promoted,
          tags: ['v1.0.0'],
          references: [`${target}@${promoted}`, `${target}:v1.0.0`]
        }
      ])

      const page = await render(`platforms-${chosen.length}`, r.summary)
      assertAgrees(page, promoted)
      expect(page.paragraphs.filter(p => p.startsWith('Digest:'))).toEqual([
        `Digest: ${promoted}, ${chosen.length === 1 ? 'OCI image manifest' : 'OCI image index'}`
      ])
      expect(page.paragraphs.filter(p => p.startsWith('From:'))).toEqual([
        `From: ${staging.host}/ci/checkout:${tag}, index ${index.digest}`
      ])
      expect(page.pres).toEqual([`${target}@${promoted}`])
      expect(tableOf(page, 'target', 'result').rows.map(row => [row[1], row[2]])).toEqual([
        ['✅ verified', 'v1.0.0 created']
      ])
      // the log's last line names the digest promoted and where it came from, each as it exists
      const of = `${platforms.join(', ')} of ${staging.host}/ci/checkout@${index.digest}`
      expect(r.log).toContain(`promoted ${promoted} (${of}) to 1 target (tags v1.0.0)\n`)
      expect(r.log).not.toContain(`${staging.host}/ci/checkout@${promoted}`)
    }
  )

  it('dry run: three targets on two registries, what would happen in the same shape', async () => {
    const index = await build('rc-3')
    const targets = [...targetsOf(), `${regs[2].host}/octo-org/mirror/payments/checkout-canary`]
    const r = await run('dry-run', {
      source: `${regs[0].host}/ci/checkout:rc-3`,
      tags: 'v1.1.0\nv1.1\nlatest',
      targets: targets.join('\n'),
      'dry-run': 'true'
    })
    expect(r.failed).toBeUndefined()
    const page = await render('dry-run', r.summary)
    assertAgrees(page, index.digest)
    expect(page.headings[0]).toBe('📋 checkout v1.1.0 would be promoted to 3 targets on 2 registries')
    expect(tableOf(page, 'target', 'result').rows.map(row => row[1])).toEqual([
      '📋 planned',
      '📋 planned',
      '📋 planned'
    ])
  })

  it('promotion file, dry run: says so, a row per image and target with what it would do, the plan output (newuser finding 9)', async () => {
    // before: '## Promotion file', a table with only the failed image's row, '1 of 3 images promoted; 1
    // failed; blobs copied 0 …', never 'dry run', and no plan output
    const staging = regs[0]
    const fresh = await pushImage(staging.url, 'pf/fresh', [randomBlob(3000)], { tag: 'rc' })
    await pushImage(staging.url, 'pf/done', [randomBlob(2000)], { tag: 'rc' })
    const file = join(work, 'release.yaml')
    const entry = (name: string): string[] => [
      `  - name: ${name}`,
      `    source: ${staging.host}/pf/${name}:rc`,
      `    targets: [${regs[1].host}/pf/${name}]`,
      '    tags: [v1]'
    ]
    await writeFile(file, ['images:', ...entry('done')].join('\n') + '\n')
    expect((await run('pf-first', { 'promotion-file': file })).failed).toBeUndefined()
    await writeFile(file, ['images:', ...['fresh', 'done', 'gone'].flatMap(entry)].join('\n') + '\n')
    const r = await run('pf-dry', { 'promotion-file': file, 'dry-run': 'true' })
    expect(r.failed).toBe(1)
    expect(await listTags(regs[1].url, 'pf/fresh')).toEqual([])
    const page = await render('promotion-file-dry-run', r.summary)
    for (const b of page.boxes)
      expect({ what: b.what, fits: b.scrollWidth <= b.clientWidth }).toEqual({ what: b.what, fits: true })
    expect(page.outside).toEqual([])
    expect(page.headings[0]).toBe('📋 Promotion file: dry run')
    expect(page.paragraphs).toContain(
      'Dry run: nothing was written; this is what the promotion of each image would do.'
    )
    const bytes = fresh.blobs.reduce((n, b) => n + b.size, 0)
    expect(tableOf(page, 'image', 'target')).toEqual({
      header: ['image', 'target', 'outcome', 'tags', 'blobs to copy', 'bytes to copy'],
      rows: [
        // newuser4 finding 13: before, last and targetless: ['gone', '', 'failed', '… does not exist', '', '']
        [
          'gone',
          `${regs[1].host}/pf/gone`,
          `failed: nothing written (${staging.host}/pf/gone:rc does not exist)`,
          'no tag',
          '0',
          '0 B'
        ],
        ['fresh', `${regs[1].host}/pf/fresh`, '📋 planned', 'v1 to create', '2', formatBytes(bytes)],
        ['done', `${regs[1].host}/pf/done`, '📋 planned', 'v1 already there', '0', '0 B']
      ]
    })
    expect(page.paragraphs).toContain(
      `2 of 3 images planned; 1 failed; would copy 2 blobs (${formatBytes(bytes)}), mount 0`
    )
    const plans = JSON.parse(r.outputs.plan!) as Array<{
      name: string
      plan?: { dryRun: boolean; targets: Array<{ target: string }> }
    }>
    expect(plans.map(p => [p.name, p.plan?.dryRun, p.plan?.targets.map(t => t.target)])).toEqual([
      ['fresh', true, [`${regs[1].host}/pf/fresh`]],
      ['done', true, [`${regs[1].host}/pf/done`]],
      ['gone', undefined, undefined]
    ])
    expect(r.outputs.promoted).toBe('[]')
  })
  it('promotion file, two failures among three images at two targets: failed first, a row per target, the rows add up (newuser4 finding 13)', async () => {
    // before: each failed image had ONE row at the bottom, no target, its reason in the tags column,
    // and the refused image's record listed by a fallback tag that was never written
    const staging = regs[0]
    const signed = await pushImage(staging.url, 'pr/signed', [randomBlob(3000)], { tag: 'rc' })
    await cosignSign(staging.url, 'pr/signed', signed.digest, key, `${staging.host}/pr/signed`)
    const unsigned = await pushImage(staging.url, 'pr/unsigned', [randomBlob(2000)], { tag: 'rc' })
    const files = { pub: join(work, 'pr.pub'), key: join(work, 'pr.pem') }
    await writeFile(files.pub, createPublicKey(key).export({ type: 'spki', format: 'pem' }))
    await writeFile(files.key, key.export({ type: 'pkcs8', format: 'pem' }))
    const file = join(work, 'pr.yaml')
    await writeFile(
      file,
      [
        'defaults:',
        `  targets: [${regs[1].host}/pr, ${regs[2].host}/pr]`,
        `  verify-key: ${files.pub}`,
        `  sign-key: ${files.key}`,
        'images:',
        ...['signed', 'gone', 'unsigned'].flatMap(name => [
          `  - name: ${name}`,
          `    source: ${staging.host}/pr/${name}:rc`,
          '    tags: [v1]'
        ])
      ].join('\n') + '\n'
    )
    const r = await run('pf-failed', { 'promotion-file': file })
    expect(r.failed).toBe(1)
    expect(await listTags(regs[1].url, 'pr/unsigned')).toEqual([])
    const page = await render('promotion-file-failed', r.summary)
    // every table fits: the image table, its reasons naming `REPO@sha256:<64 hex>` included, and
    // each image's Verification and records tables (digests wrap at a <wbr> before the @ and between
    // 16-digit groups: without, the image table scrolled at 1303 px, a Verification table at 4 kpx)
    const fits = page.boxes.map(b => ({ what: b.what.slice(0, 40), fits: b.scrollWidth <= b.clientWidth }))
    expect(fits).toEqual(
      [
        'table: image target outcome tags blobs c',
        'table: check digest result found wanted ',
        'table: target record digest listed by 12',
        'table: check digest result found wanted ',
        'table: target record digest listed by 12'
      ].map(what => ({ what, fits: true }))
    )
    expect(page.outside).toEqual([])
    expect(page.headings[0]).toBe('❌ Promotion file: 2 of 3 images failed')
    const to = (name: string): string[] => [`${regs[1].host}/pr/${name}`, `${regs[2].host}/pr/${name}`]
    const gone = `failed: nothing written (${staging.host}/pr/gone:rc does not exist)`
    const gate = tableOf(page, 'image', 'target').rows.find(row => row[0] === 'unsigned')![2]
    expect(gate).toMatch(
      new RegExp(
        `^failed: nothing written \\(verification of ${staging.host}/pr/unsigned@${unsigned.digest} failed; nothing was written at any target:\n`
      )
    )
    // the signed image's blobs, and its cosign signature's (config and payload), which travel with it
    const sig = await rawManifest(staging.url, 'pr/signed', cosignTag(signed.digest, 'sig'))
    const sigBlobs = JSON.parse(sig!.bytes.toString()) as {
      config: { size: number }
      layers: Array<{ size: number }>
    }
    const size = [...signed.blobs, sigBlobs.config, ...sigBlobs.layers].reduce((n, b) => n + b.size, 0)
    const table = tableOf(page, 'image', 'target')
    expect(table.rows).toEqual([
      ...to('gone').map(t => ['gone', t, gone, 'no tag', '0', '0 B']),
      ...to('unsigned').map(t => ['unsigned', t, gate, 'no tag', '0', '0 B']),
      ...to('signed').map(t => ['signed', t, 'promoted', 'v1 created', '4', formatBytes(size)])
    ])
    // the rows add up to the total line under them: 6 rows for 3 images at 2 targets
    expect(sum(table.rows.map(row => row[4]))).toBe(8)
    expect(page.paragraphs).toContain(
      `1 of 3 images promoted; 2 failed; blobs copied 8, mounted 0; ${formatBytes(2 * size)} copied`
    )
    // a record the run never wrote has no "listed by"; one written names its fallback tag
    const records = page.tables.filter(t => t.header.join(' ') === 'target record digest listed by')
    expect(records.map(t => t.rows.map(row => [row[0], row[1], row[3]]))).toEqual([
      to('signed').map(t => [t, 'written', signed.digest.replace(':', '-')]),
      to('unsigned').map(t => [t, '➖ not written (the run failed before it)', ''])
    ])
  })

  // newuser6 #25, before: the second run's row read 'promoted' | 'v1 v1.0.1', a moved release tag
  // shown as a created one (the single-image summary said 'v1 moved from sha256:…')
  it('promotion file: a tag that moved says so and from where, as the single-image summary does', async () => {
    const staging = regs[0]
    const first = await pushImage(staging.url, 'mv/app', [randomBlob(2000)], { tag: 'rc1' })
    await pushImage(staging.url, 'mv/app', [randomBlob(2000)], { tag: 'rc2' })
    const file = join(work, 'moved.yaml')
    const release = (rc: string, version: string): Promise<void> =>
      writeFile(
        file,
        [
          'images:',
          '  - name: app',
          `    source: ${staging.host}/mv/app:${rc}`,
          `    targets: [${regs[1].host}/mv/app]`,
          `    tags: [v1, ${version}]`,
          '    moving-tags: [v1]'
        ].join('\n') + '\n'
      )
    await release('rc1', 'v1.0.0')
    expect((await run('pf-move-1', { 'promotion-file': file })).failed).toBeUndefined()
    await release('rc2', 'v1.0.1')
    const r = await run('pf-move-2', { 'promotion-file': file })
    expect(r.failed).toBeUndefined()
    expect(await listTags(regs[1].url, 'mv/app')).toEqual(['v1', 'v1.0.0', 'v1.0.1'])
    const page = await render('promotion-file-moved', r.summary)
    expect(page.headings[0]).toBe('✅ Promotion file: 1 image promoted')
    expect(tableOf(page, 'image', 'target').rows.map(row => row.slice(0, 4))).toEqual([
      [
        'app',
        `${regs[1].host}/mv/app`,
        'promoted',
        `v1 moved from ${first.digest.slice(0, 'sha256:'.length + 12)}\nv1.0.1 created`
      ]
    ])
  })

  // newuser6 #25, before: 'Release: refs/heads/main at commit 0123456' on a branch run
  it('a branch run: the summary names the branch, not a release', async () => {
    const staging = regs[0]
    await pushImage(staging.url, 'br/app', [randomBlob(1000)], { tag: 'rc' })
    const r = await runAction(
      work,
      'branch-run',
      { source: `${staging.host}/br/app:rc`, targets: `${regs[1].host}/br/app`, tags: 'edge' },
      {
        GITHUB_REPOSITORY: 'octo-org/checkout',
        GITHUB_API_URL: undefined,
        GITHUB_RUN_ID: undefined,
        GITHUB_EVENT_PATH: undefined,
        GITHUB_REF: 'refs/heads/main',
        GITHUB_SHA: SHA,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_EVENT_NAME: 'push'
      },
      { now: 1_800_000_000_000 }
    )
    expect(r.failed).toBeUndefined()
    const page = await render('branch-run', r.summary)
    const about = page.paragraphs.filter(p => /^(Release|Branch|Ref|Commit):/.test(p))
    expect(about).toEqual([`Branch: main at commit ${SHA.slice(0, 7)}`])
  })
})
