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
        assert ("zone not in the reference" in entry["why"]) == entry["zone_key"].startswith("UNRESOLVED:")
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


def test_a_correction_whose_statement_is_gone_is_listed_as_orphaned(home, capsys):
    entry = next(e for e in review(capsys) if e["kind"] == "statement")
    assert main(["correct", entry["correction_key"], "--reject", "--reason", "不是事实"]) == 0
    capsys.readouterr()
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    con.execute("delete from rpt_fact_lineage where correction_key = ?", [entry["correction_key"]])
    con.close()
    orphans = [e for e in review(capsys) if e["kind"] == "orphaned_correction"]
    assert [(o["key"], o["action"]) for o in orphans] == [(entry["correction_key"], "reject")]
