#!/usr/bin/env bash
# Disk image benchmark: jqmp-block beside `qemu-img bench` (same image files, same requests, same order) and
# `jqmp img convert` beside `qemu-img convert` for a 1 GiB image of random content (time and peak RSS with
# /usr/bin/time -v). Both tools go through the page cache (qemu-img -t writeback; jqmp always does).
# Usage: bench/disk-images.sh [RUNS]   (BENCH_DIR=... picks the scratch directory; it needs ~6 GiB;
#        BENCH_FORMATS="raw" or "" runs fewer bench rows: "" only the convert rows)
# Prints markdown tables; docs/benchmarks.md ("Disk images (jqmp-block)") records them.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-3}
if [[ -n ${BENCH_DIR:-} ]]; then DIR=$BENCH_DIR; mkdir -p "$DIR"   # the caller's directory: kept
else DIR=$(mktemp -d /var/tmp/jqmp-disk-bench.XXXXXX); trap 'rm -rf "$DIR"' EXIT; fi
source "$ROOT/bench/page-reporting.sh"
trap 'restore_page_reporting; [[ -n ${BENCH_DIR:-} ]] || rm -rf "$DIR"' EXIT
command -v qemu-img >/dev/null || { echo "qemu-img is not installed (apt-get install qemu-utils)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { echo "/usr/bin/time is not installed (apt-get install time)" >&2; exit 1; }

"$ROOT/jqmp" img --version >/dev/null   # builds jqmp and its img class archive if needed, before anything is timed
JDK=
for c in "${JAVA_HOME:-}" /usr/lib/jvm/*; do   # a JDK 25 or newer, as ./jqmp looks for one
  v=$([[ -x "$c/bin/java" ]] && "$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' || true)
  if [[ "$v" =~ ^[0-9]+$ && "$v" -ge 25 ]]; then JDK=$c; break; fi
done
[[ -n $JDK ]] || { echo "no JDK 25 or newer found" >&2; exit 1; }
export JAVA_HOME="$JDK"
(cd "$ROOT" && mvn -B -q -f bench/jqmp-block-bench/pom.xml package)
BENCH_CP="$ROOT/bench/jqmp-block-bench/target/jqmp-block-bench.jar:$ROOT/bench/jqmp-block-bench/target/lib/*"
jbench() { "$JDK/bin/java" --enable-native-access=ALL-UNNAMED -cp "$BENCH_CP" org.jqmp.bench.block.ImageBench "$@" -r 1; }
# qemu-img bench is run with each of its engines for page-cache I/O (-i threads and -i io_uring), and the
# faster median counts: threads costs a hand-off per request, io_uring's buffered writes into holes are slow
QEMU_AIOS=${QEMU_AIOS:-"threads io_uring"}
qbench() { local aio=$1; shift; qemu-img bench -t writeback -i "$aio" "$@"; }
# ./jqmp img runs exactly this java command (JVM options as the launcher sets them for img); calling it directly
# keeps the launcher's rebuild check (which fires whenever any source in the tree is newer than the last build)
# out of the timings
JQMP_IMG=("$JDK/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1
  -XX:SharedArchiveFile="$ROOT/jqmp-cli/target/jqmp-img.jsa" -Xlog:disable -Xlog:all=warning:stderr
  -Xlog:cds*=off:stderr -Xlog:aot*=off:stderr
  -cp "$ROOT/jqmp-cli/target/jqmp-cli.jar:$ROOT/jqmp-cli/target/lib/*" org.jqmp.cli.img.ImgMain)
seconds() { sed -n 's/^Run completed in \([0-9.]*\) seconds\./\1/p' | tail -1; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

SIZE=1G
# Sequential reads of 1 GiB from the page cache take 40-90 ms: too short to time anything but noise and the JVM's
# warm-up. Both tools read it 8 times over (request i at (i * 1 MiB) % 1 GiB, as qemu-img 7.2's bench wraps).
SEQ_READS=8192
STRIDE=4182016          # 1021 blocks of 4 KiB: coprime to the 262144 blocks of 1 GiB, so a scattered permutation

# one measurement: NAME FMT KIND(fresh|written) UNIT(MB/s|IOPS) COUNT BYTES -- bench args...
row() {
  local name=$1 fmt=$2 kind=$3 unit=$4 count=$5 bytes=$6; shift 7
  local j=() r img tool aio best_s=0 best_aio=
  declare -A q=()
  for r in $(seq 1 "$RUNS"); do
    for tool in $QEMU_AIOS jqmp; do
      img="$DIR/$tool.$fmt"
      if [[ $kind == fresh ]]; then rm -f "$img"; qemu-img create -q -f "$fmt" "$img" $SIZE; fi
      sync  # no dirty page cache left by the previous run: its writeback would throttle this one's writes
      if [[ $tool == jqmp ]]; then j+=("$(jbench -f "$fmt" "$@" "$img" | seconds)");
      else q[$tool]+="$(qbench "$tool" -f "$fmt" "$@" "$img" | seconds) "; fi
    done
  done
  for aio in $QEMU_AIOS; do
    local s; s=$(printf '%s\n' ${q[$aio]} | median)
    if [[ -z $best_aio ]] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then best_s=$s; best_aio=$aio; fi
  done
  local js; js=$(printf '%s\n' "${j[@]}" | median)
  awk -v n="$name" -v f="$fmt" -v u="$unit" -v c="$count" -v b="$bytes" -v qs="$best_s" -v qa="$best_aio" -v js="$js" 'BEGIN {
    qv = (u == "MB/s") ? c * b / qs / 1e6 : c / qs; jv = (u == "MB/s") ? c * b / js / 1e6 : c / js;
    printf "| %s | %s | %.0f %s (%.3f s, %s) | %.0f %s (%.3f s) | %.2fx |\n", n, f, qv, u, qs, qa, jv, u, js, jv / qv }'
}

prepare_written() { # a fully written image per tool, as the read and overwrite rows need
  local fmt=$1 tool
  for tool in $QEMU_AIOS jqmp; do
    rm -f "$DIR/$tool.$fmt"; qemu-img create -q -f "$fmt" "$DIR/$tool.$fmt" $SIZE
    qbench threads -f "$fmt" -w -s 1M -c 1024 -d 16 "$DIR/$tool.$fmt" >/dev/null
  done
}

echo "## qemu-img bench (-t writeback, best of -i ${QEMU_AIOS// / and -i }) vs jqmp ImageBench, median of $RUNS, $(date -u +%Y-%m-%d), $(nproc) cores"
echo
echo "| workload | format | qemu-img bench | jqmp-block | jqmp / qemu |"
echo "| --- | --- | --- | --- | --- |"
for fmt in ${BENCH_FORMATS-qcow2 raw}; do   # BENCH_FORMATS="" leaves out the bench rows (convert only)
  for d in 1 16; do
    row "sequential 1 MiB writes, fresh image, depth $d" $fmt fresh MB/s 1024 1048576 -- -w -s 1M -c 1024 -d $d
  done
  prepare_written $fmt
  for d in 1 16; do
    row "sequential 1 MiB reads, depth $d" $fmt written MB/s $SEQ_READS 1048576 -- -s 1M -c $SEQ_READS -d $d
    row "scattered 4 KiB reads, depth $d" $fmt written IOPS 262144 4096 -- -s 4K -S $STRIDE -c 262144 -d $d
    row "scattered 4 KiB overwrites, depth $d" $fmt written IOPS 65536 4096 -- -w -s 4K -S $STRIDE -c 65536 -d $d
  done
  for d in 1 16; do
    row "scattered 4 KiB writes, fresh image, depth $d" $fmt fresh IOPS 65536 4096 -- -w -s 4K -S $STRIDE -c 65536 -d $d
  done
done

# convert: 1 GiB of random content, raw -> qcow2 and qcow2 -> raw
head -c 1G /dev/urandom > "$DIR/src.raw"
timed() { # command...: prints wall seconds, peak RSS (KiB) and CPU seconds (user + system) of one run
  /usr/bin/time -v "$@" 2> "$DIR/time.txt" >/dev/null
  local wall rss cpu
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$DIR/time.txt" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$DIR/time.txt")
  cpu=$(sed -n 's/.*\(User\|System\) time (seconds): //p' "$DIR/time.txt" | awk '{ s += $1 } END { print s }')
  echo "$wall $rss $cpu"
}
allocation() { # FILE: qemu-img map's ranges without host offsets (where clusters sit may differ), runs merged
  qemu-img map --output=json "$1" | python3 -c '
import json, sys
runs = []
for e in json.load(sys.stdin):
    key = (e["depth"], e["present"], e["zero"], e["data"])
    if runs and runs[-1][0] == key and runs[-1][1] + runs[-1][2] == e["start"]:
        runs[-1][2] += e["length"]
    else:
        runs.append([key, e["start"], e["length"]])
print(runs)'
}
# On a shared machine the wall time of writing 1 GiB swings several-fold between runs of the same command (the
# kernel's page allocation and writeback); the CPU time is steadier and is reported beside it.
convert_row() { # NAME SRC SRCFMT DSTFMT
  local name=$1 src=$2 sf=$3 df=$4 q=() j=() qr=() jr=() qc=() jc=() r w m c
  for r in $(seq 1 "$RUNS"); do
    rm -f "$DIR/qc.$df"; sync; read -r w m c < <(timed qemu-img convert -f "$sf" -O "$df" "$src" "$DIR/qc.$df"); q+=("$w"); qr+=("$m"); qc+=("$c")
    rm -f "$DIR/jc.$df"; sync; read -r w m c < <(timed "${JQMP_IMG[@]}" convert -f "$sf" -O "$df" "$src" "$DIR/jc.$df"); j+=("$w"); jr+=("$m"); jc+=("$c")
  done
  qemu-img compare -q "$DIR/qc.$df" "$DIR/jc.$df" || { echo "convert results differ" >&2; exit 1; }
  [[ "$(allocation "$DIR/qc.$df")" == "$(allocation "$DIR/jc.$df")" ]] ||
    { echo "convert results differ in what is allocated, zero or data (qemu-img map)" >&2; exit 1; }
  local qs js qm jm qcs jcs
  qs=$(printf '%s\n' "${q[@]}" | median); js=$(printf '%s\n' "${j[@]}" | median)
  qm=$(printf '%s\n' "${qr[@]}" | median); jm=$(printf '%s\n' "${jr[@]}" | median)
  qcs=$(printf '%s\n' "${qc[@]}" | median); jcs=$(printf '%s\n' "${jc[@]}" | median)
  awk -v n="$name" -v qs="$qs" -v js="$js" -v qm="$qm" -v jm="$jm" -v qc="$qcs" -v jc="$jcs" 'BEGIN {
    printf "| %s | %.2f s, CPU %.2f s, %.0f MiB | %.2f s, CPU %.2f s, %.0f MiB | %.2fx | %.2fx |\n", n, qs, qc, qm / 1024,
      js, jc, jm / 1024, qs / js, qc / jc }'
}
echo
echo "## convert, 1 GiB random content, median of $RUNS (wall time, CPU time, peak RSS)"
echo
echo "| conversion | qemu-img convert | ./jqmp img convert | speed jqmp / qemu | CPU qemu / jqmp |"
echo "| --- | --- | --- | --- | --- |"
convert_row "raw -> qcow2" "$DIR/src.raw" raw qcow2
cp "$DIR/qc.qcow2" "$DIR/src.qcow2"
convert_row "qcow2 -> raw" "$DIR/src.qcow2" qcow2 raw
