#!/usr/bin/env python3
"""Wall time of `devzone run`: one month with one report, and a 120-month backfill in one `devzone run`.

    .venv/bin/python bench/run_timing.py [--runs 3] [--backfill] [--cities 11]

1. One month, one report (goal: ≤ 20 s): a fresh home with one sample report landed under
   2023-06, then `devzone run --month 2023-06` as a whole process, --runs times. The first run of a
   home is cold (new Dagster instance, dbt parses the whole project); the later ones are the
   engineer's loop (dbt's partial parse kept in the home). Prints each run's wall time and the
   run's own profile line (definitions, each step, Dagster's bookkeeping).
2. --backfill (goal: ≤ 240 s): 120 months from 2021-01, one generated seed-sized report per city
   per month (devzone/synthetic, fixed seed), landed in a fresh home and run by
   `devzone run --all` (one command: two Dagster runs, see orchestration/runner.py run_plan).

Every figure is printed with the 1-minute load average: the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.warehouse_incremental import land, months_from  # noqa: E402  (sets DEVZONE_MONTHS_AHEAD)

DEVZONE = Path(sys.executable).with_name("devzone")
ONE_REPORT = ROOT / "samples" / "reports" / "2023-06" / "changzhi_2023-06.txt"
MONTH_GOAL_S, BACKFILL_GOAL_S = 20.0, 240.0


def load() -> str:
    return f"load {os.getloadavg()[0]:.2f}"


def timed(home: Path, *args: str) -> tuple[float, str]:
    env = {**os.environ, "DEVZONE_HOME": str(home)}
    started = time.perf_counter()
    done = subprocess.run([str(DEVZONE), "run", *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"devzone run {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    profile = next((line for line in done.stdout.splitlines() if line.startswith("time: ")), "")
    return elapsed, profile


def one_month(work: Path, runs: int) -> float:
    home = work / "one_month"
    (home / "landing" / "2023-06").mkdir(parents=True)
    shutil.copy2(ONE_REPORT, home / "landing" / "2023-06" / ONE_REPORT.name)
    times = []
    for i in range(runs):
        elapsed, profile = timed(home, "--month", "2023-06")
        times.append(elapsed)
        print(f"one month, run {i + 1} ({'cold home' if i == 0 else 'warm'}): {elapsed:.1f} s  [{load()}]")
        print(f"    {profile}")
    warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
    print(
        f"one month, one report: median warm run {warm:.1f} s (goal ≤ {MONTH_GOAL_S:.0f} s): "
        f"{'PASS' if warm <= MONTH_GOAL_S else 'FAIL'}"
    )
    return warm


def backfill(work: Path, cities: int) -> float:
    import csv

    with open(ROOT / "dbt_project" / "seeds" / "cities.csv", encoding="utf-8") as fh:
        names = [row["city_name"] for row in csv.DictReader(fh)][:cities]
    home = work / "backfill"
    n = land(home, months_from("2021-01", 120), names, seed=7)
    print(f"landed {n} reports: 120 months x {len(names)} cities")
    elapsed, profile = timed(home, "--all")
    print(
        f"backfill of 120 months in one devzone run: {elapsed:.1f} s (goal ≤ {BACKFILL_GOAL_S:.0f} s): "
        f"{'PASS' if elapsed <= BACKFILL_GOAL_S else 'FAIL'}  [{load()}]"
    )
    print(f"    {profile}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backfill", action="store_true")
    parser.add_argument("--cities", type=int, default=11)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="devzone-bench-run-"))
    try:
        ok = one_month(work, args.runs) <= MONTH_GOAL_S
        if args.backfill:
            ok &= backfill(work, args.cities) <= BACKFILL_GOAL_S
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
