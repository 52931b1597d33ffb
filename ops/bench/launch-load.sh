#!/usr/bin/env bash
# The API's launch path under load (dev.avatarfleet.bench.load.LaunchLoad, this folder's module) against the real
# local stack WITHOUT a worker: Kafka, redis-server and API nodes in a fresh network namespace (its ports are its own).
# The load generator holds a capacity-only registry entry (CapacityEntry: heartbeats, offers slots, consumes nothing),
# so every launch is admitted, its image stored and its record produced, and no session starts on this host.
#   ops/bench/launch-load.sh launch SECONDS PLAN        open loop per case and rate, against the same-JVM floor
#       PLAN e.g. 'none:50,100,200;base64:50,100,200;2mp:5,10,20;12mp:1,2,4'
#   ops/bench/launch-load.sh scale SECONDS CLIENTS NODES STEPS REQUESTS
#       /launch throughput, CLIENTS callers back to back, with 1..NODES API nodes (ops/stack add-api), then
#       GET /tasks with STEPS records (e.g. 1000,10000,100000) written by the admission script, REQUESTS each
#   ops/bench/launch-load.sh launch 1 PLAN scale 1 8 2 100,1000 3     several modes, in order, on one stack (the smoke)
# The API nodes run with LAUNCH_RATE_PER_MINUTE=0 (one address sends everything) and TASK_REENQUEUE_AFTER_MS=3600000
# (the pending sweeper would otherwise produce every unclaimed test launch again after 10 s, in the middle of the
# measurement); each run's launches are cancelled when it is over (LaunchLoad's TaskSweep), so the active set stays
# what one run made, as in a fleet whose workers claim launches at once. Needs root for the namespace, like ops/test.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || { echo "usage: ops/bench/launch-load.sh launch SECONDS PLAN | scale SECONDS CLIENTS NODES STEPS REQUESTS" >&2; exit 2; }
. ops/lib/java.sh
. ops/bench/lib.sh
[ "${BENCH_BUILT:-}" = 1 ] || mvn -B -o -q -pl ops/bench -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/bench.cp >&2
bench_stack_begin launch
# why: MAX_TASK_HISTORY: /tasks is measured with up to 100,000 ended tasks kept (the default keeps 1,000); the load
# generator cancels the launches of each run when it is over (TaskSweep), so they are history, not active tasks
fleet_env=(MAX_TASK_HISTORY=1000000)
api_env=(LAUNCH_RATE_PER_MINUTE=0 TASK_REENQUEUE_AFTER_MS=3600000 "${fleet_env[@]}")
bench_stack_up "${api_env[@]}" -- --only kafka,redis,api
bench_stack_conf
load() { # MODE ARGS...: the load generator inside the namespace, with the stack's own fleet settings
  in_ns env LOG_FORMAT=json "${fleet_env[@]}" KAFKA_BOOTSTRAP_SERVERS="$HOST:$S_KAFKA_PORT" REDIS_URL="redis://$HOST:$S_REDIS_PORT" LAUNCH_RECORD_KEY="$S_LAUNCH_RECORD_KEY" \
    java -Xmx1g -cp "ops/bench/target/classes:$(cat ops/bench/target/bench.cp)" dev.avatarfleet.bench.load.LaunchLoad "$@" 2>&1 \
    | grep -v -E '^(WARNING|SLF4J)|^\{"[^}]*"level":"(INFO|DEBUG)"' || true
}
echo "# stack without a worker in namespace $AVATAR_FLEET_NETNS ($HOST), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
while [ $# -gt 0 ]; do
MODE=$1; shift
case "$MODE" in
  launch)
    SECONDS_EACH=${1:?SECONDS}; PLAN=${2:?PLAN}; shift 2
    SAMPLE=ops/face-models/node_modules/@vladmandic/face-api/demo/sample1.jpg
    [ -f "$SAMPLE" ] || ops/face-models/install >&2
    # why: the photos are deterministic (PhotoJpegs), so made once per checkout (the 12 MP one takes seconds)
    IMG=ops/bench/target/launch-images
    [ -f "$IMG/avatar-1.jpg" ] || java -cp worker/target/classes ops/bench/AvatarJpegs.java "$IMG" 1
    [ -f "$IMG/photo-2mp-1.jpg" ] || java ops/bench/PhotoJpegs.java "$SAMPLE" "$IMG" photo-2mp 1732 1155 1
    [ -f "$IMG/photo-12mp-1.jpg" ] || java ops/bench/PhotoJpegs.java "$SAMPLE" "$IMG" photo-12mp 4243 2829 1
    echo "# images: base64 = the plugin's JPEG q95 $(($(stat -c %s "$IMG/avatar-1.jpg") / 1024)) KB; 2mp = 1732x1155 photo" \
      "$(($(stat -c %s "$IMG/photo-2mp-1.jpg") / 1024)) KB; 12mp = 4243x2829 photo $(($(stat -c %s "$IMG/photo-12mp-1.jpg") / 1024)) KB (multipart, as the seed's curl -F)"
    load launch "$API" "$LK" "$SECONDS_EACH" "$PLAN" \
      "base64=$IMG/avatar-1.jpg,2mp=$IMG/photo-2mp-1.jpg,12mp=$IMG/photo-12mp-1.jpg"
    ;;
  scale)
    SECS=${1:?SECONDS}; CLIENTS=${2:?CLIENTS}; NODES=${3:?NODES}; STEPS=${4:?STEPS}; REQUESTS=${5:?REQUESTS}; shift 5
    echo "# /launch throughput: $CLIENTS callers back to back for $SECS s, no image, spread over the API nodes in turn"
    echo "| api nodes | clients | launches | 200 | launches/s | p50 ms | p99 ms | load |"
    echo "|---|---|---|---|---|---|---|---|"
    apis=$API
    for n in $(seq 1 "$NODES"); do
      if [ "$n" -gt 1 ]; then
        in_ns env "${api_env[@]}" ops/stack add-api --data "$DATA" >>"$DATA/up.log" 2>&1 || { cat "$DATA/up.log" >&2; exit 1; }
        apis+=",http://$HOST:$((S_API_PORT - n + 1))"
      fi
      load throughput "$apis" "$LK" "$SECS" "$CLIENTS"
    done
    echo "# GET /tasks with many records (one API node)"
    load tasks "$API" "$LK" "$STEPS" "$REQUESTS"
    ;;
  *) echo "unknown mode $MODE (launch | scale)" >&2; exit 2 ;;
esac
done
