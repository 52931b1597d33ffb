#!/usr/bin/env bash
# Before and after on the same machine in one run: builds REF (a commit, e.g. the one before the renderer work) into
# a temporary checkout and runs the same benchmarks against it and against this checkout, interleaved, so both see
# the same load from other tenants. Prints every result with the load average beside it.
#   ops/bench/compare.sh REF [PART...]      PART = soak | stages | delivery (default: all three)
#   ops/bench/compare.sh dcb0f60 soak stages
# REF must have ops/bench's stages mode (dcb0f60, "measure first", or later). Needs root for the namespaces.
set -euo pipefail
HERE=$(cd "$(dirname "$0")/../.." && pwd)
cd "$HERE"
REF=${1:?REF}; shift
PARTS=${*:-soak stages delivery}
. ops/lib/java.sh
OLD=$(mktemp -d /tmp/avatar-fleet-before.XXXXXX)
trap 'rm -rf "$OLD"' EXIT
git archive "$REF" | tar -x -C "$OLD"
echo "# before: $(git log --oneline -1 "$REF"); after: $(git log --oneline -1 HEAD)$(git diff --quiet || echo ' + uncommitted changes')"
echo "# building both (ops/stack build: every module, runtime classpaths)"
(cd "$OLD" && ops/stack build >/dev/null 2>&1 && mvn -B -o -q -pl ops/bench -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp >/dev/null 2>&1)
ops/stack build >/dev/null 2>&1
both() { # LABEL COMMAND... : runs the command in the old tree, then in this one
  local label=$1; shift
  echo "## $label, before ($(cut -d' ' -f1-3 /proc/loadavg))"; (cd "$OLD" && "$@") 2>&1 | grep -E '^(RESULT|\||#)' || true
  echo "## $label, after ($(cut -d' ' -f1-3 /proc/loadavg))"; "$@" 2>&1 | grep -E '^(RESULT|\||#)' || true
}
for part in $PARTS; do
  case "$part" in
    soak)
      both "render only, back to back, 512x512, 4 sessions" ops/bench/run soak 512 4 300
      both "render only, back to back, 256x256, 12 sessions" ops/bench/run soak 256 12 300 ;;
    stages)
      both "per-stage, 512x512" ops/bench/run stages 512 1,2,4,8 6
      both "per-stage, 256x256" ops/bench/run stages 256 4,8,16,24 6 ;;
    delivery)
      echo "## end to end, 512x512, before ($(cut -d' ' -f1-3 /proc/loadavg))"
      BENCH_TREE="$OLD" ops/bench/delivery.sh 512 1,2,3,4,5,6,7,8 10 2>&1 | grep -E '^(RESULT|\||#)' || true
      echo "## end to end, 512x512, after ($(cut -d' ' -f1-3 /proc/loadavg))"
      ops/bench/delivery.sh 512 1,2,3,4,5,6,7,8,9,10 10 2>&1 | grep -E '^(RESULT|\||#)' || true
      echo "## end to end, 256x256, before ($(cut -d' ' -f1-3 /proc/loadavg))"
      BENCH_TREE="$OLD" ops/bench/delivery.sh 256 2,4,6,8,10,12,16 10 2>&1 | grep -E '^(RESULT|\||#)' || true
      echo "## end to end, 256x256, after ($(cut -d' ' -f1-3 /proc/loadavg))"
      ops/bench/delivery.sh 256 4,8,12,16,20,24,28 10 2>&1 | grep -E '^(RESULT|\||#)' || true ;;
    *) echo "unknown part $part" >&2; exit 2 ;;
  esac
done
