# The benchmark tools' shared start and end: the local stack (ops/stack) in a fresh network namespace (libwebrtc
# ignores loopback, and a fresh namespace has nothing listening, so the stack's default ports never collide), or a
# stack another tool already runs. Sourced from the repository root (or the tree BENCH_TREE names):
#   . ops/bench/lib.sh
#   bench_stack_begin NAME                 DATA, HOST, AVATAR_FLEET_NETNS; an EXIT trap that ends what was started
#   bench_stack_up [VAR=VALUE...] -- ARGS  ops/stack up --detach --host --data ARGS, with those settings (not when adopted)
#   bench_stack_conf                       API, LK and the stack's S_* settings (its stack.conf)
#   in_ns CMD...                           CMD inside the stack's namespace (ops/lib/netns.sh)
# A tool that has more to end defines bench_before_end (run first, on every exit).
# BENCH_STACK=DATA BENCH_NETNS=NS BENCH_HOST=ADDR: adopt that running stack instead of starting one, and leave it
# running (launch-to-first-frame.sh's THEN: the smoke of `ops/bench/figure all` starts one stack for four figures).
. "$(dirname "${BASH_SOURCE[0]}")/../lib/netns.sh"

bench_stack_begin() { # NAME: the data folder's name (/tmp/avatar-fleet-NAME.XXXXXX) when a stack is started here
  if [ -n "${BENCH_STACK:-}" ]; then
    DATA=$BENCH_STACK
    AVATAR_FLEET_NETNS=${BENCH_NETNS:?BENCH_STACK needs BENCH_NETNS}
    HOST=${BENCH_HOST:?BENCH_STACK needs BENCH_HOST}
    BENCH_ADOPTED=1
  else
    DATA=$(mktemp -d "/tmp/avatar-fleet-${1:?NAME}.XXXXXX")
    avatar_fleet_netns_up
    HOST=${AVATAR_FLEET_NETNS_ADDRESSES%%,*}
    BENCH_ADOPTED=
  fi
  trap bench_stack_end EXIT
}

bench_stack_end() {
  if declare -F bench_before_end >/dev/null; then bench_before_end || true; fi
  # why: an adopted stack belongs to the tool that started it, which goes on using it after this one
  [ -n "$BENCH_ADOPTED" ] && return
  in_ns ops/stack down --data "$DATA" >/dev/null 2>&1 || true
  ip netns del "$AVATAR_FLEET_NETNS" 2>/dev/null || true
  rm -rf "$DATA"
}

bench_stack_up() { # [VAR=VALUE...] -- ARGS: the settings reach every process the stack starts
  local settings=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do settings+=("$1"); shift; done
  [ "${1:-}" = -- ] && shift
  [ -n "$BENCH_ADOPTED" ] && return
  in_ns env "${settings[@]}" ops/stack up --detach --host "$HOST" --data "$DATA" "$@" >"$DATA/up.log" 2>&1 \
    || { cat "$DATA/up.log" >&2; return 1; }
}

bench_stack_conf() {
  . "$DATA/stack.conf"
  API="http://$HOST:$S_API_PORT"
  LK="ws://$HOST:$S_LIVEKIT_PORT"
}
