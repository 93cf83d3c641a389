"""The `devzone` commands: `extract` prints JSON Lines, errors on stderr; `run` refuses what it
cannot do in one plain line, before anything is written."""

import json
import os
import subprocess
import sys

from conftest import ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "orchestration.cli", *args], capture_output=True, text=True, cwd=ROOT)


def test_bad_file_is_reported_and_the_others_still_extracted(tmp_path):
    good = tmp_path / "2023-06" / "jz.txt"
    good.parent.mkdir()
    good.write_text("晋中市开发区\n全市开发区工业投资完成9.6亿元，同比增长3.5%。", encoding="utf-8")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing here")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = run("extract", str(bad), str(good), str(empty))
    assert out.returncode == 2
    facts = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(f["doc"], f["period"], f["metric"], f["value"], f["yoy_pct"]) for f in facts] == [
        ("jz.txt", "2023-06", "industrial_investment", 9.6, 3.5)
    ]
    assert "broken.pdf: not a valid PDF" in out.stderr
    assert "empty.txt: empty file" in out.stderr


def test_all_files_read_exits_zero_and_period_flag_wins(tmp_path):
    good = tmp_path / "2023-06" / "jz.txt"
    good.parent.mkdir()
    good.write_text("晋中市开发区\n全市开发区工业投资完成9.6亿元。", encoding="utf-8")
    out = run("extract", str(good), "--period", "2023-09")
    assert out.returncode == 0
    assert json.loads(out.stdout)["period"] == "2023-09"


def test_invalid_period_is_rejected():
    out = run("extract", "x.txt", "--period", "2023-13")
    assert out.returncode == 2 and "period must be YYYY-MM" in out.stderr


def test_a_month_that_cannot_run_is_refused_in_one_line(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run", "--month", "2099-01"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DEVZONE_HOME": str(tmp_path)},
    )
    assert out.returncode == 2
    assert out.stderr.strip() == "error: 2099-01 cannot run: a future month"


def test_a_corrupt_warehouse_is_named_with_the_remedy_before_anything_is_written(tmp_path):
    (tmp_path / "landing" / "2023-06").mkdir(parents=True)
    (tmp_path / "landing" / "2023-06" / "r.txt").write_text(
        "晋中市开发区\n上半年，全市开发区工业投资完成9.6亿元。", encoding="utf-8"
    )
    damaged = tmp_path / "warehouse.duckdb"
    damaged.write_bytes(b"not a database" * 1000)
    out = subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "run", "--all"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DEVZONE_HOME": str(tmp_path)},
    )
    assert out.returncode == 1
    first = out.stderr.strip().splitlines()[0]
    assert first.startswith("error: warehouse.duckdb is corrupt (")
    assert first.endswith(f"move it aside and run `devzone run --all` to rebuild it from {tmp_path / 'landing'}/")
    assert "Traceback" not in out.stderr
    assert damaged.read_bytes() == b"not a database" * 1000


def test_a_second_run_says_whom_it_waits_for(tmp_path, monkeypatch, capsys):
    from orchestration import runner

    monkeypatch.setenv("DEVZONE_HOME", str(tmp_path))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import time; from orchestration import runner\n"
            "with runner.pipeline_lock():\n    print('held', flush=True); time.sleep(1.5); print('releasing', flush=True)",
        ],
        cwd=ROOT,
        env={**os.environ, "DEVZONE_HOME": str(tmp_path)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with runner.pipeline_lock():
        assert holder.stdout.readline().strip() == "releasing"  # entered only once the holder let go
    holder.wait()
    assert capsys.readouterr().err.strip() == f"waiting for another run on this home (pid {holder.pid})"


def test_a_damaged_block_inside_the_warehouse_is_found_before_the_run(tmp_path):
    """Damage inside a table (the file still opens) is found by reading every column, which checks
    each block's checksum; a sound warehouse passes."""
    import duckdb

    from devzone.warehouse import unreadable_reason

    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "create schema raw; create table raw.facts as select range as id, 'evidence ' || range as evidence from range(300000)"
    )
    con.close()
    assert unreadable_reason(path) is None
    with open(path, "r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        handle.write(bytes(range(256)) * 16)
    assert "checksum" in unreadable_reason(path)


def test_a_failed_run_opens_its_summary_with_what_failed_and_what_to_do(tmp_path, monkeypatch):
    from orchestration.runner import RunSummary, format_summary

    monkeypatch.setenv("DEVZONE_HOME", str(tmp_path))
    corrupt = "warehouse.duckdb is corrupt (checksum): move it aside and run `devzone run --all` to rebuild it from x/landing/"
    cases = {
        ("raw_reports", corrupt): f"error: {corrupt}",
        (
            "devzone_dbt_models",
            'Execution of step "devzone_dbt_models" failed.',
        ): "error: dbt build failed (a model or one of its tests)",
        ("extracted_facts", "MemoryError"): "error: step extracted_facts failed: MemoryError.",
    }
    for failed_step, first in cases.items():
        summary = RunSummary(False, "r1", ["2023-06"], failed_steps=[failed_step])
        lines = format_summary(summary).splitlines()
        assert lines[0].startswith(first) and "serving file" in lines[0] or lines[0] == first
    check = "quality_gate/check_results: fct_indicator — 2023-06 ..."
    # The gate's step fails when an ERROR check fails: the sentence is the gate's, not the step's.
    for failed_steps in ([], [("quality_gate", 'Execution of step "quality_gate" failed.')]):
        gate = RunSummary(False, "r2", ["2023-06"], checks_failed=[check], failed_steps=failed_steps)
        assert (
            format_summary(gate)
            .splitlines()[0]
            .startswith("error: the quality gate stopped publishing: 1 check(s) failed")
        )
    assert not format_summary(RunSummary(True, "r3", ["2023-06"], published=True)).startswith("error")
