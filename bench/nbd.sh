#!/usr/bin/env bash
# NBD export benchmark: the same 1 GiB qcow2 served by qemu-nbd and by jqmp nbd (same options: -f qcow2 -x disk
# -k SOCKET -t; Unix socket; page cache, as qemu-nbd's default cache=writeback), in one run, alternating servers:
#   in     nbdcopy 1 GiB of random data from a raw file into the export (a fresh empty qcow2 each round)
#   out    nbdcopy the export (now all data) to null:
#   rand   4 KiB writes at random 4 KiB-aligned offsets of the now fully allocated image: one qemu-io process (its
#          NBD client keeps up to 16 requests in flight) reading N "aio_write" commands then "aio_flush" from
#          stdin; IOPS = N / wall time (qemu-io's start included, the same for both). Twice: qemu-io's default
#          cache mode, writethrough (every write carries FUA: the server must make it durable before replying),
#          and -t writeback (no FUA; the one flush at the end)
# Usage: bench/nbd.sh [ROUNDS] [RANDOM_WRITES]   (BENCH_DIR=... picks the scratch directory; it needs ~3 GiB)
# Prints a markdown table of medians; docs/benchmarks.md ("NBD export") records it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-5}
NRAND=${2:-20000}
if [[ -n ${BENCH_DIR:-} ]]; then DIR=$BENCH_DIR; mkdir -p "$DIR"
else DIR=$(mktemp -d /var/tmp/jqmp-nbd-bench.XXXXXX); trap 'rm -rf "$DIR"' EXIT; fi
for t in qemu-nbd qemu-img qemu-io nbdcopy; do
  command -v $t >/dev/null || { echo "$t is not installed (apt-get install qemu-utils libnbd-bin)" >&2; exit 1; }
done

JDK=
for c in "${JAVA_HOME:-}" /usr/lib/jvm/*; do   # a JDK 25 or newer, as ./jqmp looks for one
  v=$([[ -x "$c/bin/java" ]] && "$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' || true)
  if [[ "$v" =~ ^[0-9]+$ && "$v" -ge 25 ]]; then JDK=$c; break; fi
done
[[ -n $JDK ]] || { echo "no JDK 25 or newer found" >&2; exit 1; }
[[ -f "$ROOT/jqmp-cli/target/jqmp-cli.jar" ]] || "$ROOT/jqmp" --version >/dev/null   # build once if needed
# exactly the java command ./jqmp nbd runs (the launcher's JVM options for every non-img command); calling it
# directly keeps the launcher's rebuild check out of the timings
JQMP_NBD=("$JDK/bin/java" --enable-native-access=ALL-UNNAMED -Djdk.pollerMode=1
  -cp "$ROOT/jqmp-cli/target/jqmp-cli.jar:$ROOT/jqmp-cli/target/lib/*" org.jqmp.cli.Main nbd)
QEMU_NBD=(qemu-nbd)

SOCK=$DIR/nbd.sock
URI="nbd+unix:///disk?socket=$SOCK"
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

echo "preparing 1 GiB of random data and $NRAND random offsets in $DIR ..." >&2
[[ -f $DIR/src.raw ]] || head -c 1G /dev/urandom > "$DIR/src.raw"
awk -v n="$NRAND" 'BEGIN { srand(7); for (i = 0; i < n; i++) printf "aio_write -q -P 0x5a %d 4k\n", int(rand() * 262144) * 4096;
  print "aio_flush" }' > "$DIR/rand.cmds"

serve() { # serve NAME: starts that server on a fresh empty image, waits for its socket
  rm -f "$DIR/img.qcow2" "$SOCK"
  qemu-img create -q -f qcow2 "$DIR/img.qcow2" 1G
  sync
  local cmd
  if [[ $1 == qemu-nbd ]]; then cmd=("${QEMU_NBD[@]}"); else cmd=("${JQMP_NBD[@]}"); fi
  "${cmd[@]}" -f qcow2 -x disk -k "$SOCK" -t "$DIR/img.qcow2" >"$DIR/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 500); do [[ -S $SOCK ]] && return 0; sleep 0.02; done
  echo "$1 did not start:" >&2; cat "$DIR/server.log" >&2; exit 1
}
stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; }
# sync (untimed) before each timed step: no step pays for the writeback of the previous one's dirty pages
timed() { local t0; sync; t0=$(now); "$@" >/dev/null; echo "$(now) - $t0" | bc -l; }

for r in $(seq "$ROUNDS"); do
  for s in qemu-nbd jqmp; do
    serve $s
    tin=$(timed nbdcopy "$DIR/src.raw" "$URI")
    tout=$(timed nbdcopy "$URI" null:)
    sync; t0=$(now); qemu-io -f raw "$URI" < "$DIR/rand.cmds" >/dev/null; tfua=$(echo "$(now) - $t0" | bc -l)
    sync; t0=$(now); qemu-io -t writeback -f raw "$URI" < "$DIR/rand.cmds" >/dev/null
    twb=$(echo "$(now) - $t0" | bc -l)
    stop
    echo "$s $tin $tout $tfua $twb" >> "$DIR/results.txt"
    printf 'round %d %-8s in %.2f s  out %.2f s  rand/FUA %.2f s  rand/writeback %.2f s\n' "$r" "$s" "$tin" "$tout" \
      "$tfua" "$twb" >&2
  done
done

col() { awk -v s="$1" -v c="$2" '$1 == s { print $c }' "$DIR/results.txt" | median; }
echo
echo "| measure ($ROUNDS rounds, median) | qemu-nbd 7.2 | jqmp nbd | jqmp vs qemu-nbd |"
echo "|---|---|---|---|"
for m in "in:2" "out:3"; do
  q=$(col qemu-nbd "${m#*:}"); j=$(col jqmp "${m#*:}")
  printf '| nbdcopy 1 GiB %s (MiB/s) | %.0f | %.0f | %.2fx |\n' "${m%%:*}" "$(echo "1024/$q" | bc -l)" \
    "$(echo "1024/$j" | bc -l)" "$(echo "$q/$j" | bc -l)"
done
for m in "writethrough, FUA on each:4" "writeback:5"; do
  q=$(col qemu-nbd "${m#*:}"); j=$(col jqmp "${m#*:}")
  printf '| 4 KiB random writes, %d by qemu-io aio_write, %s (IOPS) | %.0f | %.0f | %.2fx |\n' "$NRAND" \
    "${m%%:*}" "$(echo "$NRAND/$q" | bc -l)" "$(echo "$NRAND/$j" | bc -l)" "$(echo "$q/$j" | bc -l)"
done
