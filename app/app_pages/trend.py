"""趋势: an indicator across months for chosen cities or zones."""

from __future__ import annotations

import altair as alt
import data
import format as fmt
import labels
import pandas as pd
import streamlit as st

st.title("趋势")
data.require_serving()

inds = data.trend_indicators()  # in display order: the first is the default
if not inds:
    st.info("还没有可画趋势的指标数据。")
    st.stop()
names = {c: n for c, (n, _) in inds.items()}
units = {c: u for c, (_, u) in inds.items()}

c1, c2, c3 = st.columns([2, 1, 2])
indicator = c1.selectbox("指标", list(names), format_func=lambda c: f"{names[c]}（{units[c]}）", key="trend_indicator")
level = c2.radio("范围", list(labels.AREA_LEVEL_LABELS.values()), horizontal=True, key="trend_level")
measure = c3.radio("口径", list(labels.FIGURE_LABELS.values()), horizontal=True, key="trend_measure")
area = next(code for code, word in labels.AREA_LEVEL_LABELS.items() if word == level)
col = next(code for code, word in labels.FIGURE_LABELS.items() if word == measure)

name_col = "city_name" if area == "city" else "zone_name"
options = data.query(
    f"select distinct {name_col} as name from rpt_indicator_trend "
    f"where indicator_code = ? and area_level = ? and {name_col} is not null order by 1",
    [indicator, area],
)["name"].tolist()
if area == "city":
    options.sort(key=labels.city_rank)  # the official order
chosen = st.multiselect(f"选择{level}", options, key="trend_areas", placeholder="全部（可多选）")

sql = "select * from rpt_indicator_trend where indicator_code = ? and area_level = ?"
params: list = [indicator, area]
if chosen:
    sql += f" and list_contains(?::varchar[], {name_col})"
    params.append(chosen)
df = data.query(sql + " order by period", params)
if area == "city":  # each month's cities in the official order
    df = df.assign(city_rank=df["city_name"].map(labels.city_rank))
    df = df.sort_values(["period", "city_rank"], kind="stable").drop(columns="city_rank")

unit = units[indicator]
df = df[df[col].notna()]
if df.empty:
    st.info("没有符合条件的数据（当月值需要上月的累计值才能算出）。")
    st.stop()

# the numbers people corrected or added: a marker beside them (a Styler, the marker's other form,
# costs ~0.2 ms a cell, too much for a trend of years of zones)
if "is_corrected" not in df:
    raise data.OutdatedServingFile("rpt_indicator_trend: no is_corrected")
corrected = (df["is_corrected"].fillna(False) | df["is_added"].fillna(False)).astype(bool).values
markers = [labels.CORRECTION_MARK if c else None for c in corrected]

y_label = f"{names[indicator]}{measure}（{'%' if col == 'yoy_pct' else unit}）"
points = pd.DataFrame(
    {
        "月份": pd.to_datetime(df["period"] + "-01"),
        level: df[name_col],
        y_label: df[col],
    }
)
tooltip = [alt.Tooltip("月份:T", format="%Y-%m"), level, alt.Tooltip(f"{y_label}:Q", format=",.2f")]
if corrected.any():
    points[labels.CORRECTION_COLUMN] = markers
    tooltip.append(labels.CORRECTION_COLUMN)
if area == "city":
    # each city in its own colour of the palette, the legend in the official order
    domain, palette = data.city_colours(points[level])
    colour = alt.Color(f"{level}:N", title=level, scale=alt.Scale(domain=domain, range=palette), sort=domain)
else:
    colour = alt.Color(f"{level}:N", title=level)
# points as well as lines: a city that reports every few months still shows its values
chart = (
    alt.Chart(points)
    .mark_line(point=True)
    .encode(
        x=alt.X("月份:T", title="月份", axis=alt.Axis(format="%Y-%m", labelAngle=0)),
        y=alt.Y(f"{y_label}:Q", title=y_label),
        color=colour,
        tooltip=tooltip,
    )
)
st.altair_chart(chart, width="stretch")

# the province's own figures, as the reports state them: a chart of their own, not a line among
# the cities' (a province total dwarfs every city)
province = data.query(
    "select period, value, single_month_value, yoy_pct from rpt_indicator_trend "
    "where indicator_code = ? and area_level = 'province' order by period",
    [indicator],
)
province = province[province[col].notna()]
if area == "city" and not province.empty:
    st.caption(f"{labels.PROVINCE}（报告所列全省数）")
    whole = pd.DataFrame({"月份": pd.to_datetime(province["period"] + "-01"), y_label: province[col]})
    st.altair_chart(
        alt.Chart(whole)
        .mark_line(point=True, color=labels.PROVINCE_COLOUR)
        .encode(
            x=alt.X("月份:T", title="月份", axis=alt.Axis(format="%Y-%m", labelAngle=0)),
            y=alt.Y(f"{y_label}:Q", title=y_label),
            tooltip=[alt.Tooltip("月份:T", format="%Y-%m"), alt.Tooltip(f"{y_label}:Q", format=",.2f")],
        )
        .properties(height=160),
        width="stretch",
    )

d = fmt.decimals_for(unit, data.count_units())
table = pd.DataFrame(
    {
        "月份": df["period_label_long"].values,
        "期别": df["period"].values,
        level: df[name_col].values,
        **({"所属市": df["city_name"].values} if area == "zone" else {}),
        f"累计值（{unit}）": df["value"].round(d).values,
        f"当月值（{unit}）": df["single_month_value"].round(d).values,
        "同比增速（%）": df["yoy_pct"].round(1).values,
        f"上年同期（{unit}）": df["prior_year_value"].round(d).values,
    }
)
if corrected.any():
    table[labels.CORRECTION_COLUMN] = markers
data.table(table, f"趋势_{names[indicator]}_{level}", key="trend_table", height=data.table_height(len(table)))
if corrected.any():
    st.caption(labels.CORRECTION_CAPTION)
