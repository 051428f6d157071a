/**
 * "Did you mean …?" for an unknown command or flag: the nearest known names by edit distance, as
 * git, cargo and cobra (crane, regctl) suggest them. Pure.
 */

/**
 * The optimal-string-alignment distance between `a` and `b`: insertions, deletions, substitutions
 * and swaps of two neighbouring characters each cost 1 (`--tagpolicy` → `--tag-policy` is 1,
 * `cpoy` → `copy` is 1). Case is compared as given.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i])
  for (let j = 1; j <= b.length; j++) rows[0][j] = j
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2][j - 2] + 1)
      rows[i][j] = d
    }
  return rows[a.length][b.length]
}

/**
 * Flags never offered for a near miss, only by an explicit mapping: `--insecure` turns off TLS
 * verification, so a word that merely looks like it (skopeo's `--insecure-policy`, about signature
 * policy) must not lead there.
 */
const NEVER_NEAR: ReadonlySet<string> = new Set(['--insecure'])

/**
 * The known names `word` most likely meant, nearest first (ties in the order of `known`): those
 * within an edit distance of a third of the word's length (at least 1, at most 3), and those the
 * word is a prefix of or that are a prefix of it (`--dest` → `--dest-creds`, `--dry` → `--dry-run`).
 * Never a security-weakening flag (`--insecure`), and nothing for a one-letter flag (`-q`: every
 * other one-letter flag is one edit away, `-v` the opposite of quiet). At most `max` (default 3);
 * [] when none is close.
 */
export function suggestions(word: string, known: readonly string[], max = 3): string[] {
  if (/^-[^-]$/.test(word)) return []
  const limit = Math.min(3, Math.max(1, Math.floor(bare(word).length / 3)))
  const scored = known
    .map((name, order) => {
      const d = editDistance(word.toLowerCase(), name.toLowerCase())
      const prefix = bare(word).length >= 2 && (name.startsWith(word) || word.startsWith(name))
      return { name, order, d: prefix ? Math.min(d, limit) : d }
    })
    .filter(s => s.d <= limit && s.name !== word && !NEVER_NEAR.has(s.name))
  scored.sort((x, y) => x.d - y.d || x.order - y.order)
  return scored.slice(0, max).map(s => s.name)
}

/** The word without its leading dashes (`--dry` → `dry`). */
function bare(word: string): string {
  return word.replace(/^-+/, '')
}

/**
 * ` (did you mean copy?)` / ` (did you mean --dest-creds or --src-creds?)`, or '' when no known name
 * is close: to append to an "unknown command" / "unknown option" message.
 */
export function didYouMean(word: string, known: readonly string[]): string {
  const s = suggestions(word, known)
  if (!s.length) return ''
  const list = s.length === 1 ? s[0] : `${s.slice(0, -1).join(', ')} or ${s[s.length - 1]}`
  return ` (did you mean ${list}?)`
}

/**
 * Commands of other tools that are a flag here: crane's and regctl's `version` is `--version`.
 * Word → flag.
 */
const FLAG_COMMANDS: Record<string, string> = { version: '--version' }

/**
 * {@link didYouMean} for an unknown command: a command that is a flag here names the flag
 * (`version` → ` (did you mean --version?)`), else the nearest of `known`.
 */
export function didYouMeanCommand(word: string, known: readonly string[]): string {
  const flag = Object.hasOwn(FLAG_COMMANDS, word) ? FLAG_COMMANDS[word] : undefined
  return flag ? ` (did you mean ${flag}?)` : didYouMean(word, known)
}
