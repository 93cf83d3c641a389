#!/usr/bin/env python3
"""Extraction throughput (and accuracy) on synthetic seed-sized reports, on one core.

    .venv/bin/python bench/extraction_throughput.py [--reports 1000] [--seed 20230601] [--size seed]

Generates the reports first (not timed; `devzone/synthetic/reports.py`), pins the process to one
CPU, warms up on one report, then times `devzone.extraction.extract_text` over all of them.
Prints the count, characters (and UTF-8 bytes), seconds, reports/s, characters/s and the goal
line. Then scores the extracted facts against the generated ones with the acceptance scorer
(`../shared/acceptance/score.py`, imported by path) and prints precision/recall/F1 and, when
not perfect, the first misses and extras, for the extractor's author.
"""

from __future__ import annotations

import argparse
import ast
import collections
import importlib.util
import io
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devzone.synthetic.reports import generate_corpus  # noqa: E402

SCORER = Path(os.environ.get("DEVZONE_SCORER", ROOT.parent / "shared" / "acceptance" / "score.py"))
GOAL_REPORTS_PER_S = 200
PERIODS = ["2023-03", "2023-06", "2023-09", "2023-12", "2024-03", "2024-06", "2024-09"]


def pin_to_one_core() -> int | None:
    try:
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return cpu
    except (AttributeError, OSError):  # not Linux
        return None


def load_scorer():
    if not SCORER.is_file():
        return None
    spec = importlib.util.spec_from_file_location("acceptance_score", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def coordinate(line: str) -> str:
    """The kind of a MISS/EXTRA line of the scorer: indicator metric/basis or pipeline scope/stage/measure."""
    m = re.match(r"^(?:MISS|EXTRA)\s+(\(.*?\))\s", line)
    try:
        key = ast.literal_eval(m.group(1))
    except (AttributeError, ValueError, SyntaxError):
        return "?"
    return f"{key[4]}/{key[5]}" if key[0] == "I" else "/".join(key[4:7])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reports", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20230601)
    ap.add_argument("--size", default="seed", choices=["seed", "small"])
    ap.add_argument("--show", type=int, default=15, help="misses and extras to list")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    corpus = generate_corpus(args.reports, args.seed, PERIODS, size=args.size)
    gen_s = time.perf_counter() - t0
    chars = sum(len(text) for _, _, text, _ in corpus)
    nbytes = sum(len(text.encode("utf-8")) for _, _, text, _ in corpus)

    cpu = pin_to_one_core()
    from devzone.extraction import extract_text

    name, period, text, _ = corpus[0]
    extract_text(text, name, period)  # warm-up: reference tables, regex compilation
    extracted = []
    t0 = time.perf_counter()
    for name, period, text, _ in corpus:
        extracted.append(extract_text(text, name, period))
    secs = time.perf_counter() - t0

    rps = len(corpus) / secs
    print(f"generated {len(corpus)} {args.size}-size reports (seed {args.seed}) in {gen_s:.2f} s, not timed")
    print(f"pinned to cpu {cpu}" if cpu is not None else "could not pin to one cpu")
    print(f"reports: {len(corpus)}")
    print(
        f"characters: {chars} ({nbytes} bytes UTF-8; {chars / len(corpus):.0f} characters, "
        f"{nbytes / len(corpus):.0f} bytes a report)"
    )
    print(f"seconds: {secs:.3f}")
    print(f"reports/s: {rps:.1f}")
    print(f"characters/s: {chars / secs:.0f}")
    print(f"goal: >= {GOAL_REPORTS_PER_S} reports/s on one core: {'PASS' if rps >= GOAL_REPORTS_PER_S else 'FAIL'}")

    scorer = load_scorer()
    if scorer is None:
        print(f"scoring skipped: {SCORER} not found")
        return 0
    expected = [f for _, _, _, facts in corpus for f in facts]
    actual = [f for facts in extracted for f in facts]
    buf = io.StringIO()
    s = scorer.score(expected, actual, verbose=True, out=buf)
    print(f"accuracy: expected={s['expected']} emitted={s['emitted']} correct={s['correct']}")
    print(f"precision: {s['precision']:.6f} ({s['correct']}/{s['emitted']})")
    print(f"recall: {s['recall']:.6f} ({s['correct']}/{s['expected']})")
    print(f"f1: {s['f1']:.6f}")
    if s["precision"] < 1 or s["recall"] < 1:
        lines = buf.getvalue().splitlines()
        misses = [line for line in lines if line.startswith("MISS")]
        extras = [line for line in lines if line.startswith("EXTRA")]
        for label, rows in (("misses", misses), ("extras", extras)):
            kinds = collections.Counter(coordinate(row) for row in rows)
            if not rows:
                print(f"{label}: 0")
                continue
            print(f"{label}: {len(rows)}; by coordinate: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common(12)))
            print(f"first {min(args.show, len(rows))} {label}:")
            for row in rows[: args.show]:
                print("  " + row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
