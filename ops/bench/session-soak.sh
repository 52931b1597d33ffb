#!/usr/bin/env bash
# Session soak: sessions starting and ending on one worker for SECONDS, the worker's memory, threads and open files
# sampled every SAMPLE seconds. Runs the real local stack in a fresh network namespace (libwebrtc ignores loopback):
# Kafka, redis-server, the dev room server, one API node and one worker started with Native Memory Tracking
# (JAVA_TOOL_OPTIONS=-XX:NativeMemoryTracking=summary, that worker only). PARALLEL churn loops (default 1) each run
# one session after another, as an agent does: an @livekit/rtc-node agent (ops/sdk-tests/agent.mjs, SCENARIO=leave)
# launches its avatar exactly as livekit-plugins-bithuman does, waits for its first decoded frame and leaves; the
# avatar then ends its session, and the loop waits for the task to end before the next.
#   ops/bench/session-soak.sh SECONDS SAMPLE        e.g. 1800 60 (the real soak), 20 4 (the smoke)
# Prints one table row per sample: RSS and anonymous memory (/proc/PID/status, smaps_rollup), the JVM's own native
# memory without the heap (NMT committed total minus the heap's), the heap committed, threads, open files.
# VIDEO_WIDTH/VIDEO_HEIGHT pass through to the worker (default 256x256 here). Needs root, like ops/test.
# BENCH_STACK=DATA BENCH_NETNS=NS BENCH_HOST=ADDR: use that running stack (its worker-1, started with NMT) instead of
# starting one, and leave it running (ops/bench/lib.sh; launch-to-first-frame.sh's THEN, the smoke of `figure all`).
set -euo pipefail
cd "$(dirname "$0")/../.."
LENGTH=${1:?SECONDS}; SAMPLE=${2:?SAMPLE}
PARALLEL=${PARALLEL:-1}
. ops/lib/java.sh
. ops/bench/lib.sh
(cd ops/sdk-tests && [ -d node_modules/@livekit/rtc-node ] || npm ci --no-audit --no-fund --loglevel=error)
# why: the soak's own files (sessions, stop mark, image, agents' stderr) apart from the stack's data
WORK=$(mktemp -d /tmp/avatar-fleet-soak.XXXXXX)
churn_pids=()
bench_before_end() { for p in "${churn_pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
bench_stack_begin soak-stack
export VIDEO_WIDTH=${VIDEO_WIDTH:-256} VIDEO_HEIGHT=${VIDEO_HEIGHT:-256}
if [ -z "$BENCH_ADOPTED" ]; then
  bench_stack_up MODEL_DIR="$DATA/model" -- --only kafka,redis,devroom,api
  # why: NMT for the measured worker only (the other parts need none); JAVA_TOOL_OPTIONS reaches the JVM the stack starts
  in_ns env MODEL_DIR="$DATA/model" JAVA_TOOL_OPTIONS=-XX:NativeMemoryTracking=summary \
    ops/stack add-worker --max-sessions $((PARALLEL + 1)) --data "$DATA" >>"$DATA/up.log" 2>&1 || { cat "$DATA/up.log" >&2; exit 1; }
fi
bench_stack_conf
for i in $(seq 1 600); do [ "$(in_ns curl -s -o /dev/null -w '%{http_code}' "$API/ready")" = 200 ] && break; sleep 0.2; done
WPID=$(cat "$DATA/run/worker-1.pid")
java -cp worker/target/classes ops/bench/AvatarJpegs.java "$WORK/img" 1

churn() { # LOOP: sessions one after another until killed; one line per session in $WORK/sessions
  local loop=$1 n=0 room token out task status i
  while [ ! -f "$WORK/stop" ]; do
    n=$((n + 1)); room="soak-$loop-$n"
    # why: a loop that stopped on one failed step would end the churn silently; each failure is counted instead
    token=$(ops/stack token --data "$DATA" --room "$room" --identity "agent-$room" --agent) \
      || { echo "failed token" >>"$WORK/sessions"; sleep 1; continue; }
    out=$(in_ns env LIVEKIT_URL="$LK" AGENT_TOKEN="$token" SCENARIO=leave MAX_SECONDS=40 LAUNCH_API="$API" \
      LAUNCH_FORMAT=json LIVEKIT_API_KEY=devkey LIVEKIT_API_SECRET=secret BITHUMAN_API_SECRET=bench \
      AVATAR_IMAGE="$WORK/img/avatar-1.jpg" node ops/sdk-tests/agent.mjs 2>>"$WORK/agents.err" || true)
    task=$(echo "$out" | jq -r 'select(.event=="launched") | .body | fromjson | .task_id' 2>/dev/null || true)
    status=none
    if [ -n "$task" ]; then
      for i in $(seq 1 150); do
        status=$(in_ns curl -s "$API/tasks/$task" | jq -r .status 2>/dev/null || echo unknown)
        case "$status" in completed|cancelled|failed) break ;; esac
        sleep 0.2
      done
    fi
    # why: the agent leaves after its first frame, so the avatar's session ends by itself (completed)
    if echo "$out" | grep -q '"event":"first_frame"' && [ "$status" = completed ]; then echo ok; else echo "failed $status"; fi >>"$WORK/sessions"
  done
}
: >"$WORK/sessions"
for l in $(seq 1 "$PARALLEL"); do churn "$l" & churn_pids+=($!); done

mb() { awk -v k="$1" '$1 == k":" {printf "%.1f", $2 / 1024}' "$2"; }
nmt() { # prints "JVM-native-MB heap-committed-MB" from NMT's summary
  in_ns "$JAVA_HOME/bin/jcmd" "$WPID" VM.native_memory summary 2>/dev/null | awk '
    /^Total:/ { match($0, /committed=[0-9]+KB/); t = substr($0, RSTART + 10, RLENGTH - 12) }
    /Java Heap \(/ { match($0, /committed=[0-9]+KB/); h = substr($0, RSTART + 10, RLENGTH - 12) }
    END { if (t == "") print "- -"; else printf "%.1f %.1f\n", (t - h) / 1024, h / 1024 }'
}
echo "# session soak: one worker (${VIDEO_WIDTH}x${VIDEO_HEIGHT}, NMT on), $PARALLEL churn loop(s) of rtc-node agents (launch, first frame, leave), ${LENGTH} s, a sample every ${SAMPLE} s, $(nproc) cores"
echo "| t s | sessions | failed | RSS MB | anon MB | JVM native MB | heap MB | threads | open files | load |"
echo "|---|---|---|---|---|---|---|---|---|---|"
start=$(date +%s)
while :; do
  t=$(( $(date +%s) - start ))
  [ -d "/proc/$WPID" ] || { echo "the worker (pid $WPID) is gone" >&2; exit 1; }
  read -r native heap < <(nmt)
  ok=$(grep -c '^ok' "$WORK/sessions" || true); bad=$(grep -c '^failed' "$WORK/sessions" || true)
  echo "| $t | $ok | $bad | $(mb VmRSS "/proc/$WPID/status") | $(mb Anonymous "/proc/$WPID/smaps_rollup") | $native | $heap |" \
    "$(awk '$1 == "Threads:" {print $2}' "/proc/$WPID/status") | $(ls "/proc/$WPID/fd" | wc -l) | $(cut -d' ' -f1 /proc/loadavg) |"
  [ "$t" -ge "$LENGTH" ] && break
  sleep "$SAMPLE"
done
# why: each loop ends its session in progress (bounded by the agent's MAX_SECONDS) rather than leaving it to the stack's stop
touch "$WORK/stop"
for p in "${churn_pids[@]}"; do wait "$p" 2>/dev/null || true; done
churn_pids=()
echo "RESULT soak: $(grep -c '^ok' "$WORK/sessions" || true) sessions ended cleanly, $(grep -c '^failed' "$WORK/sessions" || true) failed, in ${t} s"
grep '^failed' "$WORK/sessions" | sort | uniq -c | sed 's/^/# /' || true
