#!/usr/bin/env python3
"""Peer benchmark: load a GDELT 2.0 events export with polars.

    python3 peer_polars.py FILE [--runs K] [--mode infer|string] [--isolate | --in-process]

Reads FILE K times (default 5) with

    pl.read_csv(FILE, separator="\\t", has_header=False, quote_char=None,
                infer_schema_length=10000, schema_overrides={columns 26-28: pl.String})

and prints one JSON line:

    {"tool": "polars", "version": ..., "runs": [s, ...], "median_s": ..., "rows": ...,
     "cols": 61, "peak_rss_mb": ..., "base_rss_mb": ..., ...}

Why these options: GDELT has no header and no quoting (a '"' inside SOURCEURL or a
name must stay literal, hence quote_char=None). Plain inference reads EventCode,
EventBaseCode and EventRootCode (columns 26-28) as integers and drops their leading
zeros ("010" -> 10), so those are forced to String, as any faithful reader must
keep them. --mode string reads all 61 columns as String (infer_schema=False).

Timing covers read_csv alone (polars import excluded). By default every run is a
fresh child process and peak_rss_mb is the largest child's max RSS (from wait4);
base_rss_mb is the RSS of a child after `import polars` and before reading, so
peak_rss_mb - base_rss_mb is what the read itself costs. With --runs 1 (or
--in-process) the reads happen in this process and peak_rss_mb is this process's
ru_maxrss, which suits running the script under /usr/bin/time.
"""

import argparse
import importlib
import json
import os
import resource
import statistics
import subprocess
import sys
import time

CAMEO_CODE_COLS = (26, 27, 28)  # EventCode, EventBaseCode, EventRootCode


def read_once(path, mode):
    """Read the file once; return (seconds, rows, cols)."""
    import polars as pl

    kw = dict(separator="\t", has_header=False, quote_char=None)
    if mode == "string":
        kw["infer_schema"] = False  # every column String
    else:
        # default column names differ between polars versions (column_0.. vs column_1..): ask
        names = pl.read_csv(path, n_rows=1, **kw).columns
        kw["infer_schema_length"] = 10000
        kw["schema_overrides"] = {names[i]: pl.String for i in CAMEO_CODE_COLS}
    t = time.perf_counter()
    df = pl.read_csv(path, **kw)
    secs = time.perf_counter() - t
    return secs, df.height, df.width


def maxrss_mb(ru_maxrss):
    return ru_maxrss / 1024.0  # Linux reports KiB


def child(path, mode):
    """One isolated run: report import-time RSS, then read and report."""
    importlib.import_module("polars")  # measure RSS after the import, before reading

    base = maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    secs, rows, cols = read_once(path, mode)
    print(json.dumps({"secs": secs, "rows": rows, "cols": cols, "base_rss_mb": base}))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--mode", choices=("infer", "string"), default="infer",
                    help="infer: inferred types, CAMEO codes as String (default); string: all String")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--isolate", action="store_true", help="one child process per run (default if runs > 1)")
    g.add_argument("--in-process", action="store_true", help="read in this process (default if runs == 1)")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child:
        child(a.file, a.mode)
        return
    if a.runs < 1:
        sys.exit("--runs must be >= 1")
    if not os.path.isfile(a.file):
        sys.exit(f"{a.file}: no such file")
    isolate = a.isolate or (a.runs > 1 and not a.in_process)

    import polars as pl

    runs, peaks, bases = [], [], []
    rows = cols = None
    for _ in range(a.runs):
        if isolate:
            p = subprocess.Popen([sys.executable, os.path.abspath(__file__), a.file, "--mode", a.mode, "--child"],
                                 stdout=subprocess.PIPE)
            out = p.stdout.read()
            _, status, ru = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            if p.returncode != 0:
                sys.exit(f"polars child run failed (exit {p.returncode})")
            r = json.loads(out)
            runs.append(r["secs"])
            rows, cols = r["rows"], r["cols"]
            peaks.append(maxrss_mb(ru.ru_maxrss))
            bases.append(r["base_rss_mb"])
        else:
            if not bases:
                bases.append(maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
            secs, rows, cols = read_once(a.file, a.mode)
            runs.append(secs)
            peaks.append(maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))

    print(json.dumps({
        "tool": "polars",
        "version": pl.__version__,
        "mode": a.mode,
        "isolated": isolate,
        "threads": pl.thread_pool_size(),
        "file_bytes": os.path.getsize(a.file),
        "runs": [round(s, 4) for s in runs],
        "median_s": round(statistics.median(runs), 4),
        "rows": rows,
        "cols": cols,
        "peak_rss_mb": round(max(peaks), 1),
        "peak_rss_mb_runs": [round(x, 1) for x in peaks],
        "base_rss_mb": round(min(bases), 1),
    }))


if __name__ == "__main__":
    main()
