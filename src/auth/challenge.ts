/**
 * `WWW-Authenticate` parsing (RFC 9110 §11.6.1; distribution internal/client/auth/challenge).
 * Handles several challenges in one header (Node joins repeated headers with ", "), quoted values
 * with commas and backslash escapes, and case-insensitive schemes and keys. Pure.
 */

/** One challenge: scheme lower-cased (`basic`, `bearer`), parameters with lower-cased keys. */
export interface Challenge {
  scheme: string
  params: Record<string, string>
}

const TOKEN = /[!#$%&'*+\-.^_`|~0-9A-Za-z]+/y

/**
 * Parses a `WWW-Authenticate` value (or several joined with ", ") into challenges.
 * Never throws; unparseable trailing text is ignored.
 */
export function parseChallenges(header: string | string[] | undefined): Challenge[] {
  if (header === undefined) return []
  const text = Array.isArray(header) ? header.join(', ') : header
  const out: Challenge[] = []
  let i = 0
  const skipWs = (): void => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === ',')) i++
  }
  const token = (): string | undefined => {
    TOKEN.lastIndex = i
    const m = TOKEN.exec(text)
    if (!m) return undefined
    i = TOKEN.lastIndex
    return m[0]
  }
  while (i < text.length) {
    skipWs()
    const scheme = token()
    if (!scheme) break
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} }
    out.push(challenge)
    // parameters: key=value pairs separated by commas, until the next "<token> <token>=" (a new scheme)
    for (;;) {
      const save = i
      while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++
      if (text[i] === ',') i++
      while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++
      const key = token()
      if (!key) {
        i = save
        break
      }
      let j = i
      while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++
      if (text[j] !== '=') {
        // a new scheme starts here (or a token68, which we do not use)
        i = save
        break
      }
      i = j + 1
      while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++
      let value = ''
      if (text[i] === '"') {
        i++
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length) i++
          value += text[i]
          i++
        }
        i++
      } else {
        value = token() ?? ''
      }
      challenge.params[key.toLowerCase()] = value
    }
    skipWs()
  }
  return out
}
