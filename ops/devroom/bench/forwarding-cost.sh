#!/usr/bin/env bash
# What forwarding costs the dev room server: its CPU (utime+stime from /proc) over a steady window while one
# @livekit/rtc-node publisher sends 512x512 @ 25 fps video + 48 kHz audio to 1 and then to 3 subscribers
# (ops/sdk-tests/rtc-node-load.mjs). Prints CPU per run and the ratio 3 subscribers / 1 subscriber.
# Runs as root (network namespace); needs `npm ci` in ops/sdk-tests. Usage: ops/devroom/bench/forwarding-cost.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
. ops/lib/java.sh
. ops/lib/netns.sh
mvn -B -o -q -pl ops/devroom -am package -DskipTests
mvn -B -o -q -pl ops/devroom dependency:build-classpath -Dmdep.outputFile="$PWD/ops/devroom/target/classpath.txt" >/dev/null
CP=ops/devroom/target/classes:$(cat ops/devroom/target/classpath.txt)
avatar_fleet_netns_up
HOST=${AVATAR_FLEET_NETNS_ADDRESSES%,*}
WARMUP=${WARMUP:-10}
WINDOW=${WINDOW:-20}

measure() {  # $1 = subscribers; prints "cpu_percent fps_list"
  local subs=$1 log server tokens ticks0 ticks1 t0 t1 node_pid
  log=$(mktemp)
  ip netns exec "$AVATAR_FLEET_NETNS" env LIVEKIT_HOST="$HOST" LIVEKIT_PORT=7880 \
    java --enable-native-access=ALL-UNNAMED -Xmx512m -cp "$CP" dev.avatarfleet.devroom.DevRoomMain >"$log" 2>&1 &
  server=$!
  for _ in $(seq 1 60); do grep -q listening "$log" && break; sleep 0.5; done
  tokens=$(java -cp "$CP" dev.avatarfleet.devroom.TokenMain --room bench --identity publisher)
  for i in $(seq 1 "$subs"); do
    tokens="$tokens,$(java -cp "$CP" dev.avatarfleet.devroom.TokenMain --room bench --identity sub$i)"
  done
  (cd ops/sdk-tests && ip netns exec "$AVATAR_FLEET_NETNS" env URL="ws://$HOST:7880" TOKENS="$tokens" \
    DURATION_S=$((WARMUP + WINDOW + 2)) WARMUP_S="$WARMUP" timeout $((WARMUP + WINDOW + 60)) node rtc-node-load.mjs >"$log.node" 2>&1) &
  node_pid=$!
  sleep "$WARMUP"
  ticks0=$(awk '{print $14+$15}' /proc/$server/stat); t0=$(date +%s.%N)
  sleep "$WINDOW"
  ticks1=$(awk '{print $14+$15}' /proc/$server/stat); t1=$(date +%s.%N)
  wait "$node_pid" || true
  kill -TERM "$server"; wait "$server" || true
  python3 -c "import json,sys; r=[l for l in open('$log.node') if l.startswith('RESULT ')]; \
f=json.loads(r[0][7:]) if r else {'framesPerSubscriber':[], 'seconds':1}; \
print('%.1f %s' % (($ticks1-$ticks0)/$(getconf CLK_TCK)/($t1-$t0)*100, [round(x/f['seconds'],1) for x in f['framesPerSubscriber']]))"
  rm -f "$log" "$log.node"
}

one=$(measure 1); three=$(measure 3)
echo "server CPU, 1 subscriber:  ${one%% *}% of one core (subscriber fps ${one#* })"
echo "server CPU, 3 subscribers: ${three%% *}% of one core (subscriber fps ${three#* })"
python3 -c "print('ratio 3/1 subscribers: %.2f' % (${three%% *}/${one%% *}))"
