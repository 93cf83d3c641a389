#!/usr/bin/env python3
"""Extraction time against a report's size (goal: 50 MB in under 60 s, seconds per MB flat).

    .venv/bin/python bench/extraction_scaling.py [--sizes 1 4 16 50] [--seed 20230601]

A provincial bulletin can run to thousands of pages; a step that rescans the text read so far
for every paragraph (or every fact) is invisible on one city's report and takes minutes on such
a bulletin. For each size, one document of that many megabytes (UTF-8) is made of distinct
generated reports of different cities and months, one after another (`devzone/synthetic/reports.py`,
not timed), written to a temporary .txt file, and timed from its bytes: `read_document` and
`extract_document`. Prints size, seconds, seconds per MB and the facts found, then the goal line;
every size with the 1-minute load average, as the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devzone.extraction import extract_document, read_document  # noqa: E402
from devzone.synthetic.reports import generate_corpus  # noqa: E402

PERIODS = ["2023-03", "2023-06", "2023-09", "2023-12", "2024-03", "2024-06", "2024-09"]
REPORT_BYTES = 14_000  # a seed-sized report, roughly
GOAL_MB, GOAL_SECONDS = 50, 60
MB = 1_000_000


def document(reports: list[bytes], size_mb: float) -> bytes:
    """The first reports, one after another, up to `size_mb` megabytes."""
    out, total = [], 0
    for report in reports:
        if total >= size_mb * MB:
            break
        out.append(report)
        total += len(report) + 2
    return b"\n\n".join(out)


def timed_extraction(data: bytes) -> tuple[float, int]:
    """Seconds to read and extract a .txt report holding `data`, and its fact count."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bulletin.txt"
        path.write_bytes(data)
        t0 = time.perf_counter()
        facts = extract_document(read_document(path), None).facts
        return time.perf_counter() - t0, len(facts)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 4, 16, 50], help="document sizes in MB")
    ap.add_argument("--seed", type=int, default=20230601)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    n_reports = int(max(args.sizes) * MB / REPORT_BYTES * 1.1) + 1
    reports = [text.encode("utf-8") for _, _, text, _ in generate_corpus(n_reports, args.seed, PERIODS)]
    print(f"generated {len(reports)} reports (seed {args.seed}) in {time.perf_counter() - t0:.1f} s, not timed")
    timed_extraction(reports[0])  # warm-up: reference tables, regex compilation

    print(f"{'MB':>6} {'seconds':>9} {'s/MB':>7} {'facts':>8} {'load':>6}")
    results = {}
    for size in args.sizes:
        data = document(reports, size)
        secs, facts = timed_extraction(data)
        mb = len(data) / MB
        results[size] = secs
        print(f"{mb:>6.1f} {secs:>9.2f} {secs / mb:>7.3f} {facts:>8} {os.getloadavg()[0]:>6.2f}", flush=True)
    if GOAL_MB in results:
        verdict = "PASS" if results[GOAL_MB] < GOAL_SECONDS else "FAIL"
        print(f"goal: {GOAL_MB} MB in under {GOAL_SECONDS} s: {results[GOAL_MB]:.1f} s, {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
