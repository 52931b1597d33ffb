#!/usr/bin/env bash
# Starts the node that layout.sh laid out beside this script (the image's ENTRYPOINT, after tini):
#   entrypoint.sh [ARGS...]   exec java $JAVA_OPTS -cp LIB... MAIN ARGS
# Every node setting comes from the environment and is read by the node itself (README's tables);
# JAVA_OPTS carries JVM flags (the image sets the heap as a share of the container's memory limit).
# For a worker bound to every address (WORKER_HOST=0.0.0.0, as in the image) with no WORKER_URL, it
# sets WORKER_URL to http://HOSTNAME:WORKER_PORT: the name other containers reach it by (compose
# gives each replica its own hostname); the default http://0.0.0.0:PORT would reach nobody.
set -euo pipefail
APP_HOME=$(cd "$(dirname "$0")/.." && pwd)
role=$(cat "$APP_HOME/role")
main=$(cat "$APP_HOME/main-class")
cp=""
while IFS= read -r jar; do
  [ -n "$jar" ] && cp+="${cp:+:}$APP_HOME/lib/$jar"
done <"$APP_HOME/lib/classpath.txt"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

flags=()
if [ "$role" = worker ]; then
  # why: TensorFlow, OpenCV and webrtc-java load native code through JNI; without this the JDK warns on every start
  flags+=(--enable-native-access=ALL-UNNAMED)
  case "${WORKER_HOST:-}" in
    0.0.0.0|::|'[::]')
      if [ -z "${WORKER_URL:-}" ]; then
        # why: the port's default (8090) is WorkerSettings'; repeated here only to spell the URL
        export WORKER_URL="http://${HOSTNAME:-$(cat /proc/sys/kernel/hostname)}:${WORKER_PORT:-8090}"
      fi ;;
  esac
fi

if [ "${1:-}" = --print-command ]; then
  # why: lets a check see what would run (and the WORKER_URL derived above) without starting a JVM
  shift
  printf '%s\n' "WORKER_URL=${WORKER_URL:-}" "$java" ${JAVA_OPTS:-} "${flags[@]}" -cp "$cp" "$main" "$@"
  exit 0
fi
# why: JAVA_OPTS is a list of flags, split on spaces on purpose; exec so the JVM gets tini's signals (SIGTERM drains)
# shellcheck disable=SC2086
exec "$java" ${JAVA_OPTS:-} "${flags[@]}" -cp "$cp" "$main" "$@"
