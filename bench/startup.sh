#!/usr/bin/env bash
# Machine start benchmark (issue 4): start to QMP-ready - launch, connect, negotiate, query-status - and on to
# the end of the process after `quit`, for `jqmp run -M none -nodefaults -S` beside
# `qemu-system-x86_64 -M none -nodefaults -S -display none`, alternating the two in each run; then the idle RSS
# of one machine of each (VmRSS two seconds after query-status).
# Usage: bench/startup.sh [RUNS]   (default 10). Prints a markdown table; docs/benchmarks.md ("Machine start")
# records it. jqmp is measured twice: the java command ./jqmp execs (JVM options as the launcher sets them for
# run), and ./jqmp itself (adds bash and the launcher's is-the-build-fresh check).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${1:-10}
command -v qemu-system-x86_64 >/dev/null || { echo "qemu-system-x86_64 is not installed (apt-get install qemu-system-x86)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is not installed" >&2; exit 1; }
DIR=$(mktemp -d /tmp/jqmp-start-bench.XXXXXX); trap 'rm -rf "$DIR"' EXIT

"$ROOT/jqmp" --version >/dev/null   # builds jqmp if needed, before anything is timed
JDK=
for c in "${JAVA_HOME:-}" /usr/lib/jvm/*; do   # a JDK 25 or newer, as ./jqmp looks for one
  v=$([[ -x "$c/bin/java" ]] && "$c/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' || true)
  if [[ "$v" =~ ^[0-9]+$ && "$v" -ge 25 ]]; then JDK=$c; break; fi
done
[[ -n $JDK ]] || { echo "no JDK 25 or newer found" >&2; exit 1; }
# what ./jqmp run execs on JDK 25 (see the launcher)
JQMP_JAVA="$JDK/bin/java --enable-native-access=ALL-UNNAMED -Djdk.pollerMode=1 -cp $ROOT/jqmp-cli/target/jqmp-cli.jar:$ROOT/jqmp-cli/target/lib/* org.jqmp.cli.Main run"
ARGS="-M none -nodefaults -S -display none"
# the same java command with a JDK AOT cache (JEP 483/514) made by one training run: start, negotiate,
# query-status, quit, over -qmp stdio
AOT="$DIR/run.aot"
printf '{"execute":"qmp_capabilities"}\n{"execute":"query-status"}\n{"execute":"quit"}\n' |
  ${JQMP_JAVA/ -cp / -XX:AOTCacheOutput=$AOT -Xlog:aot=off -Xlog:cds=off -cp } $ARGS -qmp stdio >/dev/null 2>&1
[[ -f $AOT ]] || { echo "the AOT training run made no cache" >&2; exit 1; }
JQMP_AOT="${JQMP_JAVA/ -cp / -XX:AOTCache=$AOT -cp }"

cat > "$DIR/client.py" <<'PY'
import json, os, socket, subprocess, sys, time
mode, path, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
start = time.monotonic()
proc = subprocess.Popen(rest + ["-qmp", "unix:%s,server=on,wait=off" % path],
                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
while True:
    try:
        s = socket.socket(socket.AF_UNIX); s.connect(path); break
    except OSError:
        s.close()
        if proc.poll() is not None or time.monotonic() - start > 60: sys.exit("no QMP socket: " + " ".join(rest))
        time.sleep(0.001)
f = s.makefile("rwb", buffering=0)
def call(cmd):
    f.write((json.dumps({"execute": cmd}) + "\n").encode())
    while True:
        msg = json.loads(f.readline())
        if "return" in msg or "error" in msg: return msg
f.readline()                           # the greeting
call("qmp_capabilities"); status = call("query-status")
assert status["return"]["status"] == "prelaunch", status
ready = time.monotonic() - start
rss = ""
if mode == "rss":
    time.sleep(2)
    rss = [l.split()[1] for l in open("/proc/%d/status" % proc.pid) if l.startswith("VmRSS:")][0]
f.write(b'{"execute":"quit"}\n'); proc.wait(); end = time.monotonic() - start
print("%.1f %.1f %s" % (ready * 1000, end * 1000, rss))
PY

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A READY END
for ((i = 1; i <= RUNS; i++)); do
  for who in qemu jqmp aot launcher; do
    rm -f "$DIR/$who.sock"
    case $who in
      qemu) cmd="qemu-system-x86_64 $ARGS" ;;
      jqmp) cmd="$JQMP_JAVA $ARGS" ;;
      aot) cmd="$JQMP_AOT $ARGS" ;;
      launcher) cmd="$ROOT/jqmp run $ARGS" ;;
    esac
    read -r ready end _ < <(python3 "$DIR/client.py" time "$DIR/$who.sock" $cmd)
    READY[$who]+="$ready "; END[$who]+="$end "
  done
done
rss() { python3 "$DIR/client.py" rss "$DIR/rss.sock" "$@" | awk '{printf "%.1f", $3 / 1024}'; rm -f "$DIR/rss.sock"; }
QEMU_RSS=$(rss qemu-system-x86_64 $ARGS); JQMP_RSS=$(rss $JQMP_JAVA $ARGS); AOT_RSS=$(rss $JQMP_AOT $ARGS)

echo "| machine ($RUNS runs, alternated) | start to QMP-ready, median (min-max) | to process end after quit, median | idle RSS |"
echo "|---|---|---|---|"
for who in qemu jqmp aot launcher; do
  r=$(tr ' ' '\n' <<<"${READY[$who]}" | grep . ); e=$(tr ' ' '\n' <<<"${END[$who]}" | grep .)
  case $who in
    qemu) name="qemu-system-x86_64 $ARGS"; mem="$QEMU_RSS MiB" ;;
    jqmp) name="jqmp run $ARGS (the java command ./jqmp execs)"; mem="$JQMP_RSS MiB" ;;
    aot) name="the same with an AOT cache (-XX:AOTCache)"; mem="$AOT_RSS MiB" ;;
    launcher) name="./jqmp run $ARGS (the launcher as it is)"; mem="(as the java command)" ;;
  esac
  printf '| %s | %s ms (%s-%s) | %s ms | %s |\n' "$name" "$(median <<<"$r")" "$(sort -g <<<"$r" | head -1)" \
    "$(sort -g <<<"$r" | tail -1)" "$(median <<<"$e")" "$mem"
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
