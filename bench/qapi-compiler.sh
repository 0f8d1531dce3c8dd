#!/usr/bin/env bash
# Cold `jqmp qapi gen` of QEMU's own schemas beside QEMU's own generator (scripts/qapi-gen.py), run in
# alternation (jqmp, qemu, jqmp, qemu, ...) so that both sides see the same load; prints per side the median and
# the best wall time and CPU time (user + sys) over ROUNDS runs. Results: docs/benchmarks.md, "QAPI compiler".
#
#   bench/qapi-compiler.sh QEMU_SRC SCHEMA [ROUNDS] [--legacy-docs]
#
# QEMU_SRC is an unpacked QEMU source tree (only scripts/qapi-gen.py and scripts/qapi/ are used); SCHEMA the
# schema's main file. QEMU's source is not part of this repository; Debian's source package is one way to get it:
#   echo 'deb-src http://deb.debian.org/debian bookworm main' > /tmp/src.list   # QEMU 7.2 (sid: 10.2)
#   O="-o Dir::Etc::SourceList=/tmp/src.list -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists=/tmp/lists"
#   mkdir -p /tmp/lists/partial && apt-get $O update && apt-get $O source --download-only qemu
#   tar -xJf qemu_*.orig.tar.xz --wildcards '*/scripts/qapi*'
# The jqmp side is the command ./jqmp runs (its java line, with the launcher's JVM options for `qapi` and its AOT
# cache jqmp-cli/target/jqmp-qapi.aot, which ./jqmp makes after a build), called directly so that the launcher's
# rebuild check never lands in a timing. Every run writes into a directory of its own, and all are removed only
# at the end: on an ext4 without a journal (this project's machine), the kernel gives a new file an inode only
# after stepping over every inode of the block group deleted in the last 5 to 35 seconds (find_inode_bit and
# recently_deleted in perf's profile), so deleting each run's output just before the next run made every run
# pay, in system time, for the files of the runs before it (qemu 423, jqmp 1009 per round): up to 1 s per run
# (docs/benchmarks.md, "QAPI compiler"). For the same reason, start another run of this script a minute after
# the last one ended (its clean-up deletes every output).
# JQMP_VARIANT="name|java options|class path" (repeatable, separated by ";;") adds sides to the alternation: the
# java command with other options or another build (e.g. the previous commit's classes first on the class path).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
QEMU_SRC=${1:?usage: $0 QEMU_SRC SCHEMA [ROUNDS] [--legacy-docs]}
SCHEMA=$(realpath "${2:?usage: $0 QEMU_SRC SCHEMA [ROUNDS] [--legacy-docs]}")
ROUNDS=${3:-10}
LEGACY=${4:-}
JAVA=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
CP="$ROOT/jqmp-cli/target/jqmp-cli.jar:$ROOT/jqmp-cli/target/lib/*"
LOGS="-Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr -Xlog:aot*=off:stderr"
# keep in step with the `qapi` case of ../jqmp
BASE="--enable-native-access=ALL-UNNAMED -Djdk.pollerMode=1 -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmn64m $LOGS"
AOT="$ROOT/jqmp-cli/target/jqmp-qapi.aot"
"$ROOT/jqmp" qapi check "$ROOT/schema/qapi-schema.json" >/dev/null # builds jqmp and its AOT cache if needed
[[ -f $AOT ]] || { echo "./jqmp qapi made no AOT cache ($AOT)" >&2; exit 1; }
SIDES=(jqmp qemu)
declare -A OPTS=([jqmp]="$BASE -XX:AOTCache=$AOT") CPS=([jqmp]=$CP)
declare -A NAME=([jqmp]="jqmp qapi gen (the java command ./jqmp runs, AOT cache)" [qemu]="QEMU scripts/qapi-gen.py")
IFS=';' read -r -a VARIANTS <<<"${JQMP_VARIANT:-}"
n=0
for v in "${VARIANTS[@]}"; do
  [[ -n $v ]] || continue
  IFS='|' read -r vname vopts vcp <<<"$v"; n=$((n + 1))
  SIDES+=("v$n"); NAME[v$n]=$vname; OPTS[v$n]="$BASE $vopts"; CPS[v$n]=${vcp:-$CP}
done
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# one timed run: prints "wall cpu" in seconds
timed() {
  local start end
  start=$(date +%s%N)
  /usr/bin/time -f '%U %S' -o "$WORK/cpu" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  end=$(date +%s%N)
  awk -v w=$(( end - start )) '{ printf "%.3f %.3f\n", w / 1e9, $1 + $2 }' "$WORK/cpu"
}

gen() { # SIDE
  local out
  out=$WORK/out.$(date +%s%N)   # not there yet: each side creates it
  if [[ $1 == qemu ]]; then
    (cd "$QEMU_SRC" && timed python3 scripts/qapi-gen.py -o "$out" "$SCHEMA")
  else
    local opts
    read -r -a opts <<<"${OPTS[$1]}"
    timed "$JAVA" "${opts[@]}" -cp "${CPS[$1]}" org.jqmp.cli.Main qapi gen -o "$out" $LEGACY "$SCHEMA"
  fi
}

for side in "${SIDES[@]}"; do gen "$side" >/dev/null; done # page cache and CDS archives warm; not counted
for ((i = 0; i < ROUNDS; i++)); do
  for side in "${SIDES[@]}"; do echo "$side $(gen "$side")" >>"$WORK/runs"; done
done
echo "schema: $SCHEMA; $ROUNDS rounds; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for side in "${SIDES[@]}"; do echo "$side: ${NAME[$side]}"; done
python3 - "$WORK/runs" <<'EOF'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    side, wall, cpu = line.split()
    runs.setdefault(side, []).append((float(wall), float(cpu)))
qemu = statistics.median(w for w, _ in runs["qemu"])
for side, r in runs.items():
    walls, cpus = [w for w, _ in r], [c for _, c in r]
    print(f"{side}: wall median {statistics.median(walls):.2f} s (best {min(walls):.2f}),"
          f" cpu median {statistics.median(cpus):.2f} s (best {min(cpus):.2f}),"
          f" wall / QEMU's {statistics.median(walls) / qemu:.2f}")
EOF
