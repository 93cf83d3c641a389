"""Access to the serving file, read-only, one short connection per query.

The app reads only `$DEVZONE_HOME/serving.duckdb` (default `<project root>/.devzone`). Results are
cached with `st.cache_data` keyed on the file's (path, mtime_ns, inode), so a newly published file
(build-then-rename gives it a new inode and mtime) is picked up on the next rerun. Connections are
never cached: inside one process a second connection to a path that is still open would return
the old database. A file DuckDB cannot read (truncated by a full disk, overwritten by hand) raises
`UnreadableServingFile`, which the app shows as one message in place of the page.
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
import labels

ROOT = Path(__file__).resolve().parents[1]

NO_DATA_MESSAGE = "还没有发布的数据：请先运行 `make run`（或 `devzone run --all`）生成 serving.duckdb。"
UNREADABLE_MESSAGE = "发布文件损坏，请重新运行 make run"


def failing_rows(sample: list[dict] | dict, indicator_names: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """A check's failing-row sample with Chinese column names and indicator names."""
    frame = pd.DataFrame(sample if isinstance(sample, list) else [sample])
    for code_column in ("indicator_code", "metric"):
        if code_column in frame:
            frame[code_column] = frame[code_column].map(lambda c: indicator_names.get(c, (c,))[0])
    if "review_reasons" in frame:
        frame["review_reasons"] = frame["review_reasons"].map(labels.review_reasons_label)
    names: dict[str, str] = {}
    for column in frame.columns:
        name = labels.SAMPLE_COLUMN_LABELS.get(column, column)
        names[column] = column if name in names.values() else name  # two columns may not share a name
    return frame.rename(columns=names)


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


class UnreadableServingFile(RuntimeError):
    """The serving file is there but DuckDB cannot read it; a new publish replaces it."""

    def __init__(self, path: str, error: duckdb.Error) -> None:
        super().__init__(f"{path}: {str(error).splitlines()[0]}")


@st.cache_data(show_spinner=False, max_entries=500)
def _query(key: tuple[str, int, int], sql: str, params: tuple) -> pd.DataFrame:
    # A damaged file fails on connect (its header) or on the first query that reads a damaged or
    # missing block, so both are guarded.
    try:
        con = duckdb.connect(key[0], read_only=True)
        try:
            return con.execute(sql, list(params)).df()
        finally:
            con.close()
    except duckdb.ProgrammingError:
        raise  # the query, or a table the file predates (lineage.py expects one): not damage
    except duckdb.Error as exc:
        raise UnreadableServingFile(key[0], exc) from exc


def query(sql: str, params: list | tuple = ()) -> pd.DataFrame:
    """Run a read-only query on the serving file; filters go in as parameters, never into `sql`."""
    key = file_key()
    if key is None:
        raise NoServingFile(NO_DATA_MESSAGE)
    return _query(key, sql, tuple(params)).copy()


def show_unreadable(error: UnreadableServingFile) -> None:
    """The one message for managers, with the file and DuckDB's reason in small print for engineers."""
    st.error(UNREADABLE_MESSAGE)
    st.caption(str(error))


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
