# Sourced by ops/stack: process bookkeeping for the local stack.
# Every part's pid, url and log live under the stack's data folder:
#   $STACK_DATA/stack.conf      host and ports the stack was started with (read by every command)
#   $STACK_DATA/run/PART.pid    pid of the part's process (a process group leader: started with setsid)
#   $STACK_DATA/run/PART.url    where it answers
#   $STACK_DATA/logs/PART.log   its stdout and stderr
# why: `down` and `restart` must stop exactly what this stack started, by pid, and nothing else; a pid
# counts as ours only while it still runs in this data folder (pids are reused).

stack_log() { printf '%s\n' "stack: $*" >&2; }
stack_die() { stack_log "$*"; exit 1; }

stack_pid_of() { # PART -> prints the pid when that part is running and is ours
  local f="$STACK_DATA/run/$1.pid" pid
  [ -f "$f" ] || return 1
  pid=$(cat "$f" 2>/dev/null) || return 1
  case "$pid" in ''|*[!0-9]*) return 1 ;; esac
  [ -d "/proc/$pid" ] || return 1
  # why: redis-server rewrites its command line and environment block, so the mark is the working
  # directory every part is started in (the stack's data folder); the environment mark is the fallback
  local cwd; cwd=$(readlink "/proc/$pid/cwd" 2>/dev/null || true)
  case "$cwd/" in
    "$STACK_DATA"/*) ;;
    *) tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF -- "AVATAR_FLEET_STACK=$STACK_DATA" || return 1 ;;
  esac
  echo "$pid"
}

stack_url_of() { cat "$STACK_DATA/run/$1.url" 2>/dev/null; }

stack_parts_recorded() { # every part with a pid file, kafka first, further API nodes, workers last
  local p
  for p in kafka redis devroom api; do [ -f "$STACK_DATA/run/$p.pid" ] && echo "$p"; done
  ls "$STACK_DATA/run" 2>/dev/null | sed -n 's/^\(api-[0-9][0-9]*\)\.pid$/\1/p' | sort -t- -k2 -n
  ls "$STACK_DATA/run" 2>/dev/null | sed -n 's/^\(worker-[0-9][0-9]*\)\.pid$/\1/p' | sort -t- -k2 -n
}

stack_spawn() { # PART URL CMD... : starts CMD in its own session, logs to the part's log, records pid and url
  local part=$1 url=$2; shift 2
  mkdir -p "$STACK_DATA/run" "$STACK_DATA/logs"
  # why: setsid makes the part a process group of its own, so Ctrl-C in a foreground `up` reaches only
  # this script (which then stops every part by pid, in order) and `down` can end the whole group
  (cd "$STACK_DATA" && AVATAR_FLEET_STACK="$STACK_DATA" exec setsid "$@" >>"$STACK_DATA/logs/$part.log" 2>&1 </dev/null) &
  local pid=$! i
  echo "$pid" >"$STACK_DATA/run/$part.pid"
  echo "$url" >"$STACK_DATA/run/$part.url"
  # why: until the forked shell has exec'd the command, its environment lacks the mark; wait for the exec
  for i in $(seq 1 100); do
    stack_pid_of "$part" >/dev/null && return 0
    [ -d "/proc/$pid" ] || return 0
    sleep 0.05
  done
}

stack_stop_part() { # PART [SECONDS]: SIGTERM its process group, wait up to SECONDS (20), then SIGKILL
  local part=$1 limit=${2:-20} pid i
  if pid=$(stack_pid_of "$part"); then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 $((limit * 10))); do
      [ -d "/proc/$pid" ] || break
      # a zombie child of this shell counts as gone
      grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null && break
      sleep 0.1
    done
    if [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
      stack_log "$part (pid $pid) did not stop in $limit s; killing it"
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    stack_log "stopped $part (pid $pid)"
  fi
  rm -f "$STACK_DATA/run/$part.pid" "$STACK_DATA/run/$part.url"
}

stack_port_open() { # HOST PORT
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

stack_wait_port() { # PART HOST PORT SECONDS
  local part=$1 host=$2 port=$3 deadline=$((SECONDS + $4))
  while [ $SECONDS -lt $deadline ]; do
    stack_pid_of "$part" >/dev/null || { stack_log "$part exited during start; last lines of $STACK_DATA/logs/$part.log:"; tail -n 20 "$STACK_DATA/logs/$part.log" >&2; return 1; }
    stack_port_open "$host" "$port" && return 0
    sleep 0.2
  done
  stack_log "$part did not open $host:$port within $4 s (log: $STACK_DATA/logs/$part.log)"
  return 1
}

stack_wait_http() { # PART URL SECONDS : waits for a 200 from URL
  local part=$1 url=$2 deadline=$((SECONDS + $3))
  while [ $SECONDS -lt $deadline ]; do
    stack_pid_of "$part" >/dev/null || { stack_log "$part exited during start; last lines of $STACK_DATA/logs/$part.log:"; tail -n 20 "$STACK_DATA/logs/$part.log" >&2; return 1; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null)" = 200 ] && return 0
    sleep 0.3
  done
  stack_log "$part did not answer 200 on $url within $3 s (log: $STACK_DATA/logs/$part.log)"
  return 1
}

stack_json_string() { # escapes a value for JSON
  local s=$1
  s=${s//\\/\\\\}; s=${s//\"/\\\"}
  printf '"%s"' "$s"
}
