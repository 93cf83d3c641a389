"""The managers' words for the marts' codes: stages, scopes, statuses, checks, sample columns, and
people's corrections (the one marker of a corrected number, ✎, and what it means).

Pure (no Streamlit), so the pages and the bulletin (app/bulletin.py) share one vocabulary. The
indicators' names, units, order and which are headline indicators are data (dim_indicator, read
through app/data.py), not words of this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# A check's status (fct_quality_result.status); acknowledged: a warning whose every fact people
# accepted as printed (devzone correct KEY --accept).
STATUS_LABELS = {"failed": "失败", "warning": "警告", "acknowledged": "已确认", "passed": "通过"}
SEVERITY_LABELS = {"ERROR": "错误", "WARN": "警告"}
NOT_VALIDATED = "未校验"  # a month without quality results (rpt_quality_month.quality_status otherwise)
SCOPE_LABELS = {"cumulative": "累计", "event": "当期（本期新增）"}
STAGE_LABELS = {"signed": "签约", "started": "开工", "in_production": "投产", "all": "合计"}
CAMPAIGN_STAGES = ("signed", "started", "in_production")  # the campaign's order
# The conversion rate each stage reports (see rpt_pipeline_conversion).
STAGE_RATE_LABELS = {"signed": "签约开工率", "started": "开工项目投产率", "in_production": "达产率"}
RATE_CHECK_LABELS = {False: "一致", True: "不一致"}  # is the reported rate off the computed one?
YES_NO = {True: "是", False: "否"}
SELECTED_LABELS = {True: "是", False: "否（另有来源）"}  # is the statement the one the marts keep?
REJECTED_SELECTED = "否（人工剔除）"  # a statement people rejected is not kept either
BASIS_LABELS = {"actual": "完成", "target": "目标"}
# What a figure is: the cumulative value, the month's own, the growth (趋势; 开发区对比 ranks by 总量).
FIGURE_LABELS = {"value": "累计值", "single_month_value": "当月值", "yoy_pct": "同比增速"}
RANK_BY_LABELS = {"value": "总量", "yoy_pct": "同比增速"}
AREA_LEVEL_LABELS = {"city": "市", "zone": "开发区"}
ALL = "全部"  # a filter that keeps everything
CITY_TOTAL = "（全市）"  # the zone column of a city's own total (no zone)
CITY_TOTAL_FILTER = "（全市合计）"  # the zone filter's choice of city totals only
CAMPAIGN = "三个一批"  # the lineage filter's choice of the campaign's figures
MEASURE_LABELS = {
    "projects": "项目个数",
    "investment": "投资额",
    "advanced_projects": "达标项目个数",
    "advanced_investment": "达标项目投资",
    "rate_pct": "比率",
    "completed_investment": "已完成投资",
    "expected_annual_output": "预计年产值",
    "industrial_projects": "产业项目个数",
    "industrial_investment": "产业项目投资",
}
# The rpt_pipeline_conversion column that shows a campaign measure of a stage (`{stage}`: the stage's
# own; the rate base and the achieved investment show in the computed rate), and of all stages.
MEASURE_FIGURES = {
    "projects": "{stage}_projects",
    "investment": "{stage}_investment",
    "rate_pct": "{stage}_reported_rate_pct",
    "advanced_investment": "{stage}_computed_rate_pct",
    "industrial_investment": "{stage}_computed_rate_pct",
    "completed_investment": "started_completed_investment",
    "expected_annual_output": "in_production_expected_annual_output",
}
ALL_STAGES_FIGURES = {"projects": "all_stages_projects", "investment": "all_stages_investment"}
# Why the extractor flagged a fact for review (codes of devzone/extraction/review.py).
REVIEW_REASON_LABELS = {
    "subject_inferred": "城市由文中地名推断",
    "subject_undecided": "无法确定所属城市",
    "zone_not_in_reference": "开发区不在名录中",
    "number_split_across_lines": "数字跨行拼接",
    "ocr_low_confidence": "扫描件识别置信度低",
    "ocr_zone_variant": "扫描件开发区名称疑似误识",
    "outside_shanxi": "外省数据",
}
DOC_STATUS_LABELS = {
    "current": "有效",
    "superseded": "已被替代",
    "withdrawn": "已撤回",
    "duplicate": "重复文件",
    "quarantined": "已隔离",
}

# What a failed check means, in the managers' words. Keys are substrings of the expectation names in
# fct_quality_result (the derived frame before ":" for cross-checks, the checked column otherwise).
CHECK_TITLES = [
    ("city_growth", "市增速与所辖开发区推算的增速不一致"),
    ("cumulative_progress", "累计值低于上月累计值"),
    ("document_facts: expect_column_values_to_not_be_null(stated_period)", "报告未写明所述期间"),
    ("document_facts", "报告中没有识别出任何数字"),
    ("expected_city", "上月报送、本月未报送的城市"),
    ("named_zone: expect_column_values_to_be_in_set(city_resolved)", "开发区所属城市未能由名称确认"),
    ("named_zone: expect_column_values_to_be_in_set(in_reference)", "开发区不在开发区名录中"),
    ("zone_within_city", "开发区数值大于全市合计"),
    ("(yoy_pct) [warn]", "同比增速异常偏高"),
    ("(confidence) [warn]", "待人工复核的数字"),
    ("(yoy_pct) [error]", "同比增速超出可能范围"),
    ("has_conflicting_sources", "同一指标在不同段落中数值不一致"),
    ("recomputed_rate_gap_pp", "报告比率与按数据算出的比率不一致"),
    ("(rate_base_investment, advanced_investment)", "达标项目投资大于投资总额"),
    ("(projects, advanced_projects)", "达标项目个数大于项目总数"),
    ("to_be_unique", "同一数字重复出现"),
    ("(count_fractional_part)", "项目个数不是整数"),
    ("_to_not_be_null", "必填字段为空"),
    ("expect_table_columns_to_match_set", "数据表结构不符"),
    ("(value)", "数值为负或超出范围"),
    ("_pair_values_to_be_in_set", "开发区与城市、指标与单位不匹配"),
    ("_to_be_in_set", "代码不在参考数据中"),
    ("_to_match_regex", "代码格式不符"),
    ("_to_be_between", "数值超出范围"),
]

# Column names of the failing-row samples, in Chinese.
SAMPLE_COLUMN_LABELS = {
    "city": "城市",
    "city_name": "城市",
    "zone": "开发区",
    "zone_name": "开发区",
    "zone_code": "开发区代码",
    "indicator_code": "指标",
    "metric": "指标",
    "city_value": "全市数值",
    "zone_value": "开发区数值",
    "zones_value_sum": "开发区合计",
    "zone_count": "开发区个数",
    "stated_yoy_pct": "报告增速（%）",
    "implied_yoy_pct": "推算增速（%）",
    "yoy_gap_pp": "相差（百分点）",
    "yoy_pct": "同比（%）",
    "value": "数值",
    "previous_value": "上月累计值",
    "unit": "单位",
    "basis": "完成/目标",
    "stage": "阶段",
    "scope": "口径",
    "reported_rate_pct": "报告比率（%）",
    "recomputed_rate_pct": "计算比率（%）",
    "computed_rate_pct": "计算比率（%）",
    "recomputed_rate_gap_pp": "相差（百分点）",
    "projects": "项目个数",
    "advanced_projects": "达标项目个数",
    "investment": "投资（亿元）",
    "advanced_investment": "达标投资（亿元）",
    "file_name": "文件",
    "fact_count": "数字个数",
    "review_reasons": "复核原因",
    "measure": "项目",
    "evidence": "原文",
    "city_evidence": "全市原文",
    "zone_evidence": "开发区原文",
    "filed": "本月已报送",
    "period": "月份",
    "previous_period": "上月",
    "stated_period": "所述期间",
    "city_code": "城市",
    "zone_key": "开发区",
    "zone_resolved": "开发区名称已识别",
    "city_resolved": "所属城市已确认",
    "in_reference": "在开发区名录中",
    "is_province": "全省",
    "fact_seq": "第几个数",
    "confidence": "可信度",
    "source_count": "来源个数",
    "has_conflicting_sources": "来源不一致",
    "conflicting_statements": "不一致的表述",
    "count_fractional_part": "小数部分",
    "sign_agrees": "增减方向一致",
    "rate_base": "比率基数",
    "rate_base_investment": "比率基数投资（亿元）",
    "completed_investment": "已完成投资（亿元）",
    "expected_annual_output": "预计年产值（亿元）",
    "industrial_projects": "产业项目个数",
    "industrial_investment": "产业项目投资（亿元）",
}
# Columns of a failing-row sample that name rows for machines (hashes, keys, the cross-check's
# code): 数据质量 and the Data Docs leave them out, 数据质量's 技术细节 keeps the raw sample.
SAMPLE_HIDDEN_COLUMNS = (
    "check",
    "doc_id",
    "document_id",
    "indicator_fact_key",
    "pipeline_fact_key",
    "correction_key",
    "correction_keys",
    "fact_id",
    "fact_ids",
)
# Sample columns of codes, with the words for them.
SAMPLE_VALUE_LABELS = {
    "stage": STAGE_LABELS,
    "scope": SCOPE_LABELS,
    "basis": BASIS_LABELS,
    "measure": MEASURE_LABELS,
    "rate_base": MEASURE_LABELS,
    "area_level": AREA_LEVEL_LABELS,
}
# A sample's codes of a city or zone, and the columns that name it (the code says nothing more then).
SAMPLE_NAMED_CODES = {"city_code": ("city", "city_name"), "zone_key": ("zone", "zone_name")}


def sample_column_names(columns: Iterable[str]) -> dict[str, str]:
    """Each sample column's Chinese name (SAMPLE_COLUMN_LABELS); a column whose name an earlier
    column took keeps its own (a table never has two columns of one name)."""
    names: dict[str, str] = {}
    for column in columns:
        name = SAMPLE_COLUMN_LABELS.get(column, column)
        names[column] = column if name in names.values() else name
    return names


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or not str(value).strip()


def readable_sample(
    sample: Iterable[Mapping[str, object]] | Mapping[str, object],
    indicator_names: Mapping[str, str],
    cities: Mapping[str, str],
    zones: Mapping[str, str],
) -> list[dict[str, object]]:
    """A check's failing rows as people read them (数据质量, the Data Docs): Chinese column names
    and indicator names (`indicator_names`: code → name), without the machines' columns
    (SAMPLE_HIDDEN_COLUMNS), cities and zones by name (`cities`: city code → name, `zones`: zone
    key → name; a zone the reference does not know by the name the report gave it), codes in words
    and flags as YES_NO. A row lacks the columns its sample row lacks."""
    rows = [sample] if isinstance(sample, Mapping) else list(sample)
    columns = [c for c in dict.fromkeys(c for row in rows for c in row) if c not in SAMPLE_HIDDEN_COLUMNS]
    for code, named in SAMPLE_NAMED_CODES.items():
        if code in columns and any(n in columns for n in named):
            columns.remove(code)
    names = sample_column_names(columns)

    def word(column: str, value: object, row: Mapping[str, object]) -> object:
        if column == "city_code":
            return None if _blank(value) else cities.get(str(value), value)
        if column == "zone_key":
            return None if _blank(value) else zones.get(str(value), str(value).removeprefix("UNRESOLVED:"))
        if column in SAMPLE_VALUE_LABELS and isinstance(value, str):
            return SAMPLE_VALUE_LABELS[column].get(value, value)
        if column == "confidence":
            reasons = row.get("review_reasons")
            return review_label(
                value if isinstance(value, str) else None, reasons if isinstance(reasons, str) else None
            )
        if column == "review_reasons":
            return review_reasons_label(value) if isinstance(value, str) else value
        if column in ("indicator_code", "metric") and isinstance(value, str):
            return indicator_names.get(value, value)
        if isinstance(value, bool):
            return YES_NO[value]
        return value

    return [{names[c]: word(c, row[c], row) for c in columns if c in row} for row in rows]


# ---- people's corrections (devzone correct / add) -----------------------------------------------

# The one marker of a number people corrected or added, wherever it is shown, and what it means.
CORRECTION_MARK = "✎"
CORRECTION_CAPTION = f"{CORRECTION_MARK} 经人工更正，详见溯源"
CORRECTION_COLUMN = "人工更正"  # a table's column of markers (or of what was corrected)
# What people decided about a statement (rpt_fact_lineage.correction_status).
CORRECTION_STATUS_LABELS = {
    "corrected": "已更正",
    "rejected": "已剔除",
    "accepted": "确认原文无误",
    "added": "人工补录",
}
# One correction's action (the words before ":" in correction_notes).
CORRECTION_ACTION_LABELS = {
    "value": "更正数值",
    "yoy": "更正同比增速",
    "city": "更正城市",
    "zone": "更正开发区",
    "reject": "剔除",
    "accept": "确认原文无误",
    "add": "人工补录",
    "revoke": "撤销更正",
}
UNRESOLVED_ZONE = "开发区不在开发区名录中"  # why a statement with a zone the reference does not know is queued
EXTRACTOR_UNSURE = "提取时存疑"  # why a statement the extractor doubted is queued
CORRECT_COMMAND = "devzone correct 更正键 --value 数值 | --yoy 增速 | --city 城市 | --zone 开发区 | --reject | --accept --reason 原因 --by 姓名"
SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def footnote_mark(number: int) -> str:
    """The bulletin's marker of a corrected number with its footnote's number: ✎¹, ✎¹²."""
    return CORRECTION_MARK + str(number).translate(SUPERSCRIPT_DIGITS)


def correction_status_label(status: str) -> str:
    return CORRECTION_STATUS_LABELS.get(status, status)


def correction_note(action: str | None, reason: str, by: str | None, when: str | None) -> str:
    """One correction in words: '更正数值：表格错位（张工，2026-11-30 04:41 北京时间）'."""
    said = f"{CORRECTION_ACTION_LABELS.get(action, action)}：{reason}" if action else reason
    who = "，".join(p for p in (by, f"{when} 北京时间" if when else None) if p)
    return f"{said}（{who}）" if who else said


def changed(what: str, before: str, after: str) -> str:
    """'数值由 94.35 更正为 95.35'."""
    return f"{what}由 {before} 更正为 {after}"


VALUE_WORD, YOY_WORD = "数值", "同比增速"
CORRECTION_KEY = "更正键"  # a statement's correction key (devzone correct KEY …)
ORIGINAL_FIGURES, CORRECTED_FIGURES = "原文", "更正后"
REJECTED_FACT = "该数字已剔除，不计入数据。"
ADDED_NO_SPAN = "人工补录，原文中没有标出位置"
FOOTNOTES_HEADING = "人工更正说明"  # the bulletin's footnotes of corrected numbers
FOOTNOTES_NOTE = f"标有“{CORRECTION_MARK}”和编号的数字经人工更正，更正内容、更正人、时间和原因见“{FOOTNOTES_HEADING}”。"
ADDED_FACT = "报告中有、自动提取时遗漏，人工补录"


# How a document's text was read (dim_document.reader), where it is worth saying: a scan's numbers
# may hold OCR's misreadings, so 溯源 says the sentence is OCR's.
READERS = {"text_layer": "PDF 文字层", "ocr": "扫描件，OCR 识别", "mixed": "PDF 文字层与扫描页 OCR 识别"}


def reader_note(reader: str | None, confidence: float | None) -> str | None:
    """'扫描件，OCR 识别（平均置信度 0.99）', or None for a text document."""
    if reader not in READERS:
        return None
    return READERS[reader] + (
        f"（平均置信度 {confidence:.2f}）" if confidence is not None and reader != "text_layer" else ""
    )


def cell_source(cell: str, header: str | None) -> str:
    """Where a spreadsheet's number stands, said in place of a sentence:
    '工作表 Sheet1 · 单元格 C5 · 表头 规上工业增加值（亿元）' (cell as stored: '<sheet>!<cell>')."""
    sheet, _, address = cell.rpartition("!")
    parts = [f"工作表 {sheet}" if sheet else "", f"单元格 {address}", f"表头 {header}" if header else ""]
    return " · ".join(p for p in parts if p)


def statement_label(
    indicator_name: str | None, basis: str | None, scope: str | None, stage: str | None, measure: str | None
) -> str:
    """What a statement states, in words: '规上工业增加值', '规上工业增加值（目标）', '累计开工·已完成投资'."""
    if indicator_name is None:
        return f"{SCOPE_LABELS.get(scope, scope or '')}{STAGE_LABELS.get(stage, stage or '')}·{MEASURE_LABELS.get(measure, measure)}"
    return indicator_name + (f"（{BASIS_LABELS['target']}）" if basis == "target" else "")


def review_why(checks, unsure: bool, reasons: str | None, unresolved: bool) -> str:
    """Why a statement is in the review queue: the checks it fails (expectation names), the
    extractor's doubt with its reasons, a zone the reference does not know; each said once."""
    said = [check_title(name) for name in (checks if checks is not None else [])]
    if unsure:
        named = review_reasons_label(reasons)
        said.append(EXTRACTOR_UNSURE + (f"：{named}" if named else ""))
    if unresolved:
        said.append(UNRESOLVED_ZONE)
    return "；".join(dict.fromkeys(said))


def correction_summary(
    value: str | None, yoy: str | None, city: str | None, zone: str | None, verdict: str | None, added: bool
) -> str:
    """What a correction in force sets, its numbers formatted: '更正数值为 12.86', '剔除', '人工补录 52.30'."""
    if added:
        return "；".join(
            p for p in (f"{CORRECTION_ACTION_LABELS['add']} {value or ''}".strip(), yoy and f"{YOY_WORD} {yoy}") if p
        )
    said = [
        f"{CORRECTION_ACTION_LABELS[action]}为 {new}"
        for action, new in (("value", value), ("yoy", yoy), ("city", city), ("zone", zone))
        if new
    ]
    if verdict:
        said.append(CORRECTION_ACTION_LABELS.get(verdict, verdict))
    return "；".join(said)


def review_reasons_label(reasons: str | None) -> str:
    """Comma-separated reason codes in Chinese, e.g. '城市由文中地名推断、开发区不在名录中'."""
    return "、".join(REVIEW_REASON_LABELS.get(code, code) for code in (reasons or "").split(",") if code)


def review_label(confidence: str | None, reasons: str | None) -> str:
    """'可信' or '待复核：<reasons>' for a fact's confidence and its reason codes."""
    if confidence != "review":
        return "可信"
    named = review_reasons_label(reasons)
    return "待复核" + ("：" + named if named else "")


def check_title(expectation_name: str) -> str:
    """The managers' title of a check, e.g. '市增速与所辖开发区推算的增速不一致'."""
    return next((title for key, title in CHECK_TITLES if key in expectation_name), expectation_name)


# ---- the cities' order and colours, growth colours (总览, 趋势, 开发区对比) -----------------------

PROVINCE = "全省"
# The official order of Shanxi's cities (north to south, as the province's statistics list them),
# and one colour of an 11-colour qualitative palette for each, in that order: a city keeps its
# colour on every chart. No pure red or green: those mean a rise and a fall.
CITY_ORDER = (
    "太原市",
    "大同市",
    "朔州市",
    "忻州市",
    "吕梁市",
    "晋中市",
    "阳泉市",
    "长治市",
    "晋城市",
    "临汾市",
    "运城市",
)
CITY_PALETTE = (
    "#1f77b4",  # 太原 blue
    "#ff7f0e",  # 大同 orange
    "#9467bd",  # 朔州 purple
    "#8c564b",  # 忻州 brown
    "#e377c2",  # 吕梁 pink
    "#7f7f7f",  # 晋中 grey
    "#bcbd22",  # 阳泉 olive
    "#17becf",  # 长治 cyan
    "#393b79",  # 晋城 navy
    "#e7ba52",  # 临汾 gold
    "#7b4173",  # 运城 plum
)
PROVINCE_COLOUR = "#262730"
# The Chinese convention, kept everywhere: red for a rise, green for a fall.
RISE_COLOUR, FALL_COLOUR = "#d62728", "#2ca02c"
RISE_MARKDOWN, FALL_MARKDOWN = "red", "green"  # st.markdown's :red[…] / :green[…]
RISE_ARROW, FALL_ARROW = "▲", "▼"
GROWTH_SIGN_LABELS = {True: "增长", False: "下降"}  # the sign of a growth bar (rise, fall)
GROWTH_LEGEND = f"颜色：红色{RISE_ARROW}表示同比增长，绿色{FALL_ARROW}表示同比下降。"
NOT_REPORTED = "未报送"


def city_rank(name) -> int:
    """A city's place in CITY_ORDER (全省 first, an unknown name last): sort by it."""
    if name == PROVINCE:
        return -1
    return CITY_ORDER.index(name) if name in CITY_ORDER else len(CITY_ORDER)


def cities_sum(count: int) -> str:
    """What a province figure that no report states is: the sum of the cities that stated it."""
    return f"报送{count}市合计"


def zones_reported(reported: int, listed: int, what: str = "") -> str:
    """'本月 14 个开发区报送（开发区名录共 93 个）', or of one indicator (`what`): '本月 14 个开发区报送了规上工业增加值（…）'."""
    return f"本月 {reported} 个开发区报送{f'了{what}' if what else ''}（开发区名录共 {listed} 个）"


# ---- the bulletin's internal quality appendix (app/bulletin.py) ---------------------------------

# A check's status (fct_quality_result.status) as one plain word: a failed check is an ERROR (the
# gate blocks the month), a warning a WARN, acknowledged a warning whose facts people accepted.
BULLETIN_CHECK_WORDS = {"failed": "错误", "warning": "警告", "acknowledged": "已确认", "passed": "通过"}


# ---- 数据质量 (app/app_pages/quality.py) ----------------------------------------------------------

# A check's result as one plain word (status and severity in one: failed is an ERROR), the same words
# as the bulletin's appendix.
CHECK_RESULT_LABELS = BULLETIN_CHECK_WORDS
# The expander that keeps the engineers' codes (suites, expectations, GX's English rule and observed
# value, the raw failing rows): the rest of the app shows no code.
TECHNICAL_DETAILS = "技术细节"
NO_REPORT_MONTH = "该月没有收到报告，以下为该月数据校验的结果。"
