"""What needs a person, and checking a correction against the warehouse before it is recorded.

Reads the working warehouse (`warehouse.duckdb`, read-only), not the serving file: a month the
gate blocked is not published, and it is the month most in need of a correction. Statements are
rpt_fact_lineage's rows, each with its correction key (dbt_project/macros/correction_key.sql).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from devzone import corrections, settings
from devzone.corrections import Correction, CorrectionError
from devzone.extraction.reference import Reference

STATEMENT_COLUMNS = (
    "correction_key",
    "period",
    "fact_type",
    "file_name",
    "city_name",
    "zone_name",
    "zone_key",
    "indicator_code",
    "basis",
    "scope",
    "stage",
    "measure",
    "value",
    "unit",
    "yoy_pct",
    "confidence",
    "review_reasons",
    "evidence",
)
UNRESOLVED_ZONE = "UNRESOLVED:"  # zone_key of a zone the reference does not know (placed_statements)


class WarehouseBusy(RuntimeError):
    """A run holds the warehouse: try again when it ends."""


def open_warehouse(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    path = path or settings.warehouse_path()
    if not path.exists():
        raise CorrectionError(f"no warehouse at {path}: run a month first (devzone run --month YYYY-MM)")
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise WarehouseBusy(f"a devzone run is writing {path.name}: try again when it ends") from exc
        raise


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def statements(con: duckdb.DuckDBPyConnection, key: str) -> list[dict]:
    """The statements a correction key names (one, or several when a document states one fact twice)."""
    return rows(
        con,
        f"select {', '.join(STATEMENT_COLUMNS)} from rpt_fact_lineage where correction_key = ? order by period, fact_id",
        [key],
    )


def gate_findings(con: duckdb.DuckDBPyConnection, month: str) -> dict[str, list[str]]:
    """Each fact in the failing rows of the month's last validation (raw.check_results.failing_keys,
    written by the gate even when it blocked the month) → the checks it fails, e.g.
    "WARN cross_checks: city_growth: … (stated growth …)". A warning about a fact accepted as
    printed is acknowledged and left out (the rule of dbt's fct_quality_finding, which a blocked
    month does not rebuild)."""
    found = rows(
        con,
        """
        with failing as (
            select suite, expectation, severity, observed_value, unnest(string_split(failing_keys, ',')) as key
            from raw.check_results
            where period = ? and not success and failing_keys is not null
        )
        select failing.*
        from failing
        left join int_corrections on int_corrections.correction_key = failing.key
        where not (failing.severity = 'WARN' and int_corrections.verdict is not distinct from 'accept')
        order by failing.severity, failing.suite, failing.expectation
        """,
        [month],
    )
    by_key: dict[str, list[str]] = {}
    for f in found:
        by_key.setdefault(f["key"], []).append(f"{f['severity']} {f['suite']}: {f['expectation']}")
    return by_key


def review_queue(con: duckdb.DuckDBPyConnection, month: str) -> list[dict]:
    """The month's statements that need a person, one per correction key, each with why: the
    facts in the failing rows of the quality gate (ERROR or WARN, not acknowledged), the
    extractor's doubt (confidence review, with its reasons) and zones the reference does not know
    (these two until a correction of the statement is in force)."""
    findings = gate_findings(con, month)
    queue = rows(
        con,
        f"""
        select {", ".join(STATEMENT_COLUMNS)}, correction_status,
            concat_ws('; ',
                case when confidence <> 'high' then 'extractor unsure: ' || coalesce(review_reasons, confidence) end,
                case when starts_with(zone_key, '{UNRESOLVED_ZONE}') then 'zone not in the reference' end
            ) as doubt
        from rpt_fact_lineage
        where period = ?
            and (
                list_contains(?, correction_key)
                or (
                    correction_status is null
                    and (confidence <> 'high' or starts_with(zone_key, '{UNRESOLVED_ZONE}'))
                )
            )
        order by city_name nulls first, zone_name nulls first, fact_type, indicator_code, scope, stage, measure
        """,
        [month, sorted(findings)],
    )
    # one entry per key (a fact stated twice in a document is one decision)
    by_key: dict[str, dict] = {}
    for entry in queue:
        if entry["correction_key"] in by_key:
            continue
        doubt = entry.pop("doubt")
        if entry["correction_status"] is not None:
            doubt = ""  # a person has decided about the statement
        entry["why"] = "; ".join([*findings.get(entry["correction_key"], []), *([doubt] if doubt else [])])
        by_key[entry["correction_key"]] = entry
    return list(by_key.values())


def checked(
    con: duckdb.DuckDBPyConnection, ref: Reference, key: str, action: str, new, reason: str, by: str | None
) -> Correction:
    """The correction, made against the statement its key names; CorrectionError if it cannot be
    (an unknown key, a city or zone not in the reference, a zone of another city)."""
    found = statements(con, key)
    if not found and action != corrections.REVOKE:
        raise CorrectionError(
            f"no statement has the key {key!r}: copy it from `devzone review --month YYYY-MM` or 溯源"
        )
    if action == corrections.REVOKE and not any(c.key == key for c in corrections.in_force(corrections.read())):
        raise CorrectionError(f"no correction of {key!r} is in force: nothing to revoke")
    target = target_copy(found[0]) if found else {}
    if action == "city":
        city = ref.city_by_name.get(str(new).strip())
        if city is None:
            raise CorrectionError(f"--city {new!r} is not a city of the reference (dbt_project/seeds/cities.csv)")
        new = city.name
    elif action == "zone":
        zone = ref.zone_by_alias.get(str(new).strip())
        if zone is None:
            raise CorrectionError(f"--zone {new!r} is not a zone of the reference (dbt_project/seeds/zones.csv)")
        city = ref.city_by_name.get(target.get("city") or "")
        if city is not None and zone.city_code != city.code:
            raise CorrectionError(
                f"--zone {new!r} lies in {ref.city_by_code[zone.city_code].name}, not in {city.name}: "
                "correct the city first (--city)"
            )
        new = zone.name
    return corrections.make(key, action, reason, by, new, target)


BASES = ("actual", "target")


def added(
    con: duckdb.DuckDBPyConnection,
    ref: Reference,
    month: str,
    city: str,
    zone: str | None,
    metric: str,
    value,
    yoy,
    basis: str,
    document: str,
    evidence: str | None,
    reason: str,
    by: str | None,
) -> Correction:
    """A fact the extractor missed, made against the month's documents and the reference;
    CorrectionError if it cannot be (a city, zone or indicator not in the reference, a document
    that is not a current document of the month, a sentence not in it, a fact the extractor has)."""
    place = ref.city_by_name.get(city.strip())
    if place is None:
        raise CorrectionError(f"--city {city!r} is not a city of the reference (dbt_project/seeds/cities.csv)")
    zone_ref = None
    if zone:
        zone_ref = ref.zone_by_alias.get(zone.strip())
        if zone_ref is None:
            raise CorrectionError(f"--zone {zone!r} is not a zone of the reference (dbt_project/seeds/zones.csv)")
        if zone_ref.city_code != place.code:
            raise CorrectionError(
                f"--zone {zone!r} lies in {ref.city_by_code[zone_ref.city_code].name}, not in {place.name}"
            )
    indicator = ref.indicator_by_code.get(metric.strip()) or next(
        (i for i in ref.indicators if metric.strip() in (i.name, *i.synonyms)), None
    )
    if indicator is None:
        raise CorrectionError(
            f"--metric {metric!r} is not an indicator of the reference (a code or a name of "
            "dbt_project/seeds/indicators.csv); campaign (三个一批) facts cannot be added yet"
        )
    if basis not in BASES:
        raise CorrectionError(f"--basis must be one of {', '.join(BASES)}, got {basis!r}")
    name = Path(document).name
    found = rows(
        con,
        "select document_id, file_name, normalised_text, raw_text from stg_documents where period = ? and file_name = ?",
        [month, name],
    )
    if not found:
        names = [
            r["file_name"]
            for r in rows(con, "select file_name from stg_documents where period = ? order by 1", [month])
        ]
        raise CorrectionError(
            f"--document {name!r} is not a current document of {month} in the last run: one of "
            + (", ".join(names) if names else f"none (run {month} first)")
        )
    doc = found[0]
    if evidence and not any(evidence.strip() in (doc[t] or "") for t in ("normalised_text", "raw_text")):
        raise CorrectionError(f"--evidence is not a sentence of {name}: quote it as the document writes it")
    extracted = rows(
        con,
        "select correction_key from rpt_fact_lineage where fact_type = 'indicator' and document_id = ? "
        "and city_name = ? and zone_key is not distinct from ? and indicator_code = ? and basis = ? "
        "and correction_status is distinct from 'added'",
        [doc["document_id"], place.name, zone_ref.code if zone_ref else None, indicator.code, basis],
    )
    if extracted:
        raise CorrectionError(
            f"{name} already has this fact (key {extracted[0]['correction_key']}): correct it with devzone correct"
        )
    yoy_pct = None if yoy is None else corrections.number(yoy, "--yoy")
    key = corrections.added_key(
        doc["document_id"], place.name, zone_ref.code if zone_ref else None, indicator.code, basis
    )
    target = {
        "period": month,
        "fact_type": "indicator",
        "file_name": doc["file_name"],
        "document_id": doc["document_id"],
        "city": place.name,
        "zone": zone_ref.name if zone_ref else None,
        "zone_code": zone_ref.code if zone_ref else None,
        "metric": indicator.code,
        "basis": basis,
        "value": None,
        "unit": indicator.unit,
        "yoy_pct": yoy_pct,
        "evidence": evidence.strip() if evidence else None,
    }
    return corrections.make(key, corrections.ADD, reason, by, value, target)


def metric_of(statement: dict) -> str:
    """What a statement measures: its indicator, or the campaign's scope/stage/measure."""
    return statement["indicator_code"] or "/".join(
        str(statement[k]) for k in ("scope", "stage", "measure") if statement[k]
    )


def target_copy(statement: dict) -> dict:
    """What a correction keeps of the statement it corrects, to be read without the warehouse."""
    return {
        "period": statement["period"],
        "fact_type": statement["fact_type"],
        "file_name": statement["file_name"],
        "city": statement["city_name"],
        "zone": statement["zone_name"],
        "metric": metric_of(statement),
        "basis": statement["basis"],
        "value": statement["value"],
        "unit": statement["unit"],
        "yoy_pct": statement["yoy_pct"],
        "evidence": statement["evidence"],
    }


def orphaned(con: duckdb.DuckDBPyConnection, in_force: list[Correction]) -> list[Correction]:
    """Corrections in force, loaded by the last run, whose statement is gone (its report
    superseded or withdrawn, or no statement of the key any more): never applied to another fact,
    and listed until revoked."""
    # a correction the last run did not load is pending, not orphaned (an added fact is in no
    # statement until its month runs)
    loaded = {i for (i,) in con.execute("select correction_id from raw.corrections").fetchall()}
    in_force = [c for c in in_force if c.correction_id in loaded]
    keys = sorted({c.key for c in in_force})
    if not keys:
        return []
    present = {
        k
        for (k,) in con.execute(
            "select distinct correction_key from rpt_fact_lineage where list_contains(?, correction_key)", [keys]
        ).fetchall()
    }
    return [c for c in in_force if c.key not in present]
