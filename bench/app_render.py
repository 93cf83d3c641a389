#!/usr/bin/env python3
"""Render time of every page of the managers' app on 10 years of data for 11 cities (goal: 1 s).

    .venv/bin/python bench/app_render.py [--home /tmp/devzone-bench-app-10y] [--rebuild]
        [--cold-runs 3] [--warm-runs 5] [--no-profile] [--browser]

1. The home: 120 months from 2021-01, one generated seed-sized report per city per month
   (`bench/report_generator.py`, fixed seed), landed and run through the real pipeline in one
   backfill run (`bench/warehouse_incremental.py`). Reused when `<home>/serving.duckdb` already
   holds a report for every city and month; a home that does not is only deleted with --rebuild.
   Prints the row count of every served table and the serving file's size.
2. Server side, with streamlit.testing's AppTest: every page registered with `st.Page(...)` in
   app/streamlit_app.py, on its default filters, on the earliest month (any selectbox of
   YYYY-MM periods: the default is the latest month, so this is also the worst month switch) and
   on the heaviest filters the page offers (HEAVY_SCENARIOS below).
   - cold: st.cache_data emptied just before the render, so every query goes to DuckDB (the first
     visit after a new serving file is published); median of --cold-runs fresh AppTests.
   - warm: median of --warm-runs re-renders with everything cached (the least any interaction costs).
   The clock runs around `AppTest.run()` of the page: the main script, the page script, its
   queries and the serialisation of its elements (Arrow for tables and charts, CSV/XLSX bytes
   for download buttons). Not in it: AppTest's start-up and the first run of the process, which
   imports the app's modules (a running server has them loaded), nor the browser's drawing.
   Unless --no-profile, one cold and one warm render per scenario run again under cProfile and a
   second table splits them into data.query (of which DuckDB), tables, charts, downloads, other.
3. --browser: runs bench/app_screenshots.py against the same home (Streamlit + headless Chromium)
   and prints its per-page times; for information only, its clock includes a fixed 0.5 s wait
   after navigating, polls every 0.2 s, and its first page pays for the server's start.

Exit status 1 when a page scenario misses the goal, cold or warm, or fails to render.
Every figure is printed with the 1-minute load average: the machine is shared.
"""
from __future__ import annotations

import argparse
import ast
import cProfile
import csv
import os
import pstats
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.warehouse_incremental import land, months_from, timed_run  # noqa: E402  (sets DEVZONE_MONTHS_AHEAD)

APP = ROOT / "app" / "streamlit_app.py"
GOAL_SECONDS = 1.0
FIRST_MONTH, MONTH_COUNT, CITY_COUNT, SEED = "2021-01", 120, 11, 7
RENDER_TIMEOUT = 300  # seconds; AppTest's default of 3 s would abort a slow page instead of timing it
PERIOD_IN_OPTION = re.compile(r"(\d{4}-\d{2})\D*$")  # month selectors show e.g. "2023年1-6月（2023-06）"


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


# ---- the 10-year home ------------------------------------------------------------------------

def city_names() -> list[str]:
    with open(ROOT / "dbt_project" / "seeds" / "cities.csv", encoding="utf-8") as fh:
        return [row["city_name"] for row in csv.DictReader(fh)][:CITY_COUNT]


def covers(home: Path, months: list[str], cities: list[str]) -> bool:
    """Whether the serving file has a report for every (month, city)."""
    import duckdb

    path = home / "serving.duckdb"
    if not path.exists():
        return False
    con = duckdb.connect(str(path), read_only=True)
    try:
        reported = con.execute(
            "select count(*) from (select distinct period, city_name from rpt_city_month_kpis "
            "where has_report and not is_province and period between ? and ? and list_contains(?, city_name))",
            [months[0], months[-1], cities],
        ).fetchone()[0]
    except duckdb.Error:
        return False
    finally:
        con.close()
    return reported == len(months) * len(cities)


def build_home(home: Path, rebuild: bool) -> None:
    months, cities = months_from(FIRST_MONTH, MONTH_COUNT), city_names()
    if covers(home, months, cities):
        print(f"reusing {home}: serving.duckdb covers {months[0]}..{months[-1]} for {len(cities)} cities")
        return
    if home.exists() and any(home.iterdir()):
        if not rebuild:
            raise SystemExit(f"{home} exists but does not cover {months[0]}..{months[-1]}: pass --rebuild to delete it and build again")
        shutil.rmtree(home)
    started = time.perf_counter()
    landed = land(home, months, cities, SEED)
    landing = time.perf_counter() - started
    print(f"landed {landed} reports ({len(cities)} cities x {len(months)} months) in {landing:.1f} s (load {load()})")
    backfill = timed_run(home, months)
    print(f"backfill of all {len(months)} months in one run: {backfill:.1f} s (load {load()}); "
          f"home built in {landing + backfill:.1f} s")
    if not covers(home, months, cities):
        raise SystemExit(f"the backfill ran but {home}/serving.duckdb does not cover every city and month")


def print_served_tables(home: Path) -> None:
    import duckdb

    path = home / "serving.duckdb"
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select table_name from duckdb_tables() order by table_name").fetchall()]
        counts = {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()
    print(f"\nserving file {path}: {path.stat().st_size / 2**20:.1f} MiB")
    for table, rows in sorted(counts.items(), key=lambda kv: -kv[1]):
        print(f"  {table:<28} {rows:>9,} rows")


# ---- pages and scenarios -----------------------------------------------------------------------

def registered_pages() -> list[tuple[str, str]]:
    """(page script relative to the app, title) of every `st.Page(...)` in the app's main script."""
    pages = []
    for node in ast.walk(ast.parse(APP.read_text(encoding="utf-8"))):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Page"
                and node.args and isinstance(node.args[0], ast.Constant)):
            title = next((k.value.value for k in node.keywords if k.arg == "title" and isinstance(k.value, ast.Constant)),
                         node.args[0].value)
            pages.append((node.args[0].value, title))
    return pages


class NotOnPage(LookupError):
    """The scenario's widget is not on the page (the page changed, or does not offer it)."""


@dataclass(frozen=True)
class Scenario:
    name: str
    apply: Callable | None = None  # changes widgets of the page's default render; None: the defaults


def set_widget(kind: str, key: str, value) -> Callable:
    def apply(at) -> None:
        try:
            widget = getattr(at, kind)(key=key)
        except KeyError:
            raise NotOnPage(f"no {kind} {key!r}") from None
        widget.set_value(value)
    return apply


def all_of(*applies: Callable) -> Callable:
    def apply(at) -> None:
        for step in applies:
            step(at)
    return apply


def earliest_month(at) -> None:
    for box in at.selectbox:
        periods = [m.group(1) for option in box.options if (m := PERIOD_IN_OPTION.search(option))]
        if box.options and len(periods) == len(box.options):
            box.select(min(periods))
            return
    raise NotOnPage("no month selector")


DEFAULT = Scenario("default filters (latest month)")
EARLIEST = Scenario(f"earliest month ({FIRST_MONTH})", earliest_month)
ZONES = set_widget("radio", "trend_level", "开发区")
# The heaviest settings each page offers beyond its defaults and the earliest month ("全部" is
# already the default of every city/zone filter). Pages not listed get DEFAULT and EARLIEST only.
HEAVY_SCENARIOS = {
    "pages_/compare.py": [Scenario("all cities, ranked by 同比增速", set_widget("radio", "compare_measure", "同比增速"))],
    "pages_/trend.py": [
        Scenario("开发区 level, all zones, 累计值", ZONES),
        Scenario("开发区 level, all zones, 当月值", all_of(ZONES, set_widget("radio", "trend_measure", "当月值"))),
        Scenario("开发区 level, all zones, 同比增速", all_of(ZONES, set_widget("radio", "trend_measure", "同比增速"))),
    ],
    "pages_/pipeline.py": [Scenario("口径 当期 (event)", set_widget("radio", "pipeline_scope", "event"))],
    "pages_/lineage.py": [Scenario("全部 + 原文包含 '亿元'", set_widget("text_input", "lineage_text", "亿元"))],
}


# ---- rendering ---------------------------------------------------------------------------------

class RenderError(RuntimeError):
    pass


def rendered(at) -> None:
    if at.exception:
        raise RenderError(at.exception[0].value)


def timed_render(at, profile: cProfile.Profile | None = None) -> float:
    """Seconds of one `at.run()`; with `profile`, profiles the script thread that AppTest starts."""
    if profile is not None:
        threading.setprofile(lambda *_: profile.enable())  # first event in the new thread swaps in cProfile
    started = time.perf_counter()
    try:
        at.run()
    finally:
        elapsed = time.perf_counter() - started
        threading.setprofile(None)
    rendered(at)
    return elapsed


def cold_render(page: str, scenario: Scenario, profile: cProfile.Profile | None = None):
    """A fresh AppTest on `page` with the scenario's widgets set, rendered with st.cache_data empty."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=RENDER_TIMEOUT).run()
    rendered(at)
    at.switch_page(page)
    if scenario.apply:
        at.run()
        rendered(at)
        scenario.apply(at)
    st.cache_data.clear()
    return at, timed_render(at, profile)


@dataclass
class Result:
    page: str
    scenario: str
    cold: float | None = None
    warm: float | None = None
    load: str = ""
    error: str = ""

    @property
    def passed(self) -> bool:
        return not self.error and self.cold <= GOAL_SECONDS and self.warm <= GOAL_SECONDS


def measure(page: str, scenario: Scenario, cold_runs: int, warm_runs: int) -> Result:
    result = Result(page, scenario.name)
    try:
        colds = []
        for _ in range(cold_runs):
            at, seconds = cold_render(page, scenario)
            colds.append(seconds)
        result.cold = statistics.median(colds)
        result.warm = statistics.median(timed_render(at) for _ in range(warm_runs))
    except RenderError as e:
        result.error = f"exception: {e}"
    result.load = load()
    return result


# ---- where the time goes -----------------------------------------------------------------------

BUCKETS = {  # name: (file suffix, functions) whose cumulative time is the bucket
    "data.query": ("app/data.py", {"query"}),
    "DuckDB": ("app/data.py", {"_query"}),  # inside data.query: runs only on a cache miss
    "tables": ("streamlit/elements/arrow.py", {"dataframe", "data_editor", "table"}),
    "charts": ("streamlit/elements/vega_charts.py",
               {"line_chart", "area_chart", "bar_chart", "scatter_chart", "altair_chart", "vega_lite_chart"}),
    "downloads": ("app/data.py", {"downloads"}),  # CSV and XLSX bytes of every table, on every render
}
TOP_FUNCTIONS = 8


def breakdown(profile: cProfile.Profile) -> dict[str, float]:
    stats = pstats.Stats(profile).stats  # {(file, line, function): (calls, primitive calls, own, cumulative, callers)}
    shares = {"profiled": sum(own for _, _, own, _, _ in stats.values())}
    for bucket, (suffix, functions) in BUCKETS.items():
        shares[bucket] = sum(cum for (file, _, function), (_, _, _, cum, _) in stats.items()
                             if file.endswith(suffix) and function in functions)
    shares["other"] = shares["profiled"] - sum(shares[b] for b in BUCKETS if b != "DuckDB")
    return shares


def top_functions(profile: cProfile.Profile) -> list[str]:
    """The functions with the most own time: what a slow render actually spends it on."""
    stats = pstats.Stats(profile).stats
    rows = sorted(stats.items(), key=lambda kv: -kv[1][2])[:TOP_FUNCTIONS]
    return [f"{own:7.3f} s own {cum:7.3f} s cum {calls:>8} calls  {Path(file).name}:{line}({function})"
            for (file, line, function), (_, calls, own, cum, _) in rows]


def profile_scenario(page: str, scenario: Scenario) -> dict[str, cProfile.Profile]:
    cold, warm = cProfile.Profile(), cProfile.Profile()
    at, _ = cold_render(page, scenario, cold)
    timed_render(at, warm)
    return {"cold": cold, "warm": warm}


# ---- browser -----------------------------------------------------------------------------------

def browser_times(home: Path) -> None:
    out = home / "screenshots"
    print(f"\nbrowser (bench/app_screenshots.py, headless Chromium; load {load()} before):")
    # Its own session, so that on a timeout its Streamlit server and Chromium go down with it.
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "app_screenshots.py"), "--home", str(home), "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=900)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
        print("  app_screenshots.py did not finish within 900 s; stopped")
        return
    for line in output.splitlines():
        m = re.match(r"(\S+)\s+rendered in ([\d.]+) s", line)
        if m:
            seconds = float(m.group(2))
            print(f"  {m.group(1):<10} {seconds:6.2f} s  {'pass' if seconds <= GOAL_SECONDS else 'FAIL'}  (load {load()})")
        else:
            print(f"  {line}")
    if proc.returncode:
        print(f"  app_screenshots.py exited with {proc.returncode}")
    print(f"  screenshots in {out}")


# ---- main --------------------------------------------------------------------------------------

def output_of(*command: str) -> str:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path("/tmp/devzone-bench-app-10y"))
    parser.add_argument("--rebuild", action="store_true", help="delete a home that does not cover the 10 years and build it")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--warm-runs", type=int, default=5)
    parser.add_argument("--no-profile", action="store_true", help="skip the profiled breakdown")
    parser.add_argument("--browser", action="store_true", help="also run bench/app_screenshots.py on the home")
    args = parser.parse_args()
    home = args.home.resolve()

    app_changes = ", ".join(output_of("git", "status", "--short", "app/").splitlines()) or "none"
    print(f"commit {output_of('git', 'rev-parse', '--short', 'HEAD')}; uncommitted app/ changes (git status --short app/): {app_changes}")
    print(f"uptime: {output_of('uptime')}")
    build_home(home, args.rebuild)
    print_served_tables(home)
    os.environ["DEVZONE_HOME"] = str(home)

    from streamlit.testing.v1 import AppTest

    rendered(AppTest.from_file(str(APP), default_timeout=RENDER_TIMEOUT).run())  # imports the app's modules: not timed
    pages = registered_pages()
    print(f"\npages in {APP.relative_to(ROOT)}: " + ", ".join(f"{title} ({path})" for path, title in pages))

    results, skipped, profiles = [], [], {}
    for path, title in pages:
        for scenario in [DEFAULT, EARLIEST, *HEAVY_SCENARIOS.get(path, [])]:
            try:
                result = measure(path, scenario, args.cold_runs, args.warm_runs)
                if not args.no_profile and not result.error:
                    profiles[(title, scenario.name)] = profile_scenario(path, scenario)
            except NotOnPage as e:
                skipped.append(f"{title} · {scenario.name}: {e}")
                continue
            result.page = title
            results.append(result)
            status = result.error or f"cold {result.cold:.3f} s, warm {result.warm:.3f} s"
            print(f"  {title} · {scenario.name}: {status} (load {result.load})", flush=True)

    print(f"\nserver-side render (AppTest), cold = median of {args.cold_runs} with st.cache_data empty, "
          f"warm = median of {args.warm_runs} cached re-renders; goal {GOAL_SECONDS} s")
    print(f"{'page':<8} {'scenario':<36} {'cold s':>7} {'warm s':>7} {'goal s':>6}  result  load1")
    for r in results:
        cold = "—" if r.cold is None else f"{r.cold:.3f}"
        warm = "—" if r.warm is None else f"{r.warm:.3f}"
        print(f"{r.page:<8} {r.scenario:<36} {cold:>7} {warm:>7} {GOAL_SECONDS:>6.1f}  "
              f"{'pass' if r.passed else 'FAIL'}    {r.load}{'  ' + r.error if r.error else ''}")
    for line in skipped:
        print(f"not applicable: {line}")

    if profiles:
        print("\nwhere the time goes, one profiled render each (s under cProfile, which inflates Python-heavy parts)")
        names = ["profiled", *BUCKETS, "other"]
        print(f"{'page':<8} {'scenario':<36} {'run':<5}" + "".join(f"{n:>11}" for n in names))
        for (title, scenario), runs in profiles.items():
            for run, profile in runs.items():
                shares = breakdown(profile)
                print(f"{title:<8} {scenario:<36} {run:<5}" + "".join(f"{shares[n]:>11.3f}" for n in names))
        for r in results:
            if not r.passed and (r.page, r.scenario) in profiles:
                print(f"\nmost own time, {r.page} · {r.scenario}, cold:")
                for line in top_functions(profiles[(r.page, r.scenario)]["cold"]):
                    print(f"  {line}")

    if args.browser:
        browser_times(home)
    print(f"\nuptime: {output_of('uptime')}")
    failed = [r for r in results if not r.passed]
    print(f"{len(results) - len(failed)} of {len(results)} page scenarios within {GOAL_SECONDS} s")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
