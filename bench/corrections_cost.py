#!/usr/bin/env python3
"""What 1,000 corrections cost a 120-month backfill (goal: at most 10% more than none).

    .venv/bin/python bench/corrections_cost.py [--corrections 1000] [--cities 11]

120 months × 11 generated reports (devzone/synthetic, fixed seed) are landed in a fresh home and
run by `devzone run --all` three times: the first run builds the home (cold); the second, without
corrections, is the baseline; then N statements spread over the months (every k-th key of
rpt_fact_lineage, in key order) get a correction each in the journal (in turn a value one more,
so that counts stay whole; a growth of the other sign; an acceptance; a rejection), written through
devzone.corrections as `devzone correct` writes them, and the third run applies them. Prints the
three wall times and the ratio of the third to the second.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run_timing import load, timed  # noqa: E402
from bench.warehouse_incremental import land, months_from  # noqa: E402  (sets DEVZONE_MONTHS_AHEAD)

GOAL_RATIO = 1.10


def record_corrections(home: Path, count: int) -> int:
    import duckdb

    os.environ["DEVZONE_HOME"] = str(home)
    from devzone import corrections

    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    keys = con.execute(
        "select correction_key, any_value(fact_type), any_value(value), any_value(yoy_pct) "
        "from rpt_fact_lineage group by 1 order by 1"
    ).fetchall()
    con.close()
    step = max(1, len(keys) // count)
    chosen = keys[::step][:count]
    for i, (key, _fact_type, value, yoy) in enumerate(chosen):
        if i % 4 == 0 and value is not None:
            corrections.append(corrections.make(key, "value", "bench", "bench", value + 1))  # counts stay whole
        elif i % 4 == 1 and yoy is not None:
            corrections.append(corrections.make(key, "yoy", "bench", "bench", -yoy))
        elif i % 4 == 2:
            corrections.append(corrections.make(key, "accept", "bench", "bench"))
        else:
            corrections.append(corrections.make(key, "reject", "bench", "bench"))
    return len(chosen)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corrections", type=int, default=1000)
    parser.add_argument("--cities", type=int, default=11)
    args = parser.parse_args()
    with open(ROOT / "dbt_project" / "seeds" / "cities.csv", encoding="utf-8") as fh:
        names = [row["city_name"] for row in csv.DictReader(fh)][: args.cities]
    work = Path(tempfile.mkdtemp(prefix="devzone-bench-corrections-"))
    try:
        home = work / "home"
        print(f"landed {land(home, months_from('2021-01', 120), names, seed=7)} reports")
        cold, _ = timed(home, "--all")
        print(f"backfill 1 (cold home): {cold:.1f} s  [{load()}]")
        baseline, profile = timed(home, "--all")
        print(f"backfill 2 (no corrections): {baseline:.1f} s  [{load()}]\n    {profile}")
        n = record_corrections(home, args.corrections)
        corrected, profile = timed(home, "--all")
        print(f"backfill 3 ({n} corrections): {corrected:.1f} s  [{load()}]\n    {profile}")
        ratio = corrected / baseline
        print(f"ratio {ratio:.3f} (goal ≤ {GOAL_RATIO:.2f}): {'PASS' if ratio <= GOAL_RATIO else 'FAIL'}")
        return 0 if ratio <= GOAL_RATIO else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
