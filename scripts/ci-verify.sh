#!/usr/bin/env bash
# Checks, in CI, what the action promoted: every tag of TAGS at REGISTRY/REPOSITORY resolves to
# DIGEST, and the manifest at DIGEST is an index of PLATFORMS platform images and ATTESTATIONS
# attestation manifests (0 0: a single-platform image manifest). Plain http (a registry:2 service).
# Usage: scripts/ci-verify.sh REGISTRY REPOSITORY DIGEST "TAG1<newline>TAG2…" PLATFORMS ATTESTATIONS
set -euo pipefail
registry="$1" repository="$2" digest="$3" tags="$4" platforms="$5" attestations="$6"
accept='application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.list.v2+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json'
fail() { echo "ci-verify: $*" >&2; exit 1; }
[[ "$digest" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "digest output \"$digest\" is not sha256:<64 hex>"
[ -n "$tags" ] || fail "the tags output is empty"
while IFS= read -r tag; do
  [ -n "$tag" ] || continue
  got=$(curl -fsS -o /dev/null -D - -H "Accept: $accept" -I "http://$registry/v2/$repository/manifests/$tag" |
    tr -d '\r' | awk -F': ' 'tolower($1) == "docker-content-digest" { print $2 }') || got=''
  [ "$got" = "$digest" ] || fail "$registry/$repository:$tag is \"$got\", not $digest"
  echo "$registry/$repository:$tag = $digest"
done <<<"$tags"
manifest=$(curl -fsS -H "Accept: $accept" "http://$registry/v2/$repository/manifests/$digest")
if [ "$platforms" = 0 ]; then
  jq -e '.config.digest and (.layers | length > 0)' >/dev/null <<<"$manifest" || fail "$digest is not an image manifest"
  echo "$registry/$repository@$digest: an image manifest"
  exit 0
fi
images=$(jq '[.manifests[] | select(.annotations["vnd.docker.reference.type"] != "attestation-manifest")] | length' <<<"$manifest")
attested=$(jq '[.manifests[] | select(.annotations["vnd.docker.reference.type"] == "attestation-manifest")] | length' <<<"$manifest")
[ "$images" = "$platforms" ] || fail "$digest has $images platform images, not $platforms"
[ "$attested" = "$attestations" ] || fail "$digest has $attested attestation manifests, not $attestations"
for child in $(jq -r '.manifests[].digest' <<<"$manifest"); do
  curl -fsS -o /dev/null -H "Accept: $accept" -I "http://$registry/v2/$repository/manifests/$child" ||
    fail "$registry/$repository@$child (a child of $digest) is missing"
done
echo "$registry/$repository@$digest: $images platforms, $attested attestation manifests, every child present"
