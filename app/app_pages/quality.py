"""数据质量: the month's check results, failed and warnings first, in Chinese (the suites' rule_zh and
the gate's observed_zh); the engineers' codes in one 技术细节 expander; quarantined documents. Every
validated month can be chosen, with reports or without."""

from __future__ import annotations

import json

import data
import format as fmt
import labels
import pandas as pd
import streamlit as st

st.title("数据质量")
data.require_serving()

month = data.month_selector("quality_month", options=data.quality_months() or None)
if month is None:
    st.stop()
if month not in data.months():
    st.caption(labels.NO_REPORT_MONTH)

summary = data.query("select * from rpt_quality_month where period = ?", [month])
if summary.empty:
    st.warning("该月没有校验结果。")
else:
    s = summary.iloc[0]
    if "acknowledged" not in s:
        raise data.OutdatedServingFile("rpt_quality_month: no acknowledged")
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric("校验状态", s["quality_status"])
    c2.metric("校验项", int(s["expectations"]))
    c3.metric("错误", int(s["errors"]))
    c4.metric("警告", int(s["warnings"]))
    c5.metric("已确认", int(s["acknowledged"]), help="有警告、但其中每个数字都已由人工确认原文无误的校验项")

results = data.query(
    "select * from fct_quality_result where period = ? "
    "order by case status when 'failed' then 0 when 'warning' then 1 when 'acknowledged' then 2 else 3 end, "
    "suite_name, expectation_name",
    [month],
)
if "rule_zh" not in results or "observed_zh" not in results:
    raise data.OutdatedServingFile("fct_quality_result: no rule_zh, observed_zh")
problems = results[results["status"] != "passed"]
indicator_names = data.indicator_names()
city_codes, zone_keys = data.area_names()


def statement(row) -> str:
    """What a statement (a row of rpt_fact_lineage) states, in words."""
    if row["fact_type"] != "pipeline" and fmt.missing_text(row["indicator_code"]):
        return fmt.DASH  # a finding whose statement is not in the month's lineage
    name = (
        None
        if row["fact_type"] == "pipeline"
        else indicator_names.get(row["indicator_code"], (row["indicator_code"],))[0]
    )
    return labels.statement_label(name, row["basis"], row["scope"], row["stage"], row["measure"])


def statements(frame: pd.DataFrame) -> dict[str, object]:
    """The columns that name a statement and its numbers (a province figure: 全省, no zone)."""
    province = frame["area_level"] == "province"
    return {
        "城市": frame["city_name"].where(~province, labels.PROVINCE),
        "开发区": frame["zone_name"].where(province | frame["zone_name"].notna(), labels.CITY_TOTAL),
        "指标": frame.apply(statement, axis=1) if not frame.empty else [],
        "数值": frame["value"],
        "单位": frame["unit"],
        "同比（%）": frame["yoy_pct"].round(1),
        "原文": frame["evidence"],
        "文件": frame["file_name"],
    }


st.subheader("未通过的校验")
if problems.empty:
    st.success("本月所有校验均通过。")
else:
    st.caption("“错误”的月份不发布，须更正后重新运行；“警告”请对照原文核对；“已确认”为人工已确认原文无误的警告。")
for n, row in enumerate(problems.itertuples(index=False)):
    title = labels.check_title(row.expectation_name)
    label = f"{labels.CHECK_RESULT_LABELS.get(row.status, row.status)} · {title}（{row.failing_count or 0} 条）"
    icon = {"failed": ":material/error:", "acknowledged": ":material/task_alt:"}.get(row.status, ":material/warning:")
    with st.expander(label, expanded=n < 3, icon=icon):  # the first few open: their numbers are the point
        st.markdown(f"**规则：** {data.escape(row.rule_zh or title)}")
        if not fmt.missing_text(row.observed_zh):
            st.markdown(f"**检查结果：** {data.escape(row.observed_zh)}")
        try:
            rows = json.loads(row.failing_sample) if row.failing_sample else None
        except ValueError:  # not JSON: the raw sample is in 技术细节
            rows = None
        if rows:
            st.caption("未通过的数据（最多 5 条）：")
            sample = data.failing_sample(rows, indicator_names, city_codes, zone_keys)
            data.table(
                sample,
                f"未通过样例_{month}_{title}",
                key=f"quality_sample_{n}",
                height=data.table_height(len(sample)),
            )

st.subheader("待复核的数字")
queue = data.review_queue(month)
if queue.empty:
    st.success("本月没有需要人工核对的数字。")
else:
    st.caption(
        f"共 {len(queue)} 个数字需要人工核对（未通过校验的数字、提取时存疑的数字、不在名录中的开发区）。"
        "核对原文后，在命令行记录更正（更正键见表的最后一列），下次运行该月时生效："
    )
    st.code(labels.CORRECT_COMMAND, language=None)
    review = pd.DataFrame(
        {
            **statements(queue),
            "问题": data.review_why(queue),
            "更正状态": queue["correction_status"].map(labels.CORRECTION_STATUS_LABELS),
            labels.CORRECTION_KEY: queue["correction_key"],
        }
    )
    data.table(review, f"待复核_{month}", key="quality_queue", height=data.table_height(len(review)))

acknowledged = data.acknowledged_findings(month)
if not acknowledged.empty:
    st.subheader("已确认原文无误的警告")
    st.caption("这些数字未通过警告级校验，已由人工对照原文确认无误，不再列入待复核。")
    confirmed = pd.DataFrame(
        {
            **statements(acknowledged),
            "校验": acknowledged["expectation_name"].map(labels.check_title),
            "确认说明": acknowledged["correction_notes"].map(fmt.correction_notes_text),
            labels.CORRECTION_KEY: acknowledged["correction_key"],
        }
    )
    data.table(confirmed, f"已确认_{month}", key="quality_acknowledged", height=data.table_height(len(confirmed)))

orphaned = data.orphaned_corrections()
if not orphaned.empty:
    st.subheader("未生效的更正")
    st.warning(
        f"有 {len(orphaned)} 条更正找不到对应的数字（报告已被替换或撤回），没有生效。"
        f"请对照新报告核对：不再需要的用 devzone correct {labels.CORRECTION_KEY} --revoke --reason 原因 撤销，仍需更正的在新数字上重新更正。"
    )
    lost = pd.DataFrame(
        {
            "月份": orphaned["period"],
            "城市": orphaned["city_name"],
            "开发区": orphaned["zone_name"].fillna(labels.CITY_TOTAL),
            "指标": [
                data.metric_name(t, m, indicator_names)
                for t, m in zip(orphaned["fact_type"], orphaned["metric"], strict=True)
            ],
            "原文数值": orphaned["original_value"],
            "原文": orphaned["evidence"],
            "文件": orphaned["file_name"],
            "更正内容": data.correction_summaries(orphaned),
            "更正说明": orphaned["correction_notes"].map(fmt.correction_notes_text),
            labels.CORRECTION_KEY: orphaned["correction_key"],
        }
    )
    data.table(lost, "未生效的更正", key="quality_orphaned", height=data.table_height(len(lost)))

st.subheader("全部校验结果")
table = pd.DataFrame(
    {
        "结果": results["status"].map(labels.CHECK_RESULT_LABELS).fillna(results["status"]),
        "校验": results["expectation_name"].map(labels.check_title),
        "规则": results["rule_zh"],
        "检查结果": results["observed_zh"],
        "未通过条数": results["failing_count"],
    }
)
data.table(table, f"数据质量_{month}", key="quality_table", height=data.table_height(len(table)))

with st.expander(labels.TECHNICAL_DETAILS, icon=":material/code:"):
    st.caption("供工程师排查：校验组、Great Expectations 校验项、英文规则和观测值，以及未通过数据的原始记录。")
    technical = pd.DataFrame(
        {
            "结果": table["结果"],
            "校验": table["校验"],
            "校验组": results["suite_name"],
            "校验项": results["expectation_name"],
            "规则（英文）": results["rule"],
            "观测值（英文）": results["observed_value"],
            "未通过样例": results["failing_sample"],
        }
    )
    data.table(
        technical, f"数据质量_技术细节_{month}", key="quality_technical", height=data.table_height(len(technical))
    )

st.subheader("报告文件")
DOCUMENT_COLUMNS = (
    "period, file_name, report_city, document_status, report_kind_name, stated_period, encoding, filed_at, "
    "superseded_by_file_name, duplicate_of_file_name, quarantine_reason, indicator_fact_count, pipeline_fact_count"
)
docs = data.query(
    f"select {DOCUMENT_COLUMNS} from rpt_documents where period = ? order by document_status, file_name", [month]
)
quarantined = data.query(
    f"select {DOCUMENT_COLUMNS} from rpt_documents where document_status = 'quarantined' order by period desc, file_name"
)
if quarantined.empty:
    st.success("没有被隔离的报告文件。")
else:
    st.warning(f"共有 {len(quarantined)} 份报告被隔离（未进入数据）：")
    q = pd.DataFrame(
        {
            "月份": quarantined["period"],
            "文件": quarantined["file_name"],
            "城市": quarantined["report_city"],
            "隔离原因": quarantined["quarantine_reason"],
            "收到时间": quarantined["filed_at"].map(fmt.beijing_time),
        }
    )
    data.table(q, "隔离的报告", key="quality_quarantined", height=data.table_height(len(q)))

d = pd.DataFrame(
    {
        "文件": docs["file_name"],
        "城市": docs["report_city"],
        "状态": docs["document_status"].map(labels.DOC_STATUS_LABELS).fillna(docs["document_status"]),
        "类型": docs["report_kind_name"],
        "所述期间": docs["stated_period"],
        "编码": docs["encoding"],
        "收到时间": docs["filed_at"].map(fmt.beijing_time),
        "被替代为": docs["superseded_by_file_name"],
        "重复于": docs["duplicate_of_file_name"],
        "隔离原因": docs["quarantine_reason"],
        "指标数": docs["indicator_fact_count"],
        "三个一批数": docs["pipeline_fact_count"],
    }
)
st.caption(f"本月共收到 {len(d)} 份报告文件。")
data.table(d, f"报告文件_{month}", key="quality_docs", height=data.table_height(len(d)))
