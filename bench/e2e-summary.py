#!/usr/bin/env python3
"""Medians of bench/e2e.sh's raw qmpbench lines, as a Markdown table, and the goal ratios of issue 2.

Each raw line is NAME|CONNS|key=value ... as qmpbench prints it. connect+negotiate is qmpbench's mean of 50
fresh connections; its median is taken over every run of a configuration (1- and 4-connection runs alike).
Lines with CONNS "cold" are the first qmpbench run against a freshly started server (its connect+negotiate
is reported on its own). cpu_us_per_cmd is the server's CPU time per command in the 1-connection runs.
"""
import statistics
import sys
from collections import defaultdict


def load(path):
    runs = defaultdict(list)  # (name, conns) -> [dict]
    order = []
    with open(path) as f:
        for line in f:
            name, conns, figures = line.rstrip("\n").split("|", 2)
            values = dict(kv.split("=") for kv in figures.split())
            if name not in order:
                order.append(name)
            runs[(name, conns)].append({k: float(v) for k, v in values.items()})
    return order, runs


def median(runs, key):
    return statistics.median(r[key] for r in runs) if runs else float("nan")


def main(path):
    order, runs = load(path)
    table = {}
    print("| configuration | p50 round trip (us) | p99 (us) | 1-conn throughput (cmd/s) "
          "| 4-conn throughput (cmd/s) | connect+negotiate (us) | cold connect+negotiate (us) "
          "| server CPU per command (us) | rounds |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in order:
        one, four, cold = runs[(name, "1")], runs[(name, "4")], runs[(name, "cold")]
        row = {
            "p50": median(one, "p50_us"),
            "p99": median(one, "p99_us"),
            "tput1": median(one, "throughput_cmd_s"),
            "tput4": median(four, "throughput_cmd_s"),
            "connect": median(one + four, "connect+negotiate_us"),
            "cold": median(cold, "connect+negotiate_us"),
            "cpu": median(one, "cpu_us_per_cmd") if one and "cpu_us_per_cmd" in one[0] else float("nan"),
        }
        table[name] = row
        print(f"| {name} | {row['p50']:.1f} | {row['p99']:.1f} | {row['tput1']:,.0f} | {row['tput4']:,.0f} "
              f"| {row['connect']:.0f} | {row['cold']:.0f} | {row['cpu']:.1f} | {len(one)} |")
    print()
    for transport in ("unix", "tcp"):
        floor = table.get(f"floor {transport}")
        qemu = next((v for k, v in table.items() if k.startswith("QEMU") and k.endswith(transport)), None)
        for name, row in table.items():
            if not name.startswith("jqmp") or transport not in name or floor is None:
                continue
            parts = [f"p50 {row['p50'] / floor['p50']:.2f}x floor (goal <= 1.3)",
                     f"connect {row['connect'] / floor['connect']:.2f}x floor (goal <= 1.3)",
                     f"4-conn {row['tput4'] / floor['tput4']:.2f}x floor (goal >= 0.5)"]
            if qemu:
                parts.insert(1, f"throughput {row['tput1'] / qemu['tput1']:.1f}x QEMU (goal >= 3)")
            print(f"- {name}: " + "; ".join(parts))


if __name__ == "__main__":
    main(sys.argv[1])
