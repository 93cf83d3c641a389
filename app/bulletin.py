"""月报: the draft monthly bulletin of one report month, built from the served marts.

No Streamlit and no queries here: `data.bulletin_data` (app/data.py, the app's one query module)
reads a `BulletinData` through any `query(sql, params)` callable, `build_bulletin` turns it into a
list of format-neutral blocks, and `to_markdown` / `to_docx` render them. Which indicators the
bulletin states, in which order, with which targets and zone rankings, comes with the data (the
indicators seed, served as dim_indicator). Same serving data, same bulletin: every query has a
total order, and the .docx carries the publish time, not the build time.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

import format as fmt
import labels
import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import RGBColor

TOP_ZONES = 5
# (stage, name, the rate the stage reports); see rpt_pipeline_conversion
STAGES = [(stage, labels.STAGE_LABELS[stage], labels.STAGE_RATE_LABELS[stage]) for stage in labels.CAMPAIGN_STAGES]
SCOPES = [(scope, labels.SCOPE_LABELS[scope]) for scope in ("cumulative", "event")]
CHINESE_ORDINALS = "一二三四五六七八九十"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT, HEADING_FONT = "宋体", "黑体"


# ---- blocks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 = the title, 2 = a section, 3 = a subsection


@dataclass(frozen=True)
class Paragraph:
    text: str
    bullet: bool = False


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Bulletin:
    title: str
    published_at: datetime | None
    blocks: tuple[Block, ...]


@dataclass
class BulletinData:
    """Everything the bulletin of one month says, as read from the serving file."""

    period: str
    label: str  # 2023年1-6月
    span: str  # 1-6月
    published_at: datetime | None
    run_id: str | None
    indicators: dict[str, tuple[str, str]]  # code -> (name, unit), in display order
    headline: tuple[str, ...]  # the headline indicators, by headline rank (columns of rpt_city_month_kpis)
    targets: tuple[str, ...]  # headline indicators whose target growth is stated (<code>_target_yoy_pct)
    ranked: tuple[str, ...]  # the indicators the zones are ranked by, in display order
    count_units: frozenset[str]  # units stated as whole numbers
    cities: list[str]  # every city, in city_code order
    kpis: pd.DataFrame
    zones: pd.DataFrame
    pipeline: pd.DataFrame
    quality: pd.DataFrame
    problems: pd.DataFrame
    documents: pd.DataFrame
    # the month's indicator facts people corrected or added (data.corrected_indicators) and the
    # campaign's corrected statements of the areas' own totals (rpt_fact_lineage)
    corrections: pd.DataFrame = field(default_factory=pd.DataFrame)
    pipeline_corrections: pd.DataFrame = field(default_factory=pd.DataFrame)


# ---- wording -------------------------------------------------------------------------------------


def text(v) -> str | None:
    """A text cell, or None when it is missing (never the strings 'None' or 'nan')."""
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return str(v).strip() or None


def growth(yoy) -> str:
    """同比增长 3.6% / 同比下降 2.7% / 与上年同期持平, as the reports word it."""
    if round(float(yoy), 1) == 0:
        return "与上年同期持平"
    return f"同比{'增长' if yoy > 0 else '下降'} {fmt.pct(abs(float(yoy)))}"


def figure(
    name: str, v, unit: str, yoy, counts: frozenset[str], value_mark: str = "", yoy_mark: str = ""
) -> str | None:
    """规上工业增加值 94.35 亿元，同比增长 3.6% — or whichever part is known, or None; a value in a unit
    of `counts` is a whole number. A mark (a corrected number's footnote marker) follows its number."""
    if fmt.missing(v) and fmt.missing(yoy):
        return None
    if fmt.missing(v):
        return f"{name}{growth(yoy)}{yoy_mark}"
    stated = f"{name} {fmt.value(v, unit, counts)}{value_mark}"
    return stated if fmt.missing(yoy) else f"{stated}，{growth(yoy)}{yoy_mark}"


def rate(v) -> str:
    """Conversion rates keep the two decimals the reports print (81.51%): the gaps are that small."""
    return fmt.DASH if fmt.missing(v) else f"{float(v):.2f}%"


def gap_pp(v) -> str:
    """A rate gap in points for the tables: 0.00 rather than -0.00 for rounding noise."""
    if fmt.missing(v):
        return fmt.DASH
    return "0.00" if round(float(v), 2) == 0 else f"{float(v):+.2f}"


def joined(parts, sep: str = "；") -> str:
    return sep.join(p for p in parts if p)


def subsection_numbers():
    """（一）（二）… numbered in the order the subsections are written (some are skipped)."""
    return (f"（{ordinal}）" for ordinal in CHINESE_ORDINALS)


def code(v) -> str | None:
    """An area's code, None for the province (or a zone's key, None for an area's own total)."""
    return text(v)


# ---- corrected numbers: a marker and a footnote ---------------------------------------------------


class Footnotes:
    """The numbers people corrected or added (devzone correct / add) that the bulletin states: each
    corrected fact gets a footnote number in the order the bulletin first states it, its numbers
    the marker with that number (✎¹), and the footnote says what was corrected, by whom, when and
    why."""

    def __init__(self, data: BulletinData) -> None:
        self.data = data
        self.facts: dict[tuple, dict] = {}
        for row in data.corrections.to_dict("records"):
            area = ("zone", code(row["zone_key"])) if code(row["zone_key"]) else ("city", code(row["city_code"]))
            self.facts[("indicator", area, row["indicator_code"], row["basis"])] = row
        for row in data.pipeline_corrections.to_dict("records"):
            shown = fmt.figure_of(row["stage"], row["measure"])
            if shown:
                self.facts.setdefault(("campaign", code(row["city_code"]), row["scope"], shown), row)
        self.numbers: dict[tuple, int] = {}
        self.notes: list[str] = []

    def _mark(self, key: tuple) -> str:
        row = self.facts.get(key)
        if row is None:
            return ""
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
            self.notes.append(f"{labels.footnote_mark(self.numbers[key])} {self._note(key, row)}")
        return labels.footnote_mark(self.numbers[key])

    def indicator(self, area_code, indicator_code: str, number: str, basis: str = "actual", zone: bool = False) -> str:
        """The marker of an area's (a city's code, None for the province; or a zone's key) value
        (`number`="value") or growth ("yoy") of an indicator, or "" when people did not correct it."""
        key = ("indicator", ("zone" if zone else "city", code(area_code)), indicator_code, basis)
        row = self.facts.get(key)
        return self._mark(key) if row is not None and row[f"{number}_marked"] else ""

    def campaign(self, area_code, scope: str, shown: str) -> str:
        """The marker of a campaign figure (a column of rpt_pipeline_conversion) of an area."""
        return self._mark(("campaign", code(area_code), scope, shown))

    def _note(self, key: tuple, row: dict) -> str:
        counts = self.data.count_units
        place = "·".join(p for p in (text(row["city_name"]) or "全省", text(row.get("zone_name"))) if p)
        if key[0] == "campaign":
            name = labels.statement_label(None, None, row["scope"], row["stage"], row["measure"])
            said = [
                labels.changed(
                    labels.VALUE_WORD,
                    fmt.value(row["original_value"], row["unit"], counts),
                    fmt.value(row["value"], row["unit"], counts),
                )
            ]
        else:
            name = labels.statement_label(
                self.data.indicators.get(row["indicator_code"], (row["indicator_code"], ""))[0],
                row["basis"],
                None,
                None,
                None,
            )
            if bool(row["is_added"]):
                said = [
                    labels.ADDED_FACT
                    + f"（{figure(labels.VALUE_WORD, row['value'], row['unit'], row['yoy_pct'], counts)}）"
                ]
            else:
                said = []
                if row["value"] != row["original_value"]:
                    said.append(
                        labels.changed(
                            labels.VALUE_WORD,
                            fmt.value(row["original_value"], row["unit"], counts),
                            fmt.value(row["value"], row["unit"], counts),
                        )
                    )
                if bool(row["yoy_marked"]):
                    said.append(
                        labels.changed(labels.YOY_WORD, fmt.pct(row["original_yoy_pct"]), fmt.pct(row["yoy_pct"]))
                    )
        return f"{place}·{name}：{joined([joined(said, '，'), fmt.correction_notes_text(row['correction_notes'])], '。')}。"


# ---- the bulletin --------------------------------------------------------------------------------


def build_bulletin(data: BulletinData) -> Bulletin:
    """The bulletin's blocks."""
    title = f"山西省开发区主要经济指标月报（{data.label}）"
    stamp = ["草稿"]
    if data.published_at is not None:
        stamp.append(f"数据发布时间：{fmt.beijing_time(data.published_at)}（北京时间）")
    if data.run_id:
        stamp.append(f"运行编号：{data.run_id}")
    blocks: list[Block] = [Heading(title, 1), Paragraph("｜".join(stamp))]
    number = iter(CHINESE_ORDINALS)  # 一、二、三…
    notes = Footnotes(data)
    blocks += _overview(data, next(number), notes)
    blocks += _cities(data, next(number), notes)
    blocks += _zones(data, next(number), notes)
    blocks += _pipeline(data, next(number), notes)
    blocks += _quality(data, next(number), notes)
    blocks += _corrections(notes)
    blocks += _notes(bool(notes.notes))
    return Bulletin(title=title, published_at=data.published_at, blocks=tuple(blocks))


def _reporting_cities(data: BulletinData) -> pd.DataFrame:
    return data.kpis[~data.kpis["is_province"].astype(bool) & data.kpis["has_report"].astype(bool)]


def _headline_figures(data: BulletinData, row, notes: Footnotes) -> list[str]:
    parts = []
    for indicator in data.headline:
        name, unit = data.indicators[indicator]
        marks = (notes.indicator(row["city_code"], indicator, number) for number in ("value", "yoy"))
        parts.append(figure(name, row[indicator], unit, row[f"{indicator}_yoy_pct"], data.count_units, *marks))
    return [p for p in parts if p]


def _targets(data: BulletinData, row, notes: Footnotes) -> str | None:
    parts = []
    for indicator in data.targets:
        target = row[f"{indicator}_target_yoy_pct"]
        if not fmt.missing(target):
            mark = notes.indicator(row["city_code"], indicator, "yoy", basis="target")
            parts.append(f"{data.indicators[indicator][0]}目标增速 {fmt.pct(target)}{mark}")
    return f"{joined(parts, '，')}。" if parts else None


def _overview(data: BulletinData, ordinal: str, notes: Footnotes) -> list[Block]:
    blocks: list[Block] = [Heading(f"{ordinal}、总体情况", 2)]
    province = data.kpis[data.kpis["is_province"].astype(bool)]
    figures = _headline_figures(data, province.iloc[0], notes) if not province.empty else []
    if figures:
        sentence = f"{data.span}，全省开发区{joined(figures)}。"
        blocks.append(Paragraph(joined([sentence, _targets(data, province.iloc[0], notes)], "")))
    else:
        blocks.append(Paragraph("本月各市报告未给出全省开发区的汇总数，以下按各市报告分列。"))

    current = data.documents[data.documents["document_status"] == "current"]
    reporting = _reporting_cities(data)["city_name"].tolist()
    missing_cities = [c for c in data.cities if c not in reporting]
    received = f"本月共收到报告 {len(current)} 份"
    if reporting:
        received += f"，涉及 {len(reporting)} 个市（{'、'.join(reporting)}）"
    if not missing_cities:
        received += f"，全省 {len(data.cities)} 个市均已报送。"
    else:
        received += f"；{len(missing_cities)} 个市本月未报送：{'、'.join(missing_cities)}。"
    quarantined = len(data.documents) - len(current)
    if quarantined:
        received += f"另有 {quarantined} 份报告被隔离，未计入（见“数据质量与异常”）。"
    blocks.append(Paragraph(received))
    return blocks


def _cities(data: BulletinData, ordinal: str, notes: Footnotes) -> list[Block]:
    blocks: list[Block] = [Heading(f"{ordinal}、各市情况", 2)]
    reporting = _reporting_cities(data)
    if reporting.empty:
        return blocks + [Paragraph("本月没有收到各市的报告。")]
    rows = []
    for _, row in reporting.iterrows():
        figures = _headline_figures(data, row, notes)
        if figures:
            blocks.append(
                Paragraph(joined([f"{row['city_name']}：{joined(figures)}。", _targets(data, row, notes)], ""))
            )
        else:
            blocks.append(Paragraph(f"{row['city_name']}：本月报告中没有主要指标的全市合计数。"))
        for indicator in data.headline:
            name, unit = data.indicators[indicator]
            v, yoy = row[indicator], row[f"{indicator}_yoy_pct"]
            if not (fmt.missing(v) and fmt.missing(yoy)):
                rows.append(
                    (
                        row["city_name"],
                        name,
                        unit,
                        fmt.num(v, fmt.decimals_for(unit, data.count_units))
                        + ("" if fmt.missing(v) else notes.indicator(row["city_code"], indicator, "value")),
                        fmt.num(yoy, 1)
                        + ("" if fmt.missing(yoy) else notes.indicator(row["city_code"], indicator, "yoy")),
                    )
                )
    if rows:
        blocks.append(Table(("地区", "指标", "单位", "累计值", "同比增速（%）"), tuple(rows)))
    return blocks


def _zones(data: BulletinData, ordinal: str, notes: Footnotes) -> list[Block]:
    blocks: list[Block] = [Heading(f"{ordinal}、开发区", 2)]
    number = subsection_numbers()
    unlisted: list[str] = []
    for indicator in data.ranked:
        ranked = data.zones[data.zones["indicator_code"] == indicator]
        if ranked.empty:
            continue
        name, unit = data.indicators[indicator]
        top = ranked.head(TOP_ZONES)
        blocks.append(Heading(f"{next(number)}{name}", 3))
        intro = f"本月共有 {len(ranked)} 个开发区报告了{name}，按累计值排前 {len(top)} 位的如下。"
        fastest = ranked[ranked["yoy_rank_in_province"] == 1]
        if not fastest.empty:
            top_growth = fastest.iloc[0]
            mark = notes.indicator(top_growth["zone_key"], indicator, "yoy", zone=True)
            intro += f"增速最快的是{top_growth['city_name']}{top_growth['zone_name']}（{growth(top_growth['yoy_pct'])}{mark}）。"
        blocks.append(Paragraph(intro))
        rows = []
        for _, z in top.iterrows():
            rows.append(
                (
                    str(int(z["rank_in_province"])),
                    z["zone_name"],
                    z["city_name"],
                    fmt.num(z["value"], fmt.decimals_for(unit, data.count_units))
                    + (
                        "" if fmt.missing(z["value"]) else notes.indicator(z["zone_key"], indicator, "value", zone=True)
                    ),
                    fmt.num(z["yoy_pct"], 1)
                    + (
                        "" if fmt.missing(z["yoy_pct"]) else notes.indicator(z["zone_key"], indicator, "yoy", zone=True)
                    ),
                    fmt.num(z["share_of_city_pct"], 1),
                )
            )
            if not bool(z["is_zone_resolved"]) and z["zone_name"] not in unlisted:
                unlisted.append(z["zone_name"])
        blocks.append(
            Table(("名次", "开发区", "所属市", f"累计值（{unit}）", "同比增速（%）", "占全市比重（%）"), tuple(rows))
        )
    if len(blocks) == 1:
        names = "和".join(data.indicators[c][0] for c in data.ranked)
        blocks.append(Paragraph(f"本月报告中没有分开发区的{names}数据。"))
    if unlisted:
        blocks.append(Paragraph(f"注：{'、'.join(unlisted)}不在开发区名录中，名称按报告原文，请核对。"))
    return blocks


def _stage_figures(row, mark) -> list[str]:
    """The stages' figures of a row of rpt_pipeline_conversion; `mark(column)` is the marker of a
    corrected figure ("" for the others)."""
    parts = []
    for stage, name, _ in STAGES:
        projects, investment = row[f"{stage}_projects"], row[f"{stage}_investment"]
        said = joined(
            [
                None if fmt.missing(projects) else f"{name}项目 {fmt.count(projects, '个')}{mark(f'{stage}_projects')}",
                None if fmt.missing(investment) else f"投资 {fmt.yi(investment)}{mark(f'{stage}_investment')}",
            ],
            "、",
        )
        if not said:
            continue
        if stage == "started" and not fmt.missing(row["started_completed_investment"]):
            said += (
                f"（已完成投资 {fmt.yi(row['started_completed_investment'])}{mark('started_completed_investment')}）"
            )
        if stage == "in_production" and not fmt.missing(row["in_production_expected_annual_output"]):
            output = row["in_production_expected_annual_output"]
            said += f"（预计年产值 {fmt.yi(output)}{mark('in_production_expected_annual_output')}）"
        parts.append(said)
    return parts


def _rate_sentence(row, mark) -> str | None:
    parts = []
    for stage, _, rate_name in STAGES:
        reported, computed, gap = (
            row[f"{stage}_{m}"] for m in ("reported_rate_pct", "computed_rate_pct", "rate_gap_pp")
        )
        if fmt.missing(reported):
            continue
        said = f"{rate_name} {rate(reported)}{mark(f'{stage}_reported_rate_pct')}"
        if not fmt.missing(computed):
            said += f"（按数据计算 {rate(computed)}{mark(f'{stage}_computed_rate_pct')}"
            said += f"，相差 {fmt.pp(gap)}，请核对）" if fmt.rate_gap(gap, row["rate_tolerance_pp"]) else "）"
        parts.append(said)
    return f"{joined(parts, '，')}。" if parts else None


def _campaign_marks(notes: Footnotes, row):
    """`mark(column)`: the marker of a corrected figure of a row of rpt_pipeline_conversion."""
    return lambda column: "" if fmt.missing(row[column]) else notes.campaign(row["city_code"], row["scope"], column)


def _pipeline(data: BulletinData, ordinal: str, notes: Footnotes) -> list[Block]:
    blocks: list[Block] = [Heading(f"{ordinal}、“三个一批”进展", 2)]
    if data.pipeline.empty:
        return blocks + [Paragraph("本月报告中没有“三个一批”（签约一批、开工一批、投产一批）的数据。")]
    blocks.append(
        Paragraph("签约一批、开工一批、投产一批：各地项目个数和投资额，以及报告中的转化比率与按数据计算的比率。")
    )
    number = subsection_numbers()
    for scope, scope_name in SCOPES:
        rows = data.pipeline[data.pipeline["scope"] == scope]
        if rows.empty:
            continue
        blocks.append(Heading(f"{next(number)}{scope_name}", 3))
        counts, rates = [], []
        for _, row in rows.iterrows():
            area = row["city_name"]
            mark = _campaign_marks(notes, row)
            stages = _stage_figures(row, mark)
            if scope == "event" and not (
                fmt.missing(row["all_stages_projects"]) and fmt.missing(row["all_stages_investment"])
            ):
                stages.insert(
                    0,
                    joined(
                        [
                            None
                            if fmt.missing(row["all_stages_projects"])
                            else f"合计项目 {fmt.count(row['all_stages_projects'], '个')}{mark('all_stages_projects')}",
                            None
                            if fmt.missing(row["all_stages_investment"])
                            else f"总投资 {fmt.yi(row['all_stages_investment'])}{mark('all_stages_investment')}",
                        ],
                        "、",
                    ),
                )
            if stages:
                blocks.append(Paragraph(joined([f"{area}：{joined(stages)}。", _rate_sentence(row, mark)], "")))
            counts.append(
                (
                    area,
                    *(
                        c
                        for stage, _, _ in STAGES
                        for c in (
                            fmt.num(row[f"{stage}_projects"], 0) + mark(f"{stage}_projects"),
                            fmt.num(row[f"{stage}_investment"], 2) + mark(f"{stage}_investment"),
                        )
                    ),
                )
            )
            for stage, _, rate_name in STAGES:
                reported, computed, gap = (
                    row[f"{stage}_{m}"] for m in ("reported_rate_pct", "computed_rate_pct", "rate_gap_pp")
                )
                if fmt.missing(reported) and fmt.missing(computed):
                    continue
                verdict = (
                    fmt.DASH
                    if fmt.missing(gap)
                    else labels.RATE_CHECK_LABELS[fmt.rate_gap(gap, row["rate_tolerance_pp"])]
                )
                rates.append(
                    (
                        area,
                        rate_name,
                        rate(reported) + mark(f"{stage}_reported_rate_pct"),
                        rate(computed) + mark(f"{stage}_computed_rate_pct"),
                        gap_pp(gap),
                        verdict,
                    )
                )
        header = ("地区", *(f"{name}{what}" for _, name, _ in STAGES for what in ("项目（个）", "投资（亿元）")))
        blocks.append(Table(header, tuple(counts)))
        if rates:
            blocks.append(Table(("地区", "比率", "报告值", "计算值", "差（百分点）", "核对"), tuple(rates)))
    return blocks


def _rate_gaps(data: BulletinData, notes: Footnotes) -> tuple[list[str], int]:
    """The reported rates that differ from the computed ones, and how many rates could be checked."""
    flagged, checked = [], 0
    scope_names = dict(SCOPES)
    for _, row in data.pipeline.iterrows():
        mark = _campaign_marks(notes, row)
        for stage, _, rate_name in STAGES:
            gap = row[f"{stage}_rate_gap_pp"]
            if fmt.missing(gap):
                continue
            checked += 1
            if fmt.rate_gap(gap, row["rate_tolerance_pp"]):
                flagged.append(
                    f"{row['city_name']}（{scope_names.get(row['scope'], row['scope'])}）{rate_name}：报告 "
                    f"{rate(row[f'{stage}_reported_rate_pct'])}{mark(f'{stage}_reported_rate_pct')}，"
                    f"计算 {rate(row[f'{stage}_computed_rate_pct'])}{mark(f'{stage}_computed_rate_pct')}，相差 {fmt.pp(gap)}。"
                )
    return flagged, checked


def _quality(data: BulletinData, ordinal: str, notes: Footnotes) -> list[Block]:
    blocks: list[Block] = [Heading(f"{ordinal}、数据质量与异常", 2)]
    if data.quality.empty:
        blocks.append(Paragraph("本月没有校验结果。"))
    else:
        q = data.quality.iloc[0]
        acknowledged = int(q["acknowledged"]) if "acknowledged" in q and not fmt.missing(q["acknowledged"]) else 0
        blocks.append(
            Paragraph(
                f"本月共 {int(q['expectations'])} 项校验：通过 {int(q['passed'])} 项，错误 {int(q['errors'])} 项，"
                f"警告 {int(q['warnings'])} 项"
                + (f"，已确认原文无误的警告 {acknowledged} 项" if acknowledged else "")
                + f"，校验状态：{q['quality_status']}。"
            )
        )
    if data.problems.empty:
        if not data.quality.empty:
            blocks.append(Paragraph("本月所有校验均通过。"))
    else:
        blocks.append(Paragraph("未通过的校验："))
        for _, p in data.problems.iterrows():
            status = labels.STATUS_LABELS.get(p["status"], p["status"])
            technical = f"{p['suite_name']} · {p['expectation_name']}"
            title = labels.check_title(p["expectation_name"])
            said = f"{status}｜{technical}" if title == p["expectation_name"] else f"{status}｜{title}（{technical}）"
            details = joined(
                [
                    None if fmt.missing(p["failing_count"]) else f"未通过 {int(p['failing_count'])} 条",
                    None if not text(p["observed_value"]) else f"观测值：{text(p['observed_value'])}",
                    None if not text(p["rule"]) else f"规则：{text(p['rule']).rstrip('。.')}",
                ]
            )
            blocks.append(Paragraph(f"{said}。{details}。" if details else f"{said}。", bullet=True))

    flagged, checked = _rate_gaps(data, notes)
    if flagged:
        blocks.append(Paragraph("“三个一批”报告比率与计算比率不一致："))
        blocks += [Paragraph(f, bullet=True) for f in flagged]
    elif checked:
        tolerance = float(data.pipeline["rate_tolerance_pp"].iloc[0])
        blocks.append(
            Paragraph(f"“三个一批”的 {checked} 个报告比率与按数据计算的结果一致（相差不超过 {tolerance:g} 个百分点）。")
        )

    quarantined = data.documents[data.documents["document_status"] == "quarantined"]
    if quarantined.empty:
        blocks.append(Paragraph("本月没有被隔离的报告文件。"))
    else:
        blocks.append(Paragraph(f"本月有 {len(quarantined)} 份报告文件被隔离（未进入数据）："))
        for _, d in quarantined.iterrows():
            city = text(d["report_city"])
            reason = text(d["quarantine_reason"]) or "原因未记录"
            blocks.append(Paragraph(f"{d['file_name']}{f'（{city}）' if city else ''}：{reason}", bullet=True))
    return blocks


def _corrections(notes: Footnotes) -> list[Block]:
    """The footnotes of the corrected numbers, in the order the bulletin states them."""
    if not notes.notes:
        return []
    return [Heading(labels.FOOTNOTES_HEADING, 2), *(Paragraph(note) for note in notes.notes)]


def _notes(corrected: bool = False) -> list[Block]:
    return [
        Heading("说明", 2),
        Paragraph(
            "本月报中的数字摘自各市开发区月度报告，经自动提取、整理和校验后生成；数值为年初至本月的累计数，增速为同比增速。",
            bullet=True,
        ),
        Paragraph("本稿为草稿，使用前请与各市报告原文核对（“溯源”页可查看每个数字的出处）。", bullet=True),
        Paragraph("表中“—”表示报告中没有该数。", bullet=True),
        *([Paragraph(labels.FOOTNOTES_NOTE, bullet=True)] if corrected else []),
    ]


# ---- Markdown ------------------------------------------------------------------------------------

# Characters that would turn report text into Markdown (or Streamlit's $…$ maths) markup.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|$~])")


def escape(s: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(s.split()))


def to_markdown(bulletin: Bulletin) -> str:
    chunks: list[str] = []
    for block in bulletin.blocks:
        if isinstance(block, Heading):
            chunks.append(f"{'#' * block.level} {escape(block.text)}")
        elif isinstance(block, Paragraph):
            line = f"- {escape(block.text)}" if block.bullet else escape(block.text)
            if block.bullet and chunks and chunks[-1].startswith("- "):
                chunks[-1] += f"\n{line}"  # consecutive bullets form one list
            else:
                chunks.append(line)
        else:
            lines = ["| " + " | ".join(escape(h) for h in block.header) + " |", "|" + "---|" * len(block.header)]
            lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in block.rows]
            chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + "\n"


# ---- Word ----------------------------------------------------------------------------------------

NUMBER_CELL = re.compile(rf"^(—|[-+]?[\d,]+(\.\d+)?%?)({labels.CORRECTION_MARK}[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?$")


def _set_fonts(style, east_asian: str, black: bool = False) -> None:
    """Give a style a Chinese font: Word uses w:eastAsia for CJK text, unless a theme font overrides it."""
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.attrib.pop(qn("w:eastAsiaTheme"), None)
    if black:
        style.font.color.rgb = RGBColor(0, 0, 0)


def _zip_stamped(docx: bytes, when: datetime | None) -> bytes:
    """The same package with every member dated `when`, so equal bulletins give equal bytes."""
    stamp = when.timetuple()[:6] if when is not None and when.year >= 1980 else (1980, 1, 1, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for member in src.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(member.filename))
    return out.getvalue()


def to_docx(bulletin: Bulletin) -> bytes:
    doc = Document()
    _set_fonts(doc.styles["Normal"], BODY_FONT)
    for name in ("Title", "Heading 1", "Heading 2"):
        _set_fonts(doc.styles[name], HEADING_FONT, black=True)

    props = doc.core_properties
    props.title = bulletin.title
    props.subject = "山西省开发区月度数据"
    props.author = props.last_modified_by = "devzone"
    props.comments = "草稿：由发布数据自动生成，使用前请核对。"
    props.revision = 1
    if bulletin.published_at is not None:
        props.created = props.modified = bulletin.published_at

    for block in bulletin.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level - 1)  # level 0 is Word's Title style
        elif isinstance(block, Paragraph):
            doc.add_paragraph(block.text, style="List Bullet" if block.bullet else None)
        else:
            table = doc.add_table(rows=1, cols=len(block.header), style="Table Grid")
            for c, title in zip(table.rows[0].cells, block.header, strict=True):
                c.text = ""
                c.paragraphs[0].add_run(title).bold = True
            for row in block.rows:
                cells = table.add_row().cells
                for c, value in zip(cells, row, strict=True):
                    c.text = value
                    if NUMBER_CELL.match(value):
                        c.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            doc.add_paragraph()  # keeps the next block from running into the table

    buf = io.BytesIO()
    doc.save(buf)
    return _zip_stamped(buf.getvalue(), bulletin.published_at)
