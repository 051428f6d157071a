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
  --insecure HOST           allow plain http to HOST[:PORT] (loopback is always allowed; repeatable)
  --ca-file FILE            PEM CA bundle to trust
  --client-cert HOST=FILE   PEM TLS client certificate for registry HOST[:PORT] only (mTLS; repeatable)
  --client-key HOST=FILE    its PEM private key, unencrypted (one per --client-cert)
  --concurrency N           transfers at once per registry host, 1 to 64 (default 8)
  --timeout SECONDS         give up on a request with no answer after this long, per try (default 120)
  --upload-mode MODE        monolithic (default) or chunked
  --registry-kind HOST=KIND naming rules for HOST (harbor, quay, … as in the registry-kinds input; repeatable)
  --json                    print the result as JSON
  -f, --file FILE           (promote, plan) the promotion file
  --shard K/N               (promote -f) promote only shard K of N
  --shards N                (plan) how many shards to plan, 1 to 256
  --image REPO              (tags) repository to prefix; repeatable
  --tags RULE               (tags) a tag rule in docker/metadata-action syntax; repeatable
  --flavor LINE             (tags) a flavor line (latest=auto|true|false, prefix=, suffix=)
  --lowercase               (tags) lower-case repository names instead of failing
  -v, --verbose             debug logging on stderr
Credentials come from the docker config.json (DOCKER_CONFIG respected), as docker login writes it.
HTTPS_PROXY, HTTP_PROXY and NO_PROXY (or lower-case) are honoured; loopback hosts never use the proxy.`

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
