"""Corrections applied by the pipeline: recorded with `devzone correct`, loaded by the asset
corrections_journal, applied in dbt between the extracted statements and the marts, and applied
again after the warehouse is deleted, because the journal lives beside it."""

from __future__ import annotations

import json

import duckdb

from devzone import corrections
from orchestration import runner
from orchestration.cli import main

MONTH = "2023-06"


def queue(capsys) -> list[dict]:
    assert main(["review", "--month", MONTH, "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def served_month(home) -> tuple[list[tuple], list[tuple]]:
    con = duckdb.connect(str(home / "serving.duckdb"), read_only=True)
    try:
        facts = con.execute(
            "select * exclude (indicator_fact_key) from fct_indicator where period = ? order by all", [MONTH]
        ).fetchall()
        lineage = con.execute(
            "select correction_key, correction_status, value, original_value, yoy_pct, original_yoy_pct, "
            "correction_notes, is_selected from rpt_fact_lineage where period = ? order by all",
            [MONTH],
        ).fetchall()
    finally:
        con.close()
    return facts, lineage


def test_corrections_reach_the_served_marts_and_survive_a_deleted_warehouse(home_copy, capsys):
    home = home_copy
    indicators = [e for e in queue(capsys) if e["kind"] == "statement" and e["fact_type"] == "indicator"]
    with_growth = [e for e in indicators if e["yoy_pct"] is not None]
    value_fix, growth_fix = with_growth[0], with_growth[1]
    rejected = next(
        e for e in indicators if e["correction_key"] not in {value_fix["correction_key"], growth_fix["correction_key"]}
    )
    new_value = round(value_fix["value"] + 1.25, 2)
    assert (
        main(
            ["correct", value_fix["correction_key"], "--value", str(new_value), "--reason", "表格错位", "--by", "张工"]
        )
        == 0
    )
    assert (
        main(["correct", growth_fix["correction_key"], "--yoy", str(-growth_fix["yoy_pct"]), "--reason", "负号漏印"])
        == 0
    )
    assert main(["correct", rejected["correction_key"], "--reject", "--reason", "不是事实"]) == 0
    # a correction made and revoked leaves no trace in the marts
    assert main(["correct", rejected["correction_key"], "--accept", "--reason", "x"]) == 0
    assert main(["correct", rejected["correction_key"], "--revoke", "--reason", "记错了"]) == 0
    assert main(["correct", rejected["correction_key"], "--reject", "--reason", "不是事实"]) == 0
    capsys.readouterr()

    assert runner.run_months([MONTH]).success
    con = duckdb.connect(str(home / "serving.duckdb"), read_only=True)
    by_key = {
        key: (status, value, original, yoy, original_yoy, notes, selected)
        for key, status, value, original, yoy, original_yoy, notes, selected in con.execute(
            "select correction_key, correction_status, value, original_value, yoy_pct, original_yoy_pct, "
            "correction_notes, is_selected from rpt_fact_lineage where period = ?",
            [MONTH],
        ).fetchall()
    }
    corrected = con.execute(
        "select zone_name, indicator_code, value, original_value, yoy_pct, original_yoy_pct, correction_notes "
        "from fct_indicator where period = ? and is_corrected order by all",
        [MONTH],
    ).fetchall()
    rejected_served = con.execute(
        "select count(*) from fct_indicator where period = ? and fact_id in "
        "(select fact_id from rpt_fact_lineage where correction_key = ?)",
        [MONTH, rejected["correction_key"]],
    ).fetchone()[0]
    con.close()

    status, value, original, *_, notes, _ = by_key[value_fix["correction_key"]]
    assert (status, value, original) == ("corrected", new_value, value_fix["value"])
    assert "表格错位" in notes and "张工" in notes
    status, _, _, yoy, original_yoy, _, _ = by_key[growth_fix["correction_key"]]
    assert (status, yoy, original_yoy) == ("corrected", -growth_fix["yoy_pct"], growth_fix["yoy_pct"])
    status, *_, selected = by_key[rejected["correction_key"]]
    assert status == "rejected" and selected is False and rejected_served == 0
    assert (value_fix["zone_name"], value_fix["indicator_code"], new_value, value_fix["value"]) in [
        c[:4] for c in corrected
    ]
    assert len(corrected) == 2

    # what dbt holds in force is what the command line lists
    warehouse = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    in_dbt = sorted(warehouse.execute("select correction_key, correction_ids from int_corrections").fetchall())
    warehouse.close()
    listed = corrections.in_force(corrections.read())
    assert in_dbt == sorted(
        (key, ",".join(c.correction_id for c in listed if c.key == key)) for key in {c.key for c in listed}
    )

    before = served_month(home)
    (home / "warehouse.duckdb").unlink()
    assert runner.run_months([MONTH]).success
    assert served_month(home) == before
