"""月报: the draft monthly bulletin of one report month, built from the served marts.

No Streamlit and no queries here: `data.bulletin_data` (app/data.py, the app's one query module)
reads a `BulletinData` through any `query(sql, params)` callable, `build_bulletin` turns it into a
list of format-neutral blocks, and `to_markdown` / `to_docx` render them. Which indicators the
bulletin states, in which order, with which targets and zone rankings, comes with the data (the
indicators seed, served as dim_indicator). Same serving data, same bulletin: every query has a
total order, and the .docx carries the publish time, not the build time.

The bulletin is laid out as a provincial 开发区 bulletin is (the seed report of ../shared/seeds):
a masthead and an issue line (期数, period), sections numbered 一、二、… by topic, within them
（一）（二）… by city or indicator, the cities in the province's official order, each city's part
closing with where its figures come from; figures printed as the reports print them (207.61亿元,
同比增长3.6%), tables wide (a row per area, each indicator's value and growth side by side). What
only the people preparing it need (the quality gate's results, rates that disagree with the
counts, quarantined files, zones the reference does not know) is an internal appendix, left out
unless asked for (`build_bulletin(..., quality=True)`).
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime

import format as fmt
import labels
import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor

TOP_ZONES = 5
# (stage, name, the rate the stage reports); see rpt_pipeline_conversion
STAGES = [(stage, labels.STAGE_LABELS[stage], labels.STAGE_RATE_LABELS[stage]) for stage in labels.CAMPAIGN_STAGES]
SCOPES = [(scope, labels.SCOPE_LABELS[scope]) for scope in ("cumulative", "event")]
CHINESE_ORDINALS = "一二三四五六七八九十"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MASTHEAD = "山西省开发区主要经济指标月报"
# Fonts as Chinese official documents set them (GB/T 9704): 宋体 body, 黑体 title and section
# headings (一、), 楷体 subsection headings (（一）); numbers and Latin letters in Times New Roman.
BODY_FONT, HEADING_FONT, SUBHEADING_FONT, LATIN_FONT = "宋体", "黑体", "楷体", "Times New Roman"
INDICATORS_PER_TABLE = 4  # a wide table of more indicators does not fit an A4 page's width
VALUE_WORD, GROWTH_WORD = "数值", "同比（%）"  # the two columns of each indicator in the wide tables
QUALITY_APPENDIX = "附件：数据质量情况（内部参考，对外发送前删除）"


# ---- blocks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int  # 1 = the title, 2 = a section, 3 = a subsection


@dataclass(frozen=True)
class Paragraph:
    text: str
    bullet: bool = False
    kind: str = "body"  # body; issue (the line under the title); caption (a table's title); source; note


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # A header row above `header`, of (label, columns spanned): the indicators over their 数值 and
    # 同比 columns. A column whose `header` is "" under a group of one column is that group's.
    groups: tuple[tuple[str, int], ...] = ()


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class Bulletin:
    title: str
    published_at: datetime | None
    blocks: tuple[Block, ...]
    label: str = ""  # the period: 2023年1-6月


@dataclass
class BulletinData:
    """Everything the bulletin of one month says, as read from the serving file."""

    period: str
    label: str  # 2023年1-6月
    span: str  # 1-6月
    published_at: datetime | None
    run_id: str | None  # read for the engineers' pages; the bulletin never prints it
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
    """同比增长3.6% / 同比下降2.7% / 与上年同期持平, as the reports word it."""
    if round(float(yoy), 1) == 0:
        return "与上年同期持平"
    return f"同比{'增长' if yoy > 0 else '下降'}{fmt.printed_value(abs(float(yoy)), '%', ())}"


def figure(
    name: str, v, unit: str, yoy, counts: frozenset[str], value_mark: str = "", yoy_mark: str = ""
) -> str | None:
    """规上工业增加值94.35亿元，同比增长3.6% — or whichever part is known, or None; a value in a unit
    of `counts` is a whole number. A mark (a corrected number's footnote marker) follows its number."""
    if fmt.missing(v) and fmt.missing(yoy):
        return None
    if fmt.missing(v):
        return f"{name}{growth(yoy)}{yoy_mark}"
    stated = f"{name}{fmt.printed_value(v, unit, counts)}{value_mark}"
    return stated if fmt.missing(yoy) else f"{stated}，{growth(yoy)}{yoy_mark}"


def rate(v) -> str:
    """Conversion rates keep the two decimals the reports print (81.51%): the gaps are that small."""
    return fmt.DASH if fmt.missing(v) else f"{fmt.printed_num(v, 2)}%"


def gap_pp(v) -> str:
    """A rate gap in points for the tables: 0.00 rather than -0.00 for rounding noise."""
    if fmt.missing(v):
        return fmt.DASH
    return "0.00" if round(float(v), 2) == 0 else f"{float(v):+.2f}"


def yi(v) -> str:
    """亿元, two decimals, no space: 94.35亿元."""
    return fmt.printed_value(v, "亿元", ())


def count(v, unit: str) -> str:
    """A whole number with its unit, no space: 25个."""
    return fmt.DASH if fmt.missing(v) else f"{fmt.printed_num(v, 0)}{unit}"


def changed(what: str, before: str, after: str) -> str:
    """'数值由94.35亿元更正为95.35亿元'."""
    return f"{what}由{before}更正为{after}"


def unit_label(unit: str | None) -> str:
    """'（亿元）', or nothing for a unit-less figure (never empty brackets)."""
    return f"（{unit}）" if unit else ""


def joined(parts, sep: str = "；") -> str:
    return sep.join(p for p in parts if p)


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九 (section and subsection numbers)."""
    tens, ones = divmod(n, 10)
    if not 0 < n < 100:
        return str(n)
    return (
        (CHINESE_ORDINALS[tens - 1] if tens > 1 else "")
        + ("十" if tens else "")
        + (CHINESE_ORDINALS[ones - 1] if ones else "")
    )


def ordinals():
    """一, 二, … 十, 十一, …: as many as there are sections or subsections (11 cities report)."""
    return (chinese_ordinal(n) for n in itertools.count(1))


def subsection_numbers():
    """（一）（二）… numbered in the order the subsections are written (some are skipped)."""
    return (f"（{ordinal}）" for ordinal in ordinals())


def code(v) -> str | None:
    """An area's code, None for the province (or a zone's key, None for an area's own total)."""
    return text(v)


def issue_number(period: str) -> str:
    """The bulletin's issue: 2023年第6期 (a monthly bulletin numbers its issues by month)."""
    year, month = period.split("-")[:2]
    return f"{year}年第{int(month)}期" if year.isdigit() and month.isdigit() else period


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
                changed(
                    labels.VALUE_WORD,
                    fmt.printed_value(row["original_value"], row["unit"], counts),
                    fmt.printed_value(row["value"], row["unit"], counts),
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
                        changed(
                            labels.VALUE_WORD,
                            fmt.printed_value(row["original_value"], row["unit"], counts),
                            fmt.printed_value(row["value"], row["unit"], counts),
                        )
                    )
                if bool(row["yoy_marked"]):
                    said.append(
                        changed(
                            labels.YOY_WORD,
                            fmt.printed_value(row["original_yoy_pct"], "%", ()),
                            fmt.printed_value(row["yoy_pct"], "%", ()),
                        )
                    )
        return f"{place}·{name}：{joined([joined(said, '，'), fmt.correction_notes_text(row['correction_notes'])], '。')}。"


# ---- the bulletin --------------------------------------------------------------------------------


def build_bulletin(data: BulletinData, quality: bool = False) -> Bulletin:
    """The bulletin's blocks; with `quality`, the internal appendix on the data's quality."""
    stamp = [issue_number(data.period), data.label, "草稿"]
    if data.published_at is not None:
        stamp.append(f"数据发布时间：{fmt.beijing_time(data.published_at)}（北京时间）")
    blocks: list[Block] = [Heading(MASTHEAD, 1), Paragraph("｜".join(stamp), kind="issue")]
    number = ordinals()  # 一、二、三…
    notes = Footnotes(data)
    tables = iter(range(1, 100))  # 表1, 表2, …
    blocks += _overview(data, next(number), notes)
    blocks += _cities(data, next(number), notes, tables)
    blocks += _zones(data, next(number), notes, tables)
    blocks += _pipeline(data, next(number), notes, tables)
    appendix = _quality(data, notes) if quality else []
    blocks += _corrections(notes)
    blocks += _notes(bool(notes.notes))
    blocks += appendix
    return Bulletin(title=MASTHEAD, published_at=data.published_at, blocks=tuple(blocks), label=data.label)


def _reporting_cities(data: BulletinData) -> pd.DataFrame:
    """The cities that reported this month, in the province's official order."""
    return _city_ordered(data.kpis[~data.kpis["is_province"].astype(bool) & data.kpis["has_report"].astype(bool)])


def _city_ordered(df: pd.DataFrame) -> pd.DataFrame:
    """`df`'s rows in the province's official order of the cities (全省 first)."""
    names = [text(n) or labels.PROVINCE for n in df["city_name"]]
    return df.iloc[sorted(range(len(df)), key=lambda i: labels.city_rank(names[i]))]


def _in_city_order(cities) -> list[str]:
    return sorted(cities, key=labels.city_rank)


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
            parts.append(f"{data.indicators[indicator][0]}目标增速{fmt.printed_value(target, '%', ())}{mark}")
    return f"{joined(parts, '，')}。" if parts else None


def _province(data: BulletinData):
    province = data.kpis[data.kpis["is_province"].astype(bool)]
    return None if province.empty else province.iloc[0]


def _overview(data: BulletinData, ordinal: str, notes: Footnotes) -> list[Block]:
    blocks: list[Block] = [Heading(f"{ordinal}、总体情况", 2)]
    province = _province(data)
    figures = _headline_figures(data, province, notes) if province is not None else []
    if figures:
        sentence = f"{data.span}，全省开发区{joined(figures)}。"
        blocks.append(Paragraph(joined([sentence, _targets(data, province, notes)], "")))
    else:
        blocks.append(Paragraph("本月各市报告未给出全省开发区的汇总数，以下按各市报告分列。"))

    current = data.documents[data.documents["document_status"] == "current"]
    reporting = _reporting_cities(data)["city_name"].tolist()
    missing_cities = _in_city_order(c for c in data.cities if c not in reporting)
    received = f"本月共收到各市开发区月度报告{len(current)}份"
    if reporting:
        received += f"，涉及{len(reporting)}个市（{'、'.join(reporting)}）"
    if not missing_cities:
        received += f"，全省{len(data.cities)}个市均已报送。"
    else:
        received += f"；{len(missing_cities)}个市本月未报送：{'、'.join(missing_cities)}。"
    blocks.append(Paragraph(received))
    return blocks


def _wide_tables(
    data: BulletinData, rows: list[tuple[str, object]], indicators: list[str], mark, caption: str
) -> list[Block]:
    """Region × indicator tables: a row per area (name, its row of rpt_city_month_kpis), per indicator
    its value and growth side by side, at most INDICATORS_PER_TABLE indicators a table (the next
    ones continue under the same caption, 续). `mark(area row, indicator, number)` is a number's
    footnote marker."""
    blocks: list[Block] = []
    for start in range(0, len(indicators), INDICATORS_PER_TABLE):
        chunk = indicators[start : start + INDICATORS_PER_TABLE]
        groups = (("地区", 1), *((data.indicators[c][0], 2) for c in chunk))
        header = ("", *(h for c in chunk for h in (f"{VALUE_WORD}{unit_label(data.indicators[c][1])}", GROWTH_WORD)))
        body = []
        for name, row in rows:
            cells = [name]
            for c in chunk:
                v, yoy = row[c], row[f"{c}_yoy_pct"]
                decimals = fmt.decimals_for(data.indicators[c][1], data.count_units)
                cells.append(fmt.printed_num(v, decimals) + ("" if fmt.missing(v) else mark(row, c, "value")))
                cells.append(fmt.printed_num(yoy, 1) + ("" if fmt.missing(yoy) else mark(row, c, "yoy")))
            body.append(tuple(cells))
        blocks.append(Paragraph(caption if start == 0 else f"{caption}（续）", kind="caption"))
        blocks.append(Table(header, tuple(body), groups))
    return blocks


def _stated(row, indicator: str) -> bool:
    return not (fmt.missing(row[indicator]) and fmt.missing(row[f"{indicator}_yoy_pct"]))


def _cities(data: BulletinData, ordinal: str, notes: Footnotes, tables) -> list[Block]:
    blocks: list[Block] = [Heading(f"{ordinal}、各市开发区主要指标", 2)]
    reporting = _reporting_cities(data)
    if reporting.empty:
        return blocks + [Paragraph("本月没有收到各市的报告。")]
    areas = [(row["city_name"], row) for _, row in reporting.iterrows()]
    province = _province(data)
    if province is not None and any(_stated(province, c) for c in data.headline):
        areas.insert(0, (labels.PROVINCE, province))
    shown = [c for c in data.headline if any(_stated(row, c) for _, row in areas)]
    if shown:

        def mark(row, indicator: str, which: str) -> str:
            return notes.indicator(row["city_code"], indicator, which)

        caption = f"表{next(tables)}　{data.label}各市开发区主要经济指标"
        blocks += _wide_tables(data, areas, shown, mark, caption)
    number = subsection_numbers()
    for _, row in reporting.iterrows():
        city = row["city_name"]
        blocks.append(Heading(f"{next(number)}{city}", 3))
        figures = _headline_figures(data, row, notes)
        if figures:
            said = f"{data.span}，{city}开发区{joined(figures)}。"
            blocks.append(Paragraph(joined([said, _targets(data, row, notes)], "")))
        else:
            blocks.append(Paragraph(f"{city}本月报告中没有主要指标的全市合计数。"))
        zones = _zone_figures(data, city, notes)
        if zones:
            blocks.append(Paragraph(f"其中：{joined(zones)}。"))
        blocks.append(Paragraph(f"（资料来源：{city}开发区月度报告）", kind="source"))
    return blocks


def _zone_figures(data: BulletinData, city: str, notes: Footnotes) -> list[str]:
    """'清徐经开区规上工业增加值42.18亿元，同比增长7.5%' for each zone of `city` the month ranks, by
    its rank of the first ranked indicator."""
    zones = data.zones[data.zones["city_name"] == city]
    said = []
    in_rank_order = [k for c in data.ranked for k in zones.loc[zones["indicator_code"] == c, "zone_key"]]
    for zone_key in dict.fromkeys(in_rank_order):
        rows = zones[zones["zone_key"] == zone_key]
        parts = []
        for indicator in data.ranked:
            for _, z in rows[rows["indicator_code"] == indicator].iterrows():
                name, unit = data.indicators[indicator]
                marks = (notes.indicator(zone_key, indicator, n, zone=True) for n in ("value", "yoy"))
                parts.append(figure(name, z["value"], unit, z["yoy_pct"], data.count_units, *marks))
        if any(parts):
            said.append(f"{rows['zone_name'].iloc[0]}{joined(parts, '，')}")
    return said


def _zones(data: BulletinData, ordinal: str, notes: Footnotes, tables) -> list[Block]:
    blocks: list[Block] = [Heading(f"{ordinal}、重点开发区", 2)]
    number = subsection_numbers()
    for indicator in data.ranked:
        ranked = data.zones[data.zones["indicator_code"] == indicator]
        if ranked.empty:
            continue
        name, unit = data.indicators[indicator]
        top = ranked.head(TOP_ZONES)
        blocks.append(Heading(f"{next(number)}{name}", 3))
        intro = f"本月共有{len(ranked)}个开发区报告了{name}，按累计值排前{len(top)}位的如下。"
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
                    fmt.printed_num(z["value"], fmt.decimals_for(unit, data.count_units))
                    + (
                        "" if fmt.missing(z["value"]) else notes.indicator(z["zone_key"], indicator, "value", zone=True)
                    ),
                    fmt.printed_num(z["yoy_pct"], 1)
                    + (
                        "" if fmt.missing(z["yoy_pct"]) else notes.indicator(z["zone_key"], indicator, "yoy", zone=True)
                    ),
                    fmt.printed_num(z["share_of_city_pct"], 1),
                )
            )
        blocks.append(Paragraph(f"表{next(tables)}　{data.label}{name}居前{len(top)}位的开发区", kind="caption"))
        blocks.append(
            Table(
                ("名次", "开发区", "所属市", f"{VALUE_WORD}{unit_label(unit)}", GROWTH_WORD, "占全市比重（%）"),
                tuple(rows),
            )
        )
    if len(blocks) == 1:
        names = "和".join(data.indicators[c][0] for c in data.ranked)
        blocks.append(Paragraph(f"本月报告中没有分开发区的{names}数据。"))
    return blocks


def _unlisted_zones(data: BulletinData) -> list[str]:
    return list(dict.fromkeys(data.zones.loc[~data.zones["is_zone_resolved"].astype(bool), "zone_name"]))


def _stage_figures(row, mark) -> list[str]:
    """The stages' figures of a row of rpt_pipeline_conversion; `mark(column)` is the marker of a
    corrected figure ("" for the others)."""
    parts = []
    for stage, name, _ in STAGES:
        projects, investment = row[f"{stage}_projects"], row[f"{stage}_investment"]
        said = joined(
            [
                None
                if fmt.missing(projects)
                else f"“{name}一批”项目{count(projects, '个')}{mark(f'{stage}_projects')}",
                None if fmt.missing(investment) else f"总投资{yi(investment)}{mark(f'{stage}_investment')}",
            ],
            "，",
        )
        if not said:
            continue
        if stage == "started" and not fmt.missing(row["started_completed_investment"]):
            said += f"，已完成投资{yi(row['started_completed_investment'])}{mark('started_completed_investment')}"
        if stage == "in_production" and not fmt.missing(row["in_production_expected_annual_output"]):
            output = row["in_production_expected_annual_output"]
            said += f"，预计年产值{yi(output)}{mark('in_production_expected_annual_output')}"
        parts.append(said)
    return parts


def _rate_sentence(row, mark) -> str | None:
    """The rates as the report states them (the check against the counts is the appendix's)."""
    parts = []
    for stage, _, rate_name in STAGES:
        reported = row[f"{stage}_reported_rate_pct"]
        if not fmt.missing(reported):
            parts.append(f"{rate_name}{rate(reported)}{mark(f'{stage}_reported_rate_pct')}")
    return f"{joined(parts, '，')}。" if parts else None


def _campaign_marks(notes: Footnotes, row):
    """`mark(column)`: the marker of a corrected figure of a row of rpt_pipeline_conversion."""
    return lambda column: "" if fmt.missing(row[column]) else notes.campaign(row["city_code"], row["scope"], column)


def _pipeline(data: BulletinData, ordinal: str, notes: Footnotes, tables) -> list[Block]:
    blocks: list[Block] = [Heading(f"{ordinal}、“三个一批”项目进展", 2)]
    if data.pipeline.empty:
        return blocks + [Paragraph("本月报告中没有“三个一批”（签约一批、开工一批、投产一批）的数据。")]
    number = subsection_numbers()
    for scope, scope_name in SCOPES:
        rows = data.pipeline[data.pipeline["scope"] == scope]
        if rows.empty:
            continue
        rows = _city_ordered(rows)
        blocks.append(Heading(f"{next(number)}{scope_name}", 3))
        counts, rates = [], []
        for _, row in rows.iterrows():
            area = text(row["city_name"]) or labels.PROVINCE
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
                            else f"合计项目{count(row['all_stages_projects'], '个')}{mark('all_stages_projects')}",
                            None
                            if fmt.missing(row["all_stages_investment"])
                            else f"总投资{yi(row['all_stages_investment'])}{mark('all_stages_investment')}",
                        ],
                        "，",
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
                            fmt.printed_num(row[f"{stage}_projects"], 0) + mark(f"{stage}_projects"),
                            fmt.printed_num(row[f"{stage}_investment"], 2) + mark(f"{stage}_investment"),
                        )
                    ),
                )
            )
            reported = [row[f"{stage}_reported_rate_pct"] for stage, _, _ in STAGES]
            if not all(fmt.missing(r) for r in reported):
                rates.append(
                    (
                        area,
                        *(
                            fmt.printed_num(r, 2) + ("" if fmt.missing(r) else mark(f"{stage}_reported_rate_pct"))
                            for r, (stage, _, _) in zip(reported, STAGES, strict=True)
                        ),
                    )
                )
        blocks.append(Paragraph(f"表{next(tables)}　“三个一批”项目情况：{scope_name}", kind="caption"))
        blocks.append(
            Table(
                ("", *(h for _ in STAGES for h in ("项目（个）", "总投资（亿元）"))),
                tuple(counts),
                (("地区", 1), *((f"{name}一批", 2) for _, name, _ in STAGES)),
            )
        )
        if rates:
            blocks.append(Paragraph(f"表{next(tables)}　“三个一批”项目转化率：{scope_name}", kind="caption"))
            blocks.append(Table(("地区", *(f"{rate_name}（%）" for _, _, rate_name in STAGES)), tuple(rates)))
    return blocks


# ---- the internal appendix: the data's quality ---------------------------------------------------


def _rate_checks(data: BulletinData, notes: Footnotes) -> tuple[list[tuple[str, ...]], int, int]:
    """The reported rates checked against the counts (a row each: area, scope, rate, reported,
    computed, gap, verdict), how many were checked and how many disagree."""
    rows, checked, flagged = [], 0, 0
    scope_names = dict(SCOPES)
    for _, row in data.pipeline.iterrows():
        mark = _campaign_marks(notes, row)
        for stage, _, rate_name in STAGES:
            reported, computed, gap = (
                row[f"{stage}_{m}"] for m in ("reported_rate_pct", "computed_rate_pct", "rate_gap_pp")
            )
            if fmt.missing(gap):
                continue
            checked += 1
            off = fmt.rate_gap(gap, row["rate_tolerance_pp"])
            flagged += off
            rows.append(
                (
                    text(row["city_name"]) or labels.PROVINCE,
                    scope_names.get(row["scope"], row["scope"]),
                    rate_name,
                    rate(reported) + mark(f"{stage}_reported_rate_pct"),
                    rate(computed) + mark(f"{stage}_computed_rate_pct"),
                    gap_pp(gap),
                    labels.RATE_CHECK_LABELS[off],
                )
            )
    return rows, checked, flagged


def _check_words(p) -> str:
    """A failed check in words: its managers' title, rule and what was observed, in Chinese."""
    title = labels.check_title(p["expectation_name"])
    rule = (text(p.get("rule_zh")) or "").rstrip("。")
    if title == p["expectation_name"]:  # no managers' title: the rule says what it checks
        title = rule or "其他校验"
        rule = ""
    details = joined(
        [
            None if fmt.missing(p["failing_count"]) else f"未通过{int(p['failing_count'])}条",
            text(p.get("observed_zh")) and f"检查结果：{text(p.get('observed_zh'))}",
            rule and f"规则：{rule}",
        ]
    )
    word = labels.BULLETIN_CHECK_WORDS.get(p["status"], p["status"])
    return f"{word}｜{title}。{details}。" if details else f"{word}｜{title}。"


def _quality(data: BulletinData, notes: Footnotes) -> list[Block]:
    blocks: list[Block] = [
        Heading(QUALITY_APPENDIX, 2),
        Paragraph("本附件供内部核对使用，列出本月数据的自动校验结果和需要核对的问题，对外发送前请删除。"),
    ]
    number = subsection_numbers()
    blocks.append(Heading(f"{next(number)}自动校验", 3))
    if data.quality.empty:
        blocks.append(Paragraph("本月没有校验结果。"))
    else:
        q = data.quality.iloc[0]
        acknowledged = int(q["acknowledged"]) if "acknowledged" in q and not fmt.missing(q["acknowledged"]) else 0
        blocks.append(
            Paragraph(
                f"本月共{int(q['expectations'])}项校验：通过{int(q['passed'])}项，错误{int(q['errors'])}项，"
                f"警告{int(q['warnings'])}项"
                + (f"，已确认原文无误的警告{acknowledged}项" if acknowledged else "")
                + f"；校验状态：{q['quality_status']}。"
            )
        )
    if data.problems.empty:
        if not data.quality.empty:
            blocks.append(Paragraph("本月所有校验均通过。"))
    else:
        blocks.append(Paragraph("未通过的校验："))
        blocks += [Paragraph(_check_words(p), bullet=True) for p in data.problems.to_dict("records")]

    rows, checked, flagged = _rate_checks(data, notes)
    if checked:
        blocks.append(Heading(f"{next(number)}“三个一批”转化率核对", 3))
        tolerance = float(data.pipeline["rate_tolerance_pp"].iloc[0])
        if flagged:
            blocks.append(
                Paragraph(
                    f"{checked}个报告比率中有{flagged}个与按项目数据计算的结果不一致（相差超过{tolerance:g}个百分点），请核对。"
                )
            )
        else:
            blocks.append(
                Paragraph(f"{checked}个报告比率与按项目数据计算的结果一致（相差不超过{tolerance:g}个百分点）。")
            )
        blocks.append(Table(("地区", "口径", "比率", "报告值", "计算值", "差（百分点）", "核对"), tuple(rows)))

    blocks.append(Heading(f"{next(number)}报告文件与开发区名录", 3))
    quarantined = data.documents[data.documents["document_status"] == "quarantined"]
    if quarantined.empty:
        blocks.append(Paragraph("本月没有被隔离的报告文件。"))
    else:
        blocks.append(Paragraph(f"本月有{len(quarantined)}份报告文件被隔离，未计入数据："))
        for _, d in quarantined.iterrows():
            city = text(d["report_city"])
            reason = text(d["quarantine_reason"]) or "原因未记录"
            blocks.append(Paragraph(f"{d['file_name']}{f'（{city}）' if city else ''}：{reason}", bullet=True))
    unlisted = _unlisted_zones(data)
    if unlisted:
        blocks.append(Paragraph(f"{'、'.join(unlisted)}不在开发区名录中，名称按报告原文，请核对。"))
    return blocks


def _corrections(notes: Footnotes) -> list[Block]:
    """The footnotes of the corrected numbers, in the order the bulletin states them."""
    if not notes.notes:
        return []
    return [Heading(labels.FOOTNOTES_HEADING, 2), *(Paragraph(note, kind="note") for note in notes.notes)]


def _notes(corrected: bool = False) -> list[Block]:
    said = [
        "本月报中的数字摘自各市开发区月度报告，经整理和校验后生成；数值为年初至本月的累计数，增速为同比增速。",
        "本稿为草稿，使用前请与各市报告原文核对。",
        "表中“—”表示报告中没有该数。",
        *([labels.FOOTNOTES_NOTE] if corrected else []),
    ]
    return [Heading("说明", 2), *(Paragraph(f"{i}．{s}", kind="note") for i, s in enumerate(said, 1))]


# ---- Markdown ------------------------------------------------------------------------------------

# Characters that would turn report text into Markdown (or Streamlit's $…$ maths) markup.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|$~])")


def escape(s: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(s.split()))


def _group_cells(table: Table) -> list[str]:
    """The header row above `table.header`, a cell per column: a group's label over its first column."""
    cells: list[str] = []
    for label, span in table.groups:
        cells += [label] + [""] * (span - 1)
    return cells


def to_markdown(bulletin: Bulletin) -> str:
    chunks: list[str] = []
    for block in bulletin.blocks:
        if isinstance(block, Heading):
            chunks.append(f"{'#' * block.level} {escape(block.text)}")
        elif isinstance(block, Paragraph):
            line = escape(block.text)
            if block.kind == "caption":
                line = f"**{line}**"
            if block.bullet:
                line = f"- {line}"
            if block.bullet and chunks and chunks[-1].startswith("- "):
                chunks[-1] += f"\n{line}"  # consecutive bullets form one list
            else:
                chunks.append(line)
        elif block.groups:  # Markdown has one header row: the groups, their columns' words below in bold
            lines = ["| " + " | ".join(escape(h) for h in _group_cells(block)) + " |", "|" + "---|" * len(block.header)]
            lines.append("| " + " | ".join(f"**{escape(h)}**" if h else "" for h in block.header) + " |")
            lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in block.rows]
            chunks.append("\n".join(lines))
        else:
            lines = ["| " + " | ".join(escape(h) for h in block.header) + " |", "|" + "---|" * len(block.header)]
            lines += ["| " + " | ".join(escape(c) for c in row) + " |" for row in block.rows]
            chunks.append("\n".join(lines))
    return "\n\n".join(chunks) + "\n"


# ---- Word ----------------------------------------------------------------------------------------

NUMBER_CELL = re.compile(rf"^(—|[-+]?[\d,]+(\.\d+)?%?)({labels.CORRECTION_MARK}[⁰¹²³⁴⁵⁶⁷⁸⁹]+)?$")
# A4 portrait, margins of a printed report (GB/T 9704 keeps about 15.6 cm of text width; tables
# need a little more)
PAGE_WIDTH, PAGE_HEIGHT = Cm(21), Cm(29.7)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_SIDE = Cm(2.54), Cm(2.54), Cm(2.2)
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN_SIDE
BODY_SIZE, TABLE_SIZE, SMALL_TABLE_SIZE = Pt(12), Pt(10), Pt(9)  # 小四, 10 pt, 小五
# Word styles: (style, East Asian font, size, bold, alignment)
HEADING_STYLES = {
    1: ("Title", HEADING_FONT, Pt(22), False, WD_ALIGN_PARAGRAPH.CENTER),  # 二号
    2: ("Heading 1", HEADING_FONT, Pt(14), False, None),  # 四号
    3: ("Heading 2", SUBHEADING_FONT, Pt(12), True, None),  # 小四
}
BODY_STYLE = "Bulletin Body"  # first line indented two characters, as Chinese prose is


def _set_fonts(style, east_asian: str) -> None:
    """Give a style its fonts: Word uses w:eastAsia for CJK text (and w:ascii/w:hAnsi for digits and
    Latin letters) unless a theme font overrides them, so the theme fonts go."""
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:eastAsia"), east_asian)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), LATIN_FONT)


def _black(style) -> None:
    """Black text: the style's own colour, not its theme colour."""
    color = style.element.get_or_add_rPr().find(qn("w:color"))
    if color is not None:
        style.element.get_or_add_rPr().remove(color)
    style.font.color.rgb = RGBColor(0, 0, 0)


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _set_fonts(normal, BODY_FONT)
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_after = Pt(0)
    body = doc.styles.add_style(BODY_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = normal
    body.paragraph_format.first_line_indent = Pt(24)  # two characters of 12 pt
    body.paragraph_format.line_spacing = 1.5
    bullet = doc.styles["List Bullet"]
    bullet.paragraph_format.line_spacing = 1.5
    for name, font, size, bold, alignment in HEADING_STYLES.values():
        style = doc.styles[name]
        _set_fonts(style, font)
        _black(style)
        style.font.size, style.font.bold = size, bold
        style.font.italic = False
        style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
        if alignment is not None:
            style.paragraph_format.alignment = alignment
    border = doc.styles["Title"].element.get_or_add_pPr().find(qn("w:pBdr"))
    if border is not None:  # the template's blue rule under the title
        border.getparent().remove(border)


def _page(doc) -> None:
    """A4 portrait with the report's margins, the page number centred in the footer: — 1 —."""
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin = section.right_margin = MARGIN_SIDE
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("— ")
    for kind, instruction in (("begin", None), (None, " PAGE "), ("end", None)):
        run = footer.add_run()
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
        run._r.append(element)
    footer.add_run(" —")


def _repeat_header(row) -> None:
    """A header row that Word repeats at the top of each page the table runs onto."""
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _cell(cell, value: str, size, header: bool = False, width=None) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(value)
    run.font.size = size
    if header:
        run.font.bold = True
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif NUMBER_CELL.match(value):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    if width is not None:
        cell.width = width


def _table(doc, block: Table) -> None:
    columns = len(block.header)
    heads = 2 if block.groups else 1
    table = doc.add_table(rows=heads, cols=columns, style="Table Grid")
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    size = SMALL_TABLE_SIZE if columns > 7 else TABLE_SIZE
    # the text columns (地区, 开发区, …) take more room than the numbers' columns
    texts = [not block.rows or any(not NUMBER_CELL.match(row[i]) for row in block.rows) for i in range(columns)]
    wide = min(Cm(2.8), int(TEXT_WIDTH * 0.6) // max(1, sum(texts)))
    narrow = (TEXT_WIDTH - wide * sum(texts)) // max(1, columns - sum(texts))
    widths = [Emu(wide if is_text else narrow) for is_text in texts]
    if block.groups:
        column = 0
        for label, span in block.groups:
            top = table.cell(0, column)
            if span > 1:
                top = top.merge(table.cell(0, column + span - 1))
            elif not block.header[column]:
                top = top.merge(table.cell(1, column))
            _cell(top, label, size, header=True)
            column += span
        for i, title in enumerate(block.header):
            if title:
                _cell(table.cell(1, i), title, size, header=True)
    else:
        for i, title in enumerate(block.header):
            _cell(table.cell(0, i), title, size, header=True)
    for row in table.rows[:heads]:
        _repeat_header(row)
    for values in block.rows:
        cells = table.add_row().cells
        for c, value in zip(cells, values, strict=True):
            _cell(c, value, size)
    for row in table.rows:
        for i, width in enumerate(widths):
            row.cells[i].width = width


def to_docx(bulletin: Bulletin) -> bytes:
    doc = Document()
    _styles(doc)
    _page(doc)

    props = doc.core_properties
    props.title = f"{bulletin.title}（{bulletin.label}）" if bulletin.label else bulletin.title
    props.subject = "山西省开发区月度数据"
    props.author = props.last_modified_by = "开发区月报草稿"
    props.keywords = "开发区；主要经济指标；月报"
    props.comments = "草稿：由发布数据自动生成，使用前请核对。"
    props.category = "月报"
    props.revision = 1
    if bulletin.published_at is not None:
        props.created = props.modified = bulletin.published_at

    for block in bulletin.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level - 1)  # level 0 is Word's Title style
        elif isinstance(block, Paragraph):
            if block.bullet:
                doc.add_paragraph(block.text, style="List Bullet")
                continue
            paragraph = doc.add_paragraph(block.text, style=BODY_STYLE if block.kind == "body" else None)
            if block.kind in ("issue", "caption"):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                paragraph.paragraph_format.space_before = Pt(6)
                paragraph.paragraph_format.space_after = Pt(6 if block.kind == "caption" else 12)
                for run in paragraph.runs:
                    run.font.size = Pt(10.5) if block.kind == "issue" else BODY_SIZE
                    if block.kind == "caption":
                        run.font.name = LATIN_FONT
                        run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), HEADING_FONT)
            elif block.kind == "source":
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif block.kind == "note":
                paragraph.paragraph_format.line_spacing = 1.25
                for run in paragraph.runs:
                    run.font.size = Pt(10.5)
        else:
            _table(doc, block)
            doc.add_paragraph()  # keeps the next block from running into the table

    buf = io.BytesIO()
    doc.save(buf)
    return _zip_stamped(buf.getvalue(), bulletin.published_at)


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
