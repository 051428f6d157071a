/**
 * The README as GitHub shows it: turned into HTML with marked (GFM, raw HTML kept, as GitHub renders
 * a README), styled with github-markdown-css (light), and laid out by Debian's Chromium, headless,
 * through playwright-core, in the two columns GitHub gives a README: 830 px of content on the
 * repository's home page (beside its sidebar) and 1012 px when the file itself is opened.
 *
 * Asserted from the rendered page: no code block and no table is wider than the column (a
 * horizontal scroll bar); tables of prose wrap, so this holds the side-by-side of "Moving from
 * build-push-action" and every code block to the width. And the first screen (the first 900 px)
 * shows the title, what it is, and the start of the workflow. Fonts are this machine's (DejaVu),
 * wider than GitHub's usual ones, so a fit here is a fit there. Chromium is installed by
 * scripts/services.sh; without it this test fails, saying so.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { marked } from 'marked'
import { chromium, type Browser } from 'playwright-core'
import { chromiumExecutable } from './helpers/chromium.js'

const root = resolve(import.meta.dirname, '..')
/** GitHub's README content widths (px): the repository home page, and the file's own page. */
const COLUMNS = [830, 1012]
/** The markdown-body's padding on GitHub (px) each side. */
const PADDING = 32

/** What overflows the column in the rendered README: each element's tag, first words and widths. */
interface Overflow {
  tag: string
  text: string
  scrollWidth: number
  clientWidth: number
}

const css = readFileSync(resolve(root, 'node_modules/github-markdown-css/github-markdown-light.css'), 'utf8')
const html = marked.parse(readFileSync(resolve(root, 'README.md'), 'utf8'), { gfm: true, async: false })

/** The page: the README in a `.markdown-body` of `column` px content. */
function page(column: number): string {
  const width = column + 2 * PADDING
  const style = `${css}\nbody{margin:0}.markdown-body{box-sizing:border-box;width:${width}px;padding:${PADDING}px}`
  return `<!doctype html><html><head><meta charset="utf-8"><style>${style}</style></head><body><article class="markdown-body">${html}</article></body></html>`
}

/** Runs in the page: every pre and table that scrolls sideways or ends past the column. */
const OVERFLOWS = `(() => {
  const column = document.querySelector('.markdown-body')
  const right = column.getBoundingClientRect().right - ${PADDING}
  return [...column.querySelectorAll('pre, table')]
    .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > right + 1)
    .map(e => ({ tag: e.tagName.toLowerCase(), text: e.innerText.slice(0, 50).replace(/\\s+/g, ' '),
      scrollWidth: e.scrollWidth, clientWidth: e.clientWidth }))
})()`

/** Runs in the page: the text of what lies in the first 900 px. */
const FIRST_SCREEN = `(() => [...document.querySelectorAll('.markdown-body > *')]
  .filter(e => e.getBoundingClientRect().top < 900)
  .map(e => e.tagName.toLowerCase() + ': ' + e.innerText.split('\\n')[0]))()`

let browser: Browser

beforeAll(async () => {
  browser = await chromium.launch({ executablePath: chromiumExecutable(), args: ['--no-sandbox'] })
}, 60_000)

afterAll(async () => {
  await browser?.close()
})

describe('README in Chromium with GitHub styles', () => {
  it.each(COLUMNS)('no code block or table is wider than a %i px column', async column => {
    const tab = await browser.newPage({ viewport: { width: column + 2 * PADDING + 100, height: 900 } })
    await tab.setContent(page(column))
    const overflows = (await tab.evaluate(OVERFLOWS)) as Overflow[]
    await tab.close()
    expect(overflows).toEqual([])
  })

  it('shows what it is and the workflow in the first screen', async () => {
    const tab = await browser.newPage({ viewport: { width: 830 + 2 * PADDING, height: 900 } })
    await tab.setContent(page(830))
    const first = (await tab.evaluate(FIRST_SCREEN)) as string[]
    await tab.close()
    expect(first.slice(0, 2)).toEqual([
      'h1: promote-image',
      expect.stringMatching(/^p: A GitHub Action and a command line that build a container image once/)
    ])
    expect(first).toContainEqual('pre: name: release')
  })
})
