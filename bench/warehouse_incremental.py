#!/usr/bin/env python3
"""Incremental month runs against 1 and 10 years of history, and a one-run backfill of 120 months.

    .venv/bin/python bench/warehouse_incremental.py [--cities 11] [--workdir DIR]

Generates a report per city per month (`devzone/synthetic/reports.py`, seed-sized), lands them in two
temporary homes, backfills history in one run each (12 months and 120 months; the second is timed:
the one-run backfill of all 120 months), then times the same next month's run on top of each.
Goal: the month on 10 years of history takes at most 1.25 times the month on 1 year.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devzone.synthetic.reports import generate_report  # noqa: E402

# Ten years of history from the first partition (2021-01) reach past today: allow those months.
os.environ.setdefault("DEVZONE_MONTHS_AHEAD", "72")

GOAL_RATIO = 1.25


def months_from(first: str, count: int) -> list[str]:
    year, month = map(int, first.split("-"))
    out = []
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def land(home: Path, months: list[str], cities: list[str], seed: int) -> int:
    count = 0
    for month in months:
        folder = home / "landing" / month
        folder.mkdir(parents=True, exist_ok=True)
        for i, city in enumerate(cities):
            rng = random.Random(f"{seed}:{month}:{city}")
            text, _ = generate_report(city, month, rng, size="seed", file_name=f"{i:02d}_{month}.txt")
            (folder / f"{i:02d}_{month}.txt").write_text(text, encoding="utf-8")
            count += 1
    return count


def timed_run(home: Path, months: list[str]) -> float:
    os.environ["DEVZONE_HOME"] = str(home)
    from orchestration import runner

    started = time.perf_counter()
    summary = runner.run_months(months)
    elapsed = time.perf_counter() - started
    if not summary.success:
        raise SystemExit(f"run of {months[0]}..{months[-1]} failed:\n{runner.format_summary(summary)}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cities", type=int, default=11)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()

    import csv

    with open(ROOT / "dbt_project" / "seeds" / "cities.csv", encoding="utf-8") as fh:
        cities = [row["city_name"] for row in csv.DictReader(fh)][: args.cities]
    history_short = months_from("2021-01", 12)
    history_long = months_from("2021-01", 120)
    next_short = months_from("2022-01", 1)[0]
    next_long = months_from("2031-01", 1)[0]

    work = args.workdir or Path(tempfile.mkdtemp(prefix="devzone-bench-"))
    short, long_ = work / "one_year", work / "ten_years"
    for home in (short, long_):
        shutil.rmtree(home, ignore_errors=True)
    print(f"cities: {len(cities)}; work folder: {work}")
    n = land(short, history_short + [next_short], cities, args.seed)
    print(f"landed {n} reports for 1 year + 1 month")
    n = land(long_, history_long + [next_long], cities, args.seed)
    print(f"landed {n} reports for 10 years + 1 month")

    t = timed_run(short, history_short)
    print(f"backfill of 12 months in one run: {t:.1f} s")
    t = timed_run(long_, history_long)
    print(f"backfill of all 120 months in one run: {t:.1f} s")

    one = timed_run(short, [next_short])
    ten = timed_run(long_, [next_long])
    ratio = ten / one
    print(f"incremental month run, 1 year of history: {one:.1f} s")
    print(f"incremental month run, 10 years of history: {ten:.1f} s")
    print(f"ratio: {ratio:.2f} (goal: <= {GOAL_RATIO}): {'PASS' if ratio <= GOAL_RATIO else 'FAIL'}")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
