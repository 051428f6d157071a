/** Shared pieces of the fault tests: a logger that keeps its lines, and a small seeded image. */
import type { Logger } from '../../src/logger.js'
import { pushImage, randomBlob, type SeededImage } from '../helpers/images.js'

export interface CapturingLogger extends Logger {
  lines: string[]
}

/** A Logger that records every line as `level message`. */
export function capturingLogger(): CapturingLogger {
  const lines: string[] = []
  return {
    lines,
    debug: m => void lines.push(`debug ${m}`),
    info: m => void lines.push(`info ${m}`),
    warning: m => void lines.push(`warning ${m}`)
  }
}

/** Pushes a two-layer image (layers of `sizes` bytes) to `baseUrl`/`repo`:`tag`. */
export async function seedImage(
  baseUrl: string,
  repo: string,
  tag: string,
  sizes: number[] = [300_000, 20_000],
  headers: Record<string, string> = {}
): Promise<SeededImage> {
  return await pushImage(
    baseUrl,
    repo,
    sizes.map(n => randomBlob(n)),
    { tag, headers }
  )
}

export const MANIFEST_ACCEPT_LIST = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json'
].join(', ')
