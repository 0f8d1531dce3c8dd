#!/usr/bin/env bash
# Builds and runs the jqmp-json JMH benchmarks, then prints MB/s per input (1 MB = 10^6 bytes).
#   bench/jqmp-json-bench/run.sh [JMH options, e.g. -f 1 -wi 2 -i 3 DecoderBench]
# Needs jqmp-json in the local Maven repository (./jqmp --version installs it on first use).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
(cd "$HERE" && mvn -B -q package)
RESULT="$HERE/target/jmh-result.json"
"$JAVA_HOME/bin/java" -jar "$HERE/target/jqmp-json-bench.jar" -rf json -rff "$RESULT" "$@"
python3 - "$RESULT" <<'PY'
import json, sys
print("\n| benchmark | input | pretty | MB/s | +- (99.9%) | ops/s |")
print("|---|---|---|---:|---:|---:|")
for r in json.load(open(sys.argv[1])):
    p = r.get("params", {})
    b = r["secondaryMetrics"]["bytes"]
    err = b["scoreError"] if isinstance(b["scoreError"], (int, float)) and b["scoreError"] == b["scoreError"] else 0
    print(f"| {r['benchmark'].rsplit('.', 2)[-2]} | {p.get('input')} | {p.get('pretty', '-')} "
          f"| {b['score'] / 1e6:,.1f} | {err / 1e6:,.1f} | {r['primaryMetric']['score']:,.0f} |")
PY
