#!/usr/bin/env bash
# End-to-end QMP benchmark: the same C client (../shared/bench/qmpbench.c) against the echo floor, the real
# QEMU 7.2 and jqmp, in one run, over Unix and TCP sockets.
#
#   bench/e2e.sh [ROUNDS] [N] [COMMAND-JSON]        (defaults: 5 rounds, 20000 commands, query-version)
#
# Every server is started once and warmed up; then each round measures every configuration in turn, so
# that slow phases of this noisy machine hit all of them alike. It prints the raw qmpbench lines, then the
# median of each figure over the rounds and the goal ratios of issue 2 (docs/benchmarks.md records them).
# JQMP_JAVA_OPTS adds JVM options to the jqmp processes (e.g. a JFR recording while profiling).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED="$ROOT/../shared/bench"
ROUNDS=${1:-5}
N=${2:-20000}
CMD=${3:-'{"execute":"query-version"}'}
OUT="$ROOT/bench/build"
mkdir -p "$OUT"
gcc -O2 -pthread -o "$OUT/qmpbench" "$SHARED/qmpbench.c"
gcc -O2 -pthread -o "$OUT/qmp-echo-floor" "$SHARED/qmp-echo-floor.c"
gcc -O2 -pthread -o "$OUT/tcp-echo-floor" "$ROOT/bench/tcp-echo-floor.c"
"$ROOT/jqmp" --version >/dev/null   # builds jqmp if needed, before anything is timed

TMP=$(mktemp -d)
RAW="$OUT/e2e-$(date +%Y%m%d-%H%M%S).log"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT

PORT_BASE=$((20000 + RANDOM % 20000))
port() { echo $((PORT_BASE + $1)); }
wait_socket() { for _ in $(seq 1 2400); do [[ -S "$1" ]] && return 0; sleep 0.05; done; echo "no socket $1" >&2; exit 1; }
wait_port() { for _ in $(seq 1 2400); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.05; done
              echo "nothing listens on port $1" >&2; exit 1; }

CONFIGS=()   # "name|address" in measuring order
add() { CONFIGS+=("$1|$2"); }

"$OUT/qmp-echo-floor" "$TMP/floor.sock" & PIDS+=($!)
"$OUT/tcp-echo-floor" "$(port 0)" & PIDS+=($!)
wait_socket "$TMP/floor.sock"; wait_port "$(port 0)"
add "floor unix" "$TMP/floor.sock"
add "floor tcp" "tcp:127.0.0.1:$(port 0)"

if command -v qemu-system-x86_64 >/dev/null; then
  QEMU_VERSION=$(qemu-system-x86_64 --version | head -1 | awk '{print $4}')
  qemu-system-x86_64 -M none -nodefaults -S -display none -qmp "unix:$TMP/qemu.sock,server=on,wait=off" \
    -qmp "tcp:127.0.0.1:$(port 1),server=on,wait=off" 2>/dev/null & PIDS+=($!)
  wait_socket "$TMP/qemu.sock"; wait_port "$(port 1)"
  add "QEMU $QEMU_VERSION unix" "$TMP/qemu.sock"
  add "QEMU $QEMU_VERSION tcp" "tcp:127.0.0.1:$(port 1)"
else
  echo "qemu-system-x86_64 not installed: QEMU rows skipped" >&2
fi

# Unix sessions always run on platform threads (see Connection.needsPlatformThread); the thread property
# decides TCP sessions only, so the platform-thread process serves TCP alone.
JAVA_TOOL_OPTIONS="-Djqmp.monitor.threads=virtual ${JQMP_JAVA_OPTS:-}" "$ROOT/jqmp" run -M none -nodefaults -S \
  -display none -qmp "unix:$TMP/jqmp.sock,server=on,wait=off" -qmp "tcp:127.0.0.1:$(port 2),server=on,wait=off" \
  2>"$OUT/jqmp-virtual.stderr" & PIDS+=($!)
JAVA_TOOL_OPTIONS="-Djqmp.monitor.threads=platform ${JQMP_JAVA_OPTS:-}" "$ROOT/jqmp" run -M none -nodefaults -S \
  -display none -qmp "tcp:127.0.0.1:$(port 3),server=on,wait=off" 2>"$OUT/jqmp-platform.stderr" & PIDS+=($!)
wait_socket "$TMP/jqmp.sock"; wait_port "$(port 2)"; wait_port "$(port 3)"
add "jqmp unix" "$TMP/jqmp.sock"
add "jqmp tcp virtual" "tcp:127.0.0.1:$(port 2)"
add "jqmp tcp platform" "tcp:127.0.0.1:$(port 3)"

echo "warming up ..." >&2
for c in "${CONFIGS[@]}"; do
  addr=${c#*|}
  case $c in jqmp*) warm=50000 ;; *) warm=2000 ;; esac
  "$OUT/qmpbench" "$addr" "$warm" "$CMD" >/dev/null
  "$OUT/qmpbench" "$addr" "$((warm / 4))" "$CMD" 4 >/dev/null
done

for r in $(seq 1 "$ROUNDS"); do
  echo "round $r of $ROUNDS ..." >&2
  for c in "${CONFIGS[@]}"; do
    name=${c%%|*} addr=${c#*|}
    printf '%s|1|%s\n' "$name" "$("$OUT/qmpbench" "$addr" "$N" "$CMD")" | tee -a "$RAW"
    printf '%s|4|%s\n' "$name" "$("$OUT/qmpbench" "$addr" "$((N / 4))" "$CMD" 4)" | tee -a "$RAW"
  done
done

echo
echo "medians over $ROUNDS rounds (raw lines: $RAW)"
python3 "$ROOT/bench/e2e-summary.py" "$RAW"
