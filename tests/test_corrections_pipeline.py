"""Corrections applied by the pipeline: recorded with `devzone correct`, loaded by the asset
corrections_journal, applied in dbt between the extracted statements and the marts, and applied
again after the warehouse is deleted, because the journal lives beside it."""

from __future__ import annotations

import json
import os
import shutil

import duckdb
from conftest import SEED_REPORT

from devzone import corrections
from orchestration import runner
from orchestration.cli import main

MONTH = "2023-06"


def queue(capsys) -> list[dict]:
    assert main(["review", "--month", MONTH, "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def served_month(home) -> dict[str, list[tuple]]:
    """The month's rows of the served marts, lineage, quality results and corrections."""
    con = duckdb.connect(str(home / "serving.duckdb"), read_only=True)
    try:
        return {
            table: con.execute(f"select * {exclude} from {table} where period = ? order by all", [MONTH]).fetchall()
            for table, exclude in (
                ("fct_indicator", ""),
                ("fct_project_pipeline", ""),
                ("rpt_fact_lineage", ""),
                ("rpt_corrections", ""),
                ("fct_quality_result", "exclude (run_id)"),
                ("fct_quality_finding", ""),
            )
        }
    finally:
        con.close()


def lineage(home, key: str) -> tuple:
    return served(
        home,
        "select correction_status, value, original_value, yoy_pct, original_yoy_pct, correction_notes, is_selected "
        "from rpt_fact_lineage where period = ? and correction_key = ?",
        [MONTH, key],
    )[0]


def test_corrections_reach_the_served_marts_and_a_rerun_or_a_rebuilt_warehouse_gives_the_same(
    corrected_home, home_copy
):
    """`corrected_home` (conftest) recorded decisions about 2023-06 with the command line and ran the
    month: the served lineage and marts carry them. The same reports and journal run again in
    another copy of the session's home give the same marts, and so does a deleted warehouse."""
    folder, decided = corrected_home
    value, growth, rejected = decided["value"], decided["yoy"], decided["rejected"]
    status, new, original, *_, notes, _ = lineage(folder, value["correction_key"])
    assert (status, new, original) == ("corrected", value["new"], value["value"])
    assert value["reason"] in notes and value["by"] in notes
    status, _, _, yoy, original_yoy, _, _ = lineage(folder, growth["correction_key"])
    assert (status, yoy, original_yoy) == ("corrected", growth["new"], growth["yoy_pct"])
    status, *_, selected = lineage(folder, rejected["correction_key"])
    assert status == "rejected" and selected is False
    assert not served(
        folder,
        "select 1 from fct_indicator where period = ? and correction_key = ?",
        [MONTH, rejected["correction_key"]],
    )
    assert served(
        folder,
        "select zone_name, indicator_code, value, original_value, is_corrected from fct_indicator "
        "where period = ? and correction_key = ?",
        [MONTH, value["correction_key"]],
    ) == [(value["zone_name"], value["indicator_code"], value["new"], value["value"], True)]
    added = decided["added"]
    assert served(
        folder,
        "select value, yoy_pct, is_added from fct_indicator where period = ? and city_name = ? "
        "and zone_key is null and indicator_code = ? and basis = 'actual'",
        [MONTH, added["city_name"], added["indicator_code"]],
    ) == [(added["value"], added["yoy_pct"], True)]

    before = served_month(folder)
    shutil.copytree(folder / "corrections", home_copy / "corrections")
    assert runner.run_months([MONTH]).success  # the same reports and journal again: the same marts
    assert served_month(home_copy) == before
    # what dbt holds in force is what the command line lists
    warehouse = duckdb.connect(str(home_copy / "warehouse.duckdb"), read_only=True)
    in_dbt = sorted(warehouse.execute("select correction_key, correction_ids from int_corrections").fetchall())
    warehouse.close()
    listed = corrections.in_force(corrections.read())
    assert in_dbt == sorted(
        (key, ",".join(c.correction_id for c in listed if c.key == key)) for key in {c.key for c in listed}
    )
    (home_copy / "warehouse.duckdb").unlink()
    assert runner.run_months([MONTH]).success  # a rebuilt warehouse: every correction applies again
    assert served_month(home_copy) == before


def served(home, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(home / "serving.duckdb"), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


REPORT = "jinzhong_2023-06.txt"
# Our own report in the genre's shapes: a zone's 固定资产投资 printed ten times too large.
SLIPPED = """全省开发区

晋中市开发区

1-6月，全市开发区完成固定资产投资45.20亿元，同比增长6.1%。其中，晋中经开区完成固定资产投资128.60亿元，同比增长8.2%；榆社经开区完成固定资产投资3.15亿元，同比增长4.0%。
"""
REISSUED = SLIPPED.replace("晋中市开发区\n", "晋中市开发区（更正）\n").replace("128.60", "12.86")


def served_other_rows(home) -> dict[str, list[tuple]]:
    """The served fact marts without the 2023-06 rows of the reports the test files (Jinzhong's,
    and the seed's: Shuozhou, Datong and the province)."""
    return {
        table: served(
            home,
            f"select * exclude ({key}) from {table} where not (period = ? and "
            "coalesce(city_name, '全省') in ('晋中市', '朔州市', '大同市', '全省')) order by all",
            [MONTH],
        )
        for table, key in (("fct_indicator", "indicator_fact_key"), ("fct_project_pipeline", "pipeline_fact_key"))
    }


def check_the_seed_before(entries: list[dict]) -> str:
    """The seed prints Shuozhou's 工业投资 as 同比增长27.4% while its five zones imply -27.43%: the
    gate's city-growth warning puts the statement in the review queue. Its key."""
    growth = [
        e
        for e in entries
        if (e["city_name"], e["zone_name"], e["indicator_code"]) == ("朔州市", None, "industrial_investment")
    ]
    assert len(growth) == 1, entries
    assert growth[0]["yoy_pct"] == 27.4 and "city_growth" in growth[0]["why"] and "WARN" in growth[0]["why"]
    assert "同比增长27.4%" in growth[0]["evidence"]
    return growth[0]["correction_key"]


SEED_ADD = [
    "add", "--month", MONTH, "--city", "朔州", "--metric", "固定资产投资", "--value", "88.5", "--yoy", "3.2",
    "--document", SEED_REPORT.name, "--reason", "附表中有，正文漏读", "--by", "王工",
]  # fmt: skip


def check_the_seed_after(home, key: str, entries: list[dict]) -> None:
    """A growth correction clears the warning, and the served marts and lineage say who corrected
    what and why; the added fact is in the marts."""
    assert served(
        home,
        "select yoy_pct, original_yoy_pct, is_corrected, correction_notes like '%负号漏印%李工%' from fct_indicator "
        "where period = ? and city_name = '朔州市' and zone_key is null and indicator_code = 'industrial_investment'",
        [MONTH],
    ) == [(-27.4, 27.4, True, True)]
    city_growth = served(
        home,
        "select status, coalesce(failing_keys, '') from fct_quality_result where period = ? "
        "and expectation_name like 'city_growth:%'",
        [MONTH],
    )
    assert len(city_growth) == 2 and not [r for r in city_growth if key in r[1]]  # no longer fails for it
    [(status, yoy, original_yoy, notes)] = served(
        home,
        "select correction_status, yoy_pct, original_yoy_pct, correction_notes from rpt_fact_lineage "
        "where correction_key = ?",
        [key],
    )
    assert (status, yoy, original_yoy) == ("corrected", -27.4, 27.4) and "李工" in notes and "负号漏印" in notes
    assert served(
        home,
        "select value, yoy_pct, is_added, is_corrected, evidence from fct_indicator "
        "where period = ? and city_name = '朔州市' and zone_key is null and indicator_code = 'fixed_asset_investment'",
        [MONTH],
    ) == [(88.5, 3.2, True, False, "（人工补录：附表中有，正文漏读，王工）")]
    assert key not in {e["correction_key"] for e in entries}


def test_a_zone_above_its_city_blocks_the_month_until_corrected_the_seeds_lost_sign_is_corrected_and_a_reissue_orphans_the_fix(
    home_copy, capsys
):
    """Two reports filed in 2023-06 beside the samples' (one run of the month serves both stories):
    our own report with a zone's figure ten times too large, and the seed with its lost minus sign."""
    home = home_copy
    with_seed = SEED_REPORT.exists()  # ../shared/seeds beside the project (CI has it)
    before = served_other_rows(home)
    served_before = (home / "serving.duckdb").read_bytes()
    (home / "landing" / MONTH / REPORT).write_text(SLIPPED, encoding="utf-8")
    if with_seed:
        shutil.copy2(SEED_REPORT, home / "landing" / MONTH / SEED_REPORT.name)

    assert not runner.run_months([MONTH]).success
    assert (home / "serving.duckdb").read_bytes() == served_before  # a blocked month publishes nothing
    listed = [e for e in queue(capsys) if e["kind"] == "statement"]
    if with_seed:
        seed_key = check_the_seed_before(listed)
        assert (
            main(
                ["correct", seed_key, "--yoy", "-27.4", "--reason", "五个开发区合计为-27.43%，负号漏印", "--by", "李工"]
            )
            == 0
        )
        assert main(SEED_ADD) == 0
    entries = {e["zone_name"]: e for e in listed if e["city_name"] == "晋中市"}
    assert "ERROR cross_checks: zone_within_city" in entries["晋中经开区"]["why"]
    assert "ERROR cross_checks: zone_within_city" in entries[None]["why"]  # the city total is the other side
    assert "榆社经开区" not in entries
    zone_key = entries["晋中经开区"]["correction_key"]
    assert main(["correct", zone_key, "--value", "12.86", "--reason", "小数点错位，见附表", "--by", "赵工"]) == 0
    capsys.readouterr()

    assert runner.run_months([MONTH]).success
    assert served_other_rows(home) == before  # nothing else changes
    assert served(
        home,
        "select zone_name, value, original_value, is_corrected from fct_indicator where period = ? and city_name = '晋中市' "
        "order by zone_name nulls first",
        [MONTH],
    ) == [(None, 45.2, 45.2, False), ("晋中经开区", 12.86, 128.6, True), ("榆社经开区", 3.15, 3.15, False)]
    if with_seed:
        check_the_seed_after(home, seed_key, [e for e in queue(capsys) if e["kind"] == "statement"])

    # The city re-issues the report with the right figure: the fix has no statement left to apply to.
    reissue = home / "landing" / MONTH / "jinzhong_2023-06_v2.txt"
    reissue.write_text(REISSUED, encoding="utf-8")
    stamp = (home / "landing" / MONTH / REPORT).stat().st_mtime + 60
    os.utime(reissue, (stamp, stamp))
    assert runner.run_months([MONTH]).success
    listed = queue(capsys)
    orphans = [e for e in listed if e["kind"] == "orphaned_correction"]
    assert [(o["key"], o["action"], o["by"]) for o in orphans] == [(zone_key, "value", "赵工")]
    assert served(
        home,
        "select value, is_corrected, file_name from fct_indicator f join dim_document d using (period, document_id) "
        "where f.period = ? and f.zone_name = '晋中经开区'",
        [MONTH],
    ) == [(12.86, False, reissue.name)]
    assert main(["corrections", "--month", MONTH]) == 0
    assert zone_key in capsys.readouterr().out
