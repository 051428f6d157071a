/**
 * Durations for people, the one wording of every message that names a wait or a time left (the
 * progress line's `about 7 s left`, a `Retry-After` beyond the retry budget). Pure.
 */

/**
 * A duration for people, seconds in (rounded up to whole seconds, so a remaining time never reads
 * 0 s while bytes are left): `7` → `7 s`, `65` → `1 min 5 s`, `3720` → `1 h 2 min` (seconds dropped
 * from an hour on), `0` → `0 s`.
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds))
  if (s < 60) return `${s} s`
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`
  const m = Math.floor((s % 3600) / 60)
  return m ? `${Math.floor(s / 3600)} h ${m} min` : `${Math.floor(s / 3600)} h`
}
