"""The managers' Streamlit app (app/streamlit_app.py), run headless with AppTest.

The app reads the serving file of the session-built home (`built_home` from conftest: every
sample month through the real pipeline). Expected numbers come from samples/expected/.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import sys
from pathlib import PurePosixPath

import duckdb
import pytest
from conftest import ROOT, expected_city_fact, expected_city_facts

sys.path.insert(0, str(ROOT / "app"))

APP = str(ROOT / "app" / "streamlit_app.py")
PAGES = ["overview", "compare", "trend", "pipeline", "quality", "lineage", "bulletin"]
TITLES = {
    "overview": "总览",
    "compare": "开发区对比",
    "trend": "趋势",
    "pipeline": "三个一批",
    "quality": "数据质量",
    "lineage": "溯源",
    "bulletin": "月报",
}
MONTH = "2023-06"
CITY = "太原市"
NO_DATA = "还没有发布的数据"
UNREADABLE = "发布文件损坏，请重新运行 make run"


def app_at(page: str | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120).run()
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
    return at


def texts(at) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "info", "warning", "success", "title", "subheader")
        for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_and_its_downloads_are_valid_files(served, downloaded, page):
    from docx import Document
    from openpyxl import load_workbook

    at = app_at(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == TITLES[page]
    assert NO_DATA not in texts(at)
    assert all(d.proto.placeholder == "—" for d in at.dataframe)  # missing values show as —, not None

    buttons = at.get("download_button")
    assert buttons, "every page offers its data for download"
    tables = {}
    for button in buttons:
        name, content = downloaded(button)
        suffix = PurePosixPath(name).suffix
        if suffix == ".csv":
            assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese correctly
            rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
            tables.setdefault(button.key.rsplit("_", 1)[0], {})["csv"] = rows
        elif suffix == ".xlsx":
            sheet = load_workbook(io.BytesIO(content)).active
            rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            tables.setdefault(button.key.rsplit("_", 1)[0], {})["xlsx"] = rows
        elif suffix == ".docx":
            assert Document(io.BytesIO(content)).paragraphs
        else:
            assert content.decode("utf-8").strip()
    for name, pair in tables.items():
        assert set(pair) == {"csv", "xlsx"}, name  # every table in both formats
        assert pair["csv"][0] == pair["xlsx"][0], name  # same header
        assert len(pair["csv"]) == len(pair["xlsx"]) > 1, name  # same rows, and some


def test_overview_defaults_to_latest_month_and_shows_the_expected_kpis(served):
    from test_app_overview import overview_table, plain

    con = duckdb.connect(str(served / "serving.duckdb"), read_only=True)
    try:
        latest = con.execute("select max(period) from rpt_city_month_kpis where has_report").fetchone()[0]
    finally:
        con.close()
    at = app_at("overview")
    assert at.selectbox(key="overview_month").value == latest

    at.selectbox(key="overview_month").select(MONTH).run()
    assert not at.exception
    fact = expected_city_fact(MONTH, CITY, "industrial_value_added")
    said = plain(at.markdown[0].value)
    assert said.startswith("2023年1-6月，全省开发区")
    assert "共收到报告 2 份" in said
    assert re.search("数据质量：(通过|有警告|有错误)", said)
    table = overview_table(at)
    assert plain(table[CITY]["规上工业增加值"]) == f"{fact['value']:,.2f}亿元 ▲{fact['yoy_pct']:.1f}%"
    # no report states the province figure: the province sums the cities that stated it, and says so
    stated = [f["value"] for f in expected_city_facts(MONTH, "industrial_value_added")]
    assert len(stated) > 1
    assert plain(table["全省"]["规上工业增加值"]) == f"{sum(stated):,.2f}亿元（报送{len(stated)}市合计）"


def test_month_in_the_url_opens_every_page_on_that_month(served):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["month"] = MONTH
    at.run()
    assert at.selectbox(key="overview_month").value == MONTH
    at.switch_page("app_pages/pipeline.py").run()
    assert at.selectbox(key="pipeline_month").value == MONTH
    at.selectbox(key="pipeline_month").select("2023-09").run()
    assert at.query_params["month"] == ["2023-09"] or at.query_params["month"] == "2023-09"


def test_compare_city_filter_narrows_the_ranking(served):
    at = app_at("compare")
    at.selectbox(key="compare_month").select(MONTH).run()
    everyone = at.dataframe[0].value
    assert set(everyone["所属市"]) >= {CITY, "长治市"}
    at.selectbox(key="compare_city").select(CITY).run()
    only = at.dataframe[0].value
    assert not at.exception
    assert set(only["所属市"]) == {CITY}
    assert len(only) < len(everyone)
    # ranked by value, descending; switching to growth re-ranks
    col = [c for c in only.columns if c.endswith("（亿元）")][0]
    assert list(only[col]) == sorted(only[col], reverse=True)
    at.radio(key="compare_measure").set_value("同比增速").run()
    by_growth = at.dataframe[0].value
    assert list(by_growth["同比增速（%）"]) == sorted(by_growth["同比增速（%）"], reverse=True)


def test_trend_shows_several_months_and_filters_by_city(served):
    at = app_at("trend")
    table = at.dataframe[0].value
    assert table["期别"].nunique() > 1
    at.multiselect(key="trend_areas").select(CITY).run()
    only = at.dataframe[0].value
    assert set(only["市"]) == {CITY}
    fact = expected_city_fact(MONTH, CITY, "industrial_value_added")
    row = only[only["期别"] == MONTH].iloc[0]
    assert row["累计值（亿元）"] == pytest.approx(fact["value"])
    at.radio(key="trend_level").set_value("开发区").run()
    assert "开发区" in at.dataframe[0].value.columns


def test_pipeline_cumulative_and_event_views(served):
    at = app_at("pipeline")
    at.selectbox(key="pipeline_month").select(MONTH).run()
    cumulative = at.dataframe[0].value
    assert CITY in set(cumulative["地区"])
    assert any("签约开工率·计算" in c for c in at.dataframe[1].value.columns)  # the bulletin's name of the rate
    at.radio(key="pipeline_scope").set_value("event").run()
    assert not at.exception
    event = at.dataframe[0].value
    assert "合计项目（个）" in event.columns
    assert not cumulative.equals(event)


def test_quality_lists_problems_first(served):
    at = app_at("quality")
    at.selectbox(key="quality_month").select(MONTH).run()
    results = next(d.value for d in at.dataframe if "结果" in d.value.columns and "规则" in d.value.columns)
    order = {"错误": 0, "警告": 1, "已确认": 2, "通过": 3}  # status and severity in one word
    ranks = [order[s] for s in results["结果"]]
    assert ranks == sorted(ranks)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["错误"] == 0 or metrics["错误"] == "0"


def test_lineage_finds_the_number_with_its_evidence(served):
    at = app_at("lineage")
    at.selectbox(key="lineage_month").select(MONTH).run()
    everything = len(at.dataframe[0].value)
    at.selectbox(key="lineage_city").select(CITY).run()
    at.selectbox(key="lineage_indicator").select("industrial_value_added").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) < everything
    fact = expected_city_fact(MONTH, CITY, "industrial_value_added")
    row = table[(table["开发区"] == "（全市）")].iloc[0]
    assert row["数值"] == pytest.approx(fact["value"])
    assert row["文件"] == fact["doc"]
    assert f"{fact['value']}" in row["原文"]
    shown = "\n".join(m.value for m in at.markdown)
    assert f"<mark><b>{fact['value']}" in shown


def test_lineage_names_campaign_figures_in_chinese(served):
    at = app_at("lineage")
    at.selectbox(key="lineage_month").select(MONTH).run()
    at.selectbox(key="lineage_indicator").select("三个一批").run()
    names = at.dataframe[0].value["指标"]
    assert len(names) > 10 and names.str.contains("签约").any()
    assert not names.str.contains("[A-Za-z]").any(), sorted(set(names))


def test_lineage_opens_the_normalised_document_at_the_sentence(served, downloaded):
    at = app_at("lineage")
    at.selectbox(key="lineage_month").select(MONTH).run()
    at.selectbox(key="lineage_city").select(CITY).run()
    at.selectbox(key="lineage_indicator").select("industrial_value_added").run()
    fact = expected_city_fact(MONTH, CITY, "industrial_value_added")
    table = at.dataframe[0].value
    pick = table.index[(table["开发区"] == "（全市）")][0]
    at.selectbox(key="lineage_pick").select(pick).run()
    assert not at.exception

    name, content = downloaded(at.get("download_button")[-1])
    assert name.endswith("_规范化.txt")
    document = content.decode("utf-8")  # the whole normalised text
    evidence = table.loc[pick, "原文"]
    assert evidence in document
    page = at.html[0].value.split("<script>")[0]
    marked = page[page.index('<mark id="devzone-evidence">') : page.index("</mark>")]
    assert html.unescape(re.sub("<[^>]+>", "", marked)) == evidence  # exactly the sentence is marked
    assert re.search(rf"<b>{re.escape(str(fact['value']))}[^<]*</b>", marked)  # and the number in bold
    assert html.unescape(re.sub("<[^>]+>", "", page)) == document  # the rest of the text untouched


def test_document_view_escapes_the_text_and_nests_the_marks():
    from document_view import highlight_document

    text = "一、<b>情况</b>\n完成增加值12.5亿元，增长3%。其他"
    sentence = (text.index("完成"), text.index("其他"))
    number = (text.index("12.5"), text.index("，增长"))
    page = highlight_document(text, sentence, number)
    assert "&lt;b&gt;情况&lt;/b&gt;" in page  # the report's own text cannot add markup
    assert '<mark id="devzone-evidence">完成增加值<b>12.5亿元</b>，增长3%。</mark>其他' in page
    # a number outside its sentence, or spans past the end, mark what is valid and nothing else
    assert "<b>" not in highlight_document(text, sentence, (0, 2))
    assert "<mark" not in highlight_document(text, (5, 999), None)
    assert "<mark" not in highlight_document(text, (float("nan"), 3), None)


def test_pipeline_chart_shows_the_stages_in_campaign_order(served):
    at = app_at("pipeline")
    at.selectbox(key="pipeline_month").select(MONTH).run()
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert len(charts) == 2  # projects and investment
    for spec in charts:
        colour = spec["encoding"]["color"]
        assert colour["scale"]["domain"] == ["签约", "开工", "投产"]
        assert spec["encoding"]["xOffset"]["sort"] == ["签约", "开工", "投产"]
    counts = at.dataframe[0].value
    row = counts[counts["地区"] == CITY].iloc[0]
    assert {"签约项目（个）", "开工项目（个）", "投产项目（个）"} <= set(counts.columns)
    assert row[["签约项目（个）", "开工项目（个）", "投产项目（个）"]].notna().all()


def test_quality_shows_warnings_in_chinese_with_their_numbers(served):
    at = app_at("quality")
    at.selectbox(key="quality_month").select(MONTH).run()
    titles = [e.label for e in at.expander]
    assert any("市增速与所辖开发区推算的增速不一致" in t for t in titles), titles
    samples = [d.value for d in at.dataframe if "推算增速（%）" in d.value.columns]
    assert samples, "the growth warning lists stated and implied growth"
    fact = expected_city_fact(MONTH, CITY, "industrial_value_added")
    rows = samples[0][(samples[0]["城市"] == CITY) & (samples[0]["指标"] == "规上工业增加值")]
    assert rows["报告增速（%）"].tolist() == [fact["yoy_pct"]]


@pytest.fixture
def edited_serving(built_home, tmp_path, monkeypatch):
    """A copy of the session's serving file that a test may edit, with the app pointed at it."""
    home, _ = built_home
    shutil.copy(home / "serving.duckdb", tmp_path / "serving.duckdb")
    monkeypatch.setenv("DEVZONE_HOME", str(tmp_path))

    def edit(sql: str, params: list) -> None:
        con = duckdb.connect(str(tmp_path / "serving.duckdb"))
        try:
            con.execute(sql, params)
        finally:
            con.close()

    return edit


def test_pipeline_highlights_a_reported_rate_that_disagrees(edited_serving):
    edited_serving(
        "update rpt_pipeline_conversion set started_reported_rate_pct = started_computed_rate_pct + 2, "
        "started_rate_gap_pp = 2, rate_gap_flag = true where period = ? and city_name = ? and scope = 'cumulative'",
        [MONTH, CITY],
    )
    at = app_at("pipeline")
    at.selectbox(key="pipeline_month").select(MONTH).run()
    assert [w.value for w in at.warning] == [f"比率有差异的地区：{CITY}"]
    rate = "开工项目投产率"  # labels.STAGE_RATE_LABELS["started"], as the bulletin names it
    rates = next(d for d in at.dataframe if f"{rate}·差（百分点）" in d.value.columns)
    row = rates.value[rates.value["地区"] == CITY].iloc[0]
    assert row[f"{rate}·差（百分点）"] == 2 and row[f"{rate}·报告（%）"] - row[f"{rate}·计算（%）"] == pytest.approx(2)
    assert "background-color: #f8d7da" in rates.proto.arrow_data.styler.styles  # the gap cell is red


def test_lineage_marks_a_fact_flagged_for_review_with_its_reasons(edited_serving):
    edited_serving(
        "update rpt_fact_lineage set confidence = 'review', review_reasons = 'subject_inferred,zone_not_in_reference' "
        "where period = ? and city_name = ? and indicator_code = 'industrial_value_added' and zone_name is null",
        [MONTH, CITY],
    )
    at = app_at("lineage")
    at.selectbox(key="lineage_month").select(MONTH).run()
    table = at.dataframe[0].value
    assert set(table["可信度"]) >= {"可信", "待复核：城市由文中地名推断、开发区不在名录中"}
    at.checkbox(key="lineage_review_only").check().run()
    flagged = at.dataframe[0].value
    assert len(flagged) < len(table) and set(flagged["城市"]) == {CITY} and set(flagged["开发区"]) == {"（全市）"}
    assert any("城市由文中地名推断" in w.value for w in at.warning)  # the picked number says why


def test_quality_lists_quarantined_files_with_the_reason(edited_serving):
    edited_serving(
        "insert into rpt_documents (document_row_key, period, file_name, document_status, quarantine_reason, "
        "indicator_fact_count, pipeline_fact_count) values ('k', ?, 'broken.pdf', 'quarantined', ?, 0, 0)",
        [MONTH, "no text layer: the PDF is a scan without OCR"],
    )
    at = app_at("quality")
    at.selectbox(key="quality_month").select(MONTH).run()
    assert any("共有 1 份报告被隔离" in w.value for w in at.warning)
    quarantined = next(d.value for d in at.dataframe if "隔离原因" in d.value.columns and "月份" in d.value.columns)
    assert quarantined[["文件", "隔离原因"]].values.tolist() == [
        ["broken.pdf", "no text layer: the PDF is a scan without OCR"]
    ]


def test_quality_lists_each_files_kind_and_stated_period_and_a_duplicates_kept_file(served):
    at = app_at("quality")
    at.selectbox(key="quality_month").select(MONTH).run()
    files = next(d.value for d in at.dataframe if "类型" in d.value.columns)
    assert set(files["类型"]) == {"月度报告"}
    assert files["所述期间"].notna().all() and "重复于" in files.columns


def test_empty_state_shows_the_one_message(tmp_path, monkeypatch):
    monkeypatch.setenv("DEVZONE_HOME", str(tmp_path / "nothing_here"))
    at = app_at()
    assert not at.exception
    assert [i.value for i in at.info] == [
        "还没有发布的数据：请先运行 `make run`（或 `devzone run --all`）生成 serving.duckdb。"
    ]
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception
        assert any(NO_DATA in i.value for i in at.info)


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda content: content[: len(content) * 2 // 5], id="truncated"),
        pytest.param(lambda content: os.urandom(len(content)), id="garbage"),
    ],
)
def test_an_unreadable_serving_file_shows_one_message_on_every_page(built_home, tmp_path, monkeypatch, damage):
    home, _ = built_home
    serving = tmp_path / "serving.duckdb"
    serving.write_bytes(damage((home / "serving.duckdb").read_bytes()))
    monkeypatch.setenv("DEVZONE_HOME", str(tmp_path))
    at = app_at()
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert [e.value for e in at.error] == [UNREADABLE], page
        assert str(serving) in texts(at)  # the file, for the engineer


def test_a_newly_published_file_is_picked_up(tmp_path, monkeypatch):
    import data

    monkeypatch.setenv("DEVZONE_HOME", str(tmp_path))

    def publish(run_id: str) -> None:
        building = tmp_path / ".serving.building.duckdb"
        con = duckdb.connect(str(building))
        con.execute("create table serving_meta as select now()::timestamp as published_at, ? as run_id", [run_id])
        con.execute("checkpoint")
        con.close()
        os.replace(building, tmp_path / "serving.duckdb")

    publish("first")
    assert data.query("select run_id from serving_meta")["run_id"].tolist() == ["first"]
    publish("second")
    assert data.query("select run_id from serving_meta")["run_id"].tolist() == ["second"]
    assert data.query("select ? as x", ["1'; drop table serving_meta; --"])["x"][0].startswith("1'")


def test_downloads_and_number_formats():
    import data
    import format as fmt
    import pandas as pd
    from openpyxl import load_workbook

    df = pd.DataFrame({"地区": ["太原市"], "规上工业增加值（亿元）": [94.35]})
    wb = load_workbook(io.BytesIO(data.to_xlsx(df)))
    assert [c.value for c in wb.active[2]] == ["太原市", 94.35]
    assert fmt.yi(94.354) == "94.35 亿元"
    assert fmt.yi(1206.66) == "1,206.66 亿元"
    assert fmt.pct(3.6) == "3.6%" and fmt.pct(-2.7, signed=True) == "-2.7%"
    counts = frozenset({"个", "户"})  # as data.count_units() reads them from dim_indicator
    assert fmt.value(125.6, "万人次", counts) == "125.60 万人次"
    assert fmt.value(25, "个", counts) == "25 个" and fmt.value(3, "户", counts) == "3 户"
    assert fmt.value(25, "个", frozenset()) == "25.00 个"  # a unit is a count only when the data says so
    assert fmt.value(None, "亿元", counts) == "—"
    assert (
        fmt.decimals_for("户", counts) == 0
        and fmt.decimals_for("%", counts) == 1
        and fmt.decimals_for("亩", counts) == 2
    )
    assert data.number_format("新增规上企业（户）", counts) == "%d"
    assert data.number_format("新增规上企业（家）", counts) is None


def test_failing_rows_get_chinese_and_distinct_column_names():
    import data

    rows = data.failing_rows(
        [
            {
                "city": "朔州市",
                "indicator_code": "industrial_value_added",
                "evidence": "甲",
                "city_evidence": "乙",
                "zone_value": 67.3,
                "city_value": 48.46,
                "odd_column": 1,
            }
        ],
        {"industrial_value_added": ("规上工业增加值", "亿元")},
    )
    assert list(rows.columns) == ["城市", "指标", "原文", "全市原文", "开发区数值", "全市数值", "odd_column"]
    assert rows["指标"].tolist() == ["规上工业增加值"]
    same_label = data.failing_rows({"city": "a", "city_name": "b"}, {})
    assert list(same_label.columns) == ["城市", "city_name"]  # never two columns of one name


# ---- one place for each fact: the indicators' presentation comes from dim_indicator ------------


def served_indicators(served) -> list[tuple]:
    con = duckdb.connect(str(served / "serving.duckdb"), read_only=True)
    try:
        return con.execute(
            "select indicator_code, headline_rank, is_headline_target, count_units from dim_indicator "
            "order by display_order"
        ).fetchall()
    finally:
        con.close()


def test_the_served_indicators_are_the_seeds(served):
    """dim_indicator serves the indicators seed's presentation columns as they are in the seed."""
    with open(ROOT / "dbt_project" / "seeds" / "indicators.csv", encoding="utf-8", newline="") as fh:
        seed = sorted(csv.DictReader(fh), key=lambda r: int(r["display_order"]))
    served_rows = served_indicators(served)
    assert [r[0] for r in served_rows] == [r["indicator_code"] for r in seed]
    for (code, rank, target, units), row in zip(served_rows, seed, strict=True):
        assert rank == (int(row["headline_rank"]) if row["headline_rank"] else None), code
        assert target == (row["headline_target"] == "true"), code
        assert units == (row["count_units"] or None), code


def test_the_kpi_report_has_a_column_pair_per_headline_indicator(served):
    """rpt_city_month_kpis takes its headline columns from the seed, in headline order."""
    con = duckdb.connect(str(served / "serving.duckdb"), read_only=True)
    try:
        columns = [r[0] for r in con.execute("describe rpt_city_month_kpis").fetchall()]
    finally:
        con.close()
    rows = served_indicators(served)
    headline = [code for code, rank, _, _ in sorted((r for r in rows if r[1] is not None), key=lambda r: r[1])]
    targets = [code for code in headline if next(r[2] for r in rows if r[0] == code)]
    first = columns.index(headline[0])
    assert columns[first:] == [c for code in headline for c in (code, f"{code}_yoy_pct")] + [
        f"{code}_target_yoy_pct" for code in targets
    ]


def test_the_overview_lists_the_headline_indicators_of_the_data(edited_serving):
    """Ranks changed in the served dim_indicator change the overview's KPI list and its order."""
    edited_serving(
        "update dim_indicator set headline_rank = case indicator_code when 'operating_revenue' then 1 "
        "when 'industrial_value_added' then 2 when 'tax_revenue' then null else headline_rank + 10 end "
        "where headline_rank is not null",
        [],
    )
    from test_app_overview import overview_table

    at = app_at("overview")
    assert not at.exception, [e.value for e in at.exception]
    at.selectbox(key="overview_month").select(MONTH).run()
    columns = list(next(iter(overview_table(at).values())))
    assert columns[:2] == ["营业收入", "规上工业增加值"]
    assert "税收收入" not in columns


def test_count_units_come_from_the_data(served, edited_serving):
    import data

    con = duckdb.connect(str(served / "serving.duckdb"), read_only=True)
    try:
        listed = {
            u
            for (units,) in con.execute("select count_units from dim_indicator").fetchall()
            if units
            for u in units.split("|")
        }
    finally:
        con.close()
    assert data.count_units() == listed and {"个", "家", "项", "宗"} <= listed
    edited_serving("update dim_indicator set count_units = '个|台'", [])
    assert data.count_units() == {"个", "台"}


def test_an_outdated_serving_file_asks_for_a_new_run(edited_serving):
    edited_serving("alter table dim_indicator drop column headline_rank", [])
    at = app_at()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == ["发布文件由旧版本生成，缺少本页需要的数据，请重新运行 make run"]


def test_the_app_names_no_indicator_and_keeps_its_words_in_labels():
    """Indicator codes are data (dim_indicator), not code; the pages, the bulletin and the
    formatting keep no vocabulary of their own (labels.py has it)."""
    with open(ROOT / "dbt_project" / "seeds" / "indicators.csv", encoding="utf-8", newline="") as fh:
        codes = [r["indicator_code"] for r in csv.DictReader(fh)]
    files = [ROOT / "app" / name for name in ("streamlit_app.py", "data.py", "format.py", "bulletin.py")]
    files += sorted((ROOT / "app" / "app_pages").glob("*.py"))
    for path in files:
        source = path.read_text(encoding="utf-8")
        assert not [c for c in codes if re.search(rf"\b{c}\b", source)], path.name
        # a dict of words for codes or flags ({True: "是", ...}, {"failed": "失败"}) belongs in labels.py
        assert not re.search(r"\{\s*(True|False|\"[a-z_]+\")\s*:\s*\"[^\"]*[\u4e00-\u9fff]", source), path.name


MARK = "✎"
MARK_CAPTION = "✎ 经人工更正，详见溯源"


def displayed(frame):
    """What a table shows: its Styler's display values (the marker is there), else its data."""
    import pyarrow as pa

    raw = frame.proto.arrow_data.styler.display_values
    return pa.ipc.open_stream(raw).read_pandas() if raw else frame.value.astype(str)


def test_without_corrections_no_page_shows_the_marker(served):
    at = app_at()
    at.query_params["month"] = MONTH
    for page in ("overview", "compare", "trend", "pipeline", "lineage", "bulletin"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        shown = [texts(at), *(m.value for m in at.metric), *(str(m.delta) for m in at.metric)]
        shown += [displayed(d).to_csv() for d in at.dataframe]
        assert not [s for s in shown if MARK in s], page
    at.switch_page("app_pages/quality.py").run()
    assert not any("更正内容" in d.value.columns for d in at.dataframe)  # no orphaned corrections


def test_a_serving_file_from_before_corrections_asks_for_a_new_run(edited_serving):
    edited_serving("drop table rpt_corrections", [])
    at = app_at("quality")
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == ["发布文件由旧版本生成，缺少本页需要的数据，请重新运行 make run"]


# ---- issue 13: 数据质量 in Chinese, 溯源's province figures, 三个一批's words and order ------------


def test_quality_says_each_check_in_chinese_in_one_word_and_keeps_the_codes_in_technical_details(served):
    at = app_at("quality")
    at.selectbox(key="quality_month").select(MONTH).run()
    assert not at.exception, [e.value for e in at.exception]
    problems = [e for e in at.expander if "技术细节" not in e.label]
    assert problems and all(e.label.split(" · ")[0] in {"错误", "警告", "已确认"} for e in problems)
    shown = "\n".join(m.value for e in problems for m in e.markdown)
    assert "市报增速与按各开发区推算的增速" in shown and "检查4行，4行未通过" in shown  # rule_zh, observed_zh
    assert "expect_" not in shown and "rows fail" not in shown
    unknown = next(d.value for e in problems if "开发区不在开发区名录中" in e.label for d in e.dataframe)
    assert {"城市", "开发区", "在开发区名录中", "文件"} <= set(unknown.columns)
    assert set(unknown["开发区"]) == {"娄烦经开区", "阳曲经开区"} and set(unknown["在开发区名录中"]) == {"否"}
    assert not [c for c in unknown.columns if re.search("[A-Za-z]", c)]
    results = next(d.value for d in at.dataframe if "结果" in d.value.columns and "规则" in d.value.columns)
    assert "状态" not in results.columns and "级别" not in results.columns
    assert not results["规则"].str.contains("[A-Za-z]{4,}").any()  # the suites' rule_zh, not the English rule
    (technical,) = [e for e in at.expander if e.label == "技术细节"]
    codes = technical.dataframe[0].value
    assert codes["校验项"].str.startswith(("expect_", "city_growth:", "named_zone:", "document_facts:")).any()
    assert {"校验组", "规则（英文）", "观测值（英文）", "未通过样例"} <= set(codes.columns)


def test_a_failing_sample_shows_names_and_words_not_codes_or_flags():
    import data

    shown = data.failing_sample(
        [
            {
                "check": "zone_within_city",
                "doc_id": "ab" * 32,
                "period": "2023-06",
                "city_code": "140100",
                "zone_key": "UNRESOLVED:娄烦经开区",
                "stage": "in_production",
                "scope": "cumulative",
                "basis": "actual",
                "confidence": "review",
                "review_reasons": "subject_inferred",
                "in_reference": False,
                "filed": True,
            }
        ],
        {},
        {"140100": "太原市"},
        {},
    )
    assert list(shown.columns) == [
        "月份", "城市", "开发区", "阶段", "口径", "完成/目标", "可信度", "复核原因", "在开发区名录中", "本月已报送"
    ]  # fmt: skip
    assert shown.iloc[0].tolist() == [
        "2023-06", "太原市", "娄烦经开区", "投产", "累计", "完成", "待复核：城市由文中地名推断", "城市由文中地名推断", "否", "是"
    ]  # fmt: skip


def test_lineage_names_the_provinces_own_figures_and_opens_on_a_link(served):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["month"] = "2023-09"  # 全省's campaign figures, from a bulletin of several cities
    at.query_params["city"] = "全省"
    at.run()
    at.switch_page("app_pages/lineage.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="lineage_city").value == "全省"
    table = at.dataframe[0].value
    assert len(table) and set(table["城市"]) == {"全省"} and table["开发区"].isna().all()
    assert "fact_id" not in table.columns
    picker = at.selectbox(key="lineage_pick").options
    assert all(o.startswith("全省 · ") and "None" not in o and "（全市）" not in o for o in picker), picker
    about = next(c.value for c in at.caption if c.value.startswith("文件："))
    assert "（，" not in about and "（编码 utf-8，收到于" in about  # a bulletin of several cities names none


def test_pipeline_names_rates_as_the_bulletin_lists_stages_in_order_and_draws_the_province_apart(served):
    import pyarrow as pa

    at = app_at("pipeline")
    at.selectbox(key="pipeline_month").select("2023-09").run()
    rates = next(d.value for d in at.dataframe if any("率·报告" in c for c in d.value.columns))
    assert [c for c in rates.columns if c.endswith("·报告（%）")] == [
        "签约开工率·报告（%）", "开工项目投产率·报告（%）", "达产率·报告（%）"
    ]  # fmt: skip
    (details,) = [e for e in at.expander if e.label == "各开发区明细"]
    detail = details.dataframe[0].value
    order = ["签约", "开工", "投产", "合计"]
    for _, stages in detail.groupby(["地区", "开发区"], dropna=False, sort=False)["阶段"]:
        assert [order.index(s) for s in stages] == sorted(order.index(s) for s in stages)
    at.radio(key="pipeline_scope").set_value("event").run()
    assert "全省" in set(at.dataframe[0].value["地区"])  # the table keeps 全省
    for chart in at.get("vega_lite_chart"):
        drawn = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_pandas()
        assert "全省" not in set(drawn["地区"]) and len(drawn)  # the charts draw the cities only
    assert any(c.value.startswith("全省（报告所列全省数") and "签约 268 个" in c.value for c in at.caption)
