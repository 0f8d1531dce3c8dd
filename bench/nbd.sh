#!/usr/bin/env bash
# NBD export benchmark: the same 1 GiB qcow2 served by qemu-nbd and by jqmp nbd (same options: -f qcow2 -x disk
# -k SOCKET -t; Unix socket; page cache, as qemu-nbd's default cache=writeback), and by the NBD export of a running
# `jqmp run` machine (a -blockdev qcow2 node, nbd-server-start and block-export-add through QMP), in one run. Each round starts
# both servers on fresh empty images and times every step on one server right after the other:
#   in     nbdcopy 1 GiB of random data from a raw file into the export (a fresh empty qcow2 each round)
#   out    nbdcopy the export (now all data) to null:
#   rand   4 KiB writes at random 4 KiB-aligned offsets of the now fully allocated image: one qemu-io process (its
#          NBD client keeps up to 16 requests in flight) reading N "aio_write" commands then "aio_flush" from
#          stdin; IOPS = N / wall time (qemu-io's start included, the same for both). Twice: qemu-io's default
#          cache mode, writethrough (every write carries FUA: the server must make it durable before replying),
#          and -t writeback (no FUA; the one flush at the end)
#   fio    the same N 4 KiB random writes by fio's nbd engine (libnbd; Debian's fio has it): 16 in flight, one
#          flush at the end (end_fsync); IOPS as fio reports them (its own runtime, its start-up left out). Skipped,
#          with a note, when fio is not installed (apt-get install fio)
# Usage: bench/nbd.sh [ROUNDS] [RANDOM_WRITES]   (BENCH_DIR=... picks the scratch directory; it needs ~3 GiB)
# Prints a markdown table of medians; docs/benchmarks.md ("NBD export") records it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-5}
NRAND=${2:-20000}
if [[ -n ${BENCH_DIR:-} ]]; then DIR=$BENCH_DIR; mkdir -p "$DIR"
else DIR=$(mktemp -d /var/tmp/jqmp-nbd-bench.XXXXXX); trap 'rm -rf "$DIR"' EXIT; fi
source "$ROOT/bench/page-reporting.sh"
# at exit, also the servers still running (a failed start or step leaves the script through set -e)
declare -A PID ROW
trap 'restore_page_reporting; for p in "${PID[@]}"; do kill "$p" 2>/dev/null || true; done
      [[ -n ${BENCH_DIR:-} ]] || rm -rf "$DIR"' EXIT
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
# exactly the java command ./jqmp nbd runs (the launcher's JVM options for nbd: C1 only); calling it
# directly keeps the launcher's rebuild check out of the timings
JQMP_NBD=("$JDK/bin/java" --enable-native-access=ALL-UNNAMED -Djdk.pollerMode=1 -XX:TieredStopAtLevel=1
  -cp "$ROOT/jqmp-cli/target/jqmp-cli.jar:$ROOT/jqmp-cli/target/lib/*" org.jqmp.cli.Main nbd)
QEMU_NBD=(qemu-nbd)
# the export of a running machine: jqmp run as ./jqmp run starts it (the launcher's run options, AOT cache when
# present), the image a -blockdev node, exported through QMP (nbd-server-start, block-export-add, writable)
JQMP_RUN=("$JDK/bin/java" --enable-native-access=ALL-UNNAMED -Djdk.pollerMode=1
  -Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr -Xlog:aot*=off:stderr)
[[ -f $ROOT/jqmp-cli/target/jqmp-run.aot ]] && JQMP_RUN+=(-XX:AOTCache="$ROOT/jqmp-cli/target/jqmp-run.aot")
[[ -f $ROOT/jqmp-cli/target/jqmp-junixsocket.so ]] &&
  JQMP_RUN+=(-Dorg.newsclub.net.unix.library.override="$ROOT/jqmp-cli/target/jqmp-junixsocket.so")
JQMP_RUN+=(-cp "$ROOT/jqmp-cli/target/jqmp-cli.jar:$ROOT/jqmp-cli/target/lib/*" org.jqmp.cli.Main run
  -M none -nodefaults -S -display none)
SERVERS=(qemu-nbd jqmp jqmp-run)

sock() { echo "$DIR/$1.sock"; }
uri() { echo "nbd+unix:///disk?socket=$(sock "$1")"; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
now() { date +%s.%N; }

echo "preparing 1 GiB of random data and $NRAND random offsets in $DIR ..." >&2
[[ -f $DIR/src.raw ]] || head -c 1G /dev/urandom > "$DIR/src.raw"
awk -v n="$NRAND" 'BEGIN { srand(7); for (i = 0; i < n; i++) printf "aio_write -q -P 0x5a %d 4k\n", int(rand() * 262144) * 4096;
  print "aio_flush" }' > "$DIR/rand.cmds"

STEPS=(in out fua writeback)
if command -v fio >/dev/null; then STEPS+=(fio); else echo "fio is not installed: its row is left out (apt-get install fio)" >&2; fi
rm -f "$DIR/results.txt"   # this run's rounds only (an earlier run's rows would mix into the medians)
serve() { # serve NAME: starts that server on a fresh empty image of its own, waits for its socket
  local cmd img=$DIR/$1.qcow2
  rm -f "$img" "$(sock "$1")"
  qemu-img create -q -f qcow2 "$img" 1G
  if [[ $1 == jqmp-run ]]; then
    rm -f "$DIR/qmp.sock"
    "${JQMP_RUN[@]}" -blockdev "driver=qcow2,node-name=disk,file.driver=file,file.filename=$img" \
      -qmp "unix:$DIR/qmp.sock,server=on,wait=off" >"$DIR/$1.log" 2>&1 &
    PID[$1]=$!
    for _ in $(seq 500); do [[ -S $DIR/qmp.sock ]] && break; sleep 0.02; done
    python3 - "$DIR/qmp.sock" "$(sock "$1")" <<'PY' || { cat "$DIR/$1.log" >&2; exit 1; }
import json, socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rwb", buffering=0); f.readline()
for cmd in ({"execute": "qmp_capabilities"},
            {"execute": "nbd-server-start", "arguments": {"addr": {"type": "unix", "data": {"path": sys.argv[2]}}}},
            {"execute": "block-export-add", "arguments": {"type": "nbd", "id": "disk", "node-name": "disk",
                                                          "name": "disk", "writable": True}}):
    f.write(json.dumps(cmd).encode() + b"\n")
    while True:
        r = json.loads(f.readline())
        if "return" in r: break
        if "error" in r: sys.exit("%s: %s" % (cmd["execute"], r["error"]["desc"]))
PY
  else
    if [[ $1 == qemu-nbd ]]; then cmd=("${QEMU_NBD[@]}"); else cmd=("${JQMP_NBD[@]}"); fi
    "${cmd[@]}" -f qcow2 -x disk -k "$(sock "$1")" -t "$img" >"$DIR/$1.log" 2>&1 &
    PID[$1]=$!
  fi
  for _ in $(seq 500); do [[ -S $(sock "$1") ]] && return 0; sleep 0.02; done
  echo "$1 did not start:" >&2; cat "$DIR/$1.log" >&2; exit 1
}
stop() { kill "${PID[$1]}"; wait "${PID[$1]}" 2>/dev/null || true; }
HZ=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/${PID[$1]}/stat"; }   # server CPU (user + system), clock ticks
# phase SERVER STEP: one timed step against that server after an untimed sync (no step pays for the writeback
# of the previous one's dirty pages); appends wall seconds and server CPU seconds to the server's record
phase() {
  local t0 c0 t1 c1 u
  u=$(uri "$1")
  sync; c0=$(cpu "$1"); t0=$(now)
  case $2 in
    in) nbdcopy "$DIR/src.raw" "$u" ;;
    out) nbdcopy "$u" null: ;;
    fua) qemu-io -f raw "$u" < "$DIR/rand.cmds" >/dev/null ;;
    writeback) qemu-io -t writeback -f raw "$u" < "$DIR/rand.cmds" >/dev/null ;;
    fio) fio --name=rand --ioengine=nbd --uri="$u" --rw=randwrite --bs=4k --iodepth=16 --number_ios="$NRAND" \
           --size=1g --randseed=7 --end_fsync=1 --output-format=json --output="$DIR/fio.json" >/dev/null ;;
  esac
  t1=$(now); c1=$(cpu "$1")
  if [[ $2 == fio ]]; then   # fio's own time for the N writes (IOPS as it reports them), not its start-up
    t0=0; t1=$(python3 -c 'import json, sys; w = json.load(open(sys.argv[1]))["jobs"][0]["write"]
print(w["total_ios"] / w["iops"])' "$DIR/fio.json")
  fi
  ROW[$1]+=" $(echo "$t1 - $t0" | bc -l) $(echo "($c1 - $c0) / $HZ" | bc -l)"
}

# Both servers run side by side, each on its own image; every step is timed on one right after the other (the
# first one alternating between rounds), so both see the same moment of a shared machine.
for r in $(seq "$ROUNDS"); do
  # each round turns the order by one, so every server is first, second and last in turn
  order=("${SERVERS[@]:$((r % 3))}" "${SERVERS[@]:0:$((r % 3))}")
  for s in "${order[@]}"; do serve "$s"; ROW[$s]=$s; done
  for step in "${STEPS[@]}"; do
    for s in "${order[@]}"; do phase "$s" "$step"; done
  done
  for s in "${order[@]}"; do
    stop "$s"
    echo "${ROW[$s]}" >> "$DIR/results.txt"
    echo "round $r: ${ROW[$s]} (wall s, server CPU s: ${STEPS[*]})" >&2
  done
done

col() { awk -v s="$1" -v c="$2" '$1 == s { print $c }' "$DIR/results.txt" | median; }
echo
echo "| measure ($ROUNDS rounds, median) | qemu-nbd 7.2 | jqmp nbd | vs qemu-nbd | jqmp run's export | vs qemu-nbd | server CPU s: qemu-nbd / jqmp nbd / jqmp run |"
echo "|---|---|---|---|---|---|---|"
row() { # row LABEL WALL_COLUMN AMOUNT UNIT: rate = AMOUNT / wall seconds
  local q j m qc jc mc
  q=$(col qemu-nbd "$2"); j=$(col jqmp "$2"); m=$(col jqmp-run "$2")
  qc=$(col qemu-nbd $(($2 + 1))); jc=$(col jqmp $(($2 + 1))); mc=$(col jqmp-run $(($2 + 1)))
  printf '| %s (%s) | %.0f | %.0f | %.2fx | %.0f | %.2fx | %.2f / %.2f / %.2f |\n' "$1" "$4" "$(echo "$3/$q" | bc -l)" \
    "$(echo "$3/$j" | bc -l)" "$(echo "$q/$j" | bc -l)" "$(echo "$3/$m" | bc -l)" "$(echo "$q/$m" | bc -l)" \
    "$qc" "$jc" "$mc"
}
row "nbdcopy 1 GiB in" 2 1024 MiB/s
row "nbdcopy 1 GiB out" 4 1024 MiB/s
row "4 KiB random writes, $NRAND by qemu-io aio_write, writethrough (FUA on each)" 6 "$NRAND" IOPS
row "4 KiB random writes, $NRAND by qemu-io aio_write, writeback" 8 "$NRAND" IOPS
[[ " ${STEPS[*]} " == *" fio "* ]] &&
  row "4 KiB random writes, $NRAND by fio (nbd engine, iodepth 16, end_fsync)" 10 "$NRAND" IOPS
true
