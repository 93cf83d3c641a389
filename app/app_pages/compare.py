"""开发区对比: zones ranked by an indicator's value or growth."""

from __future__ import annotations

import altair as alt
import data
import format as fmt
import labels
import pandas as pd
import streamlit as st

st.title("开发区对比")
data.require_serving()

c1, c2, c3, c4 = st.columns(4)
month = data.month_selector("compare_month", container=c1)
if month is None:
    st.stop()

inds = data.ranked_indicators(month)  # in display order: the first is the default
if not inds:
    st.info("该月没有开发区一级的指标数据。")
    st.stop()
names = {c: n for c, (n, _) in inds.items()}
units = {c: u for c, (_, u) in inds.items()}
indicator = c2.selectbox(
    "指标", list(names), format_func=lambda c: f"{names[c]}（{units[c]}）", key="compare_indicator"
)
measure = c3.radio("排序依据", list(labels.RANK_BY_LABELS.values()), horizontal=True, key="compare_measure")
col = next(code for code, word in labels.RANK_BY_LABELS.items() if word == measure)
cities = sorted(
    data.query(
        "select distinct city_name from rpt_zone_ranking where period = ? and indicator_code = ? and city_name is not null",
        [month, indicator],
    )["city_name"],
    key=labels.city_rank,
)  # in the official order
city = c4.selectbox("城市", [labels.ALL] + cities, key="compare_city")

sql = "select * from rpt_zone_ranking where period = ? and indicator_code = ?"
params: list = [month, indicator]
if city != labels.ALL:
    sql += " and city_name = ?"
    params.append(city)
df = data.query(sql, params)

unit = units[indicator]
df = df[df[col].notna()].sort_values(col, ascending=False)
if df.empty:
    st.info("没有符合条件的开发区数据。")
    st.stop()

# the numbers people corrected or added carry the marker
value_marks, yoy_marks = data.figure_marks(data.corrected_indicators(month), indicator, by="zone_key")
value_marked = data.positions(df["zone_key"], value_marks)
yoy_marked = data.positions(df["zone_key"], yoy_marks)
MARK = f" {labels.CORRECTION_MARK}"

label = (
    f"{names[indicator]}（{unit}）" if col == "value" else f"{names[indicator]}{labels.RANK_BY_LABELS['yoy_pct']}（%）"
)
bars = pd.DataFrame({"开发区": df["zone_name"], "所属市": df["city_name"], label: df[col]})
tooltip = ["开发区", "所属市", alt.Tooltip(f"{label}:Q", format=",.2f")]
charted = value_marked if col == "value" else yoy_marked
if charted:
    bars[labels.CORRECTION_COLUMN] = [labels.CORRECTION_MARK if i in charted else "" for i in range(len(bars))]
    tooltip.append(labels.CORRECTION_COLUMN)
if col == "yoy_pct":
    # growth bars by their sign, the Chinese way: red for a rise, green for a fall
    sign = f"同比（红{labels.GROWTH_SIGN_LABELS[True]}、绿{labels.GROWTH_SIGN_LABELS[False]}）"
    bars[sign] = (bars[label] >= 0).map(labels.GROWTH_SIGN_LABELS)
    words = [labels.GROWTH_SIGN_LABELS[True], labels.GROWTH_SIGN_LABELS[False]]
    colour = alt.Color(
        f"{sign}:N", title=sign, scale=alt.Scale(domain=words, range=[labels.RISE_COLOUR, labels.FALL_COLOUR])
    )
else:
    # each city in its own colour of the palette, in the official order
    domain, palette = data.city_colours(bars["所属市"])
    colour = alt.Color("所属市:N", title="所属市", scale=alt.Scale(domain=domain, range=palette), sort=domain)
chart = (
    alt.Chart(bars)
    .mark_bar()
    .encode(
        y=alt.Y("开发区:N", sort="-x", title=None),
        x=alt.X(f"{label}:Q", title=label),
        color=colour,
        tooltip=tooltip,
    )
)

counts = data.count_units()
d = fmt.decimals_for(unit, counts)
table = pd.DataFrame(
    {
        "排名": range(1, len(df) + 1),
        "开发区": df["zone_name"].values,
        "所属市": df["city_name"].values,
        "类型": df["zone_type"].values,
        "级别": df["zone_level"].values,
        f"{names[indicator]}（{unit}）": df["value"].round(d).values,
        "同比增速（%）": df["yoy_pct"].round(1).values,
        "占全市比重（%）": df["share_of_city_pct"].round(1).values,
        "全省排名（总量）": df["rank_in_province"].values,
        "全市排名（总量）": df["rank_in_city"].values,
        "全省排名（增速）": df["yoy_rank_in_province"].values,
    }
)
top = df.iloc[0]
shown = data.marked(table, {f"{names[indicator]}（{unit}）": value_marked, "同比增速（%）": yoy_marked})
chart_column, table_column = st.columns([2, 3])
chart_column.altair_chart(chart, width="stretch", height=max(200, 24 * len(bars) + 60))  # a row per zone
table_column.caption(
    f"{labels.PROVINCE if city == labels.ALL else city}"
    f"{labels.zones_reported(len(df), data.listed_zones(None if city == labels.ALL else city), names[indicator])}；"
    f"按{measure}排第一的是 {top['zone_name']}："
    f"{fmt.value(top['value'], unit, counts)}{MARK if 0 in value_marked else ''}，"
    f"同比 {fmt.pct(top['yoy_pct'])}{MARK if 0 in yoy_marked and not fmt.missing(top['yoy_pct']) else ''}。"
)
with table_column:
    data.table(
        shown, f"开发区对比_{names[indicator]}_{month}", key="compare_table", height=data.table_height(len(table))
    )
    if shown is not table:
        table_column.caption(labels.CORRECTION_CAPTION)
