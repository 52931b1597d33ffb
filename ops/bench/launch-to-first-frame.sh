#!/usr/bin/env bash
# Time to first frame as an agent sees it (not asserted anywhere): from the agent's POST /launch to the first
# avatar_video frame its @livekit/rtc-node client decodes. Runs the real local stack (ops/stack up --host, one
# API node, one worker with the real model, the dev room server, Kafka, redis-server) inside a fresh network
# namespace (libwebrtc ignores loopback), and an rtc-node agent (ops/sdk-tests/agent.mjs, SCENARIO=leave) that
# launches its avatar exactly as livekit-plugins-bithuman does (JSON request, base64 JPEG q95).
#   ops/bench/launch-to-first-frame.sh [RUNS]     (default 5; needs root for the namespace, like ops/test)
#   KEEP_LOGS=DIR ops/bench/launch-to-first-frame.sh 3   also copies the stack's logs (api, worker-1, ...) to DIR
#   THEN='ops/bench/session-soak.sh 12 3; ops/bench/delivery.sh 128 1 3' ops/bench/launch-to-first-frame.sh 1
#       then those tools on this same stack (BENCH_STACK, ops/bench/lib.sh), every part started with NMT for the
#       soak: the smoke of `ops/bench/figure all`, one stack start for four figures
# Two series of RUNS launches, one at a time, each waiting for the previous task to end:
#   fresh  every launch brings a new image (a different hash): the worker prepares the avatar
#   same   every launch brings the image of the first fresh run: prepared avatar from the worker's cache
#   photo  every launch brings a new real-size photo of a person (PHOTO_SIZE, default 1732x1155 = 2 MP: a face-api
#          demo photo scaled, ops/bench/PhotoJpegs.java): the API checks it and the worker prepares it (decode, face
#          detection, crop); PHOTO_RUNS launches (default RUNS, 0: none)
#   first  FIRST_RUNS times (default 0): `ops/stack restart api` and `restart worker-1`, /ready, then one launch with a
#          new image: the first launch after the fleet's nodes start (Kafka, Redis and the dev room server stay warm,
#          as a production LiveKit server and Kafka do when the fleet restarts)
# Settings such as VIDEO_WIDTH/VIDEO_HEIGHT/MAX_SESSIONS pass through the environment to the stack.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-5}
. ops/lib/java.sh
. ops/bench/lib.sh
(cd ops/sdk-tests && [ -d node_modules/@livekit/rtc-node ] || npm ci --no-audit --no-fund --loglevel=error)
bench_stack_begin bench
if [ -n "${KEEP_LOGS:-}" ]; then
  bench_before_end() { mkdir -p "$KEEP_LOGS" && cp -r "$DATA/logs/." "$KEEP_LOGS/" 2>/dev/null; }
fi
# why: THEN runs more tools on this stack afterwards; the session soak among them reads the worker's NMT
bench_stack_up ${THEN:+JAVA_TOOL_OPTIONS=-XX:NativeMemoryTracking=summary} -- --max-sessions "${MAX_SESSIONS:-2}"
bench_stack_conf
in_ns curl -sf "$API/ready" >/dev/null || { echo "stack not ready: $(in_ns curl -s "$API/ready")" >&2; exit 1; }
FIRST_RUNS=${FIRST_RUNS:-0}
java -cp worker/target/classes ops/bench/AvatarJpegs.java "$DATA/img" "$((RUNS + FIRST_RUNS))"
PHOTO_RUNS=${PHOTO_RUNS:-$RUNS}
PHOTO_SIZE=${PHOTO_SIZE:-1732x1155}
if [ "$PHOTO_RUNS" -gt 0 ]; then
  SAMPLE=ops/face-models/node_modules/@vladmandic/face-api/demo/sample1.jpg
  [ -f "$SAMPLE" ] || ops/face-models/install >&2
  java ops/bench/PhotoJpegs.java "$SAMPLE" "$DATA/img" photo "${PHOTO_SIZE%x*}" "${PHOTO_SIZE#*x}" "$PHOTO_RUNS" >&2
fi

one_launch() { # ROOM IMAGE -> prints ms from POST /launch to the first decoded frame
  local room=$1 image=$2 token out task status i
  token=$(ops/stack token --data "$DATA" --room "$room" --identity "agent-$room" --agent)
  out=$(in_ns env LIVEKIT_URL="$LK" AGENT_TOKEN="$token" SCENARIO=leave MAX_SECONDS=40 LAUNCH_API="$API" \
    LAUNCH_FORMAT=json LIVEKIT_API_KEY=devkey LIVEKIT_API_SECRET=secret BITHUMAN_API_SECRET=bench \
    AVATAR_IMAGE="$image" node ops/sdk-tests/agent.mjs 2>"$DATA/agent-$room.err")
  task=$(echo "$out" | jq -r 'select(.event=="launched") | .body | fromjson | .task_id')
  # why: one launch at a time: wait until the avatar's task has ended before the next one
  for i in $(seq 1 100); do
    status=$(in_ns curl -s "$API/tasks/$task" | jq -r .status)
    case "$status" in completed|cancelled|failed) break ;; esac
    sleep 0.2
  done
  # why: where the time goes, per run, on stderr: the avatar joined, its video track subscribed, first frame
  echo "$out" | jq -rs --arg room "$room" '(map(select(.event=="launched"))[0].posted_at) as $t0
    | "\($room): /launch reply +\(map(select(.event=="launched"))[0].at - $t0) ms, joined +\(map(select(.event=="avatar_joined"))[0].at - $t0) ms, video track +\(map(select(.event=="track" and .kind=="video"))[0].at - $t0) ms, first frame +\(map(select(.event=="first_frame"))[0].at - $t0) ms"' >&2 || true
  # why: the task record's own millisecond timestamps split the fleet's part: Kafka delivery and claim, then join and publish
  in_ns redis-cli -h "$HOST" -p "$S_REDIS_PORT" --raw HMGET "avatarfleet:task:$task" created_at claimed_at running_at \
    | paste -sd' ' | awk -v room="$room" 'NF == 3 { printf "%s: task record: created -> claimed %d ms, claimed -> running %d ms\n", room, $2 - $1, $3 - $2 }' >&2 || true
  echo "$out" | jq -r 'select(.event=="first_frame") | .since_launch_ms' | grep . \
    || { echo "no first frame in $room (task $task: $status): $out" >&2; return 1; }
}

summary() { # NAME VALUES... (in run order)
  local name=$1; shift
  printf '%s\n' "$@" | sort -n | awk -v name="$name" -v order="$*" '{v[NR]=$1} END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%-6s runs %d  median %d ms  max %d ms  min %d ms  (in run order: %s)\n", name, NR, m, v[NR], v[1], order }'
}

fresh=(); same=()
for i in $(seq 1 "$RUNS"); do fresh+=("$(one_launch "fresh-$i" "$DATA/img/avatar-$i.jpg")"); done
for i in $(seq 1 "$RUNS"); do same+=("$(one_launch "same-$i" "$DATA/img/avatar-1.jpg")"); done
photo=()
for i in $(seq 1 "$PHOTO_RUNS"); do photo+=("$(one_launch "photo-$i" "$DATA/img/photo-$i.jpg")"); done
first=()
for i in $(seq 1 "$FIRST_RUNS"); do
  in_ns ops/stack restart api --data "$DATA" >>"$DATA/restart.log" 2>&1
  in_ns ops/stack restart worker-1 --data "$DATA" >>"$DATA/restart.log" 2>&1
  for j in $(seq 1 600); do [ "$(in_ns curl -s -o /dev/null -w '%{http_code}' "$API/ready")" = 200 ] && break; sleep 0.2; done
  first+=("$(one_launch "first-$i" "$DATA/img/avatar-$((RUNS + i)).jpg")")
done
echo "# time to first frame, POST /launch -> agent's first decoded avatar_video frame"
echo "# stack in a network namespace on $HOST, ${VIDEO_WIDTH:-512}x${VIDEO_HEIGHT:-512}, MAX_SESSIONS ${MAX_SESSIONS:-2}," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "# fresh run 1 is also the worker's first session (native encoder and peer-connection set-up)"
summary fresh "${fresh[@]}"
summary same "${same[@]}"
if [ "$PHOTO_RUNS" -gt 0 ]; then summary photo "${photo[@]}"; fi
if [ "$FIRST_RUNS" -gt 0 ]; then summary first "${first[@]}"; fi
if [ -n "${THEN:-}" ]; then
  BENCH_STACK="$DATA" BENCH_NETNS="$AVATAR_FLEET_NETNS" BENCH_HOST="$HOST" bash -c "$THEN"
fi
