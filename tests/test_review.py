"""`devzone review`, `devzone correct` and `devzone corrections` on the samples' warehouse: the review
queue names statements by a key that survives re-runs; a correction is checked against the
warehouse and the reference before it reaches the journal, and bad input leaves the journal as it was."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from orchestration.cli import main

MONTH = "2023-06"


@pytest.fixture
def home(built_home, tmp_path, monkeypatch):
    """A home holding a copy of the session's warehouse and no journal."""
    shutil.copy2(built_home[0] / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    monkeypatch.setenv("DEVZONE_HOME", str(tmp_path))
    return tmp_path


def review(capsys) -> list[dict]:
    assert main(["review", "--month", MONTH, "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_the_review_queue_lists_each_doubtful_statement_once_with_why_and_its_evidence(home, capsys):
    queue = review(capsys)
    statements = [e for e in queue if e["kind"] == "statement"]
    assert statements, "the samples of 2023-06 name zones the reference does not know"
    assert len({e["correction_key"] for e in statements}) == len(statements)
    for entry in statements:
        assert entry["period"] == MONTH and entry["evidence"] and entry["file_name"]
        assert ("zone not in the reference" in entry["why"]) == (entry["zone_key"] or "").startswith("UNRESOLVED:")
        assert ("extractor unsure" in entry["why"]) == (entry["confidence"] != "high")


def test_a_correction_key_is_the_same_for_the_same_statement_whatever_its_place_in_the_document(home):
    """The key hashes the document and the statement's meaning, not fact_seq: renumbering the
    statements (as a changed extractor would) gives every statement the key it had."""
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    before = dict(con.execute("select fact_id, correction_key from stg_indicator_facts").fetchall())
    con.execute("update raw.indicator_facts set fact_seq = fact_seq + 1000")
    after = dict(
        con.execute(
            "select document_id || ':' || (fact_seq - 1000), correction_key from stg_indicator_facts"
        ).fetchall()
    )
    con.close()
    assert before == after and len(before) > 100


def test_a_correction_is_recorded_with_who_why_and_what_it_corrected_and_can_be_revoked(home, capsys):
    entry = next(e for e in review(capsys) if e["kind"] == "statement" and e["fact_type"] == "indicator")
    key = entry["correction_key"]
    assert main(["correct", key, "--value", "3.2", "--reason", "表格错位", "--by", "张工"]) == 0
    assert "recorded" in capsys.readouterr().out
    [line] = (home / "corrections" / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    recorded = json.loads(line)
    assert (recorded["key"], recorded["action"], recorded["new"], recorded["by"]) == (key, "value", 3.2, "张工")
    assert recorded["target"]["value"] == entry["value"] and recorded["target"]["evidence"] == entry["evidence"]
    assert main(["corrections", "--month", MONTH]) == 0
    assert "1 correction(s) in force" in capsys.readouterr().out
    assert main(["correct", key, "--revoke", "--reason", "错了"]) == 0
    assert main(["corrections"]) == 0
    assert "0 correction(s) in force" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--value", "三点二", "--reason", "x"], "--value must be a number"),
        (["--value", "3.2"], "needs --reason"),
        (["--city", "大同", "--reason", "x"], None),  # a city of the reference: recorded
        (["--city", "北京市", "--reason", "x"], "not a city of the reference"),
        (["--zone", "不存在开发区", "--reason", "x"], "not a zone of the reference"),
        (["--revoke", "--reason", "x"], "nothing to revoke"),
    ],
)
def test_bad_input_is_refused_with_exit_2_and_the_journal_unchanged(home, capsys, args, says):
    entry = next(e for e in review(capsys) if e["kind"] == "statement")
    journal = home / "corrections" / "journal.jsonl"
    journal.parent.mkdir(exist_ok=True)
    journal.write_text("", encoding="utf-8")
    code = main(["correct", entry["correction_key"], *args])
    err = capsys.readouterr().err
    if says is None:
        assert code == 0 and len(journal.read_text(encoding="utf-8").splitlines()) == 1
    else:
        assert code == 2 and says in err and journal.read_bytes() == b""


def test_an_unknown_key_and_a_zone_of_another_city_are_refused(home, capsys):
    assert main(["correct", "0000000000000000", "--reject", "--reason", "x"]) == 2
    assert "no statement has the key" in capsys.readouterr().err
    taiyuan = next(e for e in review(capsys) if e["kind"] == "statement" and e["city_name"] == "太原市")
    assert main(["correct", taiyuan["correction_key"], "--zone", "大同经开区", "--reason", "x"]) == 2
    assert "not in 太原市" in capsys.readouterr().err
    assert not (home / "corrections" / "journal.jsonl").exists()


def load_journal(home) -> None:
    """What the run's corrections_journal asset does: the journal into raw.corrections."""
    from devzone import corrections, warehouse

    con = warehouse.connect(home / "warehouse.duckdb")
    try:
        warehouse.load_corrections(con, corrections.read())
    finally:
        con.close()


def test_a_correction_whose_statement_is_gone_is_listed_as_orphaned_once_a_run_loaded_it(home, capsys):
    entry = next(e for e in review(capsys) if e["kind"] == "statement")
    assert main(["correct", entry["correction_key"], "--reject", "--reason", "不是事实"]) == 0
    capsys.readouterr()
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    con.execute("delete from rpt_fact_lineage where correction_key = ?", [entry["correction_key"]])
    con.close()
    assert [e for e in review(capsys) if e["kind"] == "orphaned_correction"] == []  # pending: no run saw it
    load_journal(home)
    orphans = [e for e in review(capsys) if e["kind"] == "orphaned_correction"]
    assert [(o["key"], o["action"]) for o in orphans] == [(entry["correction_key"], "reject")]


def a_sure_statement(home) -> tuple[str, str]:
    """(key, city) of an indicator statement the extractor is sure of, in a zone of the reference."""
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            "select correction_key, city_name from rpt_fact_lineage where period = ? and fact_type = 'indicator' "
            "and confidence = 'high' and zone_key is not null and not starts_with(zone_key, 'UNRESOLVED:') "
            "order by correction_key limit 1",
            [MONTH],
        ).fetchone()
    finally:
        con.close()


def test_facts_in_failing_gate_rows_are_queued_and_an_accepted_warning_leaves_the_queue(home, capsys):
    """The gate records the facts of every failing row (raw.check_results.failing_keys); the queue
    lists them with the checks they fail. --accept acknowledges a warning about the fact, not an error."""
    key, _ = a_sure_statement(home)
    assert key not in {e["correction_key"] for e in review(capsys) if e["kind"] == "statement"}
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    con.execute(
        "insert into raw.check_results by name select ? as period, 'r' as run_id, 'cross_checks' as suite, "
        "unnest(['city_growth: w', 'zone_within_city: e']) as expectation, "
        "unnest(['WARN', 'ERROR']) as severity, false as success, ? as failing_keys",
        [MONTH, f"0000000000000000,{key}"],
    )
    con.close()
    [entry] = [e for e in review(capsys) if e["kind"] == "statement" and e["correction_key"] == key]
    assert entry["why"] == "ERROR cross_checks: zone_within_city: e; WARN cross_checks: city_growth: w"

    assert main(["correct", key, "--accept", "--reason", "属实：该区投资确有大幅增长"]) == 0
    capsys.readouterr()
    load_journal(home)
    [entry] = [e for e in review(capsys) if e["kind"] == "statement" and e["correction_key"] == key]
    assert entry["why"] == "ERROR cross_checks: zone_within_city: e"  # the warning is acknowledged

    con = duckdb.connect(str(home / "warehouse.duckdb"))
    con.execute("delete from raw.check_results where expectation = 'zone_within_city: e'")
    con.close()
    assert key not in {e["correction_key"] for e in review(capsys) if e["kind"] == "statement"}


ADD = ["add", "--month", MONTH, "--metric", "固定资产投资", "--value", "12.5", "--reason", "附表漏读"]


def month_document(home) -> str:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(
            "select file_name from stg_documents where period = ? order by file_name limit 1", [MONTH]
        ).fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--city", "北京市"], "not a city of the reference"),
        (["--city", "太原市", "--zone", "大同经开区"], "lies in 大同市"),
        (["--city", "太原市", "--metric", "幸福指数"], "not an indicator of the reference"),
        (["--city", "太原市", "--value", "十二"], "--value must be a number"),
        (["--city", "太原市", "--yoy", "高"], "--yoy must be a number"),
        (["--city", "太原市", "--basis", "plan"], "--basis must be one of"),
        (["--city", "太原市", "--document", "other.txt"], "is not a current document of 2023-06"),
        (["--city", "太原市", "--evidence", "这句话不在报告里。"], "is not a sentence of"),
        (["--city", "太原市", "--reason", " "], "needs --reason"),
    ],
)
def test_an_added_fact_is_checked_against_the_reference_and_the_months_documents(home, capsys, args, says):
    document = month_document(home)
    journal = home / "corrections" / "journal.jsonl"
    command = [*ADD, "--document", document]
    for option, value in zip(args[::2], args[1::2], strict=True):
        if option in command:
            command[command.index(option) + 1] = value
        else:
            command += [option, value]
    assert main(command) == 2
    assert says in capsys.readouterr().err
    assert not journal.exists()


def test_an_added_fact_is_recorded_under_a_key_of_its_own_and_a_stated_one_is_refused(home, capsys):
    document = month_document(home)
    key, city = a_sure_statement(home)
    assert main([*ADD, "--city", "晋城", "--document", document, "--by", "王工"]) == 0
    [line] = (home / "corrections" / "journal.jsonl").read_text(encoding="utf-8").splitlines()
    recorded = json.loads(line)
    assert (recorded["action"], recorded["new"], recorded["by"]) == ("add", 12.5, "王工")
    target = recorded["target"]
    assert (target["city"], target["zone"], target["metric"], target["unit"], target["file_name"]) == (
        "晋城市",
        None,
        "fixed_asset_investment",
        "亿元",
        document,
    )
    assert recorded["key"] != key and len(recorded["key"]) == 16
    # the same fact added again is the same key (the later add replaces the earlier)
    assert main([*ADD, "--city", "晋城市", "--document", document, "--value", "13"]) == 0
    assert (
        json.loads((home / "corrections" / "journal.jsonl").read_text(encoding="utf-8").splitlines()[1])["key"]
        == recorded["key"]
    )
    capsys.readouterr()

    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    stated = con.execute(
        "select file_name, city_name, zone_name, indicator_code from rpt_fact_lineage where correction_key = ?", [key]
    ).fetchone()
    con.close()
    refused = ["add", "--month", MONTH, "--city", stated[1], "--zone", stated[2], "--metric", stated[3]]
    assert main([*refused, "--value", "1", "--document", stated[0], "--reason", "x"]) == 2
    assert f"already has this fact (key {key})" in capsys.readouterr().err
