#!/usr/bin/env bash
# Idle sessions: COUNT negotiated QMP sessions held open at once against one server, for the floor and for jqmp
# (Unix; TCP on virtual threads; TCP on platform threads), each server in a fresh process. Prints the server's
# RSS and thread count before, while idle and after closing, and the cost per session.
#
#   bench/idle-sessions.sh [COUNT]        (default 10000; bounded: every step has a time limit)
#
# Needs about COUNT+100 file descriptors in the client and in the server: the script raises `ulimit -n`
# (root may raise the hard limit; otherwise it must already be high enough). Unix sessions run on platform
# threads, so COUNT Unix sessions need COUNT threads (kernel.pid_max and kernel.threads-max must allow it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${QMP_BENCH_TOOLS:-"$ROOT/../shared/bench"}   # qmp-echo-floor.c
COUNT=${1:-10000}
OUT="$ROOT/bench/build"
mkdir -p "$OUT"
gcc -O2 -o "$OUT/idle-sessions" "$ROOT/bench/idle-sessions.c"
gcc -O2 -pthread -o "$OUT/qmp-echo-floor" "$SHARED/qmp-echo-floor.c"
gcc -O2 -pthread -o "$OUT/tcp-echo-floor" "$ROOT/bench/tcp-echo-floor.c"
"$ROOT/jqmp" --version >/dev/null   # builds jqmp if needed

NEED=$((COUNT + 256))
if (( $(ulimit -n) < NEED )); then
  ulimit -Hn "$(( $(ulimit -Hn) > NEED ? $(ulimit -Hn) : NEED ))" 2>/dev/null || true
  ulimit -n "$NEED" || { echo "cannot raise ulimit -n to $NEED (run as root, or raise the hard limit)" >&2; exit 1; }
fi
echo "machine: $(nproc) cpus, ulimit -n $(ulimit -n), pid_max $(cat /proc/sys/kernel/pid_max)," \
     "threads-max $(cat /proc/sys/kernel/threads-max), max_map_count $(cat /proc/sys/vm/max_map_count)"

TMP=$(mktemp -d)
SERVER=
cleanup() { [[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
PORT=$((20000 + RANDOM % 20000))

wait_listening() { # ADDRESS
  for _ in $(seq 1 2400); do   # up to 2 minutes: the launcher may be rebuilding jqmp
    if [[ $1 == tcp:* ]]; then (exec 3<>"/dev/tcp/127.0.0.1/${1#tcp:}") 2>/dev/null && return 0
    else [[ -S $1 ]] && return 0; fi
    sleep 0.05
  done
  echo "server did not start listening on $1:" >&2; cat "$TMP/server.err" >&2; exit 1
}

run() { # NAME ADDRESS SETTLE(yes|no) COMMAND...
  local name=$1 addr=$2 settle=$3; shift 3
  "$@" 2>"$TMP/server.err" & SERVER=$!
  wait_listening "$addr"
  local settle_cmd=""
  [[ $settle == yes ]] && settle_cmd="env -u JAVA_TOOL_OPTIONS jcmd $SERVER GC.run >/dev/null"
  echo "== $name"
  timeout 900 "$OUT/idle-sessions" "$addr" "$COUNT" "$SERVER" "$settle_cmd" | tee "$TMP/result"
  python3 - "$TMP/result" "$COUNT" <<'PY'
import sys
rows = {l.split()[0]: dict(kv.split("=") for kv in l.split()[1:]) for l in open(sys.argv[1]) if "rss_kib" in l}
n = int(sys.argv[2])
rss = (int(rows["idle"]["rss_kib"]) - int(rows["before"]["rss_kib"])) * 1024 / n
threads = int(rows["idle"]["threads"]) - int(rows["before"]["threads"])
print(f"   per session: {rss / 1024:.1f} KiB RSS; {threads} more OS threads for {n} sessions")
PY
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=
  rm -f "$TMP"/*.sock
}

run "floor unix (C, a pthread per session)" "$TMP/floor.sock" no "$OUT/qmp-echo-floor" "$TMP/floor.sock"
# a fresh port per server: the client's side of each closed connection lingers in TIME_WAIT
run "floor tcp (C, a pthread per session)" "tcp:$PORT" no "$OUT/tcp-echo-floor" "$PORT"
JQMP=("$ROOT/jqmp" run -M none -nodefaults -S -display none)
JAVA_TOOL_OPTIONS="${JQMP_JAVA_OPTS:-}" \
  run "jqmp unix (platform threads)" "$TMP/jqmp.sock" yes "${JQMP[@]}" -qmp "unix:$TMP/jqmp.sock,server=on,wait=off"
for threads in virtual platform; do
  PORT=$((PORT + 1))
  JAVA_TOOL_OPTIONS="-Djqmp.monitor.threads=$threads ${JQMP_JAVA_OPTS:-}" \
    run "jqmp tcp ($threads threads)" "tcp:$PORT" yes "${JQMP[@]}" -qmp "tcp:127.0.0.1:$PORT,server=on,wait=off"
done
