/** `promote-image --help` and `--version`. */

/** The usage text `--help` prints. */
export const USAGE = `usage:
  promote-image copy SRC DST [DST...]     copy SRC by digest to each DST (all platforms), then tag
  promote-image promote SRC DST [DST...]  same as copy; add --dry-run for a JSON plan
  promote-image promote -f FILE [--dry-run] [--json] [--shard K/N]
                                          promote every image of a promotion file (YAML) in one
                                          run; --shard K/N: only that shard of plan --shards N
  promote-image plan -f FILE --shards N   print the shard matrix of a promotion file (one JSON line)
  promote-image inspect REF               print digest, media type, platforms and size
  promote-image tags [--image REPO] [--tags RULE]...
                                          print the tags (or REPO:tag references) for the current
                                          git context: GITHUB_* variables in Actions, else local git
options:
  --dry-run                 plan only (JSON on stdout), write nothing
  --tag-policy POLICY       immutable (default) or overwrite
  --moving-tag TAG          a tag that may move under immutable (repeatable; replaces the default latest, edge)
  --insecure HOST           HOST[:PORT] may use plain http or TLS without certificate verification,
                            as docker's insecure-registries (warned each run; repeatable)
  --ca-file FILE            PEM CA bundle to trust (NODE_EXTRA_CA_CERTS works too)
  --client-cert HOST=FILE   PEM TLS client certificate for registry HOST[:PORT] only (mTLS; repeatable)
  --client-key HOST=FILE    its PEM private key, unencrypted (one per --client-cert)
  --concurrency N           transfers at once per registry host, 1 to 64 (default 8)
  --timeout SECONDS         give up on a request with no answer after this long, per try (default 120)
  --upload-mode MODE        monolithic (default) or chunked
  --registry-kind HOST=KIND naming rules for HOST (harbor, quay, … as in the registry-kinds input; repeatable)
  --referrers WHAT          what travels with the image: all (default), none, or artifact types separated
                            by commas (application/spdx+json,application/vnd.dev.cosign.artifact.sig.v1+json;
                            cosign = cosign's sha256-<hex>.sig/.att/.sbom tags). Found through the source's
                            referrers API, else its sha256-<hex> fallback tag; referrers of referrers too.
                            At a target that lists referrers itself (OCI-Subject) no fallback tag is
                            written; elsewhere its fallback index is merged, never dropping its entries.
                            A cosign tag holding other signatures moves only with --tag-policy overwrite.
  --json                    print the result as JSON
  -f, --file FILE           (promote, plan) the promotion file
  --shard K/N               (promote -f) promote only shard K of N
  --shards N                (plan) how many shards to plan, 1 to 256
  --image REPO              (tags) repository to prefix; repeatable
  --tags RULE               (tags) a tag rule in docker/metadata-action syntax; repeatable
  --flavor LINE             (tags) a flavor line (latest=auto|true|false, prefix=, suffix=)
  --lowercase               (tags) lower-case repository names instead of failing
  -v, --verbose             debug logging on stderr, with one line per request (method, URL without
                            query values, status, ms, retries)
Credentials come from the docker config.json (DOCKER_CONFIG respected), as docker login writes it.
HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or lower-case) are honoured; loopback hosts never use the proxy.
--json on failure prints {"error": MESSAGE, "targets": [{"reference", "holdsImage", "tagged",
"blobsCopied", "blobsMounted", "bytesCopied", "error"?}]}: where each target stands.
Exit status: 0 success, 1 failure, 2 usage error (nothing sent), 130 / 143 after SIGINT / SIGTERM:
open upload sessions cancelled, no tag changed, one line per target (promote -f: per image) saying
what landed; a second signal ends the process at once. A signal during the tag step finishes the tags
(no target is left half-tagged) and the run ends as it would have. A chunked upload (--upload-mode
chunked) keeps its session in $XDG_CACHE_HOME/promote-image/uploads (else ~/.cache/promote-image/uploads):
a killed run's upload is resumed from the offset the registry confirms; an entry older than 1 hour
or not confirmed by the registry is dropped and the upload starts from byte 0.`

/** The package version, set by the bundler (scripts/bundle.mjs); 'dev' when run from source. */
declare const __PROMOTE_IMAGE_VERSION__: string | undefined
export const VERSION = typeof __PROMOTE_IMAGE_VERSION__ === 'string' ? __PROMOTE_IMAGE_VERSION__ : 'dev'

/** Prints the usage on stdout; exit status 0. */
export function runHelp(out: (text: string) => void): number {
  out(USAGE + '\n')
  return 0
}

/** Prints the version on stdout; exit status 0. */
export function runVersion(out: (text: string) => void): number {
  out(`${VERSION}\n`)
  return 0
}
