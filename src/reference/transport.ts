/**
 * skopeo's transport prefixes on a reference (containers-transports(5)): `docker://REF` names an
 * image in a registry, which is what every reference here names, so the prefix is dropped; the
 * other transports (an OCI layout or archive on disk, a directory, the docker daemon, containers
 * storage…) are refused: promote-image reads and writes registries only. The one owner of this
 * rule, for every reference given: the CLI's (cli/args.ts), a promotion file's (batch/file.ts), the
 * action's inputs (inputs.ts) and the merge sources of the CLI and the action (merge/sources.ts).
 * Pure.
 */
import { isLoopbackHost } from './hosts.js'

/** The transports of containers-transports(5) other than `docker`, with what each names. */
const OTHER_TRANSPORTS: Record<string, string> = {
  oci: 'an OCI image layout directory',
  'oci-archive': 'an OCI image layout tar archive',
  dir: 'a directory of manifest and blob files',
  'docker-archive': 'a docker save tar archive',
  'docker-daemon': "the docker daemon's image store",
  'containers-storage': 'containers/storage (podman, buildah, CRI-O)',
  ostree: 'an ostree repository',
  sif: 'a Singularity image file',
  tarball: 'a tarball of layers'
}

/**
 * A reference refused for its transport; the message names the input and the rule:
 * `WHAT "INPUT": DETAIL`. `detail` is the rule alone, for a caller that names the input its own way
 * (batch/file.ts: `images[0] (name "app"): source: DETAIL (in "INPUT")`).
 */
export class TransportError extends Error {
  constructor(
    what: string,
    input: string,
    readonly detail: string
  ) {
    super(`${what} "${input}": ${detail}`)
    this.name = 'TransportError'
  }
}

/**
 * `input` without a `docker://` prefix (`docker://ghcr.io/org/app:1` → `ghcr.io/org/app:1`); any
 * other input unchanged. A host named like a transport with a port (`oci:5000/app`) is a registry.
 * @param what how messages name the input (`SRC`, `DST 1`, `REF`)
 * @param insecure how the interface's option that allows plain http for `host` is written (the
 *   CLI's `--insecure HOST`, the action's `insecure-registries: HOST`)
 * @throws TransportError for another transport (`oci:`, `dir:`, `docker-daemon:`…), saying that only
 *   registries are read and written, and how to get the image into one; for a URL (`http://HOST/…`),
 *   saying what to write instead and the scheme used (https; for a loopback host plain http first,
 *   registry/ping.ts)
 */
export function registryReference(
  input: string,
  what: string,
  insecure: (host: string) => string = host => `--insecure ${host}`
): string {
  if (input.startsWith('docker://')) return input.slice('docker://'.length)
  const url = /^(https?):\/\/(([^/]*).*)$/.exec(input)
  if (url)
    throw new TransportError(
      what,
      input,
      `a reference has no URL scheme; write ${url[2]} (` +
        (url[1] === 'https'
          ? isLoopbackHost(url[3])
            ? 'plain http is tried first for a loopback registry, then https)'
            : 'registries are reached over https)'
          : `plain http is used for a loopback registry, and for another with ${insecure(url[3])})`)
    )
  const m = /^([a-z-]+):(?!\d+(?:\/|$))/.exec(input)
  const names = m && OTHER_TRANSPORTS[m[1]]
  if (!m || !names) return input
  throw new TransportError(
    what,
    input,
    `the ${m[1]}: transport (${names}) is not read; promote-image reads and writes registries only ` +
      `(REF or docker://REF). Push the image to a registry first, e.g. skopeo copy ${m[1]}:… docker://REGISTRY/REPOSITORY:TAG`
  )
}

/**
 * True when `input` (without its `docker://` prefix) is a registry host alone, with no repository:
 * no `/` or `@`, and a name with a dot (a domain or IPv4 address, which no Docker Hub repository
 * name has) or `localhost`, with an optional port (`127.0.0.1:45101`, `ghcr.io`, `localhost:5000`
 * → true; `ubuntu:22.04`, `ghcr.io/o/a` → false). Only asked once the reference has been refused,
 * to say what is missing instead of naming a Docker Hub rule.
 */
export function namesRegistryOnly(input: string): boolean {
  const m = /^([^/@:]+)(?::(\d+))?$/.exec(input)
  return !!m && (m[1].includes('.') || m[1] === 'localhost')
}
