#!/usr/bin/env python3
"""One tab-separated row per cold-start run of tools/bench-cold-start.sh, and the medians of the rows per side.

    cold-start-row.py SIDE ROUND LOAD SUMMARY.json RUN.log   -> side, round, load, first-window and window stats
    cold-start-row.py --medians RUNS.tsv                      -> a markdown table of the medians per side
"""
import json
import re
import statistics
import sys

COLUMNS = ["side", "round", "load", "first_p50_ms", "first_p99_ms", "first_skipped", "p50_ms", "p99_ms",
           "skipped", "fps", "node_start_ms", "first_jit_cpu_s", "first_cpu_s"]
JIT = "JIT compiler"  # NodeThreads.JIT, the group of the warm-up window's cpu_s


def row(side, rnd, load, summary_path, log_path):
    with open(summary_path) as f:
        s = json.load(f)
    first = s.get("warm_up_window") or {}
    start_ms = float("nan")
    with open(log_path) as f:
        m = re.search(r"node serving (\d+) ms after its start began", f.read())
        if m:
            start_ms = float(m.group(1))
    cpu = first.get("cpu_s") or {}
    values = [side, rnd, load, first.get("latency_p50_ms"), first.get("latency_p99_ms"), first.get("frames_skipped"),
              s["latency_p50_ms"], s["latency_p99_ms"], s["frames_skipped"], s["fps"], start_ms, cpu.get(JIT),
              sum(cpu.values()) if cpu else None]
    return "\t".join(str(v) for v in values)


def medians(tsv_path):
    rows = [line.rstrip("\n").split("\t") for line in open(tsv_path) if line.strip()]
    out = ["| side | runs | load (median) | first window p50 ms | first window p99 ms | first window skipped"
           " | p50 ms | p99 ms | skipped | out fps | node start ms | first window JIT CPU s | first window CPU s |",
           "|---" * 13 + "|"]
    for side in sorted({r[0] for r in rows}):
        mine = [r for r in rows if r[0] == side]
        cells = [side, str(len(mine))]
        for i in range(2, len(COLUMNS)):  # every column after side and round
            vals = [float(r[i]) for r in mine if i < len(r) and r[i] not in ("None", "nan")]
            cells.append("%.1f" % statistics.median(vals) if vals else "-")
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


if __name__ == "__main__":
    if sys.argv[1] == "--medians":
        print(medians(sys.argv[2]))
    else:
        print(row(*sys.argv[1:6]))
