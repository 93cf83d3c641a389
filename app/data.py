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
from collections.abc import Callable, Iterable
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
    return frame.rename(columns=labels.sample_column_names(frame.columns))  # two columns may not share a name


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


def month_selector(key: str, label: str = "月份", container=None, options: list[str] | None = None) -> str | None:
    """A month selector defaulting to ?month= or the latest published month; shows 2023年1-6月-style labels.
    `options`: the months offered, latest first (default: `months()`, the months with reports)."""
    options = months() if options is None else options
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
    # A Styler's own display values (a correction's marker, see `marked`) show only in columns
    # without a number format, so a Styler formats its numbers itself.
    config = {
        column: st.column_config.NumberColumn(format=number_format(column, counts))
        for column in plain.columns
        if not isinstance(df, Styler) and pd.api.types.is_float_dtype(plain[column]) and number_format(column, counts)
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


def marked(df: pd.DataFrame, cells: dict[str, Iterable[int]]) -> pd.DataFrame | Styler:
    """`df` with the correction marker (labels.CORRECTION_MARK) after the numbers at `cells`
    (column -> row positions): a Styler that formats every number as `table` would (the unit in
    the header), or `df` itself when nothing is marked. The data (and the downloads) stay numbers."""
    cells = {column: sorted(set(rows)) for column, rows in cells.items() if column in df.columns}
    cells = {column: rows for column, rows in cells.items() if rows}
    if not cells:
        return df
    counts = count_units()

    def shown(pattern: str, mark: str = ""):
        return lambda v: fmt.DASH if fmt.missing(v) else f"{pattern % float(v)}{mark}"

    styler = df.style.format(na_rep=fmt.DASH)
    for column in df.columns:
        if pd.api.types.is_float_dtype(df[column]):
            styler = styler.format(shown(number_format(column, counts) or "%.2f"), subset=[column])
    for column, rows in cells.items():
        pattern = number_format(column, counts) or ("%.2f" if pd.api.types.is_float_dtype(df[column]) else "%g")
        styler = styler.format(
            shown(pattern, f" {labels.CORRECTION_MARK}"), subset=pd.IndexSlice[df.index[rows], [column]]
        )
    return styler


def positions(keys: Iterable, wanted: set) -> list[int]:
    """The positions of `keys` (a column of area codes, None for the province) that are in `wanted`."""
    return [i for i, k in enumerate(keys) if (None if fmt.missing_text(k) else k) in wanted]


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


# ---- people's corrections (devzone correct / add) ------------------------------------------------


def served(sql: str, params: list | tuple = (), run: Query | None = None) -> pd.DataFrame:
    """`query` of tables and columns that serving files published before corrections lack: such a
    file asks for a new run (OutdatedServingFile) instead of failing."""
    try:
        return (run or query)(sql, list(params))
    except (duckdb.BinderException, duckdb.CatalogException) as exc:
        raise OutdatedServingFile(str(exc).splitlines()[0]) from exc


# The month's indicator facts people corrected or added, each with which of its numbers carry the
# marker: the value when it changed, was added, or the fact was moved to another city or zone (its
# numbers unchanged); the growth when it changed or was added.
CORRECTED_INDICATORS_SQL = """
select city_code, city_name, zone_key, zone_name, indicator_code, basis, value, original_value, unit,
    yoy_pct, original_yoy_pct, is_added, correction_key, correction_notes,
    is_added or value is distinct from original_value or yoy_pct is not distinct from original_yoy_pct
        as value_marked,
    yoy_pct is not null and (is_added or yoy_pct is distinct from original_yoy_pct) as yoy_marked
from fct_indicator
where period = ? and (is_corrected or is_added)
order by city_code nulls first, zone_key nulls first, indicator_code, basis
"""


def corrected_indicators(month: str, run: Query | None = None) -> pd.DataFrame:
    """The month's corrected or added indicator facts (fct_indicator) with value_marked and
    yoy_marked: which of their numbers carry the marker."""
    return served(CORRECTED_INDICATORS_SQL, [month], run)


def figure_marks(
    figures: pd.DataFrame, indicator_code: str, by: str = "city_code", basis: str = "actual"
) -> tuple[set, set]:
    """The areas whose value, and whose growth, of `indicator_code` carry the marker, from
    `corrected_indicators`: city codes (None for the province) of the areas' own totals, or
    (by="zone_key") the zones."""
    rows = figures[(figures["indicator_code"] == indicator_code) & (figures["basis"] == basis)]
    rows = rows[rows["zone_key"].isna()] if by == "city_code" else rows[rows["zone_key"].notna()]
    keys = rows[by].map(lambda k: None if fmt.missing_text(k) else k)
    return set(keys[rows["value_marked"].astype(bool)]), set(keys[rows["yoy_marked"].astype(bool)])


# The month's statements (rpt_fact_lineage), one per correction key (a fact a document states twice
# is one decision), with what `devzone review` says needs a person: the facts in the failing rows of
# the quality gate not acknowledged (fct_quality_finding), and, until people decided about them, the
# extractor's doubt and zones the reference does not know.
STATEMENTS_SQL = """
select *
from rpt_fact_lineage
where period = ?
qualify row_number() over (partition by correction_key order by is_selected desc, file_name, fact_seq) = 1
"""

REVIEW_QUEUE_SQL = f"""
with statements as ({STATEMENTS_SQL}),
findings as (
    select correction_key, list_sort(list(distinct expectation_name)) as checks
    from fct_quality_finding
    where period = ? and finding_status = 'open'
    group by correction_key
)
select statements.*, coalesce(findings.checks, []::varchar[]) as checks,
    coalesce(statements.correction_status is null and statements.confidence <> 'high', false) as is_unsure,
    coalesce(statements.correction_status is null and starts_with(statements.zone_key, 'UNRESOLVED:'), false)
        as is_unresolved
from statements
left join findings using (correction_key)
where findings.correction_key is not null
    or (
        statements.correction_status is null
        and (statements.confidence <> 'high' or starts_with(statements.zone_key, 'UNRESOLVED:'))
    )
order by city_name nulls first, zone_name nulls first, fact_type, indicator_code, scope, stage, measure
"""


def review_queue(month: str) -> pd.DataFrame:
    """The month's statements that need a person (as `devzone review` lists them): each with the
    checks it fails (`checks`), `is_unsure` (the extractor's doubt) and `is_unresolved` (a zone
    the reference does not know)."""
    return served(REVIEW_QUEUE_SQL, [month, month])


ACKNOWLEDGED_SQL = f"""
with statements as ({STATEMENTS_SQL})
select findings.expectation_name, findings.severity, findings.correction_notes, statements.* exclude (correction_notes)
from fct_quality_finding as findings
left join statements using (correction_key)
where findings.period = ? and findings.finding_status = 'acknowledged'
order by city_name nulls first, zone_name nulls first, fact_type, indicator_code, findings.expectation_name
"""


def review_why(queue: pd.DataFrame) -> list[str]:
    """Why each statement of `review_queue` needs a person, in words."""
    return [
        labels.review_why(checks, bool(unsure), reasons, bool(unresolved))
        for checks, unsure, reasons, unresolved in zip(
            queue["checks"], queue["is_unsure"], queue["review_reasons"], queue["is_unresolved"], strict=True
        )
    ]


def acknowledged_findings(month: str) -> pd.DataFrame:
    """The month's failing facts of warnings people accepted as printed, with the check and the
    acceptance's notes (who, why, when)."""
    return served(ACKNOWLEDGED_SQL, [month, month])


def orphaned_corrections() -> pd.DataFrame:
    """Corrections in force whose statement is gone (its report superseded or withdrawn), of every
    month: they apply to nothing until revoked or made again."""
    return served(
        "select * from rpt_corrections where is_orphaned order by period desc, city_name, zone_name, metric, correction_key"
    )


def escape(text: str) -> str:
    """Text (a person's reason, a report's sentence) shown as it is in Markdown."""
    return bulletin.escape(text)


def correction_summaries(corrections: pd.DataFrame) -> list[str]:
    """What each correction of `orphaned_corrections` (rows of rpt_corrections) sets, in words."""
    counts = count_units()

    def said(v) -> str | None:
        return None if fmt.missing_text(v) else str(v)

    return [
        labels.correction_summary(
            None if fmt.missing(r["value"]) else fmt.value(r["value"], None, counts),
            None if fmt.missing(r["yoy_pct"]) else fmt.pct(r["yoy_pct"]),
            said(r["corrected_city_name"]),
            said(r["corrected_zone_name"]),
            said(r["verdict"]),
            bool(r["is_added"]),
        )
        for r in corrections.to_dict("records")
    ]


def metric_name(fact_type: str | None, metric: str | None, names: dict[str, tuple[str, str]]) -> str:
    """What a correction's statement states (rpt_corrections.metric: an indicator's code, or the
    campaign's scope/stage/measure) in words."""
    if fact_type == "pipeline" and metric:
        scope, stage, measure = (metric.split("/") + [None, None, None])[:3]
        return labels.statement_label(None, None, scope, stage, measure)
    return names.get(metric or "", (metric or "",))[0]


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
            "select indicator_code, zone_key, zone_name, is_zone_resolved, city_name, value, yoy_pct, share_of_city_pct, "
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
            "select status, suite_name, expectation_name, rule, observed_value, rule_zh, observed_zh, failing_count "
            "from fct_quality_result "
            "where period = ? and status <> 'passed' "
            "order by case status when 'failed' then 0 when 'warning' then 1 else 2 end, suite_name, expectation_name",
            [period],
        ),
        corrections=corrected_indicators(period, run),
        pipeline_corrections=served(
            "select city_code, city_name, scope, stage, measure, value, original_value, unit, correction_notes "
            "from rpt_fact_lineage "
            "where period = ? and fact_type = 'pipeline' and is_selected and correction_status = 'corrected' "
            "and zone_key is null order by city_code nulls first, scope, stage, measure",
            [period],
            run,
        ),
        documents=run(
            "select document_status, file_name, report_city, quarantine_reason from rpt_documents "
            "where period = ? and document_status in ('current', 'quarantined') order by document_status, file_name",
            [period],
        ),
    )


# ---- links between pages, the cities' order, the zones reference, table heights ----------------

# The query parameters of a link to 溯源 filtered on a figure: ?month=YYYY-MM (every page reads it,
# see month_selector), ?city=<city name> (太原市), ?zone=<zone name, or labels.CITY_TOTAL_FILTER for
# an area's own total>, ?indicator=<indicator code>. `lineage_url` writes them; `linked_index` is how
# a page picks the linked option of its selector.
LINK_PARAMS = ("month", "city", "zone", "indicator")


def page_url(url_path: str, **params: str | None) -> str:
    """A relative link to a page of the app (its st.Page url_path) with query parameters; None
    parameters are left out."""
    from urllib.parse import urlencode

    given = {k: v for k, v in params.items() if v is not None}
    return f"{url_path}?{urlencode(given)}" if given else url_path


def lineage_url(month: str, city: str | None = None, zone: str | None = None, indicator: str | None = None) -> str:
    """The link to 溯源 filtered on a figure (LINK_PARAMS): the province's figures have no city."""
    return page_url("lineage", month=month, city=city, zone=zone, indicator=indicator)


def linked_index(param: str, options: list, default: int = 0) -> int:
    """The position in `options` of the option a link names (?param=…), else `default`: a
    selector's `index`, so that a link from another page opens it filtered (LINK_PARAMS)."""
    wanted = st.query_params.get(param)
    return options.index(wanted) if wanted in options else default


def in_city_order(df: pd.DataFrame, column: str = "city_name") -> pd.DataFrame:
    """`df` with its rows in the official order of the cities (labels.CITY_ORDER), 全省 first."""
    return df.iloc[sorted(range(len(df)), key=lambda i: labels.city_rank(df[column].iloc[i]))]


def city_colours(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """(domain, range) of a colour scale for the cities `names`: in the official order, each in its
    own colour of labels.CITY_PALETTE (全省 in labels.PROVINCE_COLOUR), the same on every chart."""
    domain = sorted(set(names), key=labels.city_rank)
    colours = dict(zip(labels.CITY_ORDER, labels.CITY_PALETTE, strict=True)) | {labels.PROVINCE: labels.PROVINCE_COLOUR}
    return domain, [colours.get(n, "#999999") for n in domain]


def listed_zones(city_name: str | None = None) -> int:
    """How many zones the zones reference (dim_zone, the zones it knows) lists, in the province or a city."""
    sql = "select count(*) as n from dim_zone where is_resolved"
    params: list = []
    if city_name is not None:
        sql += " and city_name = ?"
        params.append(city_name)
    return int(query(sql, params)["n"].iloc[0])


def table_height(rows: int, cap: int = 20) -> int:
    """The pixel height of a st.dataframe that shows `rows` rows without inner scrolling, up to `cap` rows."""
    return 38 + 35 * max(1, min(rows, cap))


# ---- 数据质量: every validated month, failing rows in words ----------------------------------------


def quality_months() -> list[str]:
    """Every month the quality gate validated (rpt_quality_month), latest first: a month without
    reports has results too (a city that stopped filing)."""
    return query("select period from rpt_quality_month order by period desc")["period"].tolist()


def area_names() -> tuple[dict[str, str], dict[str, str]]:
    """(city code -> city name, zone key -> zone name) of the reference (dim_city, dim_zone)."""
    cities = query("select city_code, city_name from dim_city")
    zones = query("select zone_key, zone_name from dim_zone where zone_name is not null")
    return (
        dict(zip(cities["city_code"], cities["city_name"], strict=True)),
        dict(zip(zones["zone_key"], zones["zone_name"], strict=True)),
    )


def failing_sample(
    sample: list[dict] | dict,
    indicator_names: dict[str, tuple[str, str]],
    cities: dict[str, str],
    zones: dict[str, str],
) -> pd.DataFrame:
    """A check's failing rows as 数据质量 shows them: `labels.readable_sample` (Chinese column and
    indicator names, without the machines' columns, cities and zones by name, codes in words, flags
    as labels.YES_NO; the Data Docs show the same)."""
    names = {code: named[0] for code, named in indicator_names.items()}
    return pd.DataFrame(labels.readable_sample(sample, names, cities, zones))
