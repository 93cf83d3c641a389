"""People's corrections as the managers' app shows them (issue 12): a marker on every corrected or
added number, its footnote in the 月报 draft, the correction in 溯源, the review queue, the
acknowledged warnings and the orphaned corrections in 数据质量.

Every test reads `corrected_home` (conftest): the session's home with a few decisions recorded
through the command line and 2023-06 run again, once. The module is one unit of work for the
test workers (it is not split), so the worker that runs it builds that home while the other goes
on with other tests."""

from __future__ import annotations

import io
import re
import shutil

import duckdb
import pytest
from test_app import CITY, MARK, MARK_CAPTION, MONTH, app_at, displayed
from test_bulletin import bulletin_page, buttons, preview

# ---- people's corrections: markers, lineage, the review queue (issue 12) --------------------------
#
# `corrected_home` (conftest): the session's home with a few decisions recorded through the command
# line (a value and a growth corrected, a statement rejected, a campaign figure corrected, the
# city-growth warning's other facts accepted as printed, a missed fact added) and 2023-06 run again.


@pytest.fixture
def corrected(corrected_home, monkeypatch):
    """The app pointed at the corrected serving file; returns what was decided."""
    folder, decided = corrected_home
    monkeypatch.setenv("DEVZONE_HOME", str(folder))
    return decided


def corrected_serving(corrected_home, sql: str, params: list) -> list[tuple]:
    con = duckdb.connect(str(corrected_home[0] / "serving.duckdb"), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def marked_cells(frame, key: str) -> set[tuple[str, str]]:
    """(the row's `key` column, the column) of every cell of a table that carries the marker."""
    shown = displayed(frame)
    return {(row[key], column) for _, row in shown.iterrows() for column in shown.columns if MARK in str(row[column])}


def test_the_overview_marks_the_corrected_and_added_numbers_and_no_other(corrected):
    from test_app_overview import overview_table, plain

    value, added = corrected["value"], corrected["added"]
    at = app_at("overview")
    at.selectbox(key="overview_month").select(MONTH).run()
    assert not at.exception, [e.value for e in at.exception]
    table = {place: {name: plain(cell) for name, cell in row.items()} for place, row in overview_table(at).items()}
    marked = {(place, name) for place, row in table.items() for name, cell in row.items() if MARK in cell}
    assert marked == {
        (CITY, "规上工业增加值"),  # 94.35 corrected to 95.35, its growth as printed
        (CITY, "固定资产投资"),  # added, with its growth
        ("全省", "规上工业增加值"),  # a sum with a corrected part
        ("全省", "固定资产投资"),
    }
    assert table[CITY]["规上工业增加值"].startswith(f"{value['new']:,.2f}亿元 {MARK} ▲")
    assert table[CITY]["规上工业增加值"].count(MARK) == 1
    assert table[CITY]["固定资产投资"] == f"{added['value']:,.2f}亿元 {MARK} ▲{added['yoy_pct']}% {MARK}"
    assert MARK not in table["长治市"]["规上工业增加值"]  # accepted as printed: no marker
    assert [c.value for c in at.caption].count(MARK_CAPTION) == 1


def test_compare_marks_a_corrected_growth_next_to_it_and_drops_a_rejected_statement(corrected):
    growth, rejected = corrected["yoy"], corrected["rejected"]
    at = app_at("compare")
    at.selectbox(key="compare_month").select(MONTH).run()
    assert at.selectbox(key="compare_indicator").value == growth["indicator_code"]
    table = at.dataframe[0]
    assert marked_cells(table, "开发区") == {(growth["zone_name"], "同比增速（%）")}  # the growth, not the value
    row = displayed(table).set_index("开发区").loc[growth["zone_name"]]
    assert row["同比增速（%）"] == f"{growth['new']:.1f} {MARK}"
    assert MARK_CAPTION in [c.value for c in at.caption]
    # the rejected statement (the only zone with the indicator) leaves the ranking
    assert rejected["indicator_code"] not in at.selectbox(key="compare_indicator").options


def test_trend_and_pipeline_mark_the_corrected_rows_and_figures(corrected):
    value, campaign = corrected["value"], corrected["campaign"]
    at = app_at("trend")
    at.selectbox(key="trend_indicator").select(value["indicator_code"]).run()
    at.multiselect(key="trend_areas").select(CITY).run()
    table = at.dataframe[0].value
    assert table.loc[table["人工更正"].notna(), "期别"].tolist() == [MONTH]
    assert table.loc[table["期别"] == MONTH, "累计值（亿元）"].tolist() == [value["new"]]
    assert MARK_CAPTION in [c.value for c in at.caption]

    at.switch_page("app_pages/pipeline.py").run()
    at.selectbox(key="pipeline_month").select(MONTH).run()
    assert not at.exception, [e.value for e in at.exception]
    assert marked_cells(at.dataframe[0], "地区") == {(CITY, "开工项目已完成投资（亿元）")}
    detail = next(d.value for d in at.dataframe if "原文" in d.value.columns)
    notes = detail["人工更正"].dropna().tolist()
    assert notes == [f"{MARK} 已完成投资 {campaign['value']} → {campaign['new']}"]


def test_lineage_shows_the_original_the_correction_who_when_and_why(corrected, corrected_home):
    import format as fmt

    value = corrected["value"]
    ((corrected_at,),) = corrected_serving(
        corrected_home, "select corrected_at from rpt_fact_lineage where correction_key = ?", [value["correction_key"]]
    )
    at = app_at("lineage")
    at.selectbox(key="lineage_month").select(MONTH).run()
    at.checkbox(key="lineage_corrected_only").check().run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value
    statuses = dict(zip(table["更正键"], table["更正状态"], strict=True))
    assert statuses[value["correction_key"]] == "已更正"
    assert statuses[corrected["rejected"]["correction_key"]] == "已剔除"
    assert {statuses[k] for k in corrected["accepted"]["keys"]} == {"确认原文无误"}
    assert "人工补录" in statuses.values()
    row = table[table["更正键"] == value["correction_key"]].iloc[0]
    assert (row["数值"], row["原文数值"]) == (value["new"], value["value"])
    assert "张工" in row["更正说明"] and value["reason"] in row["更正说明"]
    growth = table[table["更正键"] == corrected["yoy"]["correction_key"]].iloc[0]
    assert (growth["同比（%）"], growth["原文同比（%）"]) == (corrected["yoy"]["new"], corrected["yoy"]["yoy_pct"])
    rejected = table[table["更正键"] == corrected["rejected"]["correction_key"]].iloc[0]
    assert rejected["采用"] == "否（人工剔除）"

    at.selectbox(key="lineage_pick").select(int(table.index[table["更正键"] == value["correction_key"]][0])).run()
    said = "\n".join(i.value for i in at.info)
    assert f"原文：数值 {value['value']:.2f} 亿元" in said
    assert f"更正后：数值 {value['new']:.2f} 亿元" in said
    assert f"更正数值：{value['reason']}（张工，{fmt.beijing_time(corrected_at)} 北京时间）" in said
    assert value["correction_key"] in said  # to copy into devzone correct
    assert f"<mark><b>{value['value']}" in "\n".join(m.value for m in at.markdown)  # the printed number, marked

    # an added fact has no place in the text: its sentence, the document and who added it still show
    pick = int(table.index[table["更正状态"] == "人工补录"][0])
    at.selectbox(key="lineage_pick").select(pick).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("人工补录，原文中没有标出位置" in c.value for c in at.caption)
    said = "\n".join(i.value for i in at.info)
    assert "人工补录" in said and corrected["added"]["by"] in said and corrected["added"]["reason"] in said
    assert at.html and "<mark" not in at.html[0].value  # the document, nothing marked


def test_quality_lists_the_open_review_queue_and_the_acknowledged_warnings(corrected, corrected_home):
    accepted = corrected["accepted"]
    open_keys = {
        k
        for (k,) in corrected_serving(
            corrected_home,
            "select correction_key from fct_quality_finding where period = ? and finding_status = 'open'",
            [MONTH],
        )
    }
    ((acknowledged_count,),) = corrected_serving(
        corrected_home, "select acknowledged from rpt_quality_month where period = ?", [MONTH]
    )
    at = app_at("quality")
    at.selectbox(key="quality_month").select(MONTH).run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert acknowledged_count == 1 and metrics["已确认"] in (1, "1")  # the city-growth warning, every fact accepted

    queue = next(d.value for d in at.dataframe if "问题" in d.value.columns and "更正键" in d.value.columns)
    assert open_keys and open_keys <= set(queue["更正键"])  # every open finding, with its statement
    unknown = queue[queue["问题"].str.contains("开发区不在开发区名录中")]
    assert set(unknown["开发区"]) == {"阳曲经开区", "娄烦经开区"} and unknown["原文"].notna().all()
    assert set(unknown["文件"]) == {"taiyuan_2023-06.txt"}
    assert not set(accepted["keys"]) & set(queue["更正键"])  # accepted as printed: out of the queue

    confirmed = next(d.value for d in at.dataframe if "确认说明" in d.value.columns)
    assert set(confirmed["更正键"]) == set(accepted["keys"])
    assert set(confirmed["校验"]) == {"市增速与所辖开发区推算的增速不一致"}
    assert confirmed["确认说明"].str.contains(f"{accepted['reason']}（{accepted['by']}，").all()
    assert any("已确认 · 市增速与所辖开发区推算的增速不一致" in e.label for e in at.expander)


def test_quality_lists_a_doubtful_statement_in_the_queue_until_someone_decides(corrected_home, tmp_path, monkeypatch):
    shutil.copy(corrected_home[0] / "serving.duckdb", tmp_path / "serving.duckdb")
    monkeypatch.setenv("DEVZONE_HOME", str(tmp_path))
    con = duckdb.connect(str(tmp_path / "serving.duckdb"))
    con.execute(
        "update rpt_fact_lineage set confidence = 'review', review_reasons = 'subject_inferred' "
        "where period = ? and city_name = '长治市' and indicator_code = 'import_export' "
        "or correction_key = ?",
        [MONTH, corrected_home[1]["value"]["correction_key"]],
    )
    con.close()
    at = app_at("quality")
    at.selectbox(key="quality_month").select(MONTH).run()
    queue = next(d.value for d in at.dataframe if "问题" in d.value.columns and "更正键" in d.value.columns)
    doubted = queue[queue["问题"] == "提取时存疑：城市由文中地名推断"]
    assert set(doubted["城市"]) == {"长治市"} and len(doubted) >= 1
    assert corrected_home[1]["value"]["correction_key"] not in set(queue["更正键"])  # decided: not queued


def test_quality_lists_orphaned_corrections_of_any_month(corrected_home, tmp_path, monkeypatch):
    """A correction whose report was superseded applies to nothing: 数据质量 lists it, whatever
    the month shown, with what it corrected and who made it."""
    value = corrected_home[1]["value"]
    shutil.copy(corrected_home[0] / "serving.duckdb", tmp_path / "serving.duckdb")
    monkeypatch.setenv("DEVZONE_HOME", str(tmp_path))
    con = duckdb.connect(str(tmp_path / "serving.duckdb"))
    con.execute(
        "update rpt_corrections set is_orphaned = true, period = '2023-03' where correction_key = ?",
        [value["correction_key"]],
    )
    con.close()
    at = app_at("quality")
    at.selectbox(key="quality_month").select(MONTH).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("有 1 条更正找不到对应的数字" in w.value for w in at.warning)
    orphans = next(d.value for d in at.dataframe if "更正内容" in d.value.columns)
    assert orphans[["月份", "城市", "指标", "原文数值", "更正键"]].values.tolist() == [
        ["2023-03", CITY, "规上工业增加值", value["value"], value["correction_key"]]
    ]
    assert orphans["更正内容"].tolist() == [f"更正数值为 {value['new']:.2f}"]
    assert orphans["更正说明"].str.contains(f"{value['reason']}（{value['by']}，").all()


# ---- people's corrections: a marker and a footnote per corrected number (issue 12) ---------------
#
# `corrected_home` (conftest): the session's home with a value, a zone's growth and a campaign figure
# corrected, a statement rejected, facts accepted as printed and a missed fact added, 2023-06 run again.

FOOTNOTE_MARK = re.compile(r"✎([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")


@pytest.fixture
def corrected_query(corrected_home):
    """A `query(sql, params)` on the corrected serving file."""
    con = duckdb.connect(str(corrected_home[0] / "serving.duckdb"), read_only=True)
    yield lambda sql, params=(): con.execute(sql, list(params)).df()
    con.close()


def footnoted(md: str) -> tuple[str, list[str]]:
    """The bulletin without its footnotes, and the footnotes (the section 人工更正说明)."""
    body, _, rest = md.partition("## 人工更正说明\n")
    notes, _, end = rest.partition("## 说明")
    return body + end, [line for line in notes.splitlines() if line.strip()]


def corrected_at(query, key: str) -> str:
    import format as fmt

    return fmt.beijing_time(
        query("select corrected_at from rpt_corrections where correction_key = ?", [key]).iloc[0, 0]
    )


def test_bulletin_marks_each_corrected_number_with_a_footnote_saying_what_who_when_and_why(
    corrected_home, corrected_query
):
    import bulletin
    from data import bulletin_data

    decided = corrected_home[1]
    value, growth, campaign, added = decided["value"], decided["yoy"], decided["campaign"], decided["added"]
    data = bulletin_data(MONTH, corrected_query)
    md = bulletin.to_markdown(bulletin.build_bulletin(data))
    body, notes = footnoted(md)

    # each corrected number carries the marker and its footnote's number, in the sentence and the table
    assert f"{CITY}开发区规上工业增加值{value['new']:.2f}亿元✎¹，同比增长{value['yoy_pct']:.1f}%；" in body
    assert f"| {CITY} | {value['new']:.2f}✎¹ | {value['yoy_pct']:.1f} |" in body  # the wide table's first pair
    assert f"固定资产投资{added['value']:.2f}亿元✎²，同比增长{added['yoy_pct']:.1f}%✎²" in body
    assert f"{growth['zone_name']}规上工业增加值{growth['value']:.2f}亿元，同比下降{-growth['new']:.1f}%✎³" in body
    assert f"| {growth['zone_name']} | {CITY} | {growth['value']:.2f} | {growth['new']:.1f}✎³ |" in body
    assert f"已完成投资{campaign['new']:.2f}亿元✎⁴" in body
    # and nothing else: not the numbers accepted as printed (长治市's), not the other figures
    assert not [line for line in body.splitlines() if "✎" in line and "长治市" in line]
    # ✎¹ and ✎² in the wide table and the city's sentence (1 + 2, twice), ✎³ in the city's zones and
    # the ranking, ✎⁴ once
    assert len(FOOTNOTE_MARK.findall(body)) == 9
    assert {f"✎{n}" for n in FOOTNOTE_MARK.findall(body)} == {note.split(" ", 1)[0] for note in notes}
    assert "标有“✎”和编号的数字经人工更正" in body  # the notes say what the marker means

    assert len(notes) == 4
    assert notes[0] == (
        f"✎¹ {CITY}·规上工业增加值：数值由{value['value']:.2f}亿元更正为{value['new']:.2f}亿元。"
        f"更正数值：{value['reason']}（{value['by']}，{corrected_at(corrected_query, value['correction_key'])} 北京时间）。"
    )
    assert notes[1].startswith(
        f"✎² {CITY}·固定资产投资：报告中有、自动提取时遗漏，人工补录（数值{added['value']:.2f}亿元，同比增长"
        f"{added['yoy_pct']:.1f}%）。人工补录：{added['reason']}（{added['by']}，"
    )
    assert notes[2] == (
        f"✎³ {CITY}·{growth['zone_name']}·规上工业增加值：同比增速由{growth['yoy_pct']:.1f}%更正为{growth['new']:.1f}%。"
        f"更正同比增速：{growth['reason']}（{growth['by']}，{corrected_at(corrected_query, growth['correction_key'])} 北京时间）。"
    )
    assert notes[3] == (
        f"✎⁴ {CITY}·累计开工·已完成投资：数值由{campaign['value']:.2f}亿元更正为{campaign['new']:.2f}亿元。"
        f"更正数值：{campaign['reason']}（{campaign['by']}，{corrected_at(corrected_query, campaign['correction_key'])} 北京时间）。"
    )
    # the warning whose facts were all accepted as printed is said to be so, in the internal appendix
    assert "已确认" not in body
    appendix = bulletin.to_markdown(bulletin.build_bulletin(data, quality=True))
    assert appendix.startswith(md.rstrip("\n"))  # the same footnotes, the appendix after them
    assert "已确认原文无误的警告1项" in appendix and "- 已确认｜市增速与所辖开发区推算的增速不一致" in appendix


def test_the_bulletin_page_and_its_word_file_carry_the_footnotes(corrected_home, monkeypatch, downloaded):
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    value = corrected_home[1]["value"]
    monkeypatch.setenv("DEVZONE_HOME", str(corrected_home[0]))
    at = bulletin_page()
    at.selectbox(key="bulletin_month").select(MONTH).run()
    assert not at.exception, [e.value for e in at.exception]
    _, notes = footnoted(preview(at))
    assert len(notes) == 4 and notes[0].startswith(f"✎¹ {CITY}·规上工业增加值") and value["by"] in notes[0]

    _, content = downloaded(buttons(at)["下载 Word"])
    doc = Document(io.BytesIO(content))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "人工更正说明" in paragraphs and notes[0] in paragraphs
    assert [c.text for c in doc.tables[0].rows[0].cells[:2]] == ["地区", "规上工业增加值"]  # the wide table
    cell = next(row.cells[1] for row in doc.tables[0].rows if row.cells[0].text == CITY)
    assert cell.text == f"{value['new']:.2f}✎¹"
    assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT  # still a number
