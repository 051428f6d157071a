#!/usr/bin/env bash
# Installs and starts what the tests, the demo and the benchmark need on this machine:
#   Debian packages docker-registry (distribution 2.8), docker.io (dockerd + a docker 20.10 CLI with
#   BuildKit), skopeo (cross-checks and the benchmark), apache2-utils (htpasswd), openssl, curl,
#   chromium and fonts-noto-color-emoji (headless; the job summary, whose headings and results are
#   emoji, is rendered, measured and screenshotted in it by __tests__/report/summary-browser.test.ts).
# Registries themselves are started per test by __tests__/helpers/registry.ts on free loopback ports.
# Usage: scripts/services.sh ensure   (install what is missing, start dockerd if it is not running)
#        scripts/services.sh stop     (stop the dockerd this script started)
set -euo pipefail
cmd="${1:-ensure}"
STATE_DIR="${PROMOTE_IMAGE_STATE:-/tmp/promote-image-services}"
mkdir -p "$STATE_DIR"

need=()
command -v docker-registry >/dev/null 2>&1 || need+=(docker-registry)
[ -x /usr/sbin/dockerd ] && [ -x /usr/bin/docker ] || need+=(docker.io)
command -v skopeo >/dev/null 2>&1 || need+=(skopeo)
command -v htpasswd >/dev/null 2>&1 || need+=(apache2-utils)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v curl >/dev/null 2>&1 || need+=(curl)
[ -x /bin/busybox ] || need+=(busybox-static)
# a Chromium as __tests__/helpers/chromium.ts finds one: PROMOTE_IMAGE_CHROMIUM, Debian's, or one on PATH
# (GitHub's ubuntu image has google-chrome and a chromium link); else Debian's package chromium
have_chromium() {
  if [ -n "${PROMOTE_IMAGE_CHROMIUM:-}" ] && [ -x "$PROMOTE_IMAGE_CHROMIUM" ]; then return 0; fi
  if [ -x /usr/bin/chromium ]; then return 0; fi
  for name in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$name" >/dev/null 2>&1; then return 0; fi
  done
  return 1
}
have_chromium || need+=(chromium)
[ -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need+=(fonts-noto-color-emoji)

install_packages() {
  if [ "${#need[@]}" -eq 0 ]; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    echo "promote-image needs these Debian packages for its tests and demo: ${need[*]}" >&2
    echo "Install them as root:  apt-get update && apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "installing Debian packages: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
}

docker_up() { /usr/bin/docker -H unix:///var/run/docker.sock version --format '{{.Server.Version}}' >/dev/null 2>&1; }

start_dockerd() {
  if docker_up; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    echo "dockerd is not running and this user cannot start it: run 'sudo dockerd &' first" >&2
    exit 1
  fi
  echo "starting dockerd (log: $STATE_DIR/dockerd.log)" >&2
  nohup /usr/sbin/dockerd --host unix:///var/run/docker.sock >"$STATE_DIR/dockerd.log" 2>&1 &
  echo $! >"$STATE_DIR/dockerd.pid"
  for _ in $(seq 1 60); do
    if docker_up; then return 0; fi
    sleep 0.5
  done
  echo "dockerd did not start; its log:" >&2
  tail -30 "$STATE_DIR/dockerd.log" >&2
  exit 1
}

case "$cmd" in
  ensure)
    install_packages
    start_dockerd
    ;;
  stop)
    if [ -f "$STATE_DIR/dockerd.pid" ]; then kill "$(cat "$STATE_DIR/dockerd.pid")" 2>/dev/null || true; rm -f "$STATE_DIR/dockerd.pid"; fi
    ;;
  *)
    echo "usage: scripts/services.sh ensure|stop" >&2
    exit 2
    ;;
esac
