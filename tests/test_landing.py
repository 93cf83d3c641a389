"""The landing contract (devzone/landing.py): every entry of a month folder ends up current,
superseded, a duplicate of a kept file, or in quarantine with the reason, and the text's own
period, kind and revision notice decide which. The reports here are ours: the bundled samples
and sentences written for these tests."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from conftest import SAMPLES

from devzone.extraction.period import stated_period
from devzone.extraction.reference import load_reference
from devzone.extraction.report_kind import declares_revision, report_kind
from devzone.landing import file_month, landing_folders

REF = load_reference()
MB = 2**20
MONTHLY = SAMPLES / "reports" / "2023-06" / "changzhi_2023-06.txt"
# A city's special report on the campaign, beside its monthly report: the same round, one stage
# told differently (开工一批 22 projects in the monthly report, 23 here).
CAMPAIGN_REPORT = """长治市开发区“三个一批”活动专报
（2023年上半年）

6月20日，全市第五次“三个一批”活动在长治高新区主会场举行。本次活动全市开发区共推进项目57个，总投资296.48亿元。其中，“签约一批”项目21个，总投资128.6亿元；“开工一批”项目23个，总投资115.5亿元；“投产一批”项目14个，总投资54.61亿元。

下一步，全市开发区将持续跟踪活动项目进展，推动签约项目早开工、开工项目早投产。

(供稿：长治市商务局)
"""
TAIYUAN_FIGURE, TAIYUAN_CORRECTED = "28.35", "28.95"  # a figure of the 太原 sample, and its correction
FIRST_QUARTER = """晋中市开发区2023年1-3月主要经济指标运行情况

一季度，全市开发区规上工业增加值完成98.6亿元，同比增长6.2%。

(供稿：晋中市商务局)
"""


def put(folder: Path, name: str, data: str | bytes, minutes: int = 0) -> Path:
    """File a report; `minutes` after a fixed time orders versions by filing time."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    at = datetime(2023, 7, 5, 9, 0).timestamp() + minutes * 60
    os.utime(path, (at, at))
    return path


def outcome(filing) -> dict[str, str]:
    """Each entry's fate: current, superseded, duplicate of X, or the quarantine reason."""
    fate = {f.document.file_name: "current" for f in filing.current}
    fate.update({f.document.file_name: "superseded" for f, _ in filing.superseded})
    fate.update({name: f"duplicate of {kept}" for name, _, kept in filing.duplicates})
    fate.update({r.file_name: r.reason for r in filing.refused})
    return fate


def file(folder: Path, period: str = "2023-06", max_bytes: int = 20 * MB):
    return file_month(period, folder, REF, max_bytes)


# -- several documents of one city and month ---------------------------------------------------
def test_a_campaign_special_report_beside_the_monthly_report_leaves_both_current(tmp_path):
    put(tmp_path, MONTHLY.name, MONTHLY.read_bytes())
    put(tmp_path, "changzhi_sangeyipi_2023-06.txt", CAMPAIGN_REPORT, minutes=60)
    filing = file(tmp_path)
    assert outcome(filing) == {MONTHLY.name: "current", "changzhi_sangeyipi_2023-06.txt": "current"}
    assert {f.document.file_name: f.kind for f in filing.current} == {
        MONTHLY.name: "monthly_report",
        "changzhi_sangeyipi_2023-06.txt": "campaign_report",
    }


def test_a_corrected_copy_of_a_report_supersedes_it(tmp_path):
    text = MONTHLY.read_bytes().decode("utf-8-sig")
    put(tmp_path, MONTHLY.name, MONTHLY.read_bytes())
    put(tmp_path, "changzhi_2023-06_v2.txt", text.replace("168.52", "169.52", 1), minutes=60)
    filing = file(tmp_path)
    assert outcome(filing) == {MONTHLY.name: "superseded", "changzhi_2023-06_v2.txt": "current"}
    assert filing.superseded[0][1] == filing.current[0].document.doc_id


def test_a_report_that_declares_itself_a_revision_supersedes_the_one_it_restates(tmp_path):
    put(tmp_path, "special.txt", CAMPAIGN_REPORT)
    revised = CAMPAIGN_REPORT.replace("专报\n", "专报（更正）\n", 1).replace("项目23个", "项目22个")
    put(tmp_path, "special_revised.txt", revised, minutes=30)
    assert outcome(file(tmp_path)) == {"special.txt": "superseded", "special_revised.txt": "current"}


def test_a_correction_notice_naming_one_figure_sits_beside_the_report_it_corrects(tmp_path):
    put(tmp_path, MONTHLY.name, MONTHLY.read_bytes())
    notice = (
        "长治市开发区上半年主要指标更正说明\n"
        "上半年，全市开发区规上工业增加值完成169.52亿元，同比增长5.3%。原报送数据作废，以此为准。\n"
    )
    put(tmp_path, "changzhi_correction.txt", notice, minutes=60)
    filing = file(tmp_path)
    assert outcome(filing) == {MONTHLY.name: "current", "changzhi_correction.txt": "current"}
    assert {f.document.file_name: f.is_revision for f in filing.current} == {
        MONTHLY.name: False,
        "changzhi_correction.txt": True,
    }


def test_two_monthly_reports_of_one_city_about_different_zones_both_stay(tmp_path):
    put(
        tmp_path,
        "gxq.txt",
        "长治高新区2023年上半年运行情况\n上半年，长治高新区规上工业增加值完成60.2亿元，同比增长8.1%。\n",
    )
    put(
        tmp_path,
        "sd.txt",
        "上党经开区2023年上半年运行情况\n上半年，上党经开区规上工业增加值完成35.4亿元，同比增长4.6%。\n",
        minutes=10,
    )
    assert outcome(file(tmp_path)) == {"gxq.txt": "current", "sd.txt": "current"}


# -- the period a report states ----------------------------------------------------------------
@pytest.mark.parametrize(
    "opening, year, month",
    [
        ("晋中市开发区2023年1-6月主要经济指标运行情况", 2023, 6),
        ("晋中市开发区1—9月运行情况", None, 9),
        ("“开发区上半年工作观摩”专刊\n晋中市开发区", None, 6),
        ("忻州市开发区2024年前三季度工作进展情况", 2024, 9),
        ("大同市开发区一季度项目建设情况", None, 3),
        ("截至6月底，全市开发区累计签约项目120个。", None, 6),
        ("临汾市开发区2023年工作总结和2024年工作安排", 2023, 12),
        ("吕梁市开发区2023年5月份主要指标", 2023, 5),
        ("吕梁市开发区主要指标\n全市开发区运行平稳。\n吕梁市商务局\n2023年7月6日", 2023, 7),
    ],
)
def test_the_period_a_report_states_is_read_from_its_opening_or_its_dateline(opening, year, month):
    stated = stated_period(opening + "\n全市开发区经济运行总体平稳。")
    assert (stated.year, stated.month) == (year, month)


def test_periods_named_in_the_body_or_the_plans_are_not_the_reports_period():
    body = (
        "晋中市开发区运行情况\n"
        + "全市开发区经济运行总体平稳，各项指标稳中有进。" * 20
        + "较1-5月提高2个百分点，下半年将持续发力。"
    )
    assert stated_period(body) is None
    assert stated_period("朔州市开发区工作情况\n下半年工作安排：全力推进项目建设。") is None


def test_a_report_of_another_period_is_quarantined_with_both_periods(tmp_path):
    put(tmp_path, "jinzhong_q1.txt", FIRST_QUARTER)
    put(tmp_path, "jinzhong_2024.txt", FIRST_QUARTER.replace("2023年1-3月", "2024年1-9月"))
    fate = outcome(file(tmp_path))
    assert fate["jinzhong_q1.txt"].startswith("states the period 2023年1-3月 (2023-03) but is filed under 2023-06")
    assert "landing/2024-09/" in fate["jinzhong_2024.txt"] and "2023-06" in fate["jinzhong_2024.txt"]


def test_a_dateline_far_from_the_folder_is_a_misfiled_report(tmp_path):
    put(
        tmp_path,
        "dated.txt",
        "吕梁市开发区主要指标\n全市开发区规上工业增加值完成45.1亿元。\n吕梁市商务局\n2024年10月8日\n",
    )
    assert outcome(file(tmp_path))["dated.txt"].startswith(
        "is dated 2024年10月8日 (2024-10) but is filed under 2023-06"
    )


def test_a_report_that_states_no_period_is_read(tmp_path):
    put(tmp_path, "plain.txt", "晋中市开发区主要指标\n全市开发区规上工业增加值完成98.6亿元，同比增长6.2%。\n")
    filing = file(tmp_path)
    assert outcome(filing) == {"plain.txt": "current"} and filing.current[0].stated is None


def test_kinds_and_revisions_are_read_from_the_title_not_from_passing_mentions():
    monthly = "忻州市开发区2024年前三季度工作进展情况\n今年以来，全市开发区以“三个一批”活动为牵引，推动经济回升向好。"
    assert report_kind(monthly, "忻州市") == "monthly_report"
    assert report_kind(CAMPAIGN_REPORT, "长治市") == "campaign_report"
    assert report_kind(monthly, None) == "bulletin"
    assert report_kind("开发区\t增加值\t增速\n高新区\t60.2\t8.1\n经开区\t35.4\t4.6", "长治市") == "table"
    assert not declares_revision(monthly) and declares_revision("长治市开发区运行情况（修订稿）\n…")


# -- entries that are not read -----------------------------------------------------------------
def test_links_subfolders_pipes_and_hidden_files_are_listed_with_the_reason_and_never_followed(tmp_path):
    month = tmp_path / "2023-06"
    put(month, "report.txt", MONTHLY.read_bytes())
    (month / "passwd.txt").symlink_to("/etc/passwd")
    (month / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    put(month / "late", "changzhi.txt", MONTHLY.read_bytes())
    os.mkfifo(month / "pipe.txt")
    put(month, ".~lock.report.txt#", b"editor lock")
    filing = file(month)
    fate = outcome(filing)
    assert fate.pop("report.txt") == "current"
    assert fate["passwd.txt"].startswith("symbolic link") and fate["gone.txt"].startswith("symbolic link")
    assert fate["late"].startswith("subfolder: reports must lie directly in landing/2023-06/")
    assert fate["pipe.txt"].startswith("a named pipe (FIFO), not a regular file")
    assert fate[".~lock.report.txt#"].startswith("hidden file")
    linked = next(r for r in filing.refused if r.file_name == "passwd.txt")
    assert linked.doc_id is None and linked.size is None  # nothing of the target is read or shown


def test_byte_identical_copies_are_listed_as_duplicates_of_the_kept_file(tmp_path):
    for i, name in enumerate(["a.txt", "b.txt", "copy (1).txt", "copy (2).txt", "z.txt", "最终版.txt"]):
        put(tmp_path, name, MONTHLY.read_bytes(), minutes=i)
    fate = outcome(file(tmp_path))
    assert fate.pop("a.txt") == "current"
    assert set(fate.values()) == {"duplicate of a.txt"} and len(fate) == 5


def test_a_file_over_the_size_limit_is_quarantined_with_the_limit(tmp_path):
    put(tmp_path, "huge.txt", MONTHLY.read_bytes())
    limit = MONTHLY.stat().st_size - 1
    reason = outcome(file(tmp_path, max_bytes=limit))["huge.txt"]
    assert "over the size limit of" in reason and f"{limit / MB:g} MB" in reason and "DEVZONE_MAX_FILE_MB" in reason


def test_a_utf16_report_is_read_like_its_utf8_original(tmp_path):
    text = MONTHLY.read_bytes().decode("utf-8-sig")
    put(tmp_path, "utf16.txt", "\ufeff".encode("utf-16-le") + text.encode("utf-16-le"))
    filing = file(tmp_path)
    assert outcome(filing) == {"utf16.txt": "current"}
    assert filing.current[0].report_city == "长治市"


def test_a_web_page_saved_as_text_is_read_without_its_navigation(tmp_path):
    page = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>长治市开发区上半年运行情况</title></head>
<body><nav><a href="/">首页</a> <a href="/ty">太原市</a> <a href="/dt">大同市</a></nav>
<div class="breadcrumb">首页 &gt; 开发区动态</div>
<article><h1>长治市开发区上半年运行情况</h1>
<p>上半年，全市开发区规上工业增加值完成168.52亿元，同比增长5.3%。</p></article>
<footer>版权所有 太原市开发区网站</footer></body></html>"""
    put(tmp_path, "page.txt", page)
    filing = file(tmp_path)
    assert outcome(filing) == {"page.txt": "current"}
    text = filing.current[0].normalised
    assert "168.52" in text and "太原" not in text and "大同" not in text and filing.current[0].report_city == "长治市"


def test_landing_folders_names_every_folder_a_run_cannot_take(tmp_path):
    for name in ("2023-06", "2023-09", "2026-11", "2099-01", "2019-05", "foo"):
        put(tmp_path / name, "r.txt", "报告")
    (tmp_path / "2023-12").mkdir()  # empty: nothing to run
    put(tmp_path, "stray.txt", "报告")
    now = datetime(2026, 11, 29, 12, 0)
    months, skipped = landing_folders(tmp_path, {"2023-06", "2023-09", "2023-12"}, "2021-01", now)
    assert months == ["2023-06", "2023-09"]
    assert dict(skipped) == {
        "2019-05": "before 2021-01, the first month of the warehouse",
        "2026-11": "the current month is not closed yet: it can run once the month has ended",
        "2099-01": "a future month",
        "foo": "not a month: month folders are named YYYY-MM",
        "stray.txt": "not a month folder: reports go in landing/YYYY-MM/",
    }


# -- the tester's reproductions, through the whole pipeline -------------------------------------
@pytest.fixture(scope="module")
def refiled(built_home, copy_built_home):
    """A copy of the session's home in which 2023-06 is filed again as cities really file it: 长治's
    campaign report beside its monthly report, 晋中's first-quarter report in the wrong folder,
    copies, a broken scan, a link, a subfolder and a pipe; and landing/ holds folders no run can
    take. `devzone run --all` runs once; the tests read what it printed and published."""
    import contextlib
    import io
    import shutil

    from conftest import use_home

    from devzone import landing
    from orchestration import cli

    home = copy_built_home()
    before = marts(home)
    root = home / "landing"
    for folder in root.iterdir():  # only 2023-06 runs again; the other months stay published as they are
        if folder.name != "2023-06":
            shutil.rmtree(folder)
    month = root / "2023-06"
    put(month, "changzhi_sangeyipi_2023-06.txt", CAMPAIGN_REPORT, minutes=24 * 60)
    put(month, "jinzhong_2023-03.txt", FIRST_QUARTER)
    taiyuan = month / "taiyuan_2023-06.txt"
    filed = taiyuan.stat().st_mtime
    for i, copy in enumerate(("taiyuan_2023-06 (1).txt", "太原上半年.txt"), start=1):
        put(month, copy, taiyuan.read_bytes())
        os.utime(month / copy, (filed + i * 60, filed + i * 60))
    # 太原 files its report again a day later with one figure corrected (GB18030, as the original).
    text = taiyuan.read_bytes().decode("gb18030")
    assert text.count(TAIYUAN_FIGURE) == 1
    corrected = put(
        month, "taiyuan_2023-06_corrected.txt", text.replace(TAIYUAN_FIGURE, TAIYUAN_CORRECTED).encode("gb18030")
    )
    os.utime(corrected, (filed + 86400, filed + 86400))
    put(month, "scan.pdf", b"%PDF-1.7\n%broken upload")
    for name, data in unreadable_files().items():
        put(month, name, data)
    (month / "passwd.txt").symlink_to("/etc/passwd")
    put(month / "late", "r.txt", FIRST_QUARTER)
    os.mkfifo(month / "pipe.txt")
    unrunnable = [landing.beijing_now().strftime("%Y-%m"), "foo", "2099-01"]
    for name in unrunnable:
        put(root / name, "r.txt", MONTHLY.read_bytes())
    use_home(home)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["run", "--all"])
    finally:
        use_home(built_home[0])
    return {
        "home": home,
        "code": code,
        "out": out.getvalue(),
        "err": err.getvalue(),
        "before": before,
        "after": marts(home),
        "unrunnable": unrunnable,
    }


def unreadable_files() -> dict[str, bytes]:
    """What cities send that cannot be read, each with a reason the quarantine must give: a photo cut
    off in the upload, a password-protected PDF, a workbook with nothing in it, a workbook of
    something else (a staff list), a legacy Word file."""
    import io

    import openpyxl
    from PIL import Image
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    picture = io.BytesIO()
    Image.new("L", (400, 300), 250).save(picture, "JPEG")
    locked = io.BytesIO()
    c = canvas.Canvas(locked, encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    c.drawString(100, 700, "report")
    c.save()

    def workbook(rows: list[list]) -> bytes:
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append(row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    return {
        "photo_of_page.jpg": picture.getvalue()[:700],
        "locked.pdf": locked.getvalue(),
        "blank_table.xlsx": workbook([]),
        "staff.xlsx": workbook(
            [["姓名", "科室", "电话"], ["张三", "综合科", "0351-1234567"], ["李四", "投资促进科", "0351-7654321"]]
        ),
        "report.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
    }


def marts(home: Path) -> dict[str, list[dict]]:
    import duckdb

    con = duckdb.connect(str(home / "serving.duckdb"), read_only=True)
    try:
        return {
            table: [dict(zip([c[0] for c in cursor.description], row, strict=True)) for row in cursor.fetchall()]
            for table in ("fct_indicator", "fct_project_pipeline", "rpt_documents", "fct_quality_result")
            for cursor in [con.execute(f"select * from {table} where period = '2023-06'")]
        }
    finally:
        con.close()


def indicator_rows(rows: list[dict], city: str) -> set[tuple]:
    return {
        (r["indicator_code"], r["zone_key"], r["basis"], r["value"], r["yoy_pct"])
        for r in rows
        if r["city_name"] == city
    }


def test_run_all_publishes_the_good_month_and_names_every_folder_it_cannot_run(refiled):
    assert refiled["code"] == 0, refiled["out"] + refiled["err"]
    assert "published:" in refiled["out"]
    for name in refiled["unrunnable"]:
        assert f"skipped landing/{name}: " in refiled["err"]
    assert "Traceback" not in refiled["err"]


def test_a_citys_campaign_report_beside_its_monthly_report_keeps_every_indicator_of_the_city(refiled):
    before, after = refiled["before"], refiled["after"]
    assert indicator_rows(before["fct_indicator"], "长治市")
    assert indicator_rows(after["fct_indicator"], "长治市") == indicator_rows(before["fct_indicator"], "长治市")
    documents = {r["file_name"]: r for r in after["rpt_documents"]}
    assert documents["changzhi_2023-06.txt"]["document_status"] == "current"
    assert documents["changzhi_2023-06.txt"]["report_kind_name"] == "月度报告"
    assert documents["changzhi_sangeyipi_2023-06.txt"]["document_status"] == "current"
    assert documents["changzhi_sangeyipi_2023-06.txt"]["report_kind_name"] == "三个一批专报"


def test_documents_that_disagree_keep_the_more_specific_value_and_warn_with_both_sentences(refiled):
    started = [
        r
        for r in refiled["after"]["fct_project_pipeline"]
        if r["city_name"] == "长治市" and r["zone_key"] is None and r["scope"] == "event" and r["stage"] == "started"
    ]
    assert [(r["projects"], r["investment"], r["has_conflicting_sources"]) for r in started] == [(23, 115.5, True)]
    warning = next(
        r
        for r in refiled["after"]["fct_quality_result"]
        if r["suite_name"] == "fct_project_pipeline" and "has_conflicting_sources" in r["expectation_name"]
    )
    assert warning["status"] == "warning" and warning["severity"] == "WARN"
    assert "“开工一批”项目22个" in warning["failing_sample"] and "“开工一批”项目23个" in warning["failing_sample"]
    agreeing = [
        r
        for r in refiled["after"]["fct_project_pipeline"]
        if r["city_name"] == "长治市" and r["zone_key"] is None and r["scope"] == "event" and r["stage"] == "signed"
    ]
    assert [(r["projects"], r["has_conflicting_sources"]) for r in agreeing] == [(21, False)]


def test_a_report_of_another_period_filed_under_the_month_is_quarantined_and_not_published(refiled):
    documents = {r["file_name"]: r for r in refiled["after"]["rpt_documents"]}
    misfiled = documents["jinzhong_2023-03.txt"]
    assert misfiled["document_status"] == "quarantined"
    assert "2023年1-3月" in misfiled["quarantine_reason"] and "2023-06" in misfiled["quarantine_reason"]
    assert not [r for r in refiled["after"]["fct_indicator"] if r["city_name"] == "晋中市"]


def test_copies_links_subfolders_pipes_and_broken_files_are_listed_and_a_corrected_report_replaces_its_original(
    refiled,
):
    documents = {r["file_name"]: r for r in refiled["after"]["rpt_documents"]}
    for copy in ("taiyuan_2023-06 (1).txt", "太原上半年.txt"):
        assert (documents[copy]["document_status"], documents[copy]["duplicate_of_file_name"]) == (
            "duplicate",
            "taiyuan_2023-06.txt",
        )
    assert (
        documents["taiyuan_2023-06.txt"]["document_status"],
        documents["taiyuan_2023-06.txt"]["superseded_by_file_name"],
    ) == ("superseded", "taiyuan_2023-06_corrected.txt")
    assert documents["taiyuan_2023-06_corrected.txt"]["document_status"] == "current"
    assert documents["scan.pdf"]["quarantine_reason"].startswith("not a valid PDF")
    reasons = {name: documents[name]["quarantine_reason"] for name in unreadable_files()}
    assert reasons["photo_of_page.jpg"].startswith("damaged or truncated picture"), reasons
    assert reasons["locked.pdf"].startswith("encrypted PDF") and "unprotected copy" in reasons["locked.pdf"]
    assert reasons["blank_table.xlsx"].startswith("empty spreadsheet")
    assert reasons["staff.xlsx"].startswith("no sheet is a table of indicators")
    assert "save as .docx" in reasons["report.doc"]
    assert {documents[name]["document_status"] for name in unreadable_files()} == {"quarantined"}
    assert documents["passwd.txt"]["quarantine_reason"].startswith("symbolic link")
    assert documents["passwd.txt"]["size_bytes"] is None and documents["passwd.txt"]["document_id"] is None
    assert documents["late"]["quarantine_reason"].startswith("subfolder")
    assert documents["pipe.txt"]["quarantine_reason"].startswith("a named pipe")
    before = indicator_rows(refiled["before"]["fct_indicator"], "太原市")
    after = indicator_rows(refiled["after"]["fct_indicator"], "太原市")
    assert {row[3] for row in before - after} == {float(TAIYUAN_FIGURE)}
    assert {row[3] for row in after - before} == {float(TAIYUAN_CORRECTED)}
