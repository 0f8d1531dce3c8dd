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
# Also measured: each server's CPU time per command (utime+stime from /proc, 10 ms ticks), which is far
# steadier than wall-clock figures on these machines.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED=${QMP_BENCH_TOOLS:-"$ROOT/../shared/bench"}   # qmpbench.c and qmp-echo-floor.c
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

CONFIGS=()   # "name|address|server pid" in measuring order
add() { CONFIGS+=("$1|$2|$3"); }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }   # utime + stime, all threads, in 10 ms ticks

"$OUT/qmp-echo-floor" "$TMP/floor.sock" & PIDS+=($!)
"$OUT/tcp-echo-floor" "$(port 0)" & PIDS+=($!)
wait_socket "$TMP/floor.sock"; wait_port "$(port 0)"
add "floor unix" "$TMP/floor.sock" "${PIDS[0]}"
add "floor tcp" "tcp:127.0.0.1:$(port 0)" "${PIDS[1]}"

if command -v qemu-system-x86_64 >/dev/null; then
  QEMU_VERSION=$(qemu-system-x86_64 --version | head -1 | awk '{print $4}')
  qemu-system-x86_64 -M none -nodefaults -S -display none -qmp "unix:$TMP/qemu.sock,server=on,wait=off" \
    -qmp "tcp:127.0.0.1:$(port 1),server=on,wait=off" 2>/dev/null & PIDS+=($!)
  wait_socket "$TMP/qemu.sock"; wait_port "$(port 1)"
  add "QEMU $QEMU_VERSION unix" "$TMP/qemu.sock" "${PIDS[-1]}"
  add "QEMU $QEMU_VERSION tcp" "tcp:127.0.0.1:$(port 1)" "${PIDS[-1]}"
else
  echo "qemu-system-x86_64 not installed: QEMU rows skipped" >&2
fi

# Unix sessions always run on platform threads (see Connection.needsPlatformThread); the thread property
# decides TCP sessions only, so the platform-thread process serves TCP alone.
JAVA_TOOL_OPTIONS="-Djqmp.monitor.threads=virtual ${JQMP_JAVA_OPTS:-}" "$ROOT/jqmp" run -M none -nodefaults -S \
  -display none -qmp "unix:$TMP/jqmp.sock,server=on,wait=off" -qmp "tcp:127.0.0.1:$(port 2),server=on,wait=off" \
  2>"$OUT/jqmp-virtual.stderr" & PIDS+=($!); JQMP_VIRTUAL=$!
JAVA_TOOL_OPTIONS="-Djqmp.monitor.threads=platform ${JQMP_JAVA_OPTS:-}" "$ROOT/jqmp" run -M none -nodefaults -S \
  -display none -qmp "tcp:127.0.0.1:$(port 3),server=on,wait=off" 2>"$OUT/jqmp-platform.stderr" & PIDS+=($!)
JQMP_PLATFORM=$!
wait_socket "$TMP/jqmp.sock"; wait_port "$(port 2)"; wait_port "$(port 3)"
add "jqmp unix" "$TMP/jqmp.sock" "$JQMP_VIRTUAL"
add "jqmp tcp virtual" "tcp:127.0.0.1:$(port 2)" "$JQMP_VIRTUAL"
add "jqmp tcp platform" "tcp:127.0.0.1:$(port 3)" "$JQMP_PLATFORM"

# Warm-up. The first 50 connections to a fresh server are recorded as "cold" (jqmp's connection path is then
# still interpreted); then 1,000 more connections and 62,500 commands let the JIT compile both paths.
echo "warming up ..." >&2
for c in "${CONFIGS[@]}"; do
  IFS='|' read -r name addr _ <<<"$c"
  printf '%s|cold|%s\n' "$name" "$("$OUT/qmpbench" "$addr" 1 "$CMD")" >>"$RAW"
  case $c in jqmp*) warm=50000 ;; *) warm=2000 ;; esac
  "$OUT/qmpbench" "$addr" "$warm" "$CMD" >/dev/null
  "$OUT/qmpbench" "$addr" "$((warm / 4))" "$CMD" 4 >/dev/null
  for _ in $(seq 1 20); do "$OUT/qmpbench" "$addr" 1 "$CMD" >/dev/null; done
done

for r in $(seq 1 "$ROUNDS"); do
  echo "round $r of $ROUNDS ..." >&2
  for c in "${CONFIGS[@]}"; do
    IFS='|' read -r name addr pid <<<"$c"
    before=$(cpu_ticks "$pid")
    line=$("$OUT/qmpbench" "$addr" "$N" "$CMD")
    ticks=$(( $(cpu_ticks "$pid") - before ))
    printf '%s|1|%s cpu_us_per_cmd=%s\n' "$name" "$line" "$(awk -v t="$ticks" -v n="$N" 'BEGIN{print t*10000/n}')" \
      | tee -a "$RAW"
    printf '%s|4|%s\n' "$name" "$("$OUT/qmpbench" "$addr" "$((N / 4))" "$CMD" 4)" | tee -a "$RAW"
  done
done

echo
echo "medians over $ROUNDS rounds (raw lines: $RAW)"
python3 "$ROOT/bench/e2e-summary.py" "$RAW"
