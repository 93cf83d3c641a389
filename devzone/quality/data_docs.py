"""The Data Docs: Great Expectations' static HTML site of the validations, and devzone's plain index.

`build_data_docs` stores a run's validation results in a file-mode GX project (`<folder>/gx/`: the
suites as JSON and every stored result), so the site accumulates, and renders the pages of that
run's results only: re-rendering every stored result on each month made a 10-year backfill
quadratic. A failing expectation's rows show as a table of the gate's sample (`failing_rows`:
Chinese column names, city and zone names, the value, the sentence; app/labels.py's words), not as
GX's row indexes and values (True/False for a cross-check). The pages rendered are then made to open offline (`offline_site`: the static files
they load from CDNs served from the site, the Home link pointed at devzone's index). GX's own index
is not built (it reads every stored result on each run); `write_offline_index` writes
`<folder>/index.html` instead: a section per month (or range of months) validated, a line per
validation and suite, linking GX's pages, without scripts.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import hashlib
import html
import importlib.util
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from devzone import settings
from devzone.quality.engine import engine, quiet_gx, result_expectation_id
from devzone.quality.gate import WINDOW_SEPARATOR
from devzone.quality.offline_site import make_offline
from devzone.quality.results import CheckResult, GateValidation, MonthValidation
from devzone.quality.suites import SUITE_NAMES

if TYPE_CHECKING:  # pragma: no cover
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResult
    from great_expectations.data_context.store.store import DataDocsSiteConfigTypedDict

DATA_DOCS_SITE = "devzone_quality"
# The fingerprints of the suite files as last stored in the site (under <folder>/gx/); bump the
# version when build_suite changes what it makes of a file.
SUITE_FINGERPRINTS = "devzone_suite_fingerprints.json"
FINGERPRINT_VERSION = 1
# The failing rows a window's page lists for an expectation (each month's sample, months in order).
WINDOW_SAMPLE_ROWS = 20
# GX's details of the failing rows: row indexes, values (True/False for a cross-check), counts of
# values and the pandas code that finds them. A failing result's page shows the gate's sample instead.
ROW_DETAILS = (
    "partial_unexpected_list",
    "partial_unexpected_counts",
    "partial_unexpected_index_list",
    "unexpected_list",
    "unexpected_index_list",
    "unexpected_index_query",
    "unexpected_index_column_names",
)
FAILING_ROWS = "failing_rows"  # the stored result's readable rows (Chinese column names)
MARKER = "devzone_failing_rows_"  # GX renders it as a one-cell table, which `failing_rows_html` replaces

# (suite, expectation id) → (failing rows, the sample: rows as the gate lists them)
Samples = dict[tuple[str, str], tuple[int, list[dict]]]


def build_data_docs(
    validations: GateValidation | MonthValidation | Iterable[MonthValidation], folder: str | Path
) -> Path:
    """Render the Data Docs pages of `validations` (a gate's over its window, one month's, or
    several months') into `folder`; returns the index."""
    quiet_gx()
    import great_expectations as gx
    from great_expectations.core.expectation_suite import ExpectationSuite
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import ProgressBarsConfig
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    quiet_gx()
    runs = documented_runs(validations)
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    site_dir = folder / "data_docs"
    context = gx.get_context(mode="file", project_root_dir=str(folder))
    context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    # GX's DataDocsSiteConfigTypedDict is incomplete (its own note says so): SiteBuilder takes
    # show_how_to_buttons, which the TypedDict does not list.
    site_config: DataDocsSiteConfigTypedDict = {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,  # type: ignore[typeddict-unknown-key]
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
    }
    if DATA_DOCS_SITE in (context.config.data_docs_sites or {}):
        context.update_data_docs_site(DATA_DOCS_SITE, site_config)
    else:
        context.add_data_docs_site(DATA_DOCS_SITE, site_config)

    # A suite is stored and its page rendered when it changed since the last build (GX's
    # add_or_update compares every expectation with every stored one: seconds per run otherwise).
    gx_engine = engine()
    stored = folder / "gx" / SUITE_FINGERPRINTS
    fingerprints = json.loads(stored.read_text(encoding="utf-8")) if stored.is_file() else {}
    now = dt.datetime.now(dt.UTC)
    keys: list = []
    for name in sorted({name for _, results, _ in runs for name in results}):
        suite = gx_engine.suites.get(name)
        if suite is None:
            continue
        source = gx_engine.folder / f"{name}.json"
        fingerprint = hashlib.sha256(f"{FINGERPRINT_VERSION}:".encode() + source.read_bytes()).hexdigest()
        if fingerprints.get(name) == fingerprint and (site_dir / "expectations" / f"{name}.html").is_file():
            continue
        # A copy without the suite's id (the project's store gives the stored suite its own).
        stored_suite = ExpectationSuite(
            name=suite.name,
            expectations=[e.configuration for e in suite.expectations],
            suite_parameters=copy.deepcopy(suite.suite_parameters),
            meta=copy.deepcopy(suite.meta),
            notes=copy.deepcopy(suite.notes),
        )
        context.suites.add_or_update(stored_suite)
        keys.append(ExpectationSuiteIdentifier(name=name))
        fingerprints[name] = fingerprint
    words = sample_words()
    tables: dict[Any, dict[str, str]] = {}  # a result's key → its marker → its table of failing rows
    for period, results, samples in runs:
        for name, result in results.items():
            run_id = RunIdentifier(run_name=period, run_time=now)
            result = copy.deepcopy(result)
            page_tables = readable_failures(name, result, samples, words, start=sum(map(len, tables.values())))
            result.meta["run_id"] = run_id
            # GX's ExpectationSuiteValidationResultMeta TypedDict is wrong for these two: GX's own
            # ValidationDefinition.run stores run_id.run_time (a datetime) as validation_time, and
            # GX's page renderer reads batch_kwargs (the data asset name it shows), which it omits.
            result.meta["validation_time"] = now  # type: ignore[arg-type]
            result.meta["batch_kwargs"] = {"data_asset_name": f"{name} {period}"}  # type: ignore[typeddict-unknown-key]
            key = ValidationResultIdentifier(
                expectation_suite_identifier=ExpectationSuiteIdentifier(name=name),
                run_id=run_id,
                batch_identifier=f"{name}-{period}",
            )
            context.validation_results_store.set(key, result)
            keys.append(key)
            if page_tables:
                tables[key] = page_tables
    context.build_data_docs(site_names=[DATA_DOCS_SITE], resource_identifiers=keys, build_index=False)
    for key, page_tables in tables.items():
        page = page_path(site_dir, key)
        page.write_text(with_failing_rows(page.read_text(encoding="utf-8"), page_tables), encoding="utf-8")
    stored.write_text(json.dumps(fingerprints, indent=1, sort_keys=True), encoding="utf-8")
    index = write_offline_index(folder)
    make_offline(site_dir, [page_path(site_dir, key) for key in keys], index)
    return index


def documented_runs(
    validations: GateValidation | MonthValidation | Iterable[MonthValidation],
) -> list[tuple[str, dict[str, ExpectationSuiteValidationResult], Samples]]:
    """The validations the Data Docs show (a gate's: `GateValidation.documented_runs`), each with
    the gate's samples of its failing rows: a month's own, or (the window of several months) each
    month's in turn, its rows marked with their month, up to WINDOW_SAMPLE_ROWS."""
    if isinstance(validations, MonthValidation):
        validations = [validations]
    if not isinstance(validations, GateValidation):
        return [(v.period, v.suite_results, month_samples(v.checks)) for v in validations]
    by_period = {m.period: m for m in validations.months}
    runs = []
    for period, results in validations.documented_runs():
        if period in by_period:
            runs.append((period, results, month_samples(by_period[period].checks)))
        else:
            runs.append((period, results, window_samples(validations.months)))
    return runs


def month_samples(checks: Iterable[CheckResult]) -> Samples:
    return {(c.suite, c.expectation): (c.failing_count, c.failing_sample) for c in checks if not c.success}


def window_samples(months: Iterable[MonthValidation]) -> Samples:
    samples: Samples = {}
    for month in sorted(months, key=lambda m: m.period):
        for (suite, expectation), (count, rows) in month_samples(month.checks).items():
            total, listed = samples.get((suite, expectation), (0, []))
            room = WINDOW_SAMPLE_ROWS - len(listed)
            dated = [row if "period" in row else {"period": month.period, **row} for row in rows[: max(room, 0)]]
            samples[(suite, expectation)] = (total + count, listed + dated)
    return samples


@functools.cache
def app_labels() -> ModuleType:
    """app/labels.py, the managers' words the app uses (one place for each label)."""
    spec = importlib.util.spec_from_file_location("devzone_app_labels", settings.PROJECT_ROOT / "app" / "labels.py")
    assert spec is not None and spec.loader is not None, "app/labels.py is part of the project"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sample_words() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(indicator code → name, city code → name, zone code → name) of the reference."""
    from devzone.extraction.reference import load_reference

    ref = load_reference()
    return (
        {i.code: i.name for i in ref.indicators},
        {c.code: c.name for c in ref.cities},
        {z.code: z.name for z in ref.zones},
    )


def readable_failures(
    suite: str,
    result: Any,
    samples: Samples,
    words: tuple[Mapping[str, str], Mapping[str, str], Mapping[str, str]],
    start: int = 0,
) -> dict[str, str]:
    """Replace GX's details of each failing expectation's rows in `result` (a suite's validation
    result, changed in place) by the gate's sample, readable (`FAILING_ROWS`), and a marker that GX
    renders in place of its table of indexes and values; returns each marker's table (HTML)."""
    tables: dict[str, str] = {}
    for item in result.results:
        details = item.result or {}
        if item.success or not any(details.get(k) for k in ROW_DETAILS):
            continue
        count, rows = samples.get((suite, result_expectation_id(item) or ""), (0, []))
        readable = app_labels().readable_sample(rows, *words)
        details = {k: v for k, v in details.items() if k not in ROW_DETAILS}
        if readable:
            marker = f"{MARKER}{start + len(tables)}"
            details["partial_unexpected_list"] = [marker]  # GX draws a one-cell table of it
            details[FAILING_ROWS] = readable
            tables[marker] = failing_rows_html(readable, max(count, len(readable)))
        item.result = details
    return tables


def cell(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return html.escape(str(value))


def failing_rows_html(rows: list[dict], count: int) -> str:
    """A failing expectation's rows as a table: the columns of every row, in order, Chinese names."""
    columns = list(dict.fromkeys(c for row in rows for c in row))
    shown = f"共 {count} 行未通过" + (f"，列出 {len(rows)} 行" if count > len(rows) else "")
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(row.get(c))}</td>" for c in columns) + "</tr>" for row in rows)
    return (
        f'<p class="mt-3 mb-1">未通过的行（{shown}）：</p>'
        f'<table class="table-bordered table-sm devzone-failing-rows"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def with_failing_rows(page: str, tables: Mapping[str, str]) -> str:
    """A result page with each marker's one-cell table (GX's) replaced by its table of failing rows."""
    for marker, table in tables.items():
        at = re.search(rf">\s*{re.escape(marker)}\s*<", page)
        if at is None:
            continue
        begin, end = page.rfind("<table", 0, at.start()), page.find("</table>", at.end())
        if begin < 0 or end < 0:
            continue
        page = page[:begin] + table + page[end + len("</table>") :]
    return page


def page_path(site_dir: Path, key) -> Path:
    """The page GX renders for a suite's or a validation result's key (its store's layout)."""
    folder = "validations" if hasattr(key, "run_id") else "expectations"
    *parents, name = key.to_tuple()
    return site_dir.joinpath(folder, *parents, f"{name}.html")


def month_order(run_name: str) -> tuple[str, str]:
    """Sort key of a validation's month ("2023-06") or range ("2021-01…2030-12"): by its last month,
    then its first (newest first, a month before a range that ends in it)."""
    first, _, last = run_name.partition(WINDOW_SEPARATOR)
    return (last or first, first)


def readable_time(run_time: str) -> str:
    """GX's run time (20231129T201229.565007Z) as 2023-11-29 20:12:29."""
    found = re.fullmatch(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z", run_time)
    return "{}-{}-{} {}:{}:{}".format(*found.groups()) if found else run_time


def write_offline_index(folder: str | Path) -> Path:
    """`folder/index.html`: every stored validation as plain HTML (no scripts), a section per month
    (or range of months, a backfill's) validated, newest first, each validation of a suite a line
    with its status and failed expectations, linking GX's result and suite pages.

    GX's own index reads every stored result on each run and fills its tables with JavaScript.
    """
    folder = Path(folder)
    store = folder / "gx" / "uncommitted" / "validations"
    runs = []
    for path in store.glob("*/*/*/*.json"):
        suite, run_name, run_time = path.parts[-4:-1]
        data = json.loads(path.read_text(encoding="utf-8"))
        failed = [r for r in data.get("results", []) if not r.get("success")]
        severity = lambda r: (r.get("expectation_config", {}).get("meta") or {}).get("severity")  # noqa: E731
        runs.append(
            {
                "suite": suite,
                "month": run_name,  # GX's run name: the month, or the range of a backfill
                "run_time": run_time,
                "page": f"data_docs/validations/{suite}/{run_name}/{run_time}/{path.stem}.html",
                "suite_page": f"data_docs/expectations/{suite}.html",
                "evaluated": (data.get("statistics") or {}).get("evaluated_expectations", 0),
                "errors": [r for r in failed if severity(r) == "error"],
                "warnings": [r for r in failed if severity(r) != "error"],
            }
        )
    by_month: dict[str, list[dict]] = {}
    for run in runs:
        by_month.setdefault(run["month"], []).append(run)
    months = sorted(by_month, key=month_order, reverse=True)
    e = html.escape
    sections = []
    for month in months:
        items = sorted(
            by_month[month],
            key=lambda r: (
                r["run_time"],
                -(SUITE_NAMES.index(r["suite"]) if r["suite"] in SUITE_NAMES else 99),
                r["suite"],
            ),
            reverse=True,
        )
        rows = []
        for run in items:
            status = "ERROR" if run["errors"] else ("WARN" if run["warnings"] else "ok")
            failures = "".join(
                f"<li><b>{'ERROR' if r in run['errors'] else 'WARN'}</b> "
                f"{e(str((r['expectation_config'].get('meta') or {}).get('expectation', r['expectation_config'].get('type'))))}"
                f" — {e(str((r['expectation_config'].get('meta') or {}).get('rule', '')))}</li>"
                for r in run["errors"] + run["warnings"]
            )
            rows.append(
                f"<tr class='{status.lower()}'><td>{e(readable_time(run['run_time']))}</td>"
                f"<td><a href='{e(run['suite_page'])}'>{e(run['suite'])}</a></td><td>{status}</td>"
                f"<td>{run['evaluated']}</td><td><a href='{e(run['page'])}'>result</a><ul>{failures}</ul></td></tr>"
            )
        label = "months" if WINDOW_SEPARATOR in month else "month"
        sections.append(
            f"<section id='month-{e(month)}'><h2>月份 {label} {e(month)}</h2>"
            "<table><tr><th>validated (UTC)</th><th>suite</th><th>status</th><th>expectations</th>"
            "<th>result and failed expectations</th></tr>" + "".join(rows) + "</table></section>"
        )
    contents = " · ".join(f"<a href='#month-{e(m)}'>{e(m)}</a>" for m in months)
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>devzone 数据质量 quality gate</title><style>"
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
        "padding:4px 8px;vertical-align:top;text-align:left}tr.error td:nth-child(3){color:#b00;font-weight:bold}"
        "tr.warn td:nth-child(3){color:#a60}ul{margin:0;padding-left:1.2em}section{margin-top:1.5em}</style></head>"
        "<body><h1>devzone 数据质量 quality gate: validations by month</h1>"
        "<p>A section per month validated (a backfill's validation is named by its range of months), newest "
        "first; each line links to the Great Expectations result page and its suite's page.</p>"
        f"<p>月份 month: {contents or 'none validated yet'}</p>" + "".join(sections) + "</body></html>"
    )
    index = folder / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
