#!/usr/bin/env bash
# Sessions sustained at 25 FPS END TO END: the real local stack (Kafka, redis-server, the dev room server, one API
# node, one worker) in a fresh network namespace, and N real @livekit/rtc-node agents (ops/sdk-tests/agent.mjs,
# SCENARIO=deliver) that each launch their own avatar as livekit-plugins-bithuman does, make it speak, and count
# the frames they receive. For each N of COUNTS, all N agents at once: a count is sustained when every agent
# received >= 24.5 frames/s and no agent's frame interval p99 is above 60 ms (one more try when it is not: the host
# is shared). Prints one line per try with the worker's and the dev room's CPU and the load average.
#   ops/bench/delivery.sh SIZE COUNTS [MEASURE_SECONDS]       e.g. ops/bench/delivery.sh 512 1,2,4,6,8 10
#   BENCH_TREE=/tmp/old-checkout ops/bench/delivery.sh ...    the stack of another checkout (built there), e.g. a
#                                                             before/after comparison (ops/bench/compare.sh)
#   SPEAK_ON=3 SPEAK_OFF=3 ...                                agents speak 3 s, pause 3 s (default: speech all along)
#   WORKERS=3 ...                                             that many workers (ops/stack up --workers), each with
#                                                             MAX_SESSIONS the largest count; 'worker cores' sums them
#   DELIVERY_TRIES=1 ...                                      one try per count (default 2: the host is shared)
#   BENCH_STACK=DATA BENCH_NETNS=NS BENCH_HOST=ADDR ...       on that running stack (ops/bench/lib.sh), left running
# Needs root for the namespace, like ops/test. Everything runs on this machine: the dev room server decodes each
# avatar once and re-encodes it for its agent, and the agents decode, so the worker shares the CPU with them.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/../.." && pwd)
SIZE=${1:?SIZE}; COUNTS=${2:?COUNTS}; MEASURE=${3:-10}
TREE=${BENCH_TREE:-$HERE}
cd "$TREE"
. ops/lib/java.sh
. "$HERE/ops/bench/lib.sh"
(cd "$HERE/ops/sdk-tests" && [ -d node_modules/@livekit/rtc-node ] || npm ci --no-audit --no-fund --loglevel=error)
bench_stack_begin delivery
max=$(echo "$COUNTS" | tr ',' '\n' | sort -n | tail -1)
# why: a model folder of its own: the default one is shared with every other stack on this machine
bench_stack_up VIDEO_WIDTH="$SIZE" VIDEO_HEIGHT="$SIZE" MODEL_DIR="$DATA/model" CAPACITY_FROM_COST=false \
  -- --max-sessions "$max" --workers "${WORKERS:-1}"
bench_stack_conf
# why: an adopted stack was started by someone else: its worker must have a slot for every agent of the largest count
[ "$S_MAX_SESSIONS" -ge "$max" ] || { echo "the stack's MAX_SESSIONS $S_MAX_SESSIONS is below the largest count $max" >&2; exit 1; }
WORK=$(mktemp -d /tmp/avatar-fleet-delivery-agents.XXXXXX)
bench_before_end() { rm -rf "$WORK"; }
java -cp worker/target/classes "$HERE/ops/bench/AvatarJpegs.java" "$WORK/img" 1 >/dev/null
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pid_of() { cat "$DATA/run/$1.pid"; }
workers_cpu() { # every worker's CPU ticks, summed
  local f t=0
  for f in "$DATA"/run/worker-*.pid; do t=$((t + $(cpu_of "$(cat "$f")"))); done
  echo "$t"
}

try_count() { # N -> prints a result line, returns 0 when sustained
  local n=$1 i pids=() w0 d0 w1 d1 t0 t1 out ok
  w0=$(workers_cpu); d0=$(cpu_of "$(pid_of devroom)"); t0=$(date +%s%N)
  for i in $(seq 1 "$n"); do
    local room="d$n-$i-$RANDOM"
    local token
    token=$(ops/stack token --data "$DATA" --room "$room" --identity "agent-$room" --agent)
    in_ns env LIVEKIT_URL="$LK" AGENT_TOKEN="$token" SCENARIO=deliver MAX_SECONDS=$((MEASURE + 90)) LAUNCH_API="$API" \
      LAUNCH_FORMAT=json LIVEKIT_API_KEY=devkey LIVEKIT_API_SECRET=secret BITHUMAN_API_SECRET=bench WARMUP_SECONDS=3 \
      MEASURE_SECONDS="$MEASURE" SPEAK_ON="${SPEAK_ON:-0}" SPEAK_OFF="${SPEAK_OFF:-0}" AVATAR_IMAGE="$WORK/img/avatar-1.jpg" \
      node "$HERE/ops/sdk-tests/agent.mjs" >"$WORK/agent-$n-$i.out" 2>"$WORK/agent-$n-$i.err" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
  w1=$(workers_cpu); d1=$(cpu_of "$(pid_of devroom)"); t1=$(date +%s%N)
  out=$(cat "$WORK"/agent-$n-*.out | jq -s --argjson n "$n" '[.[] | select(.event=="delivery")] as $d
    | {got: ($d | length), min_fps: ([$d[].fps] | min | if . == null then null else (. * 10 | round / 10) end), worst_p99: ([$d[].p99_ms] | max), worst_max: ([$d[].max_ms] | max),
       median_p50: ([$d[].p50_ms] | sort | .[(length/2|floor)])}')
  # why: CPU over the whole try (joins, warm-up, window, leaves), in cores
  local secs; secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print (b-a)/1e9}')
  ok=$(echo "$out" | jq --argjson n "$n" '.got == $n and .min_fps >= 24.5 and .worst_p99 <= 60')
  echo "$out" | jq -r --arg n "$n" --arg ok "$ok" --arg load "$(cut -d' ' -f1 /proc/loadavg)" \
    --arg w "$(awk -v c=$((w1 - w0)) -v s="$secs" 'BEGIN{printf "%.2f", c/100/s}')" \
    --arg d "$(awk -v c=$((d1 - d0)) -v s="$secs" 'BEGIN{printf "%.2f", c/100/s}')" \
    '"| \($n) | \(.got) | \(.min_fps // "-") | \(.median_p50 // "-") | \(.worst_p99 // "-") | \(.worst_max // "-") | \($w) | \($d) | \($load) | \(if $ok == "true" then "sustained" else "NOT sustained" end) |"'
  [ "$ok" = true ]
}

echo "# end to end, ${SIZE}x${SIZE}, ${WORKERS:-1} worker(s), tree $(git -C "$TREE" log --oneline -1 2>/dev/null || echo "$TREE"), agents speaking $( [ "${SPEAK_OFF:-0}" = 0 ] && echo "all along" || echo "${SPEAK_ON}s on / ${SPEAK_OFF}s off"), ${MEASURE} s window, $(nproc) cores"
echo "| sessions | agents reporting | min fps | median p50 ms | worst p99 ms | worst max ms | worker cores | dev room cores | load | |"
echo "|---|---|---|---|---|---|---|---|---|---|"
best=0
for n in $(echo "$COUNTS" | tr ',' ' '); do
  tries=${DELIVERY_TRIES:-2}; ok=
  while [ "$tries" -gt 0 ]; do tries=$((tries - 1)); if try_count "$n"; then ok=1; break; fi; done
  if [ -n "$ok" ]; then best=$n; else break; fi
done
echo "RESULT ${SIZE}x${SIZE}: $best sessions sustained end to end at 25 FPS (p99 <= 60 ms); load $(cut -d' ' -f1-3 /proc/loadavg)"
