"""总览 for the 30-second read, and the charts' colours and order (issue 13).

The app reads the serving file of the session-built home (`served` from conftest: every sample
month through the real pipeline). Expected numbers come from samples/expected/.
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
from conftest import SAMPLE_MONTHS, expected_city_fact, expected_city_facts
from test_app import CITY, MONTH, app_at

LINK = re.compile(r"\[([^\]]*(?:\][^\]]*)*?)\]\(([^)\s]+)\)")  # [text](url), the text may hold :red[…]
CITY_ORDER = [
    "太原市",
    "大同市",
    "朔州市",
    "忻州市",
    "吕梁市",
    "晋中市",
    "阳泉市",
    "长治市",
    "晋城市",
    "临汾市",
    "运城市",
]


def overview_at(month: str):
    from streamlit.testing.v1 import AppTest
    from test_app import APP

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["month"] = month
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="overview_month").value == month
    return at


def summary(at) -> str:
    """The sentences that open 总览: its first Markdown."""
    return at.markdown[0].value


def overview_table(at) -> dict[str, dict[str, str]]:
    """总览's table of the reporting cities: place -> indicator name -> the cell's Markdown."""
    source = next(m.value for m in at.markdown if m.value.startswith("| 地区 |"))
    lines = source.splitlines()
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = {}
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        rows[cells[0]] = dict(zip(header[1:], cells[1:], strict=True))
    return rows


def plain(markdown: str) -> str:
    """What a Markdown text reads as: links and colours dropped, their words kept."""
    text = LINK.sub(lambda m: m.group(1), markdown)
    return re.sub(r":(?:red|green)\[([^\]]*)\]", r"\1", text)


def serving(served, sql: str, params: list) -> list[tuple]:
    con = duckdb.connect(str(served / "serving.duckdb"), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("month", SAMPLE_MONTHS)
def test_the_first_sentences_state_the_province_figure_with_its_unit_for_every_sample_month(served, month):
    at = overview_at(month)
    ((label,),) = serving(served, "select label_long from dim_period where period = ?", [month])
    first = plain(summary(at)).split("。")[0]
    assert first.startswith(f"{label}，全省开发区"), first
    assert re.search(r"\d[\d,]*\.\d{2}亿元", first), first  # a figure, with its unit
    # a province figure no report states is the sum of the reporting cities, and says so in the value
    stated = [f["value"] for f in expected_city_facts(month, "industrial_value_added")]
    if stated:
        assert f"规上工业增加值 {sum(stated):,.2f}亿元（报送{len(stated)}市合计）" in first
    # the sentences say who reported and the quality, in a few sentences
    text = plain(summary(at))
    assert 3 <= text.count("。") <= 5, text
    assert "个市报送" in text and "数据质量：" in text


def test_the_province_figure_a_report_states_is_shown_as_stated(served):
    (month,) = [
        p for (p,) in serving(served, "select period from rpt_city_month_kpis where is_province and has_report", [])
    ]
    ((yoy,),) = serving(
        served,
        "select industrial_value_added_yoy_pct from rpt_city_month_kpis where is_province and period = ?",
        [month],
    )
    at = overview_at(month)
    assert "规上工业增加值 " in plain(summary(at))
    from bulletin import growth

    assert growth(yoy) in plain(summary(at)).split("。")[0]  # the report's own growth, in the bulletin's words
    assert f"▲{yoy:.1f}%" in plain(overview_table(at)["全省"]["规上工业增加值"])


def test_the_summary_names_the_top_movers_and_how_many_cities_and_zones_reported(served):
    from bulletin import growth

    at = overview_at("2023-09")
    text = plain(summary(at))
    assert f"规上工业增加值增速最高的是忻州市（{growth(7.9)}），最低的是吕梁市（{growth(-1.8)}）" in text
    assert "3 个市报送（忻州市、吕梁市、运城市）" in text
    ((listed,),) = serving(served, "select count(*) from dim_zone where is_resolved", [])
    assert re.search(rf"本月 \d+ 个开发区报送（开发区名录共 {listed} 个）", text), text
    assert "全省共" not in text


def test_the_table_shows_the_reporting_cities_with_units_in_the_values(served):
    at = overview_at(MONTH)
    table = overview_table(at)
    assert list(table) == ["全省", CITY, "长治市"]  # the province, then the reporting cities in the official order
    fact = expected_city_fact(MONTH, CITY, "industrial_value_added")
    assert plain(table[CITY]["规上工业增加值"]) == f"{fact['value']:,.2f}亿元 ▲{fact['yoy_pct']:.1f}%"
    for row in table.values():
        for cell in row.values():
            assert cell == "—" or re.search(r"\d\.\d{2}亿元|\d+个|\d\.\d{2}亿美元|\d\.\d{2}万人次", plain(cell)), cell
    assert "是否报送" not in "\n".join(m.value for m in at.markdown)  # the 全省 row never says 否


@pytest.mark.parametrize("month", SAMPLE_MONTHS)
def test_the_not_reported_line_names_exactly_the_cities_without_a_report(served, month):
    missing = {
        c for (c,) in serving(
            served, "select city_name from rpt_city_month_kpis where period = ? and not is_province and not has_report",
            [month],
        )
    }  # fmt: skip
    at = overview_at(month)
    (line,) = [m.value for m in at.markdown if m.value.startswith("未报送：")]
    named = line.removeprefix("未报送：").split("、")
    assert set(named) == missing and len(named) == len(missing)
    assert named == [c for c in CITY_ORDER if c in missing]  # in the official order
    assert not set(named) & set(overview_table(at))  # a city is either in the table or on this line


def test_growth_is_red_for_a_rise_and_green_for_a_fall_with_a_legend(served):
    at = overview_at("2023-09")
    table = overview_table(at)
    assert ":green[▼1.8%]" in table["吕梁市"]["规上工业增加值"]
    assert ":red[▲7.9%]" in table["忻州市"]["规上工业增加值"]
    from bulletin import growth

    assert f":green[{growth(-1.8)}]" in summary(at) and f":red[{growth(7.9)}]" in summary(at)
    assert any("红色▲表示同比增长，绿色▼表示同比下降" in c.value for c in at.caption)

    at.switch_page("app_pages/compare.py").run()
    at.radio(key="compare_measure").set_value("同比增速").run()
    (spec,) = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    scale = spec["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {"增长": "#d62728", "下降": "#2ca02c"}


def test_every_figure_links_to_lineage_filtered_on_it_and_the_quality_status_to_quality(served):
    at = overview_at(MONTH)
    table = overview_table(at)
    codes = dict(serving(served, "select indicator_name, indicator_code from dim_indicator", []))
    for place, row in table.items():
        for name, cell in row.items():
            if cell == "—":
                continue
            links = LINK.findall(cell)
            assert links and not LINK.sub("", cell).strip(), cell  # every figure is a link
            for _, url in links:
                target = urlsplit(url)
                params = {k: v[0] for k, v in parse_qs(target.query).items()}
                assert target.path == "lineage"
                assert params["month"] == MONTH and params["indicator"] == codes[name]
                assert params.get("city") == (None if place == "全省" else place)
    quality = [url for _, url in LINK.findall(summary(at)) if url.startswith("quality")]
    assert quality == [f"quality?month={MONTH}"]


def test_the_lineage_link_helpers_name_their_parameters():
    import data

    assert data.LINK_PARAMS == ("month", "city", "zone", "indicator")
    url = urlsplit(data.lineage_url("2023-06", city="太原市", zone="（全市合计）", indicator="x"))
    assert url.path == "lineage"
    assert parse_qs(url.query) == {
        "month": ["2023-06"],
        "city": ["太原市"],
        "zone": ["（全市合计）"],
        "indicator": ["x"],
    }
    assert data.lineage_url("2023-06") == "lineage?month=2023-06"


def test_trend_draws_the_cities_in_the_official_order_each_in_its_own_colour(served):
    at = app_at("trend")
    charts = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    colour = charts[0]["encoding"]["color"]
    domain, palette = colour["scale"]["domain"], colour["scale"]["range"]
    assert domain == [c for c in CITY_ORDER if c in domain] and len(domain) == 11
    assert colour["sort"] == domain  # the legend in that order too
    assert len(set(palette)) == len(palette) == 11  # 11 colours: no two cities alike
    assert not {"#d62728", "#2ca02c"} & set(palette)  # red and green mean a rise and a fall
    assert "全省" not in domain  # the province is drawn on its own
    table = at.dataframe[0].value
    for _, month in table.groupby("期别", sort=False):
        assert list(month["市"]) == [c for c in CITY_ORDER if c in set(month["市"])]


def test_compare_colours_cities_by_the_palette_and_counts_zones_against_the_reference(served):
    at = app_at("compare")
    at.selectbox(key="compare_month").select(MONTH).run()
    (spec,) = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    domain = spec["encoding"]["color"]["scale"]["domain"]
    assert domain == [c for c in CITY_ORDER if c in domain]
    ((listed,),) = serving(served, "select count(*) from dim_zone where is_resolved", [])
    caption = next(c.value for c in at.caption if "开发区报送" in c.value)
    assert f"本月 {len(at.dataframe[0].value)} 个开发区报送" in caption and f"开发区名录共 {listed} 个" in caption
    assert "全省共" not in caption


def test_following_a_figures_link_opens_lineage_filtered_on_it(served):
    from streamlit.testing.v1 import AppTest
    from test_app import APP

    cell = overview_table(overview_at(MONTH))[CITY]["规上工业增加值"]
    url = urlsplit(LINK.findall(cell)[0][1])
    at = AppTest.from_file(APP, default_timeout=120)
    for name, values in parse_qs(url.query).items():
        at.query_params[name] = values[0]
    at.run()
    at.switch_page(f"app_pages/{url.path}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    fact = expected_city_fact(MONTH, CITY, "industrial_value_added")
    table = at.dataframe[0].value
    assert set(table["城市"]) == {CITY} and table["指标"].str.startswith("规上工业增加值").all()  # its target too
    assert fact["value"] in set(table["数值"])
