# Sourced by ops scripts: installs the Debian packages the stack and the tests need, once.
#   redis-server  the shared state (Redis 7)
#   libpulse0     loaded by webrtc-java's native library (no sound server is used)
#   chromium      headless browser for the livekit-client compatibility test
#   iproute2      network namespaces for media tests (libwebrtc ignores loopback)
#   python3-prometheus-client  the Prometheus project's text-format parser, which the /metrics tests parse with
# why: nothing may be assumed installed on a fresh machine; the project's own files install it.
avatar_fleet_missing_packages() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]}"
}

avatar_fleet_install_packages() {
  local missing
  missing=$(avatar_fleet_missing_packages "$@")
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    echo "avatar-fleet: missing Debian packages: $missing (install them as root: apt-get install $missing)" >&2
    return 1
  fi
  echo "avatar-fleet: installing $missing" >&2
  # why: a fresh machine has no package lists; update once, quietly
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
}
