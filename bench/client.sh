#!/usr/bin/env bash
# jqmp-client beside the C client: the same jqmp server (./jqmp run), the same command (query-status).
#   C:    ../shared/bench/qmpbench.c, N sequential round trips on one connection
#   Java floor: bench/ClientBench.java raw - qmpbench's loop in one Java thread, no jqmp-client
#   Java floor + hand-off: ClientBench.java handoff - the same, replies read by a second thread
#   Java: bench/ClientBench.java, N sequential execute() calls, then 5N executeAsync() with 8 and 64 in flight
#   The Java runs negotiate as qmpbench does (no oob), so that all meet the same server path; java-oob and
#   java-raw-oob repeat the sequential runs with oob enabled (jqmp-client's default), which changes the server's
#   path (in-band commands go through a dispatcher of their own), not the client's.
# ROUNDS rounds, interleaved, so that slow phases of a noisy machine hit every client alike; raw lines, then the
# median of each figure per client and the Java/C ratio of the p50 round trip (issue 7's goal: <= 1.2).
# Usage: bench/client.sh [N] [ROUNDS]
#   BASELINE=path/to/an-older-jqmp-client.jar adds its rows (java-before*) to each round: before/after in one run.
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
# the client as it is in this tree (jqmp-cli/target/lib holds whatever jqmp-client was built with jqmp-cli last)
(cd "$ROOT" && JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64} mvn -B -q -pl jqmp-client compile >/dev/null)
CLIENT_CP="$ROOT/jqmp-client/target/classes:$CP"
# the launcher's JVM options (see ./jqmp), for the client JVM as for the server
JAVA=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Djdk.pollerMode=1 -cp "$CP")

SOCK="$TMP/qmp.sock"
CLIENT=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Djdk.pollerMode=1 -cp "$CLIENT_CP"
  "$ROOT/bench/ClientBench.java" "$SOCK")
BEFORE=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Djdk.pollerMode=1
  -cp "${BASELINE:-}:$CP" "$ROOT/bench/ClientBench.java" "$SOCK")
# the server as ./jqmp run starts it (same JVM, same options), from the built jar
"${JAVA[@]}" org.jqmp.cli.Main run -display none -qmp "unix:$SOCK,server=on,wait=off" >"$TMP/run.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 1 200); do [[ -S $SOCK ]] && break; sleep 0.1; done
[[ -S $SOCK ]] || { cat "$TMP/run.log" >&2; echo "jqmp run did not start" >&2; exit 1; }

RAW="$TMP/raw"
for r in $(seq 1 "$ROUNDS"); do
  printf 'c|%s\n' "$("$OUT/qmpbench" "$SOCK" "$N" '{"execute":"query-status"}')" | tee -a "$RAW"
  for run in "java-raw raw" "java-raw-oob raw oob" "java-handoff handoff" "java 1" "java-oob 1 oob"; do
    read -r name mode oob <<<"$run"
    printf '%s|%s\n' "$name" "$("${CLIENT[@]}" "$N" "$mode" $oob 2>/dev/null)" | tee -a "$RAW"
  done
  for k in 8 64; do
    printf 'java-%s|%s\n' "$k" "$("${CLIENT[@]}" "$((N * 5))" "$k" 2>/dev/null)" | tee -a "$RAW"
  done
  if [[ -n ${BASELINE:-} ]]; then
    printf 'java-before|%s\n' "$("${BEFORE[@]}" "$N" 1 2>/dev/null)" | tee -a "$RAW"
    printf 'java-before-oob|%s\n' "$("${BEFORE[@]}" "$N" 1 oob 2>/dev/null)" | tee -a "$RAW"
    for k in 8 64; do
      printf 'java-before-%s|%s\n' "$k" "$("${BEFORE[@]}" "$((N * 5))" "$k" 2>/dev/null)" | tee -a "$RAW"
    done
  fi
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
print('| client | p50 round trip | p99 | throughput | caller CPU / cmd | process CPU / cmd | connect+negotiate |')
print('|---|---|---|---|---|---|---|')
labels = {'c': 'C qmpbench, sequential', 'java-raw': 'Java floor (no jqmp-client), sequential',
          'java-raw-oob': 'Java floor, oob negotiated', 'java-handoff': 'Java floor + reader-thread hand-off',
          'java': 'jqmp-client, sequential', 'java-oob': 'jqmp-client, sequential, oob negotiated',
          'java-8': 'jqmp-client, 8 in flight', 'java-64': 'jqmp-client, 64 in flight',
          'java-before': 'BASELINE jqmp-client, sequential', 'java-before-oob': 'BASELINE, sequential, oob negotiated',
          'java-before-8': 'BASELINE, 8 in flight', 'java-before-64': 'BASELINE, 64 in flight'}
labels = {k: v for k, v in labels.items() if k in rows}
def us(name, key, digits=1):
    v = med(name, key)
    return '-' if v != v else f'{v:.{digits}f} us'
for name, label in labels.items():
    print(f"| {label} | {us(name, 'p50_us')} | {us(name, 'p99_us')} "
          f"| {med(name, 'throughput_cmd_s'):,.0f} cmd/s | {us(name, 'caller_cpu_us', 2)} "
          f"| {us(name, 'process_cpu_us', 2)} | {fmt(med(name, 'connect+negotiate_us'))} |")
print()
print(f"Java floor/C p50 round trip: {med('java-raw', 'p50_us') / med('c', 'p50_us'):.2f}x")
print(f"Java/C p50 round trip: {med('java', 'p50_us') / med('c', 'p50_us'):.2f}x (goal <= 1.2x)")
print(f"Java with oob/C p50 round trip: {med('java-oob', 'p50_us') / med('c', 'p50_us'):.2f}x "
      f"(the server's oob dispatcher: Java floor with oob/without: "
      f"{med('java-raw-oob', 'p50_us') / med('java-raw', 'p50_us'):.2f}x)")
PY
