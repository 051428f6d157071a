/**
 * Text for the job summary (GitHub-flavoured Markdown with inline HTML), where any string a
 * registry controls (platform fields, media types, error messages) or the run's environment gives
 * (GITHUB_REF) is escaped: HTML's special characters become entities, Markdown's inline ones become
 * numeric character references (no emphasis, link, table cell, code span, math or `#123` issue link
 * can start inside), `://` loses its colon (no autolink), and line breaks become `<br>` (a table row
 * stays one row), other control characters as `inline` (neutralise.ts) writes them (`\x1b`).
 * Escaped text never starts a line, so the block markers (`+`, `-`, `1.`, `>` escaped anyway) are
 * left alone. Pure.
 */
import { inline } from './neutralise.js'

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** `text` escaped as above: safe anywhere in a line of the summary, table cells included. */
export function escapeText(text: string): string {
  return inline(
    text
      .replace(/[&<>"'\\`*_{}[\]()#|~$]/g, c => HTML[c] ?? `&#${c.charCodeAt(0)};`)
      .replace(/:\/\//g, '&#58;//')
      .replace(/\r\n|\r|\n/g, '<br>')
  )
}

/**
 * Escaped text (from {@link escapeText}) with places a table cell may wrap at: `<wbr>` before an `@`
 * that starts a digest and between each 16 characters of a 64-digit hex run (a digest, a fallback tag
 * `sha256-<hex>`). A browser lays a table out no narrower than its longest unbroken word, so a reason
 * naming `registry/repository@sha256:<64 hex>` widened its column past GitHub's; `<wbr>` adds no
 * character, so the text copied from the page is the text as written.
 */
export function breakable(escaped: string): string {
  return escaped
    .replace(/@(?=sha256:)/g, '<wbr>@')
    .replace(/[0-9a-f]{64}/g, hex => hex.match(/.{16}/g)!.join('<wbr>'))
}

/** `<code>text</code>`, escaped. */
export function code(text: string): string {
  return `<code>${escapeText(text)}</code>`
}

/** `<a href="url">text</a>` for an http(s) URL (attribute and text escaped); the text alone otherwise. */
export function link(text: string, url: string | undefined): string {
  if (!url || !/^https?:\/\//.test(url)) return text
  return `<a href="${url.replace(/[&<>"']/g, c => HTML[c])}">${text}</a>`
}

/** A Markdown table: a header row, then the rows; cells are used as given (escape them first). */
export function table(header: string[], rows: string[][], align: Array<'left' | 'right'> = []): string[] {
  const rule = header.map((_, i) => (align[i] === 'right' ? '---:' : '---'))
  return [header, rule, ...rows].map(r => `| ${r.join(' | ')} |`)
}
