"""总览: the month in a few sentences, the reporting cities' figures, the cities that did not report.

The sentences use the bulletin's words (bulletin.growth). The province's figures are as the
reports state them; where no report states one, the sum of the reporting cities stands in, labelled
so in the value itself. Every figure links to 溯源 filtered on it (data.lineage_url), the quality
status to 数据质量. Growth is red for a rise and green for a fall (labels.RISE_MARKDOWN).
"""

from __future__ import annotations

import bulletin
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

c1, _ = st.columns([1, 2])
month = data.month_selector("overview_month", container=c1)
if month is None:
    st.stop()
label = data.period_labels().get(month, month)

kpis = data.in_city_order(
    data.query("select * from rpt_city_month_kpis where period = ? order by is_province desc, city_code", [month])
)
province_rows = kpis[kpis["is_province"].astype(bool)]
province = province_rows.iloc[0] if not province_rows.empty else None
cities = kpis[~kpis["is_province"].astype(bool)]
reporting = cities[cities["has_report"].astype(bool)]
unreported = cities[~cities["has_report"].astype(bool)]["city_name"].tolist()

# the numbers people corrected or added carry the marker: (value, growth) areas of each indicator
corrections = data.corrected_indicators(month)
marks = {c: data.figure_marks(corrections, c) for c, _, _ in KPIS}
MARK = f" {labels.CORRECTION_MARK}"
marked_any = False


def area(row) -> str | None:
    return None if fmt.missing_text(row["city_code"]) else row["city_code"]


def linked(text: str, city: str | None, indicator: str) -> str:
    return f"[{text}]({data.lineage_url(month, city=city, zone=labels.CITY_TOTAL_FILTER, indicator=indicator)})"


def coloured_growth(yoy, words: bool) -> str:
    """A growth in the bulletin's words (同比增长 3.6%) or as ▲3.6%, red for a rise, green for a fall."""
    rise = float(yoy) > 0
    said = bulletin.growth(yoy) if words else f"{labels.RISE_ARROW if rise else labels.FALL_ARROW}{fmt.pct(abs(yoy))}"
    if round(float(yoy), 1) == 0:
        return said
    return f":{labels.RISE_MARKDOWN if rise else labels.FALL_MARKDOWN}[{said}]"


def figure(row, indicator: str, unit: str) -> tuple[str | None, str | None]:
    """(value, growth) of an area's indicator as Markdown with links and markers, None where not
    stated; the province's unstated value is the reporting cities' sum, labelled so."""
    global marked_any
    v, yoy = row[indicator], row[f"{indicator}_yoy_pct"]
    value_marks, yoy_marks = marks[indicator]
    city = None if row["is_province"] else row["city_name"]
    value_text = None
    if not fmt.missing(v):
        mark = area(row) in value_marks
        value_text = fmt.compact(v, unit, counts) + (MARK if mark else "")
    elif row["is_province"]:
        stated = reporting[indicator].dropna()
        if len(stated):
            mark = bool(data.positions(reporting.loc[stated.index, "city_code"], value_marks))  # a corrected part
            value_text = f"{fmt.compact(stated.sum(), unit, counts)}（{labels.cities_sum(len(stated))}）" + (
                MARK if mark else ""
            )
    if value_text is not None:
        marked_any = marked_any or labels.CORRECTION_MARK in value_text
        value_text = linked(value_text, city, indicator)
    growth_text = None
    if not fmt.missing(yoy):
        mark = area(row) in yoy_marks
        marked_any = marked_any or mark
        growth_text = coloured_growth(yoy, words=False) + (MARK if mark else "")
        growth_text = linked(growth_text, city, indicator)
    return value_text, growth_text


# ---- three to five sentences: the province, the movers, who reported, the quality --------------
sentences = []
shown = [
    (c, n, u) for c, n, u in KPIS if kpis[[c, f"{c}_yoy_pct"]].notna().any().any()
]  # the headline indicators with any figure this month
stated_by_province = [k for k in shown if province is not None and province[[k[0], f"{k[0]}_yoy_pct"]].notna().any()]
lead = (stated_by_province + [k for k in shown if k not in stated_by_province])[:3]
parts = []
if province is not None:
    for c, n, u in lead:
        value_text, growth_text = figure(province, c, u)
        if growth_text is not None:  # the bulletin's words, in colour, linked
            growth_text = linked(
                coloured_growth(province[f"{c}_yoy_pct"], words=True) + (MARK if area(province) in marks[c][1] else ""),
                None,
                c,
            )
        said = "，".join(p for p in (value_text, growth_text) if p)
        if said:
            parts.append(f"{n} {said}")
if parts:
    sentences.append(f"{label}，全省开发区{'；'.join(parts)}。")
else:
    sentences.append(f"{label}，各市报告未给出全省开发区的汇总数。")

movers = next(
    ((c, n) for c, n, _ in KPIS if reporting[f"{c}_yoy_pct"].notna().any()), None
)  # the first headline indicator with a city's growth
if movers is not None:
    c, n = movers
    grown = reporting[reporting[f"{c}_yoy_pct"].notna()].sort_values(f"{c}_yoy_pct", ascending=False)
    top, bottom = grown.iloc[0], grown.iloc[-1]

    def moved(row) -> str:
        return linked(coloured_growth(row[f"{c}_yoy_pct"], words=True), row["city_name"], c)

    if len(grown) > 1:
        sentences.append(
            f"各市中，{n}增速最高的是{top['city_name']}（{moved(top)}），最低的是{bottom['city_name']}（{moved(bottom)}）。"
        )
    else:
        sentences.append(f"{top['city_name']}{n}{moved(top)}。")

docs = data.query("select document_count from dim_period where period = ?", [month])
doc_count = 0 if docs.empty or fmt.missing(docs["document_count"].iloc[0]) else int(docs["document_count"].iloc[0])
zones = int(reporting["zones_reported"].fillna(0).sum())
names = "、".join(reporting["city_name"])
sentences.append(
    f"{len(reporting)} 个市报送" + (f"（{names}）" if names else "") + f"，共收到报告 {doc_count} 份；"
    f"{labels.zones_reported(zones, data.listed_zones())}。"
)

quality = data.query("select * from rpt_quality_month where period = ?", [month])
quality_link = data.page_url("quality", month=month)
if quality.empty:
    sentences.append(f"数据质量：[{labels.NOT_VALIDATED}]({quality_link})。")
else:
    q = quality.iloc[0]
    found = [f"错误 {int(q['errors'])} 项" if int(q["errors"]) else None]
    found.append(f"警告 {int(q['warnings'])} 项" if int(q["warnings"]) else None)
    said = "，".join(p for p in found if p) or "全部通过"
    sentences.append(f"数据质量：[{q['quality_status']}]({quality_link})（{int(q['expectations'])} 项校验，{said}）。")
st.markdown("".join(sentences))

# ---- one table of the reporting cities (and the province), units in the values ----------------
rows = ([] if province is None else [province]) + [r for _, r in reporting.iterrows()]
columns = [(c, n, u) for c, n, u in shown]
if reporting.empty and (province is None or not bool(province["has_report"])):
    st.info("本月没有收到各市的报告。")
elif columns:
    header = "| 地区 | " + " | ".join(n for _, n, _ in columns) + " |"
    lines = [header, "|---|" + "---:|" * len(columns)]
    for row in rows:
        cells = []
        for c, _, u in columns:
            value_text, growth_text = figure(row, c, u)
            cells.append(" ".join(p for p in (value_text, growth_text) if p) or fmt.DASH)
        place = labels.PROVINCE if row["is_province"] else row["city_name"]
        lines.append(f"| {place} | " + " | ".join(cells) + " |")
    st.markdown("\n".join(lines))
st.markdown(f"{labels.NOT_REPORTED}：{'、'.join(unreported)}" if unreported else "各市均已报送。")
st.caption(labels.GROWTH_LEGEND + "点击数字可在“溯源”中查看它出自哪份报告的哪一句话。")
if marked_any:
    st.caption(labels.CORRECTION_CAPTION)

meta = data.query("select published_at from serving_meta order by published_at desc limit 1")
if not meta.empty:
    st.caption(f"本页数据发布于 {fmt.beijing_time(meta['published_at'].iloc[0])}（北京时间）。")

# the figures, as numbers with their units in the headers, to download
download = pd.DataFrame({"地区": [labels.PROVINCE if r["is_province"] else r["city_name"] for r in rows]})
for c, n, u in columns:
    download[f"{n}（{u}）"] = [r[c] for r in rows]
    download[f"{n}同比（%）"] = [r[f"{c}_yoy_pct"] for r in rows]
if len(download):
    data.downloads(download, f"各市主要指标_{month}", "overview_table")
