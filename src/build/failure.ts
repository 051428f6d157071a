/**
 * The failing step of a BuildKit build, read from its plain progress output (pure). BuildKit prints
 * each vertex as `#N <name>`, its output as `#N <seconds> <line>` and its failure as `#N ERROR: …`
 * (docker 20.10: `executor failed running [/bin/sh -c …]: exit code: 1`; buildx: `process "/bin/sh -c …"
 * did not complete successfully: exit code: 1`).
 */

/** The failing step: its vertex lines exactly as BuildKit printed them. */
export interface FailedStep {
  /** The vertex's name line, e.g. `#7 [3/4] RUN false`. */
  step: string
  /** Its last output lines (at most `maxLines`), e.g. `#7 0.321 npm ERR! …`. */
  lines: string[]
  /** Its error line, e.g. `#7 ERROR: executor failed running [/bin/sh -c false]: exit code: 1`. */
  error: string
}

/**
 * The last vertex with an `#N ERROR:` line in `log`, with its name line and last `maxLines` output
 * lines; undefined when no vertex failed (e.g. the Dockerfile could not be read).
 */
export function failedStep(log: string, maxLines = 10): FailedStep | undefined {
  const lines = log.split(/\r?\n/)
  let error: string | undefined
  let vertex = ''
  for (const line of lines) {
    const m = /^#(\d+) ERROR: /.exec(line)
    if (m) {
      error = line
      vertex = m[1]!
    }
  }
  if (error === undefined) return undefined
  const own = lines.filter(line => line.startsWith(`#${vertex} `))
  const step = own[0] ?? `#${vertex}`
  const output = own.filter(line => /^#\d+ \d+\.\d+ /.test(line))
  return { step, lines: output.slice(-maxLines), error }
}

/** The step, its last lines and its error, one per line. */
export function formatFailedStep(failed: FailedStep): string {
  return [failed.step, ...failed.lines, failed.error].join('\n')
}
