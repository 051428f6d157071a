/**
 * The CLI's live progress on a terminal: a total line and one line per blob in transfer, redrawn
 * in place with ANSI cursor movement (CSI n A: cursor up, CSI 2 K: erase the line, CSI J: erase
 * below). Log lines written meanwhile go above the live lines. Elsewhere (not a TTY) the CLI
 * prints plain progress lines instead (copy.ts).
 */
import type { ProgressEvent } from '../copy/promote.js'
import type { Logger } from '../logger.js'
import { blobLine, progressLine, ProgressMeter } from './progress.js'

/** Where the live lines go: a TTY stream (process.stderr). */
export interface Terminal {
  write(text: string): unknown
  /** width in characters; lines are cut to one less so none wraps (a wrapped line breaks the redraw) */
  columns?: number
}

const ESC = '\u001b['

/** `line` cut to `columns - 1` characters when wider (no cut without a width). */
export function fitLine(line: string, columns?: number): string {
  return columns && columns > 1 && line.length > columns - 1 ? line.slice(0, columns - 1) : line
}

/**
 * The text that replaces the `previous` lines drawn last (the cursor on the line below them) with
 * `lines`, leaving the cursor below the new ones; fewer lines than before erase the rest.
 */
export function redraw(previous: number, lines: string[], columns?: number): string {
  const up = previous > 0 ? `${ESC}${previous}A\r` : ''
  return up + lines.map(l => `${ESC}2K${fitLine(l, columns)}\n`).join('') + `${ESC}J`
}

/** The live lines of one event: the total, then each blob in transfer (none once done). */
export function liveLines(event: ProgressEvent, meter: ProgressMeter): string[] {
  const total = progressLine(event, meter.update(event))
  return event.done ? [total] : [total, ...event.active.map(b => `  ${blobLine(b)}`)]
}

/** The live display of one copy (see the module comment). */
export class LiveProgress {
  private drawn: string[] = []

  constructor(
    private readonly terminal: Terminal,
    private readonly meter = new ProgressMeter()
  ) {}

  /** Redraws for `event`; the final event's total line stays on the screen. */
  update(event: ProgressEvent): void {
    const lines = liveLines(event, this.meter)
    this.terminal.write(redraw(this.drawn.length, lines, this.terminal.columns))
    this.drawn = event.done ? [] : lines
  }

  /** `logger` with each message written above the live lines (they are erased, then drawn again). */
  around(logger: Logger): Logger {
    const wrap =
      (write: (m: string) => void) =>
      (m: string): void => {
        if (this.drawn.length === 0) return write(m)
        this.terminal.write(redraw(this.drawn.length, [], this.terminal.columns))
        write(m)
        this.terminal.write(redraw(0, this.drawn, this.terminal.columns))
      }
    return {
      debug: wrap(m => logger.debug(m)),
      info: wrap(m => logger.info(m)),
      warning: wrap(m => logger.warning(m))
    }
  }
}
