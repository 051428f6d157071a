import { describe, expect, it } from '@jest/globals'
import { code, escapeText, link, table } from '../../src/report/markdown.js'

describe('escapeText', () => {
  it.each([
    ['linux/amd64', 'linux/amd64'],
    ['sha256:0123abcd', 'sha256:0123abcd'],
    ['application/vnd.oci.image.index.v1+json', 'application/vnd.oci.image.index.v1+json'],
    ['<img src=x onerror="alert(1)">', '&lt;img src=x onerror=&quot;alert&#40;1&#41;&quot;&gt;'],
    ['a | b', 'a &#124; b'],
    [
      '**bold** _it_ `code` ~~x~~',
      '&#42;&#42;bold&#42;&#42; &#95;it&#95; &#96;code&#96; &#126;&#126;x&#126;&#126;'
    ],
    ['[click](javascript:x)', '&#91;click&#93;&#40;javascript:x&#41;'],
    ['see https://evil.example', 'see https&#58;//evil.example'],
    ['issue #12, $x$, {y}', 'issue &#35;12, &#36;x&#36;, &#123;y&#125;'],
    ["it's & \\", 'it&#39;s &amp; &#92;'],
    ['line one\nline two\r\nthree', 'line one<br>line two<br>three']
  ])('%j → %j', (text, escaped) => expect(escapeText(text)).toBe(escaped))
})

describe('code, link, table', () => {
  it('wraps escaped text', () => {
    expect(code('a<b>')).toBe('<code>a&lt;b&gt;</code>')
  })
  it.each([
    ['x', 'https://github.com/o/r/commit/1', '<a href="https://github.com/o/r/commit/1">x</a>'],
    ['x', 'https://h/a?b=1&c="2"', '<a href="https://h/a?b=1&amp;c=&quot;2&quot;">x</a>'],
    ['x', 'javascript:alert(1)', 'x'],
    ['x', undefined, 'x']
  ])('link(%j, %j) → %j', (text, url, html) => expect(link(text, url)).toBe(html))
  it('builds a table with alignment', () => {
    expect(table(['a', 'n'], [['x', '1']], ['left', 'right'])).toEqual([
      '| a | n |',
      '| --- | ---: |',
      '| x | 1 |'
    ])
  })
})
