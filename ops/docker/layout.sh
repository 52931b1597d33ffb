#!/usr/bin/env bash
# Lays out one node as the image holds it, from what build.sh produced:
#   DIR/lib/*.jar             the module's jar and its runtime classpath (one folder, no ~/.m2)
#   DIR/lib/classpath.txt     the jars' names in Maven's order (entrypoint.sh keeps that order)
#   DIR/main-class, DIR/role  what entrypoint.sh starts: api or worker
#   DIR/bin/entrypoint.sh, DIR/bin/healthcheck.sh
#
#   ops/docker/layout.sh api|worker DIR     (the Dockerfile: /out/api, /out/worker; ops/deploy-check: a temp dir)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
die() { echo "layout: $*" >&2; exit 1; }

[ $# = 2 ] || die "usage: layout.sh api|worker DIR"
module=$1 dest=$2
case "$module" in
  api) main=dev.avatarfleet.api.ApiMain ;;
  worker) main=dev.avatarfleet.worker.WorkerMain ;;
  *) die "unknown module '$module' (api or worker)" ;;
esac
classpath_file=$ROOT/$module/target/runtime-classpath.txt
[ -s "$classpath_file" ] || die "$classpath_file is missing: run ops/docker/build.sh first"
shopt -s nullglob
jars=("$ROOT/$module/target/$module"-*.jar)
shopt -u nullglob
[ ${#jars[@]} = 1 ] || die "expected one $module/target/$module-*.jar, found ${#jars[@]}: run ops/docker/build.sh first"

[ ! -e "$dest" ] || [ -z "$(ls -A "$dest")" ] || die "$dest is not empty"
mkdir -p "$dest/lib" "$dest/bin"
: >"$dest/lib/classpath.txt"
add_jar() {
  local src=$1 name
  [ -f "$src" ] || die "classpath entry $src is not a file (a module's classes folder? run build.sh, not ops/stack build)"
  name=$(basename "$src")
  # why: one flat folder; two jars with one file name would silently replace each other
  [ ! -e "$dest/lib/$name" ] || die "two classpath entries are named $name"
  cp "$src" "$dest/lib/$name"
  echo "$name" >>"$dest/lib/classpath.txt"
}
add_jar "${jars[0]}"
# why: the file has no final newline, so read reports EOF (1) after filling the array
IFS=: read -r -a entries <"$classpath_file" || true
for entry in "${entries[@]}"; do
  [ -n "$entry" ] && add_jar "$entry"
done

echo "$main" >"$dest/main-class"
echo "$module" >"$dest/role"
install -m 0755 "$ROOT/ops/docker/entrypoint.sh" "$ROOT/ops/docker/healthcheck.sh" "$dest/bin/"
echo "layout: $module -> $dest ($(wc -l <"$dest/lib/classpath.txt") jars, $(du -sh "$dest" | cut -f1))"
