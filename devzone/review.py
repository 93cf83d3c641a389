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


def review_queue(con: duckdb.DuckDBPyConnection, month: str) -> list[dict]:
    """The month's statements that need a person, each with why: the extractor's doubt
    (confidence review, with its reasons) and zones the reference does not know."""
    queue = rows(
        con,
        f"""
        select {", ".join(STATEMENT_COLUMNS)},
            concat_ws('; ',
                case when confidence <> 'high' then 'extractor unsure: ' || coalesce(review_reasons, confidence) end,
                case when starts_with(zone_key, '{UNRESOLVED_ZONE}') then 'zone not in the reference' end
            ) as why
        from rpt_fact_lineage
        where period = ?
            and (confidence <> 'high' or starts_with(zone_key, '{UNRESOLVED_ZONE}'))
        order by city_name nulls first, zone_name nulls first, fact_type, indicator_code, scope, stage, measure
        """,
        [month],
    )
    # one entry per key (a fact stated twice in a document is one decision)
    by_key: dict[str, dict] = {}
    for entry in queue:
        by_key.setdefault(entry["correction_key"], entry)
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
    """Corrections in force whose statement is gone (its report superseded or withdrawn, or no
    statement of the key any more): never applied to another fact, and listed until revoked."""
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
