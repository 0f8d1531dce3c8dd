#!/usr/bin/env bash
# jqmp-client beside the C client: the same jqmp server (./jqmp run), the same command (query-status).
#   C:    ../shared/bench/qmpbench.c, N sequential round trips on one connection
#   Java floor: bench/ClientBench.java raw - qmpbench's loop in one Java thread, no jqmp-client
#   Java floor + hand-off: ClientBench.java handoff - the same, replies read by a second thread
#   Java: bench/ClientBench.java, N sequential execute() calls, then N executeAsync() with 8 and 64 in flight
# ROUNDS rounds, interleaved, so that slow phases of a noisy machine hit every client alike; raw lines, then the
# median of each figure per client and the Java/C ratio of the p50 round trip (issue 7's goal: <= 1.2).
# Usage: bench/client.sh [N] [ROUNDS]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
N=${1:-20000}
ROUNDS=${2:-5}
SHARED=${QMP_BENCH_TOOLS:-"$ROOT/../shared/bench"}
OUT="$ROOT/bench/build"
TMP=$(mktemp -d)
mkdir -p "$OUT"
gcc -O2 -pthread -o "$OUT/qmpbench" "$SHARED/qmpbench.c"
[[ -f $ROOT/jqmp-cli/target/jqmp-cli.jar ]] || "$ROOT/jqmp" --version >/dev/null # builds jqmp when needed
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
CP="$ROOT/jqmp-cli/target/jqmp-cli.jar:$ROOT/jqmp-cli/target/lib/*"
# the launcher's JVM options (see ./jqmp), for the client JVM as for the server
JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Djdk.pollerMode=1 -cp "$CP")

SOCK="$TMP/qmp.sock"
# the server as ./jqmp run starts it (same JVM, same options), from the built jar
"${JAVA[@]}" org.jqmp.cli.Main run -display none -qmp "unix:$SOCK,server=on,wait=off" >"$TMP/run.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 1 200); do [[ -S $SOCK ]] && break; sleep 0.1; done
[[ -S $SOCK ]] || { cat "$TMP/run.log" >&2; echo "jqmp run did not start" >&2; exit 1; }

RAW="$TMP/raw"
for r in $(seq 1 "$ROUNDS"); do
  printf 'c|%s\n' "$("$OUT/qmpbench" "$SOCK" "$N" '{"execute":"query-status"}')" | tee -a "$RAW"
  printf 'java-raw|%s\n' "$("${JAVA[@]}" "$ROOT/bench/ClientBench.java" "$SOCK" "$N" raw 2>/dev/null)" | tee -a "$RAW"
  printf 'java-handoff|%s\n' "$("${JAVA[@]}" "$ROOT/bench/ClientBench.java" "$SOCK" "$N" handoff 2>/dev/null)" |
    tee -a "$RAW"
  printf 'java|%s\n' "$("${JAVA[@]}" "$ROOT/bench/ClientBench.java" "$SOCK" "$N" 1 2>/dev/null)" | tee -a "$RAW"
  for k in 8 64; do
    printf 'java-%s|%s\n' "$k" "$("${JAVA[@]}" "$ROOT/bench/ClientBench.java" "$SOCK" "$((N * 5))" "$k" 2>/dev/null)" |
      tee -a "$RAW"
  done
done

python3 - "$RAW" <<'PY'
import re, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    name, rest = line.strip().split('|', 1)
    figures = dict(re.findall(r'(\S+)=(\S+)', rest))
    rows.setdefault(name, []).append(figures)
def med(name, key):
    values = [float(f[key]) for f in rows.get(name, []) if f.get(key, '-') != '-']
    return statistics.median(values) if values else float('nan')
def fmt(us):
    return '-' if us != us else f'{us:,.0f} us'
print()
print('| client | p50 round trip | p99 | throughput | connect+negotiate |')
print('|---|---|---|---|---|')
labels = {'c': 'C qmpbench, sequential', 'java-raw': 'Java floor (no jqmp-client), sequential',
          'java-handoff': 'Java floor + reader-thread hand-off', 'java': 'jqmp-client, sequential',
          'java-8': 'jqmp-client, 8 in flight', 'java-64': 'jqmp-client, 64 in flight'}
for name, label in labels.items():
    p50, p99 = med(name, 'p50_us'), med(name, 'p99_us')
    print(f"| {label} | {'-' if p50 != p50 else f'{p50:.1f} us'} | {'-' if p99 != p99 else f'{p99:.1f} us'} "
          f"| {med(name, 'throughput_cmd_s'):,.0f} cmd/s | {fmt(med(name, 'connect+negotiate_us'))} |")
print()
print(f"Java floor/C p50 round trip: {med('java-raw', 'p50_us') / med('c', 'p50_us'):.2f}x")
print(f"Java/C p50 round trip: {med('java', 'p50_us') / med('c', 'p50_us'):.2f}x (goal <= 1.2x)")
PY
