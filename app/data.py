"""Access to the serving file, read-only, one short connection per query.

The app reads only `$DEVZONE_HOME/serving.duckdb` (default `<project root>/.devzone`). Results are
cached with `st.cache_data` keyed on the file's (path, mtime_ns, inode), so a newly published file
(build-then-rename gives it a new inode and mtime) is picked up on the next rerun. Connections are
never cached: inside one process a second connection to a path that is still open would return
the old database.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

import duckdb
import pandas as pd
from pandas.io.formats.style import Styler
import streamlit as st

import format as fmt

ROOT = Path(__file__).resolve().parents[1]

NO_DATA_MESSAGE = "还没有发布的数据：请先运行 `make run`（或 `devzone run --all`）生成 serving.duckdb。"

STATUS_LABELS = {"failed": "失败", "warning": "警告", "passed": "通过"}
SEVERITY_LABELS = {"ERROR": "错误", "WARN": "警告"}
SCOPE_LABELS = {"cumulative": "累计", "event": "当期（本期新增）"}
STAGE_LABELS = {"signed": "签约", "started": "开工", "in_production": "投产", "all": "合计"}
LEVEL_LABELS = {"province": "全省", "city": "市", "zone": "开发区"}
MEASURE_LABELS = {
    "projects": "项目个数", "investment": "投资额", "advanced_projects": "达标项目个数",
    "advanced_investment": "达标项目投资", "rate_pct": "比率", "completed_investment": "已完成投资",
    "expected_annual_output": "预计年产值", "industrial_projects": "产业项目个数",
    "industrial_investment": "产业项目投资",
}
BASIS_LABELS = {"actual": "完成", "target": "目标"}
DOC_STATUS_LABELS = {"current": "有效", "superseded": "已被替代", "withdrawn": "已撤回", "quarantined": "已隔离"}

# What a failed check means, in the managers' words. Keys are substrings of the expectation names in
# fct_quality_result (the derived frame before ":" for cross-checks, the checked column otherwise).
CHECK_TITLES = [
    ("city_growth", "市增速与所辖开发区推算的增速不一致"),
    ("cumulative_progress", "累计值低于上月累计值"),
    ("document_facts", "报告中没有识别出任何数字"),
    ("expected_city", "上月报送、本月未报送的城市"),
    ("named_zone: expect_column_values_to_be_in_set(city_resolved)", "开发区所属城市未能由名称确认"),
    ("named_zone: expect_column_values_to_be_in_set(in_reference)", "开发区不在开发区名录中"),
    ("zone_within_city", "开发区数值大于全市合计"),
    ("(yoy_pct) [warn]", "同比增速异常偏高"),
    ("(yoy_pct) [error]", "同比增速超出可能范围"),
    ("has_conflicting_sources", "同一指标在不同段落中数值不一致"),
    ("recomputed_rate_gap_pp", "报告比率与按数据算出的比率不一致"),
    ("(rate_base_investment, advanced_investment)", "达标项目投资大于投资总额"),
    ("(projects, advanced_projects)", "达标项目个数大于项目总数"),
    ("to_be_unique", "同一数字重复出现"),
    ("(count_fractional_part)", "项目个数不是整数"),
    ("_to_not_be_null", "必填字段为空"),
    ("expect_table_columns_to_match_set", "数据表结构不符"),
    ("(value)", "数值为负或超出范围"),
    ("_pair_values_to_be_in_set", "开发区与城市、指标与单位不匹配"),
    ("_to_be_in_set", "代码不在参考数据中"),
    ("_to_match_regex", "代码格式不符"),
    ("_to_be_between", "数值超出范围"),
]

# Column names of the failing-row samples, in Chinese.
SAMPLE_COLUMN_LABELS = {
    "city": "城市", "city_name": "城市", "zone": "开发区", "zone_name": "开发区", "zone_code": "开发区代码",
    "indicator_code": "指标", "metric": "指标", "city_value": "全市数值", "zone_value": "开发区数值",
    "zones_value_sum": "开发区合计", "zone_count": "开发区个数", "stated_yoy_pct": "报告增速（%）",
    "implied_yoy_pct": "推算增速（%）", "yoy_gap_pp": "相差（百分点）", "yoy_pct": "同比（%）",
    "value": "数值", "previous_value": "上月累计值", "unit": "单位", "basis": "完成/目标", "stage": "阶段", "scope": "口径",
    "reported_rate_pct": "报告比率（%）", "recomputed_rate_pct": "计算比率（%）", "computed_rate_pct": "计算比率（%）",
    "recomputed_rate_gap_pp": "相差（百分点）", "projects": "项目个数", "advanced_projects": "达标项目个数",
    "investment": "投资（亿元）", "advanced_investment": "达标投资（亿元）", "file_name": "文件", "fact_count": "数字个数",
    "evidence": "原文", "city_evidence": "全市原文", "zone_evidence": "开发区原文", "filed": "本月已报送",
}


def failing_rows(sample: list[dict] | dict, indicator_names: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """A check's failing-row sample with Chinese column names and indicator names."""
    frame = pd.DataFrame(sample if isinstance(sample, list) else [sample])
    for code_column in ("indicator_code", "metric"):
        if code_column in frame:
            frame[code_column] = frame[code_column].map(lambda c: indicator_names.get(c, (c,))[0])
    labels: dict[str, str] = {}
    for column in frame.columns:
        label = SAMPLE_COLUMN_LABELS.get(column, column)
        labels[column] = column if label in labels.values() else label  # two columns may not share a name
    return frame.rename(columns=labels)


def check_title(expectation_name: str) -> str:
    """The managers' title of a check, e.g. '市增速与所辖开发区推算的增速不一致'."""
    return next((title for key, title in CHECK_TITLES if key in expectation_name), expectation_name)


def home() -> Path:
    return Path(os.environ.get("DEVZONE_HOME") or ROOT / ".devzone")


def serving_path() -> Path:
    return home() / "serving.duckdb"


def file_key() -> tuple[str, int, int] | None:
    path = serving_path()
    try:
        st_ = path.stat()
    except FileNotFoundError:
        return None
    return (str(path), st_.st_mtime_ns, st_.st_ino)


class NoServingFile(RuntimeError):
    pass


@st.cache_data(show_spinner=False, max_entries=500)
def _query(key: tuple[str, int, int], sql: str, params: tuple) -> pd.DataFrame:
    con = duckdb.connect(key[0], read_only=True)
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def query(sql: str, params: list | tuple = ()) -> pd.DataFrame:
    """Run a read-only query on the serving file; filters go in as parameters, never into `sql`."""
    key = file_key()
    if key is None:
        raise NoServingFile(NO_DATA_MESSAGE)
    return _query(key, sql, tuple(params)).copy()


def require_serving() -> None:
    """Stop the page with the one clear message when nothing has been published yet."""
    if file_key() is None:
        st.info(NO_DATA_MESSAGE)
        st.stop()


# ---- common look-ups -------------------------------------------------------------------------

def months() -> list[str]:
    """Published months, latest first."""
    df = query("select distinct period from rpt_city_month_kpis where has_report order by period desc")
    if df.empty:
        df = query("select distinct period from fct_indicator order by period desc")
    return df["period"].tolist()


def period_labels() -> dict[str, str]:
    df = query("select period, label_long from dim_period")
    return dict(zip(df["period"], df["label_long"]))


def month_selector(key: str, label: str = "月份", container=None) -> str | None:
    """A month selector defaulting to ?month= or the latest published month; shows 2023年1-6月-style labels."""
    options = months()
    if not options:
        st.warning("发布文件中还没有任何月份的数据。")
        return None
    labels = period_labels()
    where = container or st
    # ?month=YYYY-MM opens a page on that month, so a link can be shared; the choice is written back
    wanted = st.query_params.get("month")
    chosen = where.selectbox(
        label, options, index=options.index(wanted) if wanted in options else 0, key=key,
        format_func=lambda p: f"{labels.get(p, p)}（{p}）",
    )
    st.query_params["month"] = chosen
    return chosen


def indicator_names() -> dict[str, tuple[str, str]]:
    df = query("select indicator_code, indicator_name, unit from dim_indicator order by indicator_code")
    return {c: (n, u) for c, n, u in df.itertuples(index=False)}


def city_names() -> list[str]:
    return query("select city_name from dim_city order by city_code")["city_name"].tolist()


# ---- downloads -------------------------------------------------------------------------------

def to_xlsx(df: pd.DataFrame, sheet: str = "数据") -> bytes:
    buf = io.BytesIO()
    out = df.copy()
    for col in out.columns:  # Excel has no time zones; lists/dicts as text
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_localize(None)
        elif out[col].dtype == object:
            out[col] = out[col].map(lambda v: v if v is None or isinstance(v, (str, int, float, bool)) else str(v))
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        out.to_excel(writer, index=False, sheet_name=sheet[:31])
    return buf.getvalue()


def table(df, name: str, key: str, **kwargs):
    """A table with "—" for missing values, followed by its CSV and Excel downloads.

    `df` may be a pandas Styler (for highlighted cells); the downloads carry its plain data. Returns
    what st.dataframe returns (the selection, when `on_select` is given).
    """
    plain = df.data if isinstance(df, Styler) else df
    config = {
        column: st.column_config.NumberColumn(format=number_format(column))
        for column in plain.columns
        if pd.api.types.is_float_dtype(plain[column]) and number_format(column)
    }
    shown = st.dataframe(
        df, hide_index=True, width="stretch", placeholder=fmt.DASH, key=f"{key}_grid",
        column_config=config | kwargs.pop("column_config", {}), **kwargs,
    )
    downloads(plain, name, key)
    return shown


def number_format(column: str) -> str | None:
    """Display format for a numeric column, from the unit in its header: （亿元） 2 decimals, （%） 1, （个） 0."""
    if "百分点" in column or "比率" in column or any(f"（{unit}）" in column for unit in ("亿元", "亿美元", "万人次", "万元")):
        return "%.2f"
    if "（%）" in column:
        return "%.1f"
    if any(f"（{unit}）" in column for unit in fmt.COUNT_UNITS):
        return "%d"
    return None


def downloads(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and .xlsx buttons for a table.

    The files are made when a button is clicked, not on every render: writing a 6,000-row sheet
    takes about a second, more than the whole page may.
    """
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(
        "下载 CSV", lambda: df.to_csv(index=False).encode("utf-8-sig"), file_name=f"{name}.csv",
        mime="text/csv", key=f"{key}_csv", on_click="ignore",
    )
    c2.download_button(
        "下载 Excel", lambda: to_xlsx(df), file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
        on_click="ignore",
    )
