"""三个一批: signed → started → in production per city; reported vs computed rates."""

from __future__ import annotations

import altair as alt
import data
import format as fmt
import labels
import pandas as pd
import streamlit as st

STAGES = [(code, labels.STAGE_LABELS[code]) for code in labels.CAMPAIGN_STAGES]
STAGE_COLOURS = ["#9ecae1", "#3182bd", "#08519c"]

st.title("三个一批")
st.caption("签约一批、开工一批、投产一批：各市项目个数和投资额，以及报告中的比率与按数据算出的比率。")
data.require_serving()

c1, c2 = st.columns(2)
month = data.month_selector("pipeline_month", container=c1)
if month is None:
    st.stop()
scope = c2.radio(
    "口径", ["cumulative", "event"], format_func=lambda s: labels.SCOPE_LABELS[s], horizontal=True, key="pipeline_scope"
)

df = data.query(
    "select * from rpt_pipeline_conversion where period = ? and scope = ? order by is_province desc, city_code",
    [month, scope],
)
if df.empty:
    st.info(f"该月没有“{labels.SCOPE_LABELS[scope]}”口径的三个一批数据。")
    st.stop()

if "corrected_measures" not in df:
    raise data.OutdatedServingFile("rpt_pipeline_conversion: no corrected_measures")
# the figures people corrected (devzone correct) carry the marker: per row, rpt_pipeline_conversion's columns
corrected = [fmt.corrected_figures(m) for m in df["corrected_measures"]]


def marked_rows(column: str) -> list[int]:
    return [i for i, figures in enumerate(corrected) if column in figures]


counts = pd.DataFrame({"地区": df["city_name"]})
count_columns: dict[str, str] = {}  # the table's column -> rpt_pipeline_conversion's
for code, label in STAGES:
    counts[f"{label}项目（个）"] = df[f"{code}_projects"]
    counts[f"{label}投资（亿元）"] = df[f"{code}_investment"].round(2)
    count_columns |= {f"{label}项目（个）": f"{code}_projects", f"{label}投资（亿元）": f"{code}_investment"}
if scope == "event":
    counts["合计项目（个）"] = df["all_stages_projects"]
    counts["合计投资（亿元）"] = df["all_stages_investment"].round(2)
    count_columns |= {"合计项目（个）": "all_stages_projects", "合计投资（亿元）": "all_stages_investment"}
counts["开工项目已完成投资（亿元）"] = df["started_completed_investment"].round(2)
counts["投产项目预计年产值（亿元）"] = df["in_production_expected_annual_output"].round(2)
count_columns |= {
    "开工项目已完成投资（亿元）": "started_completed_investment",
    "投产项目预计年产值（亿元）": "in_production_expected_annual_output",
}
counts = counts.dropna(axis=1, how="all")
shown_counts = data.marked(counts, {column: marked_rows(served) for column, served in count_columns.items()})

st.subheader("项目个数与投资额")
stage_order = [label for _, label in STAGES]
long = pd.concat(
    [
        pd.DataFrame(
            {
                "地区": df["city_name"],
                "阶段": label,
                "项目（个）": df[f"{code}_projects"],
                "投资（亿元）": df[f"{code}_investment"],
            }
        )
        for code, label in STAGES
    ],
    ignore_index=True,
)
# the cities' bars only: the province's figures (tenfold a city's) are said beside the charts
cities_long = long[long["地区"] != labels.PROVINCE]
city_order = [c for c in df["city_name"].tolist() if c != labels.PROVINCE]
province_row = df[df["is_province"].fillna(False).astype(bool)]
if not province_row.empty:
    p = province_row.iloc[0]
    said = [
        f"{label} "
        + "、".join(
            ([] if fmt.missing(p[projects]) else [fmt.count(p[projects], "个")])
            + ([] if fmt.missing(p[investment]) else [fmt.yi(p[investment])])
        )
        for label, projects, investment in [
            *((label, f"{code}_projects", f"{code}_investment") for code, label in STAGES),
            (labels.STAGE_LABELS["all"], "all_stages_projects", "all_stages_investment"),
        ]
        if not (fmt.missing(p[projects]) and fmt.missing(p[investment]))
    ]
    if said:
        st.caption(f"{labels.PROVINCE}（报告所列全省数，不画入下图）：" + "；".join(said) + "。")
left, right = st.columns(2)
for column, measure in ((left, "项目（个）"), (right, "投资（亿元）")):
    # stages in campaign order (签约 → 开工 → 投产), side by side within each city
    chart = (
        alt.Chart(cities_long.dropna(subset=[measure]), title=measure)
        .mark_bar()
        .encode(
            x=alt.X(
                "地区:N", sort=city_order, title=None, axis=alt.Axis(labelAngle=0 if len(city_order) <= 6 else -45)
            ),
            xOffset=alt.XOffset("阶段:N", sort=stage_order),
            y=alt.Y(f"{measure}:Q", title=measure),
            color=alt.Color("阶段:N", sort=stage_order, scale=alt.Scale(domain=stage_order, range=STAGE_COLOURS)),
            tooltip=["地区", "阶段", alt.Tooltip(f"{measure}:Q", format=",.2f" if "亿元" in measure else ",.0f")],
        )
    )
    column.altair_chart(chart, width="stretch")
data.table(
    shown_counts,
    f"三个一批_{labels.SCOPE_LABELS[scope]}_{month}",
    key="pipeline_counts",
    height=data.table_height(len(counts)),
)
if shown_counts is not counts:
    st.caption(labels.CORRECTION_CAPTION)

st.subheader("报告比率与计算比率")
rates = pd.DataFrame({"地区": df["city_name"]})
gap_cols = []
rate_marks: dict[str, list[int]] = {}
for code, _ in STAGES:
    rate = labels.STAGE_RATE_LABELS[code]  # the bulletin's name of the stage's rate: 签约开工率, …
    rates[f"{rate}·报告（%）"] = df[f"{code}_reported_rate_pct"].round(2)
    rates[f"{rate}·计算（%）"] = df[f"{code}_computed_rate_pct"].round(2)
    rates[f"{rate}·差（百分点）"] = df[f"{code}_rate_gap_pp"].round(2) + 0.0
    gap_cols.append(f"{rate}·差（百分点）")
    rate_marks[f"{rate}·报告（%）"] = marked_rows(f"{code}_reported_rate_pct")
    rate_marks[f"{rate}·计算（%）"] = marked_rows(f"{code}_computed_rate_pct")
rates["存在差异"] = df["rate_gap_flag"].map(labels.YES_NO)
has_rates = rates.drop(columns=["地区", "存在差异"]).notna().any(axis=None)
tolerance = float(df["rate_tolerance_pp"].iloc[0]) if not df.empty else 0.0
if not has_rates:
    st.info("本口径下报告中没有给出比率（比率一般随累计口径给出）。")
else:
    st.caption(
        f"比率 = 该阶段中达标项目（或投资）所占比重。报告比率与计算比率相差超过 {tolerance:g} 个百分点（超出四舍五入）的标红。"
    )

    def highlight(v):
        return "background-color: #f8d7da; color: #842029" if fmt.rate_gap(v, tolerance) else ""

    styled = rates.style.map(highlight, subset=gap_cols).format(precision=2, na_rep=fmt.DASH)
    for column, rows in rate_marks.items():
        if rows:
            styled = styled.format(
                lambda v: f"{fmt.num(v)} {labels.CORRECTION_MARK}", subset=pd.IndexSlice[rates.index[rows], [column]]
            )
    data.table(
        styled,
        f"三个一批比率_{labels.SCOPE_LABELS[scope]}_{month}",
        key="pipeline_rates",
        height=data.table_height(len(rates)),
    )
    if any(rate_marks.values()):
        st.caption(labels.CORRECTION_CAPTION)
    flagged = df[df["rate_gap_flag"].fillna(False)]
    if flagged.empty:
        st.success("报告比率与计算比率一致。")
    else:
        st.warning("比率有差异的地区：" + "、".join(flagged["city_name"]))

with st.expander("各开发区明细"):
    detail = data.query(
        "select city_name, zone_name, stage, projects, investment, reported_rate_pct, computed_rate_pct, rate_gap_pp, "
        "evidence, corrected_measures, is_province "
        "from fct_project_pipeline where period = ? and scope = ? "
        "order by is_province desc, city_code, zone_name nulls first, list_position(?, stage) nulls last, stage",
        [month, scope, [*labels.CAMPAIGN_STAGES, "all"]],  # 签约, 开工, 投产, 合计
    )
    province = detail["is_province"].fillna(False).astype(bool)
    detail = pd.DataFrame(
        {
            "地区": detail["city_name"].where(~province, labels.PROVINCE),
            "开发区": detail["zone_name"].where(province | detail["zone_name"].notna(), labels.CITY_TOTAL),
            "阶段": detail["stage"].map(labels.STAGE_LABELS).fillna(detail["stage"]),
            "项目（个）": detail["projects"],
            "投资（亿元）": detail["investment"].round(2),
            "报告比率（%）": detail["reported_rate_pct"].round(2),
            "计算比率（%）": detail["computed_rate_pct"].round(2),
            "差（百分点）": detail["rate_gap_pp"].round(2) + 0.0,
            "原文": detail["evidence"],
            labels.CORRECTION_COLUMN: detail["corrected_measures"].map(fmt.corrected_measures_text),
        }
    )
    data.table(
        detail,
        f"三个一批明细_{labels.SCOPE_LABELS[scope]}_{month}",
        key="pipeline_detail",
        height=data.table_height(len(detail)),
    )
