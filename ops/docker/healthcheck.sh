#!/usr/bin/env bash
# The image's HEALTHCHECK: GET PATH on this node's own port, with bash alone (a JRE image has no curl).
#   healthcheck.sh [PATH]     PATH defaults to /ready; the port is API_PORT (8089) or WORKER_PORT (8090)
# Exit 0 (healthy) on a 200, and on /ready's 503 "at_capacity": a full node is working, it only takes
# no more sessions now. Exit 1 on anything else: "not_ready" (model loading, draining, no ready worker
# in the fleet), no answer within 2 seconds, a refused connection.
set -uo pipefail
APP_HOME=$(cd "$(dirname "$0")/.." && pwd)
path=${1:-/ready}
case "$(cat "$APP_HOME/role")" in
  api) port=${API_PORT:-8089} ;;        # why: API_PORT's default, as ApiSettings declares it
  *) port=${WORKER_PORT:-8090} ;;       # why: WORKER_PORT's default, as WorkerSettings declares it
esac

probe() { # PORT PATH: prints the status line, then the body (at most 4 KiB)
  local line length=0 body=""
  exec 3<>"/dev/tcp/127.0.0.1/$1" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$2" >&3
  IFS= read -r line <&3 || return 1
  printf '%s\n' "${line%$'\r'}"
  while IFS= read -r line <&3; do
    line=${line%$'\r'}
    [ -z "$line" ] && break
    case "${line,,}" in content-length:*) length=${line#*:}; length=${length//[!0-9]/} ;; esac
  done
  # why: read by Content-Length: Helidon keeps the socket open a while after "Connection: close"
  [ "${length:-0}" -gt 0 ] || return 0
  [ "$length" -le 4096 ] || length=4096
  IFS= read -r -N "$length" body <&3
  printf '%s' "$body"
}
export -f probe
# why: the whole exchange runs under one timeout, so a node that accepts and never answers is unhealthy
answer=$(timeout 2 bash -c 'probe "$@"' probe "$port" "$path" 2>/dev/null) \
  || { echo "unhealthy: no answer from 127.0.0.1:$port$path" >&2; exit 1; }
status_line=${answer%%$'\n'*}
status=$(cut -d' ' -f2 <<<"$status_line")
body=${answer#*$'\n'}
if [ "$status" = 200 ]; then
  exit 0
fi
if [ "$status" = 503 ] && [[ "$body" =~ \"status\"[[:space:]]*:[[:space:]]*\"at_capacity\" ]]; then
  exit 0
fi
echo "unhealthy: $path answered $status ${body:0:200}" >&2
exit 1
