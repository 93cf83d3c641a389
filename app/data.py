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
from collections.abc import Callable
from pathlib import Path

import bulletin
import duckdb
import format as fmt
import labels
import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

ROOT = Path(__file__).resolve().parents[1]

NO_DATA_MESSAGE = "还没有发布的数据：请先运行 `make run`（或 `devzone run --all`）生成 serving.duckdb。"
UNREADABLE_MESSAGE = "发布文件损坏，请重新运行 make run"
OUTDATED_MESSAGE = "发布文件由旧版本生成，缺少本页需要的数据，请重新运行 make run"

# A `query(sql, params)` callable: `query` below, or any read-only connection's (the bulletin's tests).
Query = Callable[[str, list], pd.DataFrame]


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


class OutdatedServingFile(RuntimeError):
    """The serving file was published by an older version, without columns the app now reads."""


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


def show_unreadable(error: UnreadableServingFile | OutdatedServingFile) -> None:
    """The one message for managers, with the file and DuckDB's reason in small print for engineers."""
    st.error(OUTDATED_MESSAGE if isinstance(error, OutdatedServingFile) else UNREADABLE_MESSAGE)
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
    return dict(zip(df["period"], df["label_long"], strict=True))


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
        label,
        options,
        index=options.index(wanted) if wanted in options else 0,
        key=key,
        format_func=lambda p: f"{labels.get(p, p)}（{p}）",
    )
    st.query_params["month"] = chosen
    return chosen


# ---- the indicators: names, units, order, headline indicators, count units (dim_indicator) -------
# One place for what the app knows of an indicator: the indicators seed, served as dim_indicator.

INDICATORS_SQL = (
    "select indicator_code, indicator_name, unit, count_units, display_order, headline_rank, "
    "is_headline_target, is_bulletin_ranked from dim_indicator order by display_order, indicator_code"
)


def indicators(run: Query | None = None) -> pd.DataFrame:
    """One row per indicator, in display order: code, name, unit, count units, display order,
    headline rank, whether the headline states its target and whether the bulletin ranks zones by it."""
    try:
        return (run or query)(INDICATORS_SQL, [])
    except duckdb.BinderException as exc:  # a serving file published before these columns existed
        raise OutdatedServingFile(f"dim_indicator: {str(exc).splitlines()[0]}") from exc


def indicator_names(run: Query | None = None) -> dict[str, tuple[str, str]]:
    """code -> (name, unit), in display order."""
    df = indicators(run)
    return {c: (n, u) for c, n, u in zip(df["indicator_code"], df["indicator_name"], df["unit"], strict=True)}


def headline_indicators(run: Query | None = None) -> list[tuple[str, str, str]]:
    """(code, name, unit) of the headline indicators, by headline rank: the columns of
    rpt_city_month_kpis (<code>, <code>_yoy_pct), 总览's KPIs and the bulletin's figures."""
    df = indicators(run)
    df = df[df["headline_rank"].notna()].sort_values("headline_rank", kind="stable")
    return list(zip(df["indicator_code"], df["indicator_name"], df["unit"], strict=True))


def count_units(run: Query | None = None) -> frozenset[str]:
    """The units counts are stated in (shown without decimals): every indicator's count_units."""
    units = indicators(run)["count_units"].dropna()
    return frozenset(u for listed in units for u in listed.split("|") if u)


def _in_display_order(table: str, where: str = "", params: list | tuple = ()) -> dict[str, tuple[str, str]]:
    """code -> (name, unit) of the indicators `table` has rows of (`where`), in display order; the
    unit is the one the rows state."""
    df = query(
        f"select t.indicator_code, any_value(t.indicator_name) as name, any_value(t.unit) as unit "
        f"from {table} t left join dim_indicator i using (indicator_code) {where} "
        "group by t.indicator_code order by min(i.display_order) nulls last, t.indicator_code",
        params,
    )
    return {c: (n, u) for c, n, u in zip(df["indicator_code"], df["name"], df["unit"], strict=True)}


def ranked_indicators(month: str) -> dict[str, tuple[str, str]]:
    """The indicators zones are ranked by in `month` (rpt_zone_ranking), in display order."""
    return _in_display_order("rpt_zone_ranking", "where t.period = ?", [month])


def trend_indicators() -> dict[str, tuple[str, str]]:
    """The indicators with a trend (rpt_indicator_trend), in display order."""
    return _in_display_order("rpt_indicator_trend")


def stated_indicators(month: str) -> list[str]:
    """Codes of the indicators the month's statements name (rpt_fact_lineage), in display order."""
    df = query(
        "select t.indicator_code from rpt_fact_lineage t left join dim_indicator i using (indicator_code) "
        "where t.period = ? and t.indicator_code is not null "
        "group by t.indicator_code order by min(i.display_order) nulls last, t.indicator_code",
        [month],
    )
    return df["indicator_code"].tolist()


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
    counts = count_units()
    config = {
        column: st.column_config.NumberColumn(format=number_format(column, counts))
        for column in plain.columns
        if pd.api.types.is_float_dtype(plain[column]) and number_format(column, counts)
    }
    shown = st.dataframe(
        df,
        hide_index=True,
        width="stretch",
        placeholder=fmt.DASH,
        key=f"{key}_grid",
        column_config=config | kwargs.pop("column_config", {}),
        **kwargs,
    )
    downloads(plain, name, key)
    return shown


def number_format(column: str, counts: frozenset[str]) -> str | None:
    """Display format for a numeric column, from the unit in its header: （亿元） 2 decimals, （%） 1,
    a count unit of `counts` (（个）) 0."""
    if (
        "百分点" in column
        or "比率" in column
        or any(f"（{unit}）" in column for unit in ("亿元", "亿美元", "万人次", "万元"))
    ):
        return "%.2f"
    if "（%）" in column:
        return "%.1f"
    if any(f"（{unit}）" in column for unit in counts):
        return "%d"
    return None


def downloads(df: pd.DataFrame, name: str, key: str) -> None:
    """CSV (UTF-8 with BOM, so Excel opens Chinese correctly) and .xlsx buttons for a table.

    The files are made when a button is clicked, not on every render: writing a 6,000-row sheet
    takes about a second, more than the whole page may.
    """
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(
        "下载 CSV",
        lambda: df.to_csv(index=False).encode("utf-8-sig"),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    c2.download_button(
        "下载 Excel",
        lambda: to_xlsx(df),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
    )


# ---- the bulletin's data ---------------------------------------------------------------------


def bulletin_data(period: str, run: Query | None = None) -> bulletin.BulletinData:
    """Everything the bulletin of `period` says, read through `run` (default: the serving file's
    `query`; any read-only connection's query builds the same bulletin); the month goes in as a
    parameter."""
    run = run or query
    meta = run("select published_at, run_id from serving_meta order by published_at desc limit 1", [])
    period_labels = run("select label, label_long from dim_period where period = ?", [period])
    catalogue = indicators(run)
    cities = run("select city_name from dim_city order by city_code", [])
    published = None if meta.empty else meta["published_at"].iloc[0]
    headline = tuple(code for code, _, _ in headline_indicators(run))

    def flagged(column: str) -> tuple[str, ...]:  # in display order
        return tuple(catalogue.loc[catalogue[column].fillna(False).astype(bool), "indicator_code"])

    return bulletin.BulletinData(
        period=period,
        label=period_labels["label_long"].iloc[0] if not period_labels.empty else period,
        span=period_labels["label"].iloc[0] if not period_labels.empty else period,
        published_at=None if pd.isna(published) else pd.Timestamp(published).to_pydatetime(),
        run_id=None if meta.empty else bulletin.text(meta["run_id"].iloc[0]),
        indicators=indicator_names(run),
        headline=headline,
        targets=tuple(code for code in headline if code in flagged("is_headline_target")),
        ranked=flagged("is_bulletin_ranked"),
        count_units=count_units(run),
        cities=cities["city_name"].tolist(),
        kpis=run("select * from rpt_city_month_kpis where period = ? order by is_province desc, city_code", [period]),
        zones=run(
            "select indicator_code, zone_name, is_zone_resolved, city_name, value, yoy_pct, share_of_city_pct, "
            "rank_in_province, yoy_rank_in_province from rpt_zone_ranking "
            "where period = ? and rank_in_province is not null order by indicator_code, rank_in_province, zone_name",
            [period],
        ),
        pipeline=run(
            "select * from rpt_pipeline_conversion where period = ? order by scope, is_province desc, city_code",
            [period],
        ),
        quality=run("select * from rpt_quality_month where period = ?", [period]),
        problems=run(
            "select status, suite_name, expectation_name, rule, observed_value, failing_count from fct_quality_result "
            "where period = ? and status <> 'passed' "
            "order by case status when 'failed' then 0 else 1 end, suite_name, expectation_name",
            [period],
        ),
        documents=run(
            "select document_status, file_name, report_city, quarantine_reason from rpt_documents "
            "where period = ? and document_status in ('current', 'quarantined') order by document_status, file_name",
            [period],
        ),
    )
