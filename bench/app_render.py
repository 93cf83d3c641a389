#!/usr/bin/env python3
"""Render time of every page of the managers' app on 10 years of data for 11 cities (goal: 1 s).

    .venv/bin/python bench/app_render.py [--home /tmp/devzone-bench-app-10y] [--rebuild]
        [--cold-runs 3] [--warm-runs 5] [--browser]

1. The home: 120 months from 2021-01, one generated seed-sized report per city per month
   (`devzone/synthetic/reports.py`, fixed seed), landed and run through the real pipeline in one
   backfill run (`bench/warehouse_incremental.py`), which must pass the quality gate. Reused when
   `<home>/serving.duckdb` already holds a report for every city and month; a home that does not
   is only deleted with --rebuild. Prints the row count of every served table and the file's size.
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
   While each render runs, its thread's stack is sampled every 5 ms; a second table splits the
   median cold and warm render into data.query (of which DuckDB), tables (st.dataframe), charts,
   downloads (data.downloads: CSV and XLSX bytes) and other, and for a render over the goal the
   innermost functions where its samples were are listed with the app line that called them.
3. --browser: runs bench/app_screenshots.py against the same home (Streamlit + headless Chromium,
   screenshots into <home>/screenshots) and prints its per-page times as it reports them; for
   information, on each page's default filters, and not part of the exit status.

Exit status 1 when a page scenario misses the goal, cold or warm, or fails to render.
Every figure is printed with the 1-minute load average: the machine is shared.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.app_screenshots import app_pages  # noqa: E402
from bench.warehouse_incremental import land, months_from, timed_run  # noqa: E402  (sets DEVZONE_MONTHS_AHEAD)

APP = ROOT / "app" / "streamlit_app.py"
GOAL_SECONDS = 1.0
FIRST_MONTH, MONTH_COUNT, CITY_COUNT, SEED = "2021-01", 120, 11, 7
RENDER_TIMEOUT = 300  # seconds; AppTest's default of 3 s would abort a slow page instead of timing it
PERIOD_IN_OPTION = re.compile(r"(\d{4}-\d{2})\D*$")  # month selectors show e.g. "2023年1-6月（2023-06）"


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def cell(text: str, width: int) -> str:
    """`text` padded to `width` terminal columns (Chinese characters take two)."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - shown)


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
            raise SystemExit(
                f"{home} exists but does not cover {months[0]}..{months[-1]}: pass --rebuild to delete it and build again"
            )
        shutil.rmtree(home)
    started = time.perf_counter()
    landed = land(home, months, cities, SEED)
    landing = time.perf_counter() - started
    print(f"landed {landed} reports ({len(cities)} cities x {len(months)} months) in {landing:.1f} s (load {load()})")
    backfill = timed_run(home, months)
    print(
        f"backfill of all {len(months)} months in one run: {backfill:.1f} s (load {load()}); "
        f"home built in {landing + backfill:.1f} s"
    )
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


DEFAULT = Scenario("default filters")  # the latest month where the page has a month selector
EARLIEST = Scenario(f"earliest month ({FIRST_MONTH})", earliest_month)
ZONES = set_widget("radio", "trend_level", "开发区")
# The heaviest settings each page offers beyond its defaults and the earliest month ("全部" is
# already the default of every city/zone filter). Pages not listed get DEFAULT and EARLIEST only.
HEAVY_SCENARIOS = {
    "app_pages/compare.py": [
        Scenario("all cities, ranked by 同比增速", set_widget("radio", "compare_measure", "同比增速"))
    ],
    "app_pages/trend.py": [
        Scenario("开发区 level, all zones, 累计值", ZONES),
        Scenario("开发区 level, all zones, 当月值", all_of(ZONES, set_widget("radio", "trend_measure", "当月值"))),
        Scenario("开发区 level, all zones, 同比增速", all_of(ZONES, set_widget("radio", "trend_measure", "同比增速"))),
    ],
    "app_pages/pipeline.py": [Scenario("口径 当期 (event)", set_widget("radio", "pipeline_scope", "event"))],
    "app_pages/lineage.py": [Scenario("全部 + 原文包含 '亿元'", set_widget("text_input", "lineage_text", "亿元"))],
}


# ---- rendering and where its time goes ----------------------------------------------------------

APP_DIR = str(ROOT / "app")
SAMPLE_INTERVAL = 0.005  # seconds between stack samples: about 200 per second of render
BUCKETS = {  # name: (file suffix, functions); a sample counts for a bucket when one of its frames is in it
    "data.query": ("app/data.py", {"query"}),
    "DuckDB": ("app/data.py", {"_query"}),  # inside data.query, and only on a cache miss
    "tables": ("streamlit/elements/arrow.py", {"dataframe", "data_editor", "table"}),
    "charts": (
        "streamlit/elements/vega_charts.py",
        {"line_chart", "area_chart", "bar_chart", "scatter_chart", "altair_chart", "vega_lite_chart"},
    ),
    "downloads": ("app/data.py", {"downloads"}),  # CSV and XLSX bytes of a table, made on every render
}
OUTER_BUCKETS = [b for b in BUCKETS if b != "DuckDB"]
TOP_FUNCTIONS = 8


class StackSampler:
    """Samples the Python stacks of the threads started while it runs, i.e. AppTest's script thread.

    Wall-clock attribution of a render without a profiler's distortion: cProfile slows pure-Python
    code (openpyxl, pandas' Excel writer) far more than C (DuckDB, Arrow), and a profiler enabled
    inside a thread that is already running misattributes cumulative times.
    """

    def __init__(self) -> None:
        self.stacks: list[list[tuple[str, str, int]]] = []  # innermost frame first: (file, function, line)

    def __enter__(self) -> StackSampler:
        self._running_before = {t.ident for t in threading.enumerate()}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_INTERVAL):
            for ident, frame in sys._current_frames().items():
                if ident in self._running_before or ident == self._thread.ident:
                    continue
                stack = []
                while frame is not None:
                    stack.append((frame.f_code.co_filename, frame.f_code.co_name, frame.f_lineno))
                    frame = frame.f_back
                if any(file.startswith(APP_DIR) for file, _, _ in stack):  # the app's scripts are running
                    self.stacks.append(stack)


@dataclass
class Render:
    seconds: float
    stacks: list[list[tuple[str, str, int]]]

    def breakdown(self) -> dict[str, float]:
        """Seconds per bucket (the render's time times the bucket's share of the samples) and the rest."""
        share = {b: 0 for b in BUCKETS}
        for stack in self.stacks:
            for bucket, (suffix, functions) in BUCKETS.items():
                share[bucket] += any(file.endswith(suffix) and function in functions for file, function, _ in stack)
        per_sample = self.seconds / max(len(self.stacks), 1)
        seconds = {b: n * per_sample for b, n in share.items()}
        seconds["other"] = self.seconds - sum(seconds[b] for b in OUTER_BUCKETS)
        return seconds

    def top_functions(self) -> list[str]:
        """Where the samples were: the innermost function, and the page line (then the app line) that led there."""
        places: dict[tuple[str, str], int] = {}
        for stack in self.stacks:
            file, function, _ = stack[0]
            app_lines = [
                f"{Path(f).relative_to(APP_DIR)}:{line}"
                for f, _, line in reversed(stack)
                if f.startswith(APP_DIR) and f != str(APP)
            ]  # outermost first, the main script left out
            place = (f"{Path(file).name}({function})", " > ".join(dict.fromkeys(app_lines[:1] + app_lines[-1:])))
            places[place] = places.get(place, 0) + 1
        per_sample = self.seconds / max(len(self.stacks), 1)
        top = sorted(places.items(), key=lambda kv: -kv[1])[:TOP_FUNCTIONS]
        return [f"{n * per_sample:6.3f} s  {inner:<50} from {app}" for (inner, app), n in top]


class RenderError(RuntimeError):
    pass


def rendered(at) -> None:
    if at.exception:
        raise RenderError(at.exception[0].value)


def timed_render(at) -> Render:
    with StackSampler() as sampler:
        started = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - started
    rendered(at)
    return Render(seconds, sampler.stacks)


def cold_render(page: str, scenario: Scenario):
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
    return at, timed_render(at)


def median_render(renders: list[Render]) -> Render:
    """The median run (the lower middle one of an even count), with its samples."""
    return sorted(renders, key=lambda r: r.seconds)[(len(renders) - 1) // 2]


@dataclass
class Result:
    page: str
    scenario: str
    cold: Render | None = None
    warm: Render | None = None
    load: str = ""
    error: str = ""

    @property
    def passed(self) -> bool:
        return not self.error and self.cold.seconds <= GOAL_SECONDS and self.warm.seconds <= GOAL_SECONDS


def measure(title: str, page: str, scenario: Scenario, cold_runs: int, warm_runs: int) -> Result:
    result = Result(title, scenario.name)
    try:
        colds = []
        for _ in range(cold_runs):
            at, render = cold_render(page, scenario)
            colds.append(render)
        result.cold = median_render(colds)
        result.warm = median_render([timed_render(at) for _ in range(warm_runs)])
    except RenderError as e:
        result.error = f"exception: {e}"
    result.load = load()
    return result


# ---- browser -----------------------------------------------------------------------------------


def browser_times(home: Path) -> None:
    out = home / "screenshots"
    print(f"\nbrowser (bench/app_screenshots.py, headless Chromium; load {load()} before):")
    # Its own session, so that on a timeout its Streamlit server and Chromium go down with it.
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "bench" / "app_screenshots.py"), "--home", str(home), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=900)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
        print("  app_screenshots.py did not finish within 900 s; stopped")
        return
    for line in output.splitlines():  # passed through as it prints them: its columns are its own
        print(f"  {line}")
    if proc.returncode:
        print(f"  app_screenshots.py exited with {proc.returncode}")
    print(f"  (load {load()} after)")


# ---- main --------------------------------------------------------------------------------------


def output_of(*command: str) -> str:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True).stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, default=Path("/tmp/devzone-bench-app-10y"))
    parser.add_argument(
        "--rebuild", action="store_true", help="delete a home that does not cover the 10 years and build it"
    )
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--warm-runs", type=int, default=5)
    parser.add_argument("--browser", action="store_true", help="also run bench/app_screenshots.py on the home")
    args = parser.parse_args()
    home = args.home.resolve()

    app_changes = ", ".join(output_of("git", "status", "--short", "app/").splitlines()) or "none"
    print(
        f"commit {output_of('git', 'rev-parse', '--short', 'HEAD')}; uncommitted app/ changes (git status --short app/): {app_changes}"
    )
    print(f"uptime: {output_of('uptime')}")
    build_home(home, args.rebuild)
    print_served_tables(home)
    os.environ["DEVZONE_HOME"] = str(home)

    from streamlit.testing.v1 import AppTest

    # Emptying st.cache_data between runs, outside a script run, warns about the missing runtime each time.
    for name in ("streamlit.runtime.caching.cache_data_api", "streamlit.runtime.scriptrunner_utils.script_run_context"):
        logging.getLogger(name).disabled = True
    rendered(AppTest.from_file(str(APP), default_timeout=RENDER_TIMEOUT).run())  # imports the app's modules: not timed
    pages = [(page.script, page.title) for page in app_pages()]
    print(f"\npages in {APP.relative_to(ROOT)}: " + ", ".join(f"{title} ({path})" for path, title in pages))

    results, skipped = [], []
    for path, title in pages:
        for scenario in [DEFAULT, EARLIEST, *HEAVY_SCENARIOS.get(path, [])]:
            try:
                result = measure(title, path, scenario, args.cold_runs, args.warm_runs)
            except NotOnPage as e:
                skipped.append(f"{title} · {scenario.name}: {e}")
                continue
            results.append(result)
            status = result.error or f"cold {result.cold.seconds:.3f} s, warm {result.warm.seconds:.3f} s"
            print(f"  {title} · {scenario.name}: {status} (load {result.load})", flush=True)

    print(
        f"\nserver-side render (AppTest), cold = median of {args.cold_runs} with st.cache_data empty, "
        f"warm = median of {args.warm_runs} cached re-renders; goal {GOAL_SECONDS} s"
    )
    print(f"{cell('page', 10)} {cell('scenario', 34)} {'cold s':>7} {'warm s':>7} {'goal s':>6}  result  load1")
    for r in results:
        cold = "-" if r.cold is None else f"{r.cold.seconds:.3f}"
        warm = "-" if r.warm is None else f"{r.warm.seconds:.3f}"
        print(
            f"{cell(r.page, 10)} {cell(r.scenario, 34)} {cold:>7} {warm:>7} {GOAL_SECONDS:>6.1f}  "
            f"{'pass' if r.passed else 'FAIL'}    {r.load}{'  ' + r.error if r.error else ''}"
        )
    for line in skipped:
        print(f"not applicable: {line}")

    measured = [r for r in results if not r.error]
    names = ["total", *BUCKETS, "other"]
    print(f"\nwhere the median render's time goes (s, from stack samples every {SAMPLE_INTERVAL * 1000:.0f} ms)")
    print(f"{cell('page', 10)} {cell('scenario', 34)} {'run':<5}" + "".join(f"{n:>11}" for n in names))
    for r in measured:
        for run, render in (("cold", r.cold), ("warm", r.warm)):
            seconds = {"total": render.seconds, **render.breakdown()}
            print(
                f"{cell(r.page, 10)} {cell(r.scenario, 34)} {run:<5}" + "".join(f"{seconds[n]:>11.3f}" for n in names)
            )
    for r in measured:
        for run, render in (("cold", r.cold), ("warm", r.warm)):
            if render.seconds > GOAL_SECONDS:
                print(f"\nwhere the samples were, {r.page} · {r.scenario}, {run} ({render.seconds:.3f} s):")
                for line in render.top_functions():
                    print(f"  {line}")

    if args.browser:
        browser_times(home)
    print(f"\nuptime: {output_of('uptime')}")
    failed = [r for r in results if not r.passed]
    print(f"{len(results) - len(failed)} of {len(results)} page scenarios within {GOAL_SECONDS} s")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
