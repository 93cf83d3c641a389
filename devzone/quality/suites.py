"""The suites: `expectations/<suite>.json` read, checked, and built into GX `ExpectationSuite`s, and
the values of their `$PARAMETER`s for a month.

Every expectation carries `meta: {"severity": "error"|"warn", "rule": "<what it checks and why>",
"rule_zh": "<the same in Chinese>"}`;
`build_suite` mirrors the severity into GX's own `severity` field (critical / warning), the rule
into `notes` (both shown by Data Docs) and the expectation's readable id into `meta.expectation`
(carried into each result, to name it). Values that depend on the seeds or on the month are suite
parameters, filled at validation time from `suite_parameters`, so the suites stay
month-independent and are built once per process. GX is imported only by `build_suite`.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devzone import settings

if TYPE_CHECKING:  # pragma: no cover
    from great_expectations.core.expectation_suite import ExpectationSuite

    from devzone.extraction.reference import Reference

EXPECTATIONS_DIR = settings.PROJECT_ROOT / "expectations"
SUITE_NAMES = (
    "extracted_indicator_facts",
    "extracted_pipeline_facts",
    "fct_indicator",
    "fct_project_pipeline",
    "cross_checks",
)
SEVERITIES = {"error": "ERROR", "warn": "WARN"}
GX_SEVERITIES = {"error": "critical", "warn": "warning"}
# A bound compared with a rounded figure gets this much slack (0.01 must pass as 0.01).
BOUND_SLACK = 1e-9


def columns_of(kwargs: Mapping[str, Any]) -> list[str]:
    """The columns an expectation names, in its own order."""
    if "column_list" in kwargs:
        return list(kwargs["column_list"])
    if "column_A" in kwargs:
        return [kwargs["column_A"], kwargs["column_B"]]
    if "column" in kwargs:
        return [kwargs["column"]]
    return []


def check_of(kwargs: Mapping[str, Any]) -> str | None:
    """The cross-check a cross_checks expectation keeps to (its row_condition `check == ...`)."""
    condition = kwargs.get("row_condition")
    if condition is None:
        return None
    if not isinstance(condition, Mapping):
        condition = condition.dict() if hasattr(condition, "dict") else {}
    column = condition.get("column") or {}
    if condition.get("type") == "comparison" and column.get("name") == "check" and condition.get("operator") == "==":
        return condition.get("parameter")
    return None


def readable_ids(expectations: Iterable[Mapping[str, Any]]) -> list[str]:
    """`type(columns)`, prefixed with the cross-check's name; disambiguated by severity when needed."""
    expectations = list(expectations)
    base = []
    for e in expectations:
        kwargs = e.get("kwargs", {})
        label = f"{e['type']}({', '.join(columns_of(kwargs))})" if columns_of(kwargs) else e["type"]
        check = check_of(kwargs)
        base.append(f"{check}: {label}" if check else label)
    ids = []
    for label, e in zip(base, expectations, strict=True):
        if base.count(label) > 1:
            label = f"{label} [{e.get('meta', {}).get('severity', '')}]"
        ids.append(label)
    if len(set(ids)) != len(ids):
        seen: dict[str, int] = {}
        for i, label in enumerate(ids):
            seen[label] = seen.get(label, 0) + 1
            if seen[label] > 1:
                ids[i] = f"{label} #{seen[label]}"
    return ids


# Every expectation states its rule twice: in English for the engineers (README, Data Docs) and in
# Chinese for the managers (数据质量, the bulletin's appendix): both are the suite's, nowhere else.
RULE_KEYS = ("rule", "rule_zh")


def read_suite_json(name: str, folder: str | Path = EXPECTATIONS_DIR) -> dict:
    """A suite's JSON, checked: its name matches the file, every expectation has a severity and a
    rule in English and in Chinese."""
    data = json.loads((Path(folder) / f"{name}.json").read_text(encoding="utf-8"))
    if data.get("name") != name:
        raise ValueError(f"{name}.json: suite name is {data.get('name')!r}")
    for i, e in enumerate(data.get("expectations", [])):
        meta = e.get("meta") or {}
        if meta.get("severity") not in SEVERITIES or not all(str(meta.get(k, "")).strip() for k in RULE_KEYS):
            raise ValueError(
                f"{name}.json: expectation {i} ({e.get('type')}) needs meta.severity error|warn, meta.rule "
                "and meta.rule_zh"
            )
    return data


def build_suite(data: Mapping[str, Any]) -> ExpectationSuite:
    """A GX ExpectationSuite from suite JSON, with severity and rule mirrored into GX's own fields."""
    from devzone.quality.engine import quiet_gx

    quiet_gx()
    from great_expectations.core.expectation_suite import ExpectationSuite

    data = copy.deepcopy(dict(data))
    ids = readable_ids(data.get("expectations", []))
    for e, readable in zip(data.get("expectations", []), ids, strict=True):
        e["meta"]["expectation"] = readable
        e["severity"] = GX_SEVERITIES[e["meta"]["severity"]]
        e.setdefault("notes", f"**{SEVERITIES[e['meta']['severity']]}**: {e['meta']['rule']}")
    return ExpectationSuite(**data)


def load_suites(folder: str | Path = EXPECTATIONS_DIR) -> dict[str, ExpectationSuite]:
    return {name: build_suite(read_suite_json(name, folder)) for name in SUITE_NAMES}


@functools.cache
def dbt_vars() -> dict[str, Any]:
    """The `vars:` of dbt_project.yml: the tolerances the dbt models and the suites share."""
    import yaml

    config = yaml.safe_load((settings.DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return dict(config.get("vars") or {})


def suite_parameters(
    ref: Reference,
    periods: str | Sequence[str],
    zone_codes: Iterable[str] | None = None,
    indicator_codes: Iterable[str] | None = None,
) -> dict[str, Any]:
    """The values of the suites' `$PARAMETER`s for a month or the run's months, from the seeds
    (`ref`), the months and dbt's vars.

    `zone_codes` / `indicator_codes`, when given (the codes present in the frames), narrow
    the zone and indicator lists to the seed's entries for those codes. The checks' outcome is the
    same (a code missing from the seed is missing from the narrowed list too), GX validates faster
    with short lists, and Data Docs show the month's codes only.
    """
    cities = {c.code: c.name for c in ref.cities}
    zones = {z.code: z.city_code for z in ref.zones}
    zone_list = sorted(zones) if zone_codes is None else sorted(set(zone_codes) & set(zones))
    indicator_list = (
        sorted(ref.indicator_by_code)
        if indicator_codes is None
        else sorted(set(indicator_codes) & set(ref.indicator_by_code))
    )
    rate_tolerance = float(dbt_vars()["rate_tolerance_pp"])
    return {
        "partition_periods": [periods] if isinstance(periods, str) else list(periods),
        "city_codes": sorted(cities),
        "city_names": sorted(cities.values()),
        "zone_codes": zone_list,
        "zone_code_city_code_pairs": [[code, zones[code]] for code in zone_list],
        "zone_code_city_name_pairs": [[code, cities[zones[code]]] for code in zone_list if zones[code] in cities],
        "indicator_codes": indicator_list,
        "indicator_unit_pairs": [[code, unit] for code in indicator_list for unit in ref.stated_units(code)],
        "rate_gap_min_pp": -(rate_tolerance + BOUND_SLACK),
        "rate_gap_max_pp": rate_tolerance + BOUND_SLACK,
    }


def rules_markdown(folder: str | Path = EXPECTATIONS_DIR) -> str:
    """The README's tables of rules: one per suite, each expectation with its severity and its rule
    in English and in Chinese."""
    parts = []
    for name in SUITE_NAMES:
        expectations = read_suite_json(name, folder)["expectations"]
        rows = [
            f"| {e['meta']['severity'].upper()} | `{readable}` | {e['meta']['rule'].replace('|', '/')} "
            f"| {e['meta']['rule_zh'].replace('|', '/')} |"
            for e, readable in zip(expectations, readable_ids(expectations), strict=True)
        ]
        parts.append(
            f"**{name}**\n\n| severity | expectation | rule | 规则 |\n|---|---|---|---|\n" + "\n".join(rows) + "\n"
        )
    return "\n".join(parts)
