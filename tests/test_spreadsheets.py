"""Cities' tables of indicators as spreadsheets (.xlsx, .xls, .csv): the same facts whatever the
format, each with its cell and column header; a file that is not such a table is refused.

The .xls is written by xlwt (a dev dependency): the test builds it from the sample's own rows, so
that no second binary fixture has to be kept in step with samples/make_binary_samples.py.
"""

import csv
import io
import sys

import pytest
from conftest import ROOT, load_jsonl

from devzone.extraction import ReadError, extract_document, extract_path, read_bytes

sys.path.insert(0, str(ROOT / "samples"))
import make_binary_samples as samples  # noqa: E402

XLSX = ROOT / "samples" / "reports" / "2024-06" / "taiyuan_2024-06.xlsx"
EXPECTED = load_jsonl(ROOT / "samples" / "expected" / "2024-06" / "taiyuan_2024-06.jsonl")
WIDTH = 1 + len(samples.TAIYUAN_COLUMNS)


def sample_rows() -> list[list[object]]:
    """The sample sheet's rows as a person sees them: title, unit line, the two header rows (the
    indicators' cells followed by the blanks they are merged over), zones, 合计, notes."""
    top: list[object] = ["开发区名称"]
    for name in samples.TAIYUAN_INDICATORS:
        top += [name, None]
    rows: list[list[object]] = [[samples.TAIYUAN_TITLE], [None] * (WIDTH - 2) + ["单位：亿元、万元、%"], top]
    rows.append([None, *samples.TAIYUAN_COLUMNS])
    rows += [list(r) for r in samples.TAIYUAN_ROWS]
    rows.append([])
    rows += [[note] for note in samples.TAIYUAN_NOTES]
    return rows


def xls_bytes(rows: list[list[object]], sheet: str = "1-6月", merged_header: bool = True) -> bytes:
    """The rows as a .xls; `merged_header`: rows 3-4 are the sample's header, merged as in the .xlsx."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet(sheet)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None and not (merged_header and i == 2):
                ws.write(i, j, value)
    if merged_header:
        ws.write_merge(2, 3, 0, 0, "开发区名称")
        for k, name in enumerate(samples.TAIYUAN_INDICATORS):  # merged over its two columns
            ws.write_merge(2, 2, 1 + 2 * k, 2 + 2 * k, name)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[object]], encoding: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue().encode(encoding)


def contract(facts: list[dict]) -> list[tuple]:
    """The facts' contract fields, the file's name aside (the formats' files are named apart)."""
    keys = ("city", "zone", "metric", "value", "unit", "yoy_pct", "basis")
    return sorted((tuple(f[k] for k in keys) for f in facts), key=repr)


def facts_of(data: bytes, name: str) -> list[dict]:
    return extract_document(read_bytes(data, name), "2024-06").facts


def test_the_xlsx_sample_gives_exactly_its_expected_facts(scorer):
    facts = extract_path(XLSX, "2024-06").facts
    result = scorer.score(EXPECTED, facts)
    assert (result["precision"], result["recall"]) == (1.0, 1.0), result
    assert len(facts) == len(EXPECTED) == 23


def test_each_fact_of_the_xlsx_names_its_sheet_cell_and_header():
    extraction = extract_path(XLSX, "2024-06")
    text = extraction.normalised_text
    assert extraction.document.encoding == "xlsx" and text == extraction.document.text
    tax = next(f for f in extraction.facts if f["zone"] == "山西转型综合改革示范区" and f["metric"] == "tax_revenue")
    assert (tax["value"], tax["unit"], tax["yoy_pct"]) == (48.563, "亿元", 3.1)  # 485630 万元
    assert tax["source_cell"] == "1-6月!H5"
    assert tax["source_header"] == "税收收入 本月累计（万元）"
    assert text[slice(*tax["value_span"])] == "485630"
    assert text[slice(*tax["evidence_span"])] == tax["evidence"]
    assert tax["evidence"].startswith("山西转型综合改革示范区\t186.42\t")
    total = next(f for f in extraction.facts if f["zone"] is None and f["metric"] == "industrial_value_added")
    assert (total["city"], total["value"], total["source_cell"]) == ("太原市", 274.65, "1-6月!B10")


def test_blank_and_dash_cells_state_nothing():
    facts = extract_path(XLSX, "2024-06").facts
    stainless = next(f for f in facts if f["zone"] == "太原不锈钢产业园区" and f["metric"] == "fixed_asset_investment")
    assert (stainless["value"], stainless["yoy_pct"]) == (6.12, None)  # a blank growth
    assert not [f for f in facts if f["zone"] == "古交经济技术开发区" and f["metric"] == "fixed_asset_investment"]


def test_the_rendering_keeps_the_title_so_that_the_landing_finds_month_and_city():
    from devzone.extraction.period import stated_period
    from devzone.extraction.reference import load_reference
    from devzone.extraction.report_kind import report_kind
    from devzone.landing import report_city

    document = read_bytes(XLSX.read_bytes(), XLSX.name)
    lines = document.text.splitlines()
    assert lines[0] == "【工作表：1-6月】" and lines[1] == samples.TAIYUAN_TITLE
    assert lines[3].split("\t")[:3] == ["开发区名称", "规上工业增加值", ""]  # row 3
    period = stated_period(document.text)
    assert period is not None and not period.contradicts("2024-06")
    city = report_city(document.text, load_reference())
    assert (city, report_kind(document.text, city)) == ("太原市", "table")


def test_the_same_table_as_xls_gives_the_same_facts():
    data = xls_bytes(sample_rows())
    facts = facts_of(data, "taiyuan.xls")
    assert read_bytes(data, "taiyuan.xls").encoding == "xls"
    assert contract(facts) == contract(extract_path(XLSX, "2024-06").facts)
    assert {f["source_cell"] for f in facts} >= {"1-6月!H5", "1-6月!B10"}


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
def test_the_same_table_as_csv_gives_the_same_facts(encoding):
    data = csv_bytes(sample_rows(), encoding)
    assert read_bytes(data, "taiyuan.csv").encoding == f"csv/{encoding}"
    facts = facts_of(data, "taiyuan.csv")
    assert contract(facts) == contract(extract_path(XLSX, "2024-06").facts)
    assert next(f for f in facts if f["zone"] is None and f["metric"] == "tax_revenue")["source_cell"] == "taiyuan!H10"


def test_a_one_row_header_with_units_in_brackets_and_a_city_known_by_its_zones():
    rows = [
        ["开发区", "规上工业增加值（亿元）", "增速（%）", "上年同期（亿元）", "固定资产投资（万元）", "增速（%）"],
        ["清徐经开区", "45.28", "4.1", "43.5", "274500", "-"],
        ["古交经开区", "21.63", "", "21.06", "／", "3.2"],
        ["全市合计", "66.91", "3.6", "64.56", "274500", "12.6"],
    ]
    facts = facts_of(csv_bytes(rows, "utf-8"), "t.csv")
    got = {(f["zone"], f["metric"]): (f["value"], f["yoy_pct"], f["city"]) for f in facts}
    assert got == {
        ("清徐经开区", "industrial_value_added"): (45.28, 4.1, "太原市"),
        ("清徐经开区", "fixed_asset_investment"): (27.45, None, "太原市"),
        ("古交经开区", "industrial_value_added"): (21.63, None, "太原市"),
        (None, "industrial_value_added"): (66.91, 3.6, "太原市"),
        (None, "fixed_asset_investment"): (27.45, 12.6, "太原市"),
    }
    city_total = next(f for f in facts if f["zone"] is None and f["metric"] == "industrial_value_added")
    assert city_total["review_reasons"] == ["subject_inferred"]  # no title names the city


def test_an_empty_spreadsheet_is_refused():
    import openpyxl

    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    with pytest.raises(ReadError, match="empty.xlsx: empty spreadsheet"):
        read_bytes(out.getvalue(), "empty.xlsx")


def test_a_spreadsheet_of_something_else_is_refused_with_what_to_do():
    rows = [["太原市商务局开发区科工作人员名单"], ["姓名", "职务", "电话"], ["张三", "科长", "0351-1234567"]]
    with pytest.raises(ReadError, match=r"no sheet is a table of indicators \(staff\): .*indicators.csv"):
        read_bytes(xls_bytes(rows, sheet="staff", merged_header=False), "staff.xls")


def test_a_corrupt_xlsx_is_refused():
    data = XLSX.read_bytes()
    with pytest.raises(ReadError, match=r"broken.xlsx: not a valid .xlsx file \("):
        read_bytes(data[: len(data) // 2], "broken.xlsx")


def test_the_warehouse_stores_each_facts_cell_and_header(tmp_path):
    from devzone import warehouse

    document = read_bytes(XLSX.read_bytes(), XLSX.name)
    con = warehouse.connect(tmp_path / "warehouse.duckdb")
    try:
        con.execute(
            "insert into raw.documents (period, doc_id, file_name, size_bytes, encoding, raw_text, normalised_text, "
            "filed_at, status) values ('2024-06', ?, ?, ?, ?, ?, ?, now(), 'current')",
            [document.doc_id, document.file_name, document.size, document.encoding, document.text, document.text],
        )
        warehouse.load_facts(con, "2024-06")
        rows = con.execute(
            "select zone, metric, value, source_cell, source_header, evidence_start, value_start, value_end "
            "from raw.indicator_facts where source_cell = '1-6月!H5'"
        ).fetchall()
        (zone, metric, value, cell, header, evidence_start, value_start, value_end) = rows[0]
        prose = con.execute("select count(*) from raw.indicator_facts where source_cell is null").fetchone()
    finally:
        con.close()
    assert (zone, metric, value, cell, header) == (
        "山西转型综合改革示范区",
        "tax_revenue",
        48.563,
        "1-6月!H5",
        "税收收入 本月累计（万元）",
    )
    assert document.text[value_start:value_end] == "485630" and evidence_start < value_start
    assert prose == (0,)


def test_the_running_total_is_read_and_prior_year_subtotal_and_foreign_currency_columns_are_not():
    rows = [
        ["晋中市开发区2024年1-6月主要指标"],
        ["序号", "开发区名称", "规上工业增加值（亿元）", "", "", "", "进出口总额"],
        ["", "", "本月", "1-6月累计", "上年同期", "增速（%）", "金额（万美元）"],
        ["1", "晋中开发区", "3.2", "18.5", "17.1", "8.2", "1234"],
        ["2", "介休经开区", "1.1", "6.6", "6.9", "-4.3", "—"],
        ["", "小计", "4.3", "25.1", "24", "5", ""],
        ["", "全省", "30", "180", "170", "5.9", ""],
    ]
    facts = facts_of(csv_bytes(rows, "gb18030"), "jz.csv")
    assert [(f["city"], f["zone"], f["metric"], f["value"], f["yoy_pct"], f["source_cell"]) for f in facts] == [
        ("晋中市", "晋中开发区", "industrial_value_added", 18.5, 8.2, "jz!D4"),
        ("晋中市", "介休经开区", "industrial_value_added", 6.6, -4.3, "jz!D5"),
        (None, None, "industrial_value_added", 180.0, 5.9, "jz!D7"),  # 全省: the province
    ]
    assert facts[0]["source_header"] == "规上工业增加值（亿元） 1-6月累计"


def test_a_names_column_without_a_header_of_its_own_is_the_one_left_of_the_indicators():
    rows = [["", "规上工业增加值（亿元）", "增速（%）"], ["清徐经开区", "45.28", "4.1"], ["合计", "45.28", "4.1"]]
    facts = facts_of(csv_bytes(rows, "utf-8"), "x.csv")
    assert [(f["zone"], f["value"], f["yoy_pct"], f["source_cell"]) for f in facts] == [
        ("清徐经开区", 45.28, 4.1, "x!B2"),
        (None, 45.28, 4.1, "x!B3"),
    ]
