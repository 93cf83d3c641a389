"""The Data Docs: Great Expectations' static HTML site of the validations, and devzone's plain index.

`build_data_docs` stores a run's validation results in a file-mode GX project (`<folder>/gx/`: the
suites as JSON and every stored result), so the site accumulates, and renders the pages of that
run's results only: re-rendering every stored result on each month made a 10-year backfill
quadratic. GX's own index is not built (it needs scripts from the internet to draw its tables, and
it reads every stored result on each run); `write_offline_index` writes `<folder>/index.html`
instead: one line per stored run and suite, linking GX's pages, without scripts.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import html
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from devzone.quality.engine import engine, quiet_gx
from devzone.quality.results import GateValidation, MonthValidation
from devzone.quality.suites import SUITE_NAMES

if TYPE_CHECKING:  # pragma: no cover
    from great_expectations.data_context.store.store import DataDocsSiteConfigTypedDict

DATA_DOCS_SITE = "devzone_quality"
# The fingerprints of the suite files as last stored in the site (under <folder>/gx/); bump the
# version when build_suite changes what it makes of a file.
SUITE_FINGERPRINTS = "devzone_suite_fingerprints.json"
FINGERPRINT_VERSION = 1


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
    if isinstance(validations, GateValidation):
        runs = validations.documented_runs()
    else:
        if isinstance(validations, MonthValidation):
            validations = [validations]
        runs = [(v.period, v.suite_results) for v in validations]
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
    for name in sorted({name for _, results in runs for name in results}):
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
    for period, results in runs:
        for name, result in results.items():
            run_id = RunIdentifier(run_name=period, run_time=now)
            result = copy.deepcopy(result)
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
    context.build_data_docs(site_names=[DATA_DOCS_SITE], resource_identifiers=keys, build_index=False)
    stored.write_text(json.dumps(fingerprints, indent=1, sort_keys=True), encoding="utf-8")
    return write_offline_index(folder)


def write_offline_index(folder: str | Path) -> Path:
    """`folder/index.html`: every stored run as plain HTML (no scripts), linking GX's pages.

    GX's own index fills its tables with JavaScript loaded from public CDNs and stays empty
    without internet access; its result and suite pages are readable without it.
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
                "run_name": run_name,
                "run_time": run_time,
                "page": f"data_docs/validations/{suite}/{run_name}/{run_time}/{path.stem}.html",
                "suite_page": f"data_docs/expectations/{suite}.html",
                "evaluated": (data.get("statistics") or {}).get("evaluated_expectations", 0),
                "errors": [r for r in failed if severity(r) == "error"],
                "warnings": [r for r in failed if severity(r) != "error"],
            }
        )
    runs.sort(
        key=lambda r: (
            r["run_time"],
            r["run_name"],
            SUITE_NAMES.index(r["suite"]) if r["suite"] in SUITE_NAMES else 99,
        ),
        reverse=True,
    )
    e = html.escape
    rows = []
    for run in runs:
        status = "ERROR" if run["errors"] else ("WARN" if run["warnings"] else "ok")
        failures = "".join(
            f"<li><b>{'ERROR' if r in run['errors'] else 'WARN'}</b> "
            f"{e(str((r['expectation_config'].get('meta') or {}).get('expectation', r['expectation_config'].get('type'))))}"
            f" — {e(str((r['expectation_config'].get('meta') or {}).get('rule', '')))}</li>"
            for r in run["errors"] + run["warnings"]
        )
        rows.append(
            f"<tr class='{status.lower()}'><td>{e(run['run_name'])}</td><td>{e(run['run_time'])}</td>"
            f"<td><a href='{e(run['suite_page'])}'>{e(run['suite'])}</a></td><td>{status}</td>"
            f"<td>{run['evaluated']}</td><td><a href='{e(run['page'])}'>result</a><ul>{failures}</ul></td></tr>"
        )
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>devzone quality runs</title><style>"
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
        "padding:4px 8px;vertical-align:top;text-align:left}tr.error td:nth-child(4){color:#b00;font-weight:bold}"
        "tr.warn td:nth-child(4){color:#a60}ul{margin:0;padding-left:1.2em}</style></head><body>"
        "<h1>devzone quality gate: validation runs</h1>"
        "<p>Each run links to its Great Expectations result page and its suite's page.</p>"
        "<table><tr><th>run</th><th>run time (UTC)</th><th>suite</th><th>status</th><th>expectations</th>"
        "<th>result and failed expectations</th></tr>" + "".join(rows) + "</table></body></html>"
    )
    index = folder / "index.html"
    index.write_text(page, encoding="utf-8")
    return index
