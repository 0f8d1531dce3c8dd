#!/usr/bin/env bash
# Machine start benchmark (issue 4): start to QMP-ready - launch, connect, negotiate, query-status - and on to
# the end of the process after `quit`, for `jqmp run -M none -nodefaults -S` beside
# `qemu-system-x86_64 -M none -nodefaults -S -display none`, alternating the two in each run; then the idle RSS
# of one machine of each (VmRSS two seconds after query-status).
# Usage: bench/startup.sh [RUNS]   (default 10). Prints a markdown table; docs/benchmarks.md ("Machine start")
# records it. jqmp is measured three ways: the java command ./jqmp execs (JVM options as the launcher sets them
# for run, with the launcher's AOT cache jqmp-cli/target/jqmp-run.aot), the same without the cache, and ./jqmp
# itself (adds bash and the launcher's is-the-build-fresh check). CPU is user + system time of the process.
# A last row is the JVM's own floor for this client: bench/JvmFloor.java, which only binds the socket, greets and
# sends canned replies, with an AOT cache of its own: no JVM program can be QMP-ready sooner on this JDK.
# JQMP_VARIANT="name|java options|class path" (repeatable, separated by ";;") adds rows: the java command with
# other options or another build, e.g. the previous commit's classes first on the class path.
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
# what ./jqmp run execs on JDK 25 (see the launcher), with and without its AOT cache (the variants' java commands
# have neither the cache nor the launcher's junixsocket library)
CP="$ROOT/jqmp-cli/target/jqmp-cli.jar:$ROOT/jqmp-cli/target/lib/*"
LOGS="-Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=off:stderr -Xlog:aot*=off:stderr"
JQMP_JAVA="$JDK/bin/java --enable-native-access=ALL-UNNAMED -Djdk.pollerMode=1 $LOGS -cp $CP org.jqmp.cli.Main run"
ARGS="-M none -nodefaults -S -display none"
AOT="$ROOT/jqmp-cli/target/jqmp-run.aot"
# ./jqmp run makes the cache after a build (its training run: start, query-status, quit, over a Unix socket)
printf '{"execute":"qmp_capabilities"}\n{"execute":"quit"}\n' | "$ROOT/jqmp" run $ARGS -qmp stdio >/dev/null
[[ -f $AOT ]] || { echo "./jqmp run made no AOT cache ($AOT)" >&2; exit 1; }
# and takes junixsocket's native library out of its jar (where it has one for this machine)
LIB="$ROOT/jqmp-cli/target/jqmp-junixsocket.so"
[[ ! -f $LIB ]] || JQMP_JAVA="${JQMP_JAVA/ -cp / -Dorg.newsclub.net.unix.library.override=$LIB -cp }"
JQMP_AOT="${JQMP_JAVA/ -cp / -XX:AOTCache=$AOT -cp }"
# the JVM's own floor for this client (bench/JvmFloor.java: bind, greet, canned replies; no jqmp code), with an
# AOT cache of its own made by one training run, as jqmp's
mkdir -p "$DIR/floor"
"$JDK/bin/javac" -d "$DIR/floor" "$ROOT/bench/JvmFloor.java"
(cd "$DIR/floor" && "$JDK/bin/jar" cf floor.jar JvmFloor.class)
FLOOR="$JDK/bin/java $LOGS -XX:AOTCache=$DIR/floor/floor.aot -cp $DIR/floor/floor.jar JvmFloor"
WHO=(qemu aot jqmp launcher floor)
declare -A CMD=([qemu]="qemu-system-x86_64 $ARGS" [aot]="$JQMP_AOT $ARGS" [jqmp]="$JQMP_JAVA $ARGS"
  [launcher]="$ROOT/jqmp run $ARGS" [floor]="$FLOOR $ARGS")
declare -A NAME=([qemu]="qemu-system-x86_64 $ARGS" [aot]="jqmp run $ARGS (the java command ./jqmp execs, AOT cache)"
  [jqmp]="the same without the AOT cache" [launcher]="./jqmp run $ARGS (bash launcher included)"
  [floor]="the JVM's floor: bench/JvmFloor.java (bind, greet, canned replies), its own AOT cache")
IFS=';' read -r -a VARIANTS <<<"${JQMP_VARIANT:-}"
n=0
for v in "${VARIANTS[@]}"; do
  [[ -n $v ]] || continue
  IFS='|' read -r vname vopts vcp <<<"$v"; n=$((n + 1))
  WHO+=("v$n"); NAME[v$n]=$vname
  CMD[v$n]="$JDK/bin/java --enable-native-access=ALL-UNNAMED -Djdk.pollerMode=1 $LOGS $vopts -cp ${vcp:-$CP} org.jqmp.cli.Main run $ARGS"
done

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
f.write(b'{"execute":"quit"}\n'); _, _, use = os.wait4(proc.pid, 0); end = time.monotonic() - start
print("%.1f %.1f %.1f %s" % (ready * 1000, end * 1000, (use.ru_utime + use.ru_stime) * 1000, rss))
PY
# the floor's AOT cache: one training run through the same client
python3 "$DIR/client.py" time "$DIR/train.sock" "$JDK/bin/java" -Xlog:disable -XX:AOTCacheOutput="$DIR/floor/floor.aot" \
  -cp "$DIR/floor/floor.jar" JvmFloor $ARGS >/dev/null
[[ -f $DIR/floor/floor.aot ]] || { echo "no AOT cache for the JVM floor" >&2; exit 1; }

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A READY END CPU MEM
for ((i = 1; i <= RUNS; i++)); do
  for who in "${WHO[@]}"; do
    rm -f "$DIR/$who.sock"
    read -r ready end cpu _ < <(python3 "$DIR/client.py" time "$DIR/$who.sock" ${CMD[$who]})
    READY[$who]+="$ready "; END[$who]+="$end "; CPU[$who]+="$cpu "
  done
done
for who in "${WHO[@]}"; do
  [[ $who == launcher ]] && { MEM[$who]="(as the java command)"; continue; }
  MEM[$who]="$(python3 "$DIR/client.py" rss "$DIR/rss.sock" ${CMD[$who]} | awk '{printf "%.1f", $4 / 1024}') MiB"
  rm -f "$DIR/rss.sock"
done

echo "| machine ($RUNS runs, alternated) | start to QMP-ready, median (min-max) | to process end after quit, median | CPU (user+sys), median | idle RSS |"
echo "|---|---|---|---|---|"
for who in "${WHO[@]}"; do
  r=$(tr ' ' '\n' <<<"${READY[$who]}" | grep . ); e=$(tr ' ' '\n' <<<"${END[$who]}" | grep .)
  c=$(tr ' ' '\n' <<<"${CPU[$who]}" | grep .)
  printf '| %s | %s ms (%s-%s) | %s ms | %s ms | %s |\n' "${NAME[$who]}" "$(median <<<"$r")" "$(sort -g <<<"$r" | head -1)" \
    "$(sort -g <<<"$r" | tail -1)" "$(median <<<"$e")" "$(median <<<"$c")" "${MEM[$who]}"
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
