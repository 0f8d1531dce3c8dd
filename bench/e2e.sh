#!/usr/bin/env bash
# End-to-end QMP benchmark: the same C client (../shared/bench/qmpbench.c) against the echo floor, the real
# QEMU 7.2 and jqmp, in one run. Usage: bench/e2e.sh [N] [COMMAND-JSON]
# Prints one line per server and configuration; docs/benchmarks.md records the figures.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SHARED="$ROOT/../shared/bench"
N=${1:-20000}
CMD=${2:-'{"execute":"query-version"}'}
OUT="$ROOT/bench/build"
mkdir -p "$OUT"
gcc -O2 -pthread -o "$OUT/qmpbench" "$SHARED/qmpbench.c"
gcc -O2 -pthread -o "$OUT/qmp-echo-floor" "$SHARED/qmp-echo-floor.c"
"$ROOT/jqmp" --version >/dev/null   # builds jqmp if needed, before anything is timed

TMP=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$TMP"; }
trap cleanup EXIT

wait_socket() { for _ in $(seq 1 200); do [[ -S "$1" ]] && return 0; sleep 0.05; done; echo "no socket $1" >&2; exit 1; }

bench() { # NAME SOCKET
  local name=$1 sock=$2
  "$OUT/qmpbench" "$sock" 2000 "$CMD" >/dev/null          # warm-up
  printf '%-28s 1 conn : %s\n' "$name" "$("$OUT/qmpbench" "$sock" "$N" "$CMD")"
  printf '%-28s 4 conns: %s\n' "$name" "$("$OUT/qmpbench" "$sock" "$((N / 4))" "$CMD" 4)"
}

"$OUT/qmp-echo-floor" "$TMP/floor.sock" & PIDS+=($!)
wait_socket "$TMP/floor.sock"
bench "floor (qmp-echo-floor)" "$TMP/floor.sock"

if command -v qemu-system-x86_64 >/dev/null; then
  qemu-system-x86_64 -M none -nodefaults -S -display none -qmp "unix:$TMP/qemu.sock,server=on,wait=off" & PIDS+=($!)
  wait_socket "$TMP/qemu.sock"
  bench "QEMU $(qemu-system-x86_64 --version | head -1 | awk '{print $4}')" "$TMP/qemu.sock"
else
  echo "qemu-system-x86_64 not installed: QEMU column skipped" >&2
fi

for threads in virtual platform; do
  JAVA_TOOL_OPTIONS="-Djqmp.monitor.threads=$threads" "$ROOT/jqmp" run -M none -nodefaults -S -display none \
    -qmp "unix:$TMP/jqmp-$threads.sock,server=on,wait=off" 2>/dev/null & PIDS+=($!)
  wait_socket "$TMP/jqmp-$threads.sock"
  "$OUT/qmpbench" "$TMP/jqmp-$threads.sock" 50000 "$CMD" >/dev/null   # JIT warm-up
  bench "jqmp ($threads threads)" "$TMP/jqmp-$threads.sock"
done
