#!/usr/bin/env bash
# Avatar session figures (not asserted anywhere): time to first frame, fps the agent receives, stop and
# clear latencies, threads and native memory over 50 short sessions. Runs the worker's media tests
# inside a fresh network namespace against the in-process dev room server and a real rtc-node agent,
# then prints what they measured (worker/target/bench/session-figures.txt).
#   ops/bench/session-figures.sh            (needs root for the namespace, like ops/test)
# time_to_first_frame_ms is measured from SessionFactory.start to the agent's first decoded frame
# (join, publish and avatar preparation in parallel), at 256x256 on the shared 2-core box.
set -euo pipefail
cd "$(dirname "$0")/../.."
. ops/lib/java.sh
. ops/lib/netns.sh
(cd ops/sdk-tests && [ -d node_modules/@livekit/rtc-node ] || npm ci --no-audit --no-fund --loglevel=error)
rm -f worker/target/bench/session-figures.txt
log=$(mktemp /tmp/session-figures.XXXXXX.log)
avatar_fleet_netns_up
status=0
ip netns exec "$AVATAR_FLEET_NETNS" env AVATAR_FLEET_MEDIA_ADDRESSES="$AVATAR_FLEET_NETNS_ADDRESSES" \
  mvn -B -q -o -Pmedia -pl worker -am verify -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest='LiveSessionMediaTest#agentSeesVideoAndAudioAndGetsOnePlaybackFinishedForThreeSecondsOfSpeech+clearBufferMidSegmentReportsInterrupted+stopCancelsAndTheAvatarLeavesWithinASecond+manyShortSessionsLeaveNoThreadsOrNativeMemoryBehind' \
  >"$log" 2>&1 || status=$?
echo "# load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; test log: $log (tests exit $status)"
cat worker/target/bench/session-figures.txt
