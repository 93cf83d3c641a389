"""总览: the month's KPIs for the province and each city."""

from __future__ import annotations

import data
import format as fmt
import labels
import pandas as pd
import streamlit as st

st.title("总览")
data.require_serving()

# (code, name, unit) of the headline indicators, in order: columns of rpt_city_month_kpis
KPIS = data.headline_indicators()
counts = data.count_units()

month = data.month_selector("overview_month")
if month is None:
    st.stop()
period_labels = data.period_labels()

meta = data.query("select published_at, run_id from serving_meta order by published_at desc limit 1")
docs = data.query("select document_count from dim_period where period = ?", [month])
quality = data.query("select * from rpt_quality_month where period = ?", [month])

published = meta["published_at"].iloc[0] if not meta.empty else None
doc_count = int(docs["document_count"].iloc[0]) if not docs.empty and not pd.isna(docs["document_count"].iloc[0]) else 0
status = quality["quality_status"].iloc[0] if not quality.empty else labels.NOT_VALIDATED

reporting = data.query(
    "select count(*) filter (where has_report) as reported, count(*) as cities "
    "from rpt_city_month_kpis where period = ? and not is_province",
    [month],
).iloc[0]
c1, c2, c3 = st.columns(3)
c1.metric("数据月份", period_labels.get(month, month))
c2.metric(
    "报告份数", f"{doc_count} 份", help=f"{int(reporting['reported'])} 个市报送，共 {int(reporting['cities'])} 个市"
)
c3.metric("数据质量", status)
if published is not None:
    st.caption(f"本页数据发布于 {fmt.beijing_time(published)}（北京时间），发布批次 {meta['run_id'].iloc[0][:8]}。")
if not quality.empty:
    q = quality.iloc[0]
    acknowledged = int(q["acknowledged"]) if "acknowledged" in q and not fmt.missing(q["acknowledged"]) else 0
    st.caption(
        f"本月共 {int(q['expectations'])} 项校验：通过 {int(q['passed'])} 项，错误 {int(q['errors'])} 项，警告 {int(q['warnings'])} 项"
        + (f"，已确认原文无误 {acknowledged} 项" if acknowledged else "")
        + "。详见“数据质量”页。"
    )

kpi_labels = {c: f"{n}（{u}）" for c, n, u in KPIS}
indicator = st.selectbox("指标", [c for c, _, _ in KPIS], format_func=lambda c: kpi_labels[c], key="overview_indicator")
unit = next(u for c, _, u in KPIS if c == indicator)

kpis = data.query("select * from rpt_city_month_kpis where period = ? order by is_province desc, city_code", [month])
# the numbers people corrected or added carry the marker: (value, growth) areas of each indicator
figures = data.corrected_indicators(month)
marks = {c: data.figure_marks(figures, c) for c, _, _ in KPIS}
MARK = f" {labels.CORRECTION_MARK}"

table = pd.DataFrame({"地区": kpis["city_name"], "是否报送": kpis["has_report"].map(labels.YES_NO)})
cells: dict[str, list[int]] = {}
for c, n, u in KPIS:
    table[f"{n}（{u}）"] = kpis[c].round(2)
    table[f"{n}同比（%）"] = kpis[f"{c}_yoy_pct"].round(1)
    cells[f"{n}（{u}）"] = data.positions(kpis["city_code"], marks[c][0])
    cells[f"{n}同比（%）"] = data.positions(kpis["city_code"], marks[c][1])
table = table.dropna(axis=1, how="all")
shown = data.marked(table, cells)

st.subheader(f"{period_labels.get(month, month)} · {kpi_labels[indicator]}")
st.caption(f"数值为累计值（{unit}），下方为同比增速；“—”表示本月报告中没有该数。")
cols = st.columns(4)
stated = kpis.loc[~kpis["is_province"], indicator].dropna()
value_marks, yoy_marks = marks[indicator]
cards_marked = False
for i, row in enumerate(kpis.itertuples(index=False)):
    v = getattr(row, indicator)
    yoy = getattr(row, f"{indicator}_yoy_pct")
    area = None if fmt.missing_text(row.city_code) else row.city_code
    value_mark, yoy_mark = area in value_marks, area in yoy_marks
    label, help_text = row.city_name, None if row.has_report else "本月未收到该市报告"
    if row.is_province and fmt.missing(v) and len(stated) > 1:
        # no report states the province figure: show the reporting cities' sum, labelled as such
        v, yoy = stated.sum(), None
        value_mark = bool(data.positions(kpis.loc[stated.index, "city_code"], value_marks))  # a corrected part
        label = f"全省（{len(stated)} 市合计）"
        help_text = f"报告中没有全省数字；这是本月报送该指标的 {len(stated)} 个市的合计，未报送的市不在其中。"
    value_mark, yoy_mark = value_mark and not fmt.missing(v), yoy_mark and not fmt.missing(yoy)
    cards_marked = cards_marked or value_mark or yoy_mark
    cols[i % 4].metric(
        # the unit is in the heading above: a card this narrow truncates "1,721.06 亿元"
        label,
        fmt.num(v, fmt.decimals_for(unit, counts)) + (MARK if value_mark else ""),
        delta=None if fmt.missing(yoy) else fmt.pct(yoy, signed=True) + (MARK if yoy_mark else ""),
        delta_description=None if fmt.missing(yoy) else "同比",
        help=help_text,
        border=True,
        height=150,
    )
if cards_marked:
    st.caption(labels.CORRECTION_CAPTION)

st.subheader("本月各市主要指标")
data.table(shown, f"各市主要指标_{month}", key="overview_table")
if shown is not table and not cards_marked:  # said once, under the first marked number
    st.caption(labels.CORRECTION_CAPTION)
