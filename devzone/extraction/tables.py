"""Tables written as text (a bulletin's table pasted as lines, a docx table, a PDF's text layer):
a header row that names indicators and growth columns, then one row per zone or for the city.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .facts import Fact
from .reference import Reference
from .segmenting import Paragraph, Sentence
from .wording import BRACKETED, GROWTH_HEADER, NUMBER, NUMERIC_CELL, UNIT_SCALE, strip_quotes

CITY_ROW = re.compile(r"全市|合计|总计|小计|全部")
PROVINCE_ROW = re.compile(r"全省")


@dataclass
class TableHeader:
    columns: list[tuple[str, str | None, str | None]]


def split_cells(line: str) -> list[str]:
    return line.split()


def unit_in(cell: str) -> str | None:
    m = BRACKETED.search(cell)
    if not m:
        return None
    unit = m.group(1).strip()
    return unit if unit in UNIT_SCALE else None


def table_header(line: str, metric_re: re.Pattern, metric_words: dict) -> TableHeader | None:
    """A header row whose cells name indicators (units in brackets) and growth columns."""
    cells = split_cells(line)
    if len(cells) < 2:
        return None
    columns = [header_column(cell, metric_re, metric_words) for cell in cells[1:]]
    if not any(role == "value" for role, _, _ in columns) or NUMBER.search(cells[0]):
        return None
    return TableHeader(columns)


def header_column(cell: str, metric_re: re.Pattern, metric_words: dict) -> tuple[str, str | None, str | None]:
    """(role, metric, unit) of one header cell: "value" of an indicator (its unit in brackets),
    "growth", or "other". Shared by text tables and spreadsheets (`sheet_facts.py`): one vocabulary."""
    clean = strip_quotes(cell)
    unit = unit_in(clean)
    hits = [metric_words[m.group(1)][0] for m in metric_re.finditer(clean)]
    if GROWTH_HEADER.search(clean) and (not hits or unit == "%"):
        return ("growth", None, None)
    if hits:
        return ("value", hits[0], unit)
    return ("other", None, None)


def table_row(p: Paragraph, header: TableHeader, ref: Reference) -> list[Fact] | None:
    """A zone's (or the city's, 合计) row under the header: one fact per value column, with the
    growth column after it; None when the line is not such a row."""
    cells = split_cells(p.text)
    if len(cells) < 2 or not all(NUMERIC_CELL.fullmatch(c) for c in cells[1:]):
        return None
    name = cells[0]
    zone = ref.zone_named(name, p.city)
    if zone:
        city = zone.city
    elif CITY_ROW.search(name):
        city = p.city
    elif PROVINCE_ROW.search(name):
        city = None
    else:
        return []
    sentence = Sentence(p.start, p.end, p.text)
    facts: list[Fact] = []
    offset = 0
    last: Fact | None = None
    # (A row may have fewer or more cells than the header has columns.)
    for (role, metric, unit), cell in zip(header.columns, cells[1:], strict=False):
        offset = p.text.index(cell, offset) if cell else offset
        span = (p.start + offset, p.start + offset + len(cell))
        offset += len(cell)
        cell_match = NUMERIC_CELL.fullmatch(cell) if cell else None
        number = cell_match.group(1) if cell_match else None
        if role == "value":
            if not number:
                last = None
                continue
            assert metric is not None  # a value column names its indicator (table_header)
            table_unit = unit or ref.indicator_unit(metric)
            canonical, scale = UNIT_SCALE.get(table_unit, (table_unit, 1.0))
            last = Fact(
                "indicator", city, zone, round(float(number) * scale, 10), canonical, sentence, span, metric=metric
            )
            facts.append(last)
        elif role == "growth" and number and last is not None:
            last.yoy_pct = float(number)
    return facts
