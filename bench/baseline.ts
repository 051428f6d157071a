/**
 * The plain streaming baseline: a bash script of curl pipes with no checks at all. For every blob,
 * POST an upload session at each target, then `curl GET | curl PUT -T - 'LOCATION&digest=D'` (with
 * `tee` into FIFOs when there are several targets: read once, written to all), every blob at once;
 * then each manifest GET → PUT, children before the root. It HEADs nothing and mounts nothing: it is
 * what the registries and the loopback can do, the practical limit of a copy.
 */
import type { SeededImage } from './seed.js'
import { MANIFEST_ACCEPT } from '../src/oci/mediatypes.js'

export interface Endpoint {
  /** base URL the client talks to (the registry, or its throttling proxy) */
  url: string
  repo: string
}

const ACCEPT = MANIFEST_ACCEPT

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`

/** The script's text; run it with `bash -c` or from a file. `tag` names the root at every target. */
export function baselineScript(
  source: Endpoint,
  targets: Endpoint[],
  image: SeededImage,
  tag: string
): string {
  const lines = [
    'set -euo pipefail',
    'work=$(mktemp -d)',
    'trap \'rm -rf "$work"\' EXIT',
    // prints the Location of a new upload session
    'session() { curl -sS -f -X POST -D - -o /dev/null "$1/blobs/uploads/" | tr -d "\\r" | awk \'tolower($1)=="location:"{print $2}\'; }',
    'put() { curl -sS -f -X PUT -H "Content-Type: application/octet-stream" -H "Content-Length: $2" -T - "$1&digest=$3" -o /dev/null; }',
    `SRC=${q(`${source.url}/v2/${source.repo}`)}`
  ]
  targets.forEach((t, i) => lines.push(`T${i}=${q(`${t.url}/v2/${t.repo}`)}`))
  lines.push('copy() {', '  local d=$1 n=$2 i=$3')
  targets.forEach((_, i) => lines.push(`  local l${i}; l${i}=$(session "$T${i}")`))
  if (targets.length === 1) {
    lines.push('  curl -sS -f "$SRC/blobs/$d" | put "$l0" "$n" "$d"')
  } else {
    const fifos = targets.slice(1).map((_, k) => `"$work/f$i.${k + 1}"`)
    lines.push(`  mkfifo ${fifos.join(' ')}`)
    targets.slice(1).forEach((_, k) => lines.push(`  put "$l${k + 1}" "$n" "$d" < "$work/f$i.${k + 1}" &`))
    lines.push(`  curl -sS -f "$SRC/blobs/$d" | tee ${fifos.join(' ')} | put "$l0" "$n" "$d"`)
    lines.push('  wait')
  }
  lines.push('}', 'pids=()')
  image.blobs.forEach((b, i) => lines.push(`copy ${b.digest} ${b.size} ${i} & pids+=($!)`))
  lines.push('for p in "${pids[@]}"; do wait "$p"; done')
  image.manifests.forEach((m, i) => {
    const ref = m === image.root ? tag : m.digest
    lines.push(`curl -sS -f -H ${q(`Accept: ${ACCEPT}`)} "$SRC/manifests/${m.digest}" -o "$work/m${i}"`)
    targets.forEach((_, k) =>
      lines.push(
        `curl -sS -f -X PUT -H ${q(`Content-Type: ${m.mediaType}`)} --data-binary @"$work/m${i}" "$T${k}/manifests/${ref}" -o /dev/null`
      )
    )
  })
  return lines.join('\n') + '\n'
}
