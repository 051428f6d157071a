/**
 * GitHub keeps at most 1 MiB of a step's job summary and of its outputs (docs "Adding a job
 * summary": "the maximum size of a job summary is 1 MiB"; job outputs are capped at 1 MB). What
 * goes over is cut here, never silently: the summary ends with a note of what was cut, a JSON
 * output has long strings clipped and long lists shortened, and says so. Pure.
 */

/** The most a step summary may hold, in bytes (UTF-8). */
export const SUMMARY_LIMIT = 1024 * 1024

/** The most one output may hold, in bytes (UTF-8): under GitHub's 1 MB per job. */
export const OUTPUT_LIMIT = 1000 * 1000

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

/**
 * `text` (Markdown) as it is when it fits in `limit` bytes; otherwise its first whole lines, any
 * open code fence or `<details>` closed, and a last paragraph saying how many bytes and lines were
 * cut and where the rest is (the log and the `plan` output). The result is at most `limit` bytes.
 * @param limit bytes (UTF-8); at least 1 KiB
 */
export function capMarkdown(text: string, limit = SUMMARY_LIMIT): string {
  const total = bytes(text)
  if (total <= limit) return text
  const lines = text.split('\n')
  const note = (kept: number, cut: number): string =>
    `\n\n✂️ **Cut**: GitHub keeps ${limit} bytes of a job summary; this one had ${total}, so its last ${cut} lines are left out. The job log and the \`plan\` output hold every detail.\n`
  const budget = limit - bytes(note(total, lines.length)) - 64
  const kept: string[] = []
  let size = 0
  let fence: string | undefined
  let details = 0
  for (const line of lines) {
    const n = bytes(line) + 1
    if (size + n > budget) break
    kept.push(line)
    size += n
    const f = /^(`{3,}|~{3,})/.exec(line)
    if (f) fence = fence === undefined ? f[1] : line.startsWith(fence) ? undefined : fence
    if (fence === undefined)
      details += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length
  }
  const closing = [...(fence ? [fence] : []), ...Array<string>(Math.max(0, details)).fill('</details>')]
  return [...kept, ...closing].join('\n').trimEnd() + note(kept.length, lines.length - kept.length)
}

/**
 * `value` as JSON for an output, at most `limit` bytes: as it is when it fits; else with every
 * string over 1024 characters clipped (`…` at the end) and every list over 100 entries shortened
 * to its first 100; else (still over) a JSON object `{"cut": "…"}` saying so. `cut` says what was
 * cut (for a warning in the log); undefined when nothing was.
 * @param limit bytes (UTF-8)
 */
export function capJson(value: unknown, limit = OUTPUT_LIMIT): { text: string; cut?: string } {
  const text = JSON.stringify(value)
  if (bytes(text) <= limit) return { text }
  let strings = 0
  let lists = 0
  const shorter = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'string' && v.length > 1024) {
      strings++
      return `${v.slice(0, 1023)}…`
    }
    if (Array.isArray(v) && v.length > 100) {
      lists++
      return v.slice(0, 100)
    }
    return v
  })
  const what = `${bytes(text)} bytes, over the ${limit}-byte limit`
  if (bytes(shorter) <= limit)
    return {
      text: shorter,
      cut: `${what}: ${strings} strings clipped to 1024 characters, ${lists} lists to their first 100 entries`
    }
  return { text: JSON.stringify({ cut: `${what}: see the job log` }), cut: `${what}: left out` }
}
