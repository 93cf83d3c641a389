"""The corrections journal (devzone/corrections.py): append-only JSON Lines that survive crashes and
concurrent writers, and the corrections in force."""

from __future__ import annotations

import json
import multiprocessing
from datetime import UTC, datetime

import pytest

from devzone import corrections
from devzone.corrections import CorrectionError

AT = datetime(2026, 11, 29, 10, 0, 0, tzinfo=UTC)
TARGET = {"period": "2023-06", "fact_type": "indicator", "city": "朔州市", "metric": "industrial_investment"}


def make(action: str, new=None, key: str = "0123456789abcdef", minute: int = 0, reason: str = "负号漏印"):
    return corrections.make(key, action, reason, "张工", new, TARGET, at=AT.replace(minute=minute))


def test_a_correction_is_one_json_line_readable_without_devzone(tmp_path):
    path = tmp_path / "journal.jsonl"
    corrections.append(make("yoy", "-27.4"), path)
    [line] = path.read_text(encoding="utf-8").splitlines()
    entry = json.loads(line)
    assert entry["action"] == "yoy" and entry["new"] == -27.4 and entry["by"] == "张工"
    assert entry["at"] == "2026-11-29T10:00:00Z" and entry["reason"] == "负号漏印"
    assert entry["target"]["city"] == "朔州市"  # readable, not escaped
    assert corrections.read(path) == [make("yoy", "-27.4")]


def test_the_same_decision_at_the_same_second_has_the_same_id_and_any_difference_another():
    assert make("yoy", "-27.4").correction_id == make("yoy", "-27.40").correction_id
    assert make("yoy", "-27.4").correction_id != make("yoy", "-27.5").correction_id
    assert make("yoy", "-27.4").correction_id != make("yoy", "-27.4", minute=1).correction_id


@pytest.mark.parametrize(
    ("action", "new", "reason", "says"),
    [
        ("value", "abc", "r", "--value must be a number"),
        ("yoy", "nan", "r", "--yoy must be a finite number"),
        ("value", "1.0", "  ", "needs --reason"),
        ("city", "", "r", "--city needs a name"),
        ("reject", "1", "r", "--reject takes no value"),
        ("delete", None, "r", "unknown action"),
    ],
)
def test_a_correction_that_cannot_be_recorded_says_why(action, new, reason, says):
    with pytest.raises(CorrectionError, match=says):
        make(action, new, reason=reason)


def test_a_line_a_crashed_writer_left_unfinished_is_ignored_and_cut_off_by_the_next_writer(tmp_path):
    path = tmp_path / "journal.jsonl"
    corrections.append(make("value", "12.5"), path)
    with path.open("ab") as fh:
        fh.write(make("reject").line().encode()[:40])  # killed mid-write: no newline
    assert corrections.read(path) == [make("value", "12.5")]
    corrections.append(make("accept", minute=2), path)
    assert corrections.read(path) == [make("value", "12.5"), make("accept", minute=2)]
    assert path.read_bytes().count(b"\n") == 2


def test_a_damaged_line_inside_the_journal_is_an_error_naming_file_and_line(tmp_path):
    path = tmp_path / "journal.jsonl"
    corrections.append(make("value", "1"), path)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("{not json\n")
    corrections.append(make("value", "2", minute=1), path)
    with pytest.raises(corrections.JournalError, match=r"journal.jsonl, line 2"):
        corrections.read(path)


def _append_many(path, worker: int, count: int) -> None:
    for i in range(count):
        corrections.append(make("value", str(worker * 1000 + i), key=f"{worker:016x}"), path)


def test_writers_at_once_all_land(tmp_path):
    path = tmp_path / "journal.jsonl"
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_append_many, args=(path, w, 40)) for w in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=60)
    written = corrections.read(path)
    assert len(written) == 160
    assert {c.new for c in written} == {float(w * 1000 + i) for w in range(4) for i in range(40)}


def test_in_force_keeps_the_latest_of_each_field_and_verdict_until_a_revoke():
    journal = [
        make("value", "10", minute=0),
        make("yoy", "-27.4", minute=1),
        make("value", "11", minute=2),
        make("reject", minute=3),
        make("accept", minute=4),
        make("value", "5", key="fedcba9876543210", minute=5),
    ]
    assert corrections.in_force(journal) == [journal[1], journal[2], journal[4], journal[5]]
    revoked = [*journal, make("revoke", minute=6)]
    assert corrections.in_force(revoked) == [journal[5]]
    again = [*revoked, make("yoy", "-27.4", minute=7)]
    assert corrections.in_force(again) == [journal[5], again[-1]]
