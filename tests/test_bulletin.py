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

sys.path.insert(0, str(ROOT / "app"))

APP = str(ROOT / "app" / "streamlit_app.py")
PAGE = "app_pages/bulletin.py"
MONTH = "2023-06"
CITY = "太原市"
NO_DATA = "还没有发布的数据"
# A missing number printed as text; ASCII-letter boundaries, as \b does not separate 市 from None.
BLANK = re.compile(r"(?<![A-Za-z])(None|nan|NaN|NaT)(?![A-Za-z])")


def stated(fact: dict, name: str) -> str:
    """How the bulletin words a city's figure: 规上工业增加值 94.35 亿元，同比增长 3.6%."""
    trend = "增长" if fact["yoy_pct"] > 0 else "下降"
    return f"{name} {fact['value']:,.2f} 亿元，同比{trend} {abs(fact['yoy_pct']):.1f}%"


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
    assert md.startswith(f"# 山西省开发区主要经济指标月报（{label}）")
    assert "草稿" in md
    assert set(buttons(at)) == {"下载 Markdown", "下载 Word"}


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
    assert f"{CITY}：{stated(fact, name)}" in md
    assert f"| {CITY} | {name} | 亿元 | {fact['value']:,.2f} | {fact['yoy_pct']:.1f} |" in md
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
    assert doc.core_properties.title == headings[0]
    fact = expected_city_fact(MONTH, CITY, "industrial_value_added")
    name = indicator_name(serving_query, "industrial_value_added")
    body = "\n".join(p.text for p in doc.paragraphs)
    assert f"{CITY}：{stated(fact, name)}" in body
    city_rows = [[c.text for c in row.cells] for table in doc.tables for row in table.rows if row.cells[0].text == CITY]
    assert [CITY, name, "亿元", f"{fact['value']:,.2f}", f"{fact['yoy_pct']:.1f}"] in city_rows
    styles = {t.style.name for t in doc.tables}
    assert styles == {"Table Grid"}
    assert 'w:eastAsia="宋体"' in zipfile.ZipFile(io.BytesIO(content)).read("word/styles.xml").decode("utf-8")


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
    assert "报告比率与计算比率不一致" not in md and "被隔离（" not in md

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
    assert "1-6月，全省开发区规上工业增加值 1,234.50 亿元，同比下降 1.2%。" in md
    assert "未给出全省开发区的汇总数" not in md
    assert "报告比率与计算比率不一致" in md
    assert f"{area}（累计）签约开工率" in md and "+1.50 个百分点" in md
    assert "| 不一致 |" in md
    assert "另有 1 份报告被隔离" in md
    assert r"- shuozhou\_2023-06.pdf：no text layer \| scanned" in md
    assert not BLANK.search(md)


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
        line = next(line for line in md.splitlines() if line.startswith(f"{CITY}："))
        names = [data.indicators[c][0] for c in data.headline]
        return sorted((n for n in names if n in line), key=line.index)

    def ranked_sections(md: str) -> list[str]:
        """The subsections of 开发区 (（一）规上工业增加值 …), without their numbers."""
        lines = md.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("## ") and line.endswith("、开发区"))
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
