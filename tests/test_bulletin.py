"""The 月报 page (app/app_pages/bulletin.py) and the draft bulletin it builds (app/bulletin.py).

Like tests/test_app.py, the app reads the serving file of the session-built home (`built_home` from
conftest: every sample month through the real pipeline) and expected numbers come from
samples/expected/. The download buttons' files are read back from AppTest's in-memory media store.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile

import duckdb
import pandas as pd
import pytest
from conftest import ROOT, expected_city_fact
from docx.oxml.ns import qn

sys.path.insert(0, str(ROOT / "app"))

APP = str(ROOT / "app" / "streamlit_app.py")
PAGE = "app_pages/bulletin.py"
MONTH = "2023-06"
CITY = "太原市"
NO_DATA = "还没有发布的数据"
# A missing number printed as text; ASCII-letter boundaries, as \b does not separate 市 from None.
BLANK = re.compile(r"(?<![A-Za-z])(None|nan|NaN|NaT)(?![A-Za-z])")


# What the sendable bulletin never prints: code names, blanks, booleans (ASCII-letter boundaries, as
# \b does not separate 市 from None).
IDENTIFIER = re.compile(
    r"fct_|rpt_|dim_|expect_|_id(?![A-Za-z])|(?<![A-Za-z])(None|nan|NaN|NaT|True|False)(?![A-Za-z])"
)
SPACED_UNIT = re.compile(r"\s(亿元|亿美元|万人次|个百分点)")


def stated(fact: dict, name: str) -> str:
    """How the bulletin words a city's figure: 规上工业增加值94.35亿元，同比增长3.6%."""
    trend = "增长" if fact["yoy_pct"] > 0 else "下降"
    return f"{name}{fact['value']:.2f}亿元，同比{trend}{abs(fact['yoy_pct']):.1f}%"


def markdown_wide_tables(md: str) -> dict[tuple[str, str], tuple[str, str]]:
    """(area, indicator) -> (value, growth) of the Markdown's wide tables: a header row of the
    indicators (each over two columns), a bold row 数值/同比 under it, a row per area."""
    cells: dict[tuple[str, str], tuple[str, str]] = {}
    for table in re.findall(r"(?:^\|.*\|$\n?)+", md, re.M):
        rows = [[c.strip() for c in line.strip("|").split("|")] for line in table.strip().splitlines()]
        if rows[0][0] != "地区" or len(rows) < 3 or not rows[2][1].startswith("**数值"):
            continue
        groups = [(i, name) for i, name in enumerate(rows[0]) if i and name]
        assert all(rows[2][i].startswith("**数值") and rows[2][i + 1] == "**同比（%）**" for i, _ in groups), rows[:3]
        assert all(rows[0][i + 1] == "" for i, _ in groups)
        for row in rows[3:]:
            cells.update({(row[0], name): (row[i], row[i + 1]) for i, name in groups})
    return cells


def docx_wide_tables(doc) -> dict[tuple[str, str], tuple[str, str]]:
    """(area, indicator) -> (value, growth) of the Word file's wide tables (two header rows: the
    indicator over its 数值 and 同比 cells)."""
    cells: dict[tuple[str, str], tuple[str, str]] = {}
    for table in doc.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows[0][0] != "地区" or len(rows) < 3 or not rows[1][1].startswith("数值"):
            continue
        for i in range(1, len(rows[0]), 2):
            assert rows[0][i] == rows[0][i + 1], rows[0]  # one merged cell over the pair
            assert rows[1][i].startswith("数值") and rows[1][i + 1] == "同比（%）", rows[1]
        for row in rows[2:]:
            cells.update({(row[0], rows[0][i]): (row[i], row[i + 1]) for i in range(1, len(row), 2)})
    return cells


def docx_text(doc) -> str:
    """Every word of a Word file: paragraphs, tables, footers and its properties."""
    said = [p.text for p in doc.paragraphs]
    said += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    said += [p.text for s in doc.sections for p in s.footer.paragraphs]
    props = doc.core_properties
    said += [props.title, props.subject, props.author, props.keywords, props.comments, props.category]
    return "\n".join(x or "" for x in said)


@pytest.fixture
def serving_query(served):
    """A `query(sql, params)` on the served file, as the app's data.query but without Streamlit."""
    con = duckdb.connect(str(served / "serving.duckdb"), read_only=True)
    yield lambda sql, params=(): con.execute(sql, list(params)).df()
    con.close()


def bulletin_page():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(PAGE).run()
    return at


def preview(at) -> str:
    shown = [m.value for m in at.markdown if m.value.startswith("# ")]
    assert len(shown) == 1, [m.value[:40] for m in at.markdown]
    return shown[0]


def buttons(at) -> dict:
    return {b.label: b for b in at.get("download_button")}


def indicator_name(query, code: str) -> str:
    return query("select indicator_name from dim_indicator where indicator_code = ?", [code])["indicator_name"][0]


def headings_of_markdown(md: str) -> list[str]:
    return [line.lstrip("#").strip() for line in md.splitlines() if line.startswith("#")]


def test_bulletin_page_renders_the_latest_month(served, serving_query):
    latest = serving_query("select max(period) as p from rpt_city_month_kpis where has_report")["p"][0]
    label = serving_query("select label_long from dim_period where period = ?", [latest])["label_long"][0]
    at = bulletin_page()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == "月报"
    assert at.selectbox(key="bulletin_month").value == latest
    md = preview(at)
    year, month = latest.split("-")
    assert md.startswith(f"# 山西省开发区主要经济指标月报\n\n{year}年第{int(month)}期｜{label}｜草稿｜")
    assert set(buttons(at)) == {"下载 Markdown", "下载 Word"}
    assert at.checkbox(key="bulletin_quality").value is False  # the sendable version by default


def test_bulletin_states_the_city_figures_of_the_chosen_month(served, serving_query):
    at = bulletin_page()
    latest = preview(at)
    at.selectbox(key="bulletin_month").select(MONTH).run()
    assert not at.exception, [e.value for e in at.exception]
    md = preview(at)
    assert md != latest
    assert "2023年1-6月" in md
    fact = expected_city_fact(MONTH, CITY, "industrial_value_added")
    name = indicator_name(serving_query, "industrial_value_added")
    assert f"1-6月，{CITY}开发区{stated(fact, name)}" in md
    assert markdown_wide_tables(md)[(CITY, name)] == (f"{fact['value']:.2f}", f"{fact['yoy_pct']:.1f}")
    assert stated(fact, name) not in latest


def test_bulletin_downloads_are_valid_markdown_and_word_files(served, serving_query, downloaded):
    from docx import Document

    at = bulletin_page()
    at.selectbox(key="bulletin_month").select(MONTH).run()
    md_button, docx_button = buttons(at)["下载 Markdown"], buttons(at)["下载 Word"]

    name, content = downloaded(md_button)
    assert name == f"开发区月报_{MONTH}.md"
    md = content.decode("utf-8")
    assert md.strip() == preview(at).strip()  # st.markdown drops the final newline

    name, content = downloaded(docx_button)
    assert name == f"开发区月报_{MONTH}.docx"
    assert zipfile.ZipFile(io.BytesIO(content)).testzip() is None
    doc = Document(io.BytesIO(content))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Title" or p.style.name.startswith("Heading")]
    assert headings == headings_of_markdown(md)
    assert doc.core_properties.title == f"{headings[0]}（2023年1-6月）"  # the masthead and the period
    fact = expected_city_fact(MONTH, CITY, "industrial_value_added")
    name = indicator_name(serving_query, "industrial_value_added")
    body = "\n".join(p.text for p in doc.paragraphs)
    assert f"{CITY}开发区{stated(fact, name)}" in body
    assert docx_wide_tables(doc)[(CITY, name)] == (f"{fact['value']:.2f}", f"{fact['yoy_pct']:.1f}")
    assert docx_wide_tables(doc) == markdown_wide_tables(md)
    styles = {t.style.name for t in doc.tables}
    assert styles == {"Table Grid"}


def test_bulletin_is_built_deterministically_and_never_prints_blanks(serving_query):
    import bulletin
    import data

    months = serving_query("select distinct period from rpt_city_month_kpis where has_report order by period")["period"]
    assert len(months) > 1
    for month in months:
        first = bulletin.build_bulletin(data.bulletin_data(month, serving_query))
        again = bulletin.build_bulletin(data.bulletin_data(month, serving_query))
        md = bulletin.to_markdown(first)
        assert md == bulletin.to_markdown(again)
        assert bulletin.to_docx(first) == bulletin.to_docx(again)
        assert not BLANK.search(md), month
        for block in first.blocks:
            if isinstance(block, bulletin.Table):
                assert all(len(row) == len(block.header) for row in block.rows)


def test_bulletin_states_province_totals_and_flags_rate_gaps_and_quarantined_files(serving_query):
    import bulletin
    from data import bulletin_data

    data = bulletin_data(MONTH, serving_query)
    md = bulletin.to_markdown(bulletin.build_bulletin(data))
    assert "未给出全省开发区的汇总数" in md  # the month's sample reports give no province totals
    appendix = bulletin.to_markdown(bulletin.build_bulletin(data, quality=True))
    assert "个与按项目数据计算的结果不一致" not in appendix and "被隔离，未计入" not in appendix

    # The month as if it had a province total, a reported rate 1.5 points off and a quarantined file.
    province = data.kpis.index[data.kpis["is_province"]][0]
    data.kpis.loc[province, ["has_report", "industrial_value_added", "industrial_value_added_yoy_pct"]] = [
        True,
        1234.5,
        -1.24,
    ]
    checked = data.pipeline[data.pipeline["signed_reported_rate_pct"].notna()].index[0]
    area = data.pipeline.at[checked, "city_name"]
    data.pipeline.loc[checked, "signed_reported_rate_pct"] = data.pipeline.at[checked, "signed_computed_rate_pct"] + 1.5
    data.pipeline.loc[checked, "signed_rate_gap_pp"] = 1.5
    data.documents = pd.concat(
        [
            data.documents,
            pd.DataFrame(
                [
                    {
                        "document_status": "quarantined",
                        "file_name": "shuozhou_2023-06.pdf",
                        "report_city": None,
                        "quarantine_reason": "no text layer | scanned",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )

    md = bulletin.to_markdown(bulletin.build_bulletin(data))
    assert "1-6月，全省开发区规上工业增加值1234.50亿元，同比下降1.2%。" in md
    assert "未给出全省开发区的汇总数" not in md
    assert markdown_wide_tables(md)[("全省", "规上工业增加值")] == ("1234.50", "-1.2")
    assert md.index("| 全省 |") < md.index(f"| {CITY} |")  # the province's row first
    # the sendable bulletin states the reported rate; the check against the counts and the
    # quarantined file are the internal appendix's
    assert "被隔离" not in md and "不一致" not in md and "shuozhou" not in md

    appendix = bulletin.to_markdown(bulletin.build_bulletin(data, quality=True))
    assert appendix.startswith(md.rstrip("\n"))  # the same bulletin, the appendix after it
    extra = appendix[len(md) :]
    assert "个报告比率中有1个与按项目数据计算的结果不一致（相差超过0.01个百分点），请核对。" in extra
    assert f"| {area} | 累计 | 签约开工率 |" in extra and "| +1.50 | 不一致 |" in extra
    assert "本月有1份报告文件被隔离，未计入数据：" in extra
    assert r"- shuozhou\_2023-06.pdf：no text layer \| scanned" in extra
    assert not BLANK.search(appendix)


def test_empty_state_shows_the_no_data_message(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DEVZONE_HOME", str(tmp_path / "nothing_here"))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any(NO_DATA in i.value for i in at.info)
    assert not at.get("download_button")


def test_the_bulletins_indicators_come_from_dim_indicator(serving_query):
    """Headline figures in headline order, targets and zone rankings as dim_indicator flags them."""
    import bulletin
    from data import bulletin_data

    catalogue = serving_query("select * from dim_indicator order by display_order", [])
    data = bulletin_data(MONTH, serving_query)
    headline = catalogue[catalogue["headline_rank"].notna()].sort_values("headline_rank")
    assert data.headline == tuple(headline["indicator_code"])
    assert data.targets == tuple(headline.loc[headline["is_headline_target"], "indicator_code"])
    assert data.ranked == tuple(catalogue.loc[catalogue["is_bulletin_ranked"], "indicator_code"])
    assert list(data.indicators) == catalogue["indicator_code"].tolist()
    assert "个" in data.count_units

    def stated_order(md: str) -> list[str]:
        """The headline indicators' names in the order the city's sentence states them."""
        line = next(line for line in md.splitlines() if line.startswith(f"1-6月，{CITY}开发区"))
        names = [data.indicators[c][0] for c in data.headline]
        return sorted((n for n in names if n in line), key=line.index)

    def ranked_sections(md: str) -> list[str]:
        """The subsections of 开发区 (（一）规上工业增加值 …), without their numbers."""
        lines = md.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("## ") and line.endswith("、重点开发区"))
        end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("## "))
        return [line[4:].split("）", 1)[1] for line in lines[start:end] if line.startswith("### ")]

    def in_order(codes) -> list[str]:
        return [data.indicators[c][0] for c in codes]

    md = bulletin.to_markdown(bulletin.build_bulletin(data))
    stated = stated_order(md)
    assert len(stated) > 1 and stated == [n for n in in_order(data.headline) if n in stated]
    ranked = ranked_sections(md)
    assert ranked and ranked == [n for n in in_order(data.ranked) if n in ranked]

    # another choice of headline indicators and rankings, as a changed seed would serve it
    data.headline, data.targets, data.ranked = data.headline[::-1], (), data.ranked[::-1]
    md = bulletin.to_markdown(bulletin.build_bulletin(data))
    assert stated_order(md) == stated[::-1]
    assert "目标增速" not in md
    assert ranked_sections(md) == ranked[::-1]


def test_a_bulletin_without_corrections_has_no_markers_or_footnotes(serving_query):
    import bulletin
    from data import bulletin_data

    months = serving_query("select distinct period from rpt_city_month_kpis where has_report order by period")["period"]
    for month in months:
        md = bulletin.to_markdown(bulletin.build_bulletin(bulletin_data(month, serving_query)))
        assert "✎" not in md and "人工更正说明" not in md, month


# ---- ready to send: A4, the conventional fonts, wide tables, Chinese number style (issue 13) ------


def test_the_word_file_is_an_a4_page_in_the_conventional_fonts_with_wide_tables(serving_query):
    import bulletin
    from data import bulletin_data
    from docx import Document

    data = bulletin_data(MONTH, serving_query)
    content = bulletin.to_docx(bulletin.build_bulletin(data))
    doc = Document(io.BytesIO(content))

    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert all(2.0 <= m.cm <= 3.0 for m in margins)

    def east_asian(style_name: str) -> str | None:
        fonts = doc.styles[style_name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would override it
        return fonts.get(qn("w:eastAsia"))

    assert east_asian("Normal") == "宋体"
    assert east_asian("Title") == east_asian("Heading 1") == "黑体"  # the masthead, the sections 一、二、…
    assert east_asian("Heading 2") == "楷体"  # the subsections （一）（二）…
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"][:4] == [
        "一、总体情况",
        "二、各市开发区主要指标",
        "三、重点开发区",
        "四、“三个一批”项目进展",
    ]

    # region × indicator: each headline indicator the cities state, its value and growth side by side
    wide = docx_wide_tables(doc)
    stated = {
        (row["city_name"], data.indicators[code][0])
        for _, row in data.kpis[data.kpis["has_report"] & ~data.kpis["is_province"]].iterrows()
        for code in data.headline
        if pd.notna(row[code])
    }
    assert stated and stated <= set(wide)
    first = doc.tables[0]
    assert [c.text for c in first.rows[1].cells][1:3] == ["数值（亿元）", "同比（%）"]
    assert len(first.columns) <= 1 + 2 * bulletin.INDICATORS_PER_TABLE  # fits the page's width
    assert all(row._tr.trPr is not None for row in first.rows[:2])  # header rows repeat on each page
    fact = expected_city_fact(MONTH, CITY, "industrial_value_added")
    assert wide[(CITY, indicator_name(serving_query, "industrial_value_added"))] == (
        f"{fact['value']:.2f}",
        f"{fact['yoy_pct']:.1f}",
    )


def test_no_month_prints_a_run_id_a_code_name_or_a_space_before_a_unit(serving_query):
    import bulletin
    from data import bulletin_data
    from docx import Document

    run_id = serving_query("select run_id from serving_meta order by published_at desc limit 1")["run_id"][0]
    months = serving_query("select distinct period from rpt_city_month_kpis where has_report order by period")["period"]
    for month in months:
        for quality in (False, True):
            draft = bulletin.build_bulletin(bulletin_data(month, serving_query), quality=quality)
            md = bulletin.to_markdown(draft)
            word = docx_text(Document(io.BytesIO(bulletin.to_docx(draft))))
            for said in (md, word):
                assert run_id not in said and "运行编号" not in said, month
                assert not IDENTIFIER.search(said), (month, quality, IDENTIFIER.search(said))
                assert not SPACED_UNIT.search(said), (month, quality, SPACED_UNIT.search(said))
                assert "亿元" in said and "（）" not in said
            assert re.search(r"\d亿元", word)


def test_the_quality_appendix_is_in_chinese_and_appears_only_when_switched_on(served, serving_query, downloaded):
    import bulletin
    from data import bulletin_data

    data = bulletin_data(MONTH, serving_query)
    problems = serving_query(
        "select expectation_name, rule_zh, observed_zh from fct_quality_result where period = ? and status <> 'passed'",
        [MONTH],
    )
    assert not problems.empty
    sendable = bulletin.to_markdown(bulletin.build_bulletin(data))
    internal = bulletin.to_markdown(bulletin.build_bulletin(data, quality=True))
    assert bulletin.QUALITY_APPENDIX not in sendable and "自动校验" not in sendable
    assert f"## {bulletin.QUALITY_APPENDIX}" in internal
    appendix = internal.split(f"## {bulletin.QUALITY_APPENDIX}", 1)[1]
    assert "\n## " not in appendix  # the appendix is last
    for problem in problems.to_dict("records"):
        assert bulletin.escape(problem["rule_zh"].rstrip("。")) in appendix
        assert bulletin.escape(problem["observed_zh"]) in appendix
        assert problem["expectation_name"] not in internal
    assert "- 警告｜市增速与所辖开发区推算的增速不一致。" in appendix

    at = bulletin_page()
    at.selectbox(key="bulletin_month").select(MONTH).run()
    assert bulletin.QUALITY_APPENDIX not in preview(at)
    at.checkbox(key="bulletin_quality").check().run()
    assert not at.exception, [e.value for e in at.exception]
    assert preview(at).strip() == internal.strip()
    name, content = downloaded(buttons(at)["下载 Word"])
    assert name == f"开发区月报_{MONTH}_含质量附件.docx"
    from docx import Document

    headings = [p.text for p in Document(io.BytesIO(content)).paragraphs if p.style.name.startswith("Heading")]
    assert headings[-4:] == [
        bulletin.QUALITY_APPENDIX,
        "（一）自动校验",
        "（二）“三个一批”转化率核对",
        "（三）报告文件与开发区名录",
    ]
