"""溯源: every number with its evidence sentence and document. A link from another page opens it
filtered on a figure (data.LINK_PARAMS: ?month=, ?city=, ?zone=, ?indicator=); the province's own
figures are 全省's."""

from __future__ import annotations

import html

import data
import duckdb
import format as fmt
import labels
import pandas as pd
import streamlit as st
from document_view import SCROLL_TO_MARK, highlight_document

st.title("溯源")
st.caption("查找某个数字来自哪份报告的哪一句话。")
data.require_serving()

c1, c2, c3, c4 = st.columns(4)
month = data.month_selector("lineage_month", container=c1)
if month is None:
    st.stop()
names = data.indicator_names()
counts = data.count_units()
areas = data.query(
    "select distinct coalesce(city_name, ?) as city_name, city_code from rpt_fact_lineage "
    "where period = ? and (city_name is not null or area_level = 'province')",
    [labels.PROVINCE, month],
)
cities = data.in_city_order(areas)["city_name"].tolist()  # 全省 first, when the month states province figures
city_options = [labels.ALL] + cities
city = c2.selectbox("城市", city_options, index=data.linked_index("city", city_options), key="lineage_city")
zone_sql = "select distinct zone_name from rpt_fact_lineage where period = ? and zone_name is not null"
zone_params: list = [month]
if city == labels.PROVINCE:
    zone_sql += " and false"
elif city != labels.ALL:
    zone_sql += " and city_name = ?"
    zone_params.append(city)
zones = data.query(zone_sql + " order by 1", zone_params)["zone_name"].tolist()
zone_options = [labels.ALL, labels.CITY_TOTAL_FILTER] + zones
zone = c3.selectbox("开发区", zone_options, index=data.linked_index("zone", zone_options), key="lineage_zone")
codes = data.stated_indicators(month)  # in display order
indicator_options = [labels.ALL, labels.CAMPAIGN] + codes
indicator = c4.selectbox(
    "指标",
    indicator_options,
    index=data.linked_index("indicator", indicator_options),
    format_func=lambda c: names.get(c, (c, ""))[0] if c not in (labels.ALL, labels.CAMPAIGN) else c,
    key="lineage_indicator",
)
t1, t2, t3 = st.columns([3, 1, 1])
text = t1.text_input("原文包含（可选）", key="lineage_text")
review_only = t2.checkbox("只看待复核的数字", key="lineage_review_only")
corrected_only = t3.checkbox("只看人工更正的数字", key="lineage_corrected_only")

sql = "select * from rpt_fact_lineage where period = ?"
params: list = [month]
if city == labels.PROVINCE:
    sql += " and area_level = 'province'"
elif city != labels.ALL:
    sql += " and city_name = ?"
    params.append(city)
if zone == labels.CITY_TOTAL_FILTER:
    sql += " and zone_name is null"
elif zone != labels.ALL:
    sql += " and zone_name = ?"
    params.append(zone)
if indicator == labels.CAMPAIGN:
    sql += " and fact_type = 'pipeline'"
elif indicator != labels.ALL:
    sql += " and indicator_code = ?"
    params.append(indicator)
if text:
    sql += " and contains(evidence, ?)"
    params.append(text)
if review_only:
    sql += " and confidence = 'review'"
if corrected_only:
    sql += " and correction_status is not null"
df = data.query(sql + " order by file_name, fact_seq", params)

if df.empty:
    st.info("没有符合条件的数字。")
    st.stop()
if "correction_status" not in df:
    raise data.OutdatedServingFile("rpt_fact_lineage: no correction_status")


def what(row) -> str:
    name = None if row["fact_type"] == "pipeline" else names.get(row["indicator_code"], (row["indicator_code"], ""))[0]
    return labels.statement_label(name, row["basis"], row["scope"], row["stage"], row["measure"])


corrected = df["correction_status"] == "corrected"
# A spreadsheet's number stands in a cell under a header, not in a sentence (served files
# published before spreadsheets were read have no such column).
cells = df["source_cell"] if "source_cell" in df else pd.Series(None, index=df.index, dtype=object)
headers = df["source_header"] if "source_header" in df else pd.Series(None, index=df.index, dtype=object)
said_where = pd.Series(
    [
        ev if fmt.missing_text(cell) else labels.cell_source(cell, None if fmt.missing_text(h) else h)
        for ev, cell, h in zip(df["evidence"], cells, headers, strict=True)
    ],
    index=df.index,
)
province = df["area_level"] == "province"  # the province's own figure: 全省, no zone


table = pd.DataFrame(
    {
        "城市": df["city_name"].where(~province, labels.PROVINCE),
        "开发区": df["zone_name"].where(province | df["zone_name"].notna(), labels.CITY_TOTAL),
        "指标": df.apply(what, axis=1),
        "数值": df["value"],
        "单位": df["unit"],
        "同比（%）": df["yoy_pct"].round(1),
        "原文": said_where,
        "文件": df["file_name"],
        "第几个数": df["fact_seq"],
        "采用": df["is_selected"]
        .map(labels.SELECTED_LABELS)
        .where(df["correction_status"] != "rejected", labels.REJECTED_SELECTED),
        "可信度": [labels.review_label(c, r) for c, r in zip(df["confidence"], df["review_reasons"], strict=True)],
        "更正状态": df["correction_status"].map(labels.CORRECTION_STATUS_LABELS),
        "原文数值": df["original_value"].where(corrected & (df["original_value"] != df["value"])),
        "原文同比（%）": df["original_yoy_pct"].where(corrected & (df["original_yoy_pct"] != df["yoy_pct"])).round(1),
        "更正说明": df["correction_notes"].map(fmt.correction_notes_text).replace("", None),
        labels.CORRECTION_KEY: df["correction_key"],
    }
)
st.caption(f"找到 {len(table)} 个数字。")
shown = data.table(
    table,
    f"溯源_{month}",
    key="lineage_table",
    on_select="rerun",
    selection_mode="single-row",
    height=data.table_height(len(table)),
)

st.subheader("查看原文")
st.caption("在上表中点选一行，或在下面选择一个数字。")
options = list(range(len(df)))
selected = list(shown.selection.rows) if shown is not None else []
if selected and selected != st.session_state.get("lineage_selected"):
    st.session_state["lineage_pick"] = selected[0]  # a click in the table moves the picker below
st.session_state["lineage_selected"] = selected
pick = st.selectbox(
    "选择一个数字",
    options,
    format_func=lambda i: " · ".join(
        str(part)
        for part in (
            table.iloc[i]["城市"],
            table.iloc[i]["开发区"],
            table.iloc[i]["指标"],
            fmt.value(df.iloc[i]["value"], df.iloc[i]["unit"], counts),
        )
        if not fmt.missing_text(part)
    ),
    key="lineage_pick",
)
row = df.iloc[pick]
ev = row["evidence"] or ""
start = (
    None
    if fmt.missing(row["value_start"]) or fmt.missing(row["evidence_start"])
    else int(row["value_start"]) - int(row["evidence_start"])
)
end = (
    None
    if fmt.missing(row["value_end"]) or fmt.missing(row["evidence_start"])
    else int(row["value_end"]) - int(row["evidence_start"])
)
if start is not None and end is not None and 0 <= start < end <= len(ev):
    shown = html.escape(ev[:start]) + "<mark><b>" + html.escape(ev[start:end]) + "</b></mark>" + html.escape(ev[end:])
else:
    shown = html.escape(ev)
if not fmt.missing_text(cells.iloc[pick]):  # a spreadsheet's cell in place of a sentence
    shown = html.escape(said_where.iloc[pick])
st.markdown(f"> {shown}", unsafe_allow_html=True)
status = None if fmt.missing_text(row["correction_status"]) else row["correction_status"]
added = status == "added"
where_said = (
    labels.ADDED_NO_SPAN
    if fmt.missing(row["evidence_start"])
    else f"原文位置 {row['evidence_start']}–{row['evidence_end']}；识别为 {row['value_text']}"
)
about_file = "，".join(
    part
    for part in (
        None if fmt.missing_text(row["report_city"]) else row["report_city"],  # none: a bulletin of several cities
        None if fmt.missing_text(row["encoding"]) else f"编码 {row['encoding']}",
        labels.reader_note(
            row.get("reader") if not fmt.missing_text(row.get("reader")) else None,
            None if fmt.missing(row.get("ocr_confidence")) else float(row["ocr_confidence"]),
        ),
        f"收到于 {fmt.beijing_time(row['filed_at'])}",
    )
    if part
)
st.caption(
    f"文件：{row['file_name']}（{about_file}）；"
    f"{where_said}；数值 {fmt.value(row['value'], row['unit'], counts)}"
    + ("" if fmt.missing(row["yoy_pct"]) else f"，同比 {fmt.pct(row['yoy_pct'])}")
    + f"；{labels.CORRECTION_KEY} {row['correction_key']}"
)
if row["confidence"] == "review":
    st.warning(f"{labels.review_label(row['confidence'], row['review_reasons'])}。请对照原文确认这个数字。")


def figures(value, yoy) -> str:
    said = f"{labels.VALUE_WORD} {fmt.value(value, row['unit'], counts)}"
    return said if fmt.missing(yoy) else f"{said}，{labels.YOY_WORD} {fmt.pct(yoy)}"


if status:
    # what people decided about the statement: the original, the correction, who, when and why
    said = [f"**{labels.correction_status_label(status)}**（{labels.CORRECTION_KEY} `{row['correction_key']}`）"]
    if status == "corrected":
        said.append(f"{labels.ORIGINAL_FIGURES}：{figures(row['original_value'], row['original_yoy_pct'])}")
        said.append(f"{labels.CORRECTED_FIGURES}：{figures(row['value'], row['yoy_pct'])}")
    elif added:
        said.append(f"{labels.CORRECTED_FIGURES}：{figures(row['value'], row['yoy_pct'])}")
    elif status == "rejected":
        said.append(
            f"{labels.ORIGINAL_FIGURES}：{figures(row['original_value'], row['original_yoy_pct'])}。{labels.REJECTED_FACT}"
        )
    else:
        said.append(f"{labels.ORIGINAL_FIGURES}：{figures(row['original_value'], row['original_yoy_pct'])}")
    said += [data.escape(note) for note in fmt.correction_notes_text(row["correction_notes"], sep="\n").splitlines()]
    st.info("\n\n".join(said))

try:
    document = data.query(
        "select normalised_text from dim_document where period = ? and document_id = ?",
        [month, row["document_id"]],
    )
except duckdb.CatalogException:  # a serving file published before dim_document existed
    document = pd.DataFrame({"normalised_text": []})
if document.empty or document["normalised_text"].isna().all():
    st.info("该报告的全文不在发布文件中。")
else:
    text = document["normalised_text"].iloc[0]
    sentence = (row["evidence_start"], row["evidence_end"])
    if added and fmt.missing(row["evidence_start"]) and ev and ev in text:  # an added fact's quoted sentence
        sentence = (text.index(ev), text.index(ev) + len(ev))
    st.markdown(f"**报告全文**（{row['file_name']}，规范化后的文本；黄色为该句，粗体为该数字）")
    st.html(
        highlight_document(text, sentence, (row["value_start"], row["value_end"])) + SCROLL_TO_MARK,
        unsafe_allow_javascript=True,
    )
    st.download_button(
        "下载报告全文（.txt）",
        text.encode("utf-8"),
        file_name=f"{row['file_name'].rsplit('.', 1)[0]}_规范化.txt",
        mime="text/plain",
        key="lineage_document_txt",
    )
