"""The `devzone extract` command: JSON Lines on stdout, errors on stderr, exit status."""
import json
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
