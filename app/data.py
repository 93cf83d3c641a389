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
import streamlit as st

ROOT = Path(__file__).resolve().parents[1]

NO_DATA_MESSAGE = "还没有发布的数据：请先运行 `make run`（或 `devzone run --all`）生成 serving.duckdb。"

STATUS_LABELS = {"failed": "失败", "warning": "警告", "passed": "通过"}
SEVERITY_LABELS = {"ERROR": "错误", "WARN": "警告"}
SCOPE_LABELS = {"cumulative": "累计", "event": "当期（本期新增）"}
STAGE_LABELS = {"signed": "签约", "started": "开工", "in_production": "投产", "all": "合计"}
LEVEL_LABELS = {"province": "全省", "city": "市", "zone": "开发区"}
BASIS_LABELS = {"actual": "完成", "target": "目标"}
DOC_STATUS_LABELS = {"current": "有效", "superseded": "已被替代", "quarantined": "已隔离"}


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
    """A month selector defaulting to the latest published month; shows 2023年1-6月-style labels."""
    options = months()
    if not options:
        st.warning("发布文件中还没有任何月份的数据。")
        return None
    labels = period_labels()
    where = container or st
    return where.selectbox(label, options, index=0, key=key, format_func=lambda p: f"{labels.get(p, p)}（{p}）")


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


def downloads(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and .xlsx buttons for a table."""
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(
        "下载 CSV", df.to_csv(index=False).encode("utf-8-sig"), file_name=f"{name}.csv",
        mime="text/csv", key=f"{key}_csv",
    )
    c2.download_button(
        "下载 Excel", to_xlsx(df), file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"{key}_xlsx",
    )
