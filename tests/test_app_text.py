"""Every word the app shows is for managers: no code, no missing value spelled out, no empty
parentheses (issue 13).

Each page is rendered headless (AppTest) once for every month its month selector offers (数据质量:
every validated month, rpt_quality_month; the others: every month with reports; 趋势 has no month
selector and is rendered once) on the session-built home's serving file, and all the text it
shows is scanned: titles, headings, Markdown, captions, alerts, metric labels, values and deltas,
expander labels, the options of selectors and radios as displayed, and tables' column names and
cells (a Styler's display values where it has them). The engineers' 技术细节 expander may hold
codes and is left out; so are code blocks (the correction command) and the report's own text
(溯源's document view, an st.html).
"""

from __future__ import annotations

import re
import sys
import time

import duckdb
import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "app"))

APP = str(ROOT / "app" / "streamlit_app.py")
PAGES = ["overview", "compare", "trend", "pipeline", "quality", "lineage", "bulletin"]
TECHNICAL_DETAILS = "技术细节"  # labels.TECHNICAL_DETAILS: the one expander whose text may hold codes

# A file name is data (taiyuan_2023-06.txt), not a code: taken out before the scan.
FILE_NAME = re.compile(r"[\w.\-]+\.(?:txt|docx?|pdf|html?|md|xlsx|csv|json)\b", re.ASCII)
LEAKS = [
    ("a table's name", re.compile(r"(?<![A-Za-z0-9])(?:fct|dim|rpt|stg|int|raw)_[A-Za-z0-9_]+")),
    ("a GX expectation", re.compile(r"(?<![A-Za-z0-9])expect_[A-Za-z0-9_]+")),
    ("an id column", re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]+_ids?(?![A-Za-z0-9])")),
    ("a snake_case identifier", re.compile(r"(?<![A-Za-z0-9])[a-z]+(?:_[a-z]+)+(?![A-Za-z0-9])")),
    (
        "a missing value or a flag as code",
        re.compile(r"(?<![A-Za-z0-9])(?:None|nan|NaN|NaT|True|False|null)(?![A-Za-z0-9])"),
    ),
    ("empty parentheses", re.compile(r"（\s*）|\(\s*\)|（\s*，|\(\s*,")),
]


# A Markdown link's target (a link to 溯源 with ?indicator=<code>) is not shown: only its text is.
LINK_TARGET = re.compile(r"\]\([^)]*\)")


def leaks(text: str) -> list[str]:
    """What in `text` is code or an empty parenthesis, each once, as 'what: the match'."""
    text = FILE_NAME.sub("文件", LINK_TARGET.sub("]", text))
    found: dict[str, str] = {}
    for what, pattern in LEAKS:
        for match in pattern.finditer(text):
            found.setdefault(match.group(0), what)
    return [f"{what}: {match}" for match, what in found.items()]


def shown_table(element) -> list[str]:
    """A table's column names and the text of its non-empty cells, as displayed (a Styler's
    display values where it has them; an empty cell shows the placeholder —)."""
    import pandas as pd
    import pyarrow as pa

    raw = element.proto.arrow_data.styler.display_values
    frame = pa.ipc.open_stream(raw).read_pandas() if raw else element.value
    cells = [str(v) for column in frame.columns for v in frame[column] if not pd.isna(v)]
    return [str(c) for c in frame.columns] + cells


def shown_texts(node, where: str = "") -> list[tuple[str, str]]:
    """(where, text) of everything `node` shows, depth first; the 技术细节 expander is skipped."""
    kind = getattr(node, "type", "")
    if kind == "expander":
        if TECHNICAL_DETAILS in node.label:
            return []
        where = f"{where} › {node.label}"
    found: list[tuple[str, str]] = []
    if kind == "expander" or kind == "tab":
        found.append((where, node.label))
    if kind in {"markdown", "caption", "title", "subheader", "header", "info", "warning", "success", "error"}:
        found.append((where or kind, str(node.value)))
    elif kind == "metric":
        found += [(f"{where} metric", str(v)) for v in (node.label, node.value, node.proto.delta) if v]
    elif kind in {"selectbox", "multiselect", "radio"}:
        found += [(f"{where} {kind} {node.label}", str(o)) for o in [node.label, *node.options]]
    elif kind in {"checkbox", "text_input", "toggle", "download_button", "button"}:
        found.append((f"{where} {kind}", str(node.label)))
    elif kind in {"arrow_data_frame", "dataframe"}:
        found += [(f"{where} table", t) for t in shown_table(node)]
    for child in getattr(node, "children", {}).values():
        found += shown_texts(child, where)
    return found


def scan(at) -> list[str]:
    return [f"{where}: {said!r} ({leak})" for where, said in shown_texts(at._tree) for leak in leaks(said)]


def test_the_scan_finds_codes_and_empty_parentheses_but_not_file_names_or_words():
    assert leaks("各开发区明细（fct_project_pipeline）") == ["a table's name: fct_project_pipeline"]
    assert [x.split(":")[0] for x in leaks("expect_column_values_to_be_between(yoy_gap_pp)")][:1] == [
        "a GX expectation"
    ]
    assert leaks("fact_id") and leaks("None · （全市）") and leaks("是否报送 False") and leaks("增速 nan%")
    assert leaks("文件：a.txt（，编码 utf-8") == ["empty parentheses: （，"]
    assert leaks("全省（）") and leaks("f()")
    assert leaks("文件 bulletin_lvliang_xinzhou_2023-09.txt（编码 utf-8）") == []
    assert leaks("2023年1-6月（2023-06）· 94.35 亿元 · 140108-CY · ✎ · devzone") == []
    assert leaks("[94.35亿元](lineage?month=2023-06&indicator=industrial_value_added)") == []


def months_offered(at, page: str) -> list[str | None]:
    """The months (YYYY-MM) the page's month selector offers, as its options end: 2023年1-6月（2023-06）;
    [None] for a page without one."""
    selectors = [s for s in at.selectbox if s.key == f"{page}_month"]
    if not selectors:
        return [None]
    return [re.search(r"（(\d{4}-\d{2})）$", option).group(1) for option in selectors[0].options]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_no_code_no_missing_value_and_no_empty_parentheses_in_any_month(served, page):
    from streamlit.testing.v1 import AppTest

    started = time.perf_counter()
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(f"app_pages/{page}.py").run()
    found: dict[str, list[str]] = {}
    months = months_offered(at, page)
    for index, month in enumerate(months):
        if index:
            at.selectbox(key=f"{page}_month").select(month).run()
        assert not at.exception, (page, month, [e.value for e in at.exception])
        problems = scan(at)
        if problems:
            found[str(month)] = sorted(set(problems))
    seconds = time.perf_counter() - started
    print(f"{page}: {len(months)} months in {seconds:.1f} s")
    assert not found, "\n".join(f"{month}: {p}" for month, problems in found.items() for p in problems)


def test_every_validated_month_can_be_chosen_on_the_quality_page(served):
    from streamlit.testing.v1 import AppTest

    con = duckdb.connect(str(served / "serving.duckdb"), read_only=True)
    try:
        validated = [p for (p,) in con.execute("select period from rpt_quality_month order by period desc").fetchall()]
        reported = {
            p for (p,) in con.execute("select distinct period from rpt_city_month_kpis where has_report").fetchall()
        }
    finally:
        con.close()
    without_reports = [p for p in validated if p not in reported]
    assert without_reports, "the samples have months without reports that were validated"
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.query_params["month"] = without_reports[0]  # a link to 数据质量 of a month without reports
    at.switch_page("app_pages/quality.py").run()
    selector = at.selectbox(key="quality_month")
    assert len(selector.options) == len(validated)
    assert selector.value == without_reports[0]
    assert any("没有收到报告" in c.value for c in at.caption)
    assert {m.label for m in at.metric} >= {"校验状态", "错误", "警告"}
