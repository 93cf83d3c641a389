"""Facts of a spreadsheet's tables of indicators, read from its rendering (`spreadsheets.py`).

A city's table (开发区主要经济指标月报表) has a header row, often two: a merged top cell names the
indicator over its columns (规上工业增加值) and the row below names each column (本月累计（亿元）,
同比增长（%）). Then one row per zone, and a 合计/全市 row for the city. The header cells are read
with the prose tables' vocabulary (`tables.header_column`: the indicators' words, units in
brackets, growth words), so that a spreadsheet and a report name an indicator the same way. A
sheet without such a header is not read (the reader refuses a file where no sheet has one).

Each fact keeps where it stands: the sheet, the value's cell (Sheet1!C5) and the column's header;
its evidence is the row's line in the rendering, its value span the cell's characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .extracting import Extractor, extractor_for
from .facts import Fact
from .reference import Reference, ZoneRef
from .segmenting import Sentence
from .spreadsheets import SHEET_LINE
from .tables import CITY_ROW, PROVINCE_ROW, header_column, unit_in
from .wording import BRACKETED, CUMULATIVE_HEADER, MISSING_CELL, NOT_A_VALUE_HEADER, UNIT_SCALE

NUMBER_CELL = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*%?")
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
SERIAL_HEADER = re.compile(r"^(?:序号|编号|排名|No\.?)$", re.IGNORECASE)
SUBTOTAL = re.compile(r"小计|其中")  # a group's subtotal is not the city's total
BLANKS = re.compile(r"\s+")


@dataclass(frozen=True)
class Row:
    number: int  # the spreadsheet's row number, from 1
    start: int  # offset of the row's line in the rendering
    cells: list[str]

    def cell_start(self, column: int) -> int:
        return self.start + sum(len(c) + 1 for c in self.cells[:column])


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[Row]


@dataclass(frozen=True)
class Column:
    index: int  # 0 for column A
    role: str  # value | growth
    metric: str
    unit: str | None  # as the header states it (万元), None: the indicator's own
    basis: str  # actual | target
    header: str  # the header's text, the rows of a two-row header joined by a space


@dataclass(frozen=True)
class Table:
    sheet: Sheet
    name_column: int  # the column of the zones' names
    columns: list[Column]
    header_rows: tuple[int, ...]  # indices into sheet.rows
    end: int  # index of the row after the table (the next header, or the end of the sheet)


def sheets(text: str) -> list[Sheet]:
    out: list[Sheet] = []
    offset = 0
    for line in text.split("\n"):
        if m := SHEET_LINE.match(line):
            out.append(Sheet(m.group("name"), []))
        elif out:
            out[-1].rows.append(Row(len(out[-1].rows) + 1, offset, line.split("\t")))
        offset += len(line) + 1
    return out


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def cell(row: Row, column: int) -> str:
    return row.cells[column] if column < len(row.cells) else ""


def number_in(text: str) -> float | None:
    m = NUMBER_CELL.fullmatch(THOUSANDS.sub("", text))
    return float(m.group(1)) if m else None


def find_tables(text: str, ref: Reference) -> list[Table]:
    """The tables of indicators in every sheet of the rendering; a sheet may hold several, each
    running from its header to the next one."""
    extractor = extractor_for(ref)
    tables: list[Table] = []
    for sheet in sheets(text):
        found: list[Table] = []
        i = 0
        while i < len(sheet.rows):
            table = header_at(sheet, i, extractor)
            if table is None:
                i += 1
                continue
            if found:
                previous = found.pop()
                found.append(Table(previous.sheet, previous.name_column, previous.columns, previous.header_rows, i))
            found.append(table)
            i = table.header_rows[-1] + 1
        tables.extend(found)
    return tables


def header_at(sheet: Sheet, i: int, extractor: Extractor) -> Table | None:
    """The table whose header starts at row index `i`: one row, or two when the row below names
    the columns of the indicators merged above them."""
    top = sheet.rows[i]
    filled = [j for j, c in enumerate(top.cells) if c]
    if len(filled) < 2:
        return None
    name_column = filled[0]
    if SERIAL_HEADER.match(top.cells[name_column]) and len(filled) > 2:
        name_column = filled[1]
    elif (
        name_column and header_column(top.cells[name_column], extractor.metric_re, extractor.metric_words)[0] != "other"
    ):
        name_column -= 1  # the names' column has no header of its own: the one left of the first indicator
    if number_in(top.cells[name_column]) is not None:
        return None
    below = sheet.rows[i + 1] if i + 1 < len(sheet.rows) else None
    width = max(len(top.cells), len(below.cells) if below else 0)
    two_rows = below is not None and is_sub_header(below, name_column, extractor.ref)
    headers: list[tuple[int, str, str]] = []  # (column, top text, text below)
    carried = ""
    for j in range(name_column + 1, width):
        own, sub = cell(top, j), cell(below, j) if two_rows and below else ""
        # A merged top cell's text stands in its first column and covers the blanks to its right
        # that have a column name below them.
        carried = own or (carried if sub else "")
        if carried or sub:
            headers.append((j, carried, sub))
    columns = classify(headers, extractor)
    if not any(c.role == "value" for c in columns):
        return None
    rows = (i, i + 1) if two_rows else (i,)
    return Table(sheet, name_column, columns, rows, len(sheet.rows))


def is_sub_header(row: Row, name_column: int, ref: Reference) -> bool:
    """A second header row: column names and no figures, and no zone or total in the name column."""
    rest = row.cells[name_column + 1 :]
    if not any(rest) or any(number_in(c) is not None for c in rest if c):
        return False
    name = BLANKS.sub("", cell(row, name_column))
    return not (name and (ref.zone_named(name, None) or CITY_ROW.search(name) or PROVINCE_ROW.search(name)))


def classify(headers: list[tuple[int, str, str]], extractor: Extractor) -> list[Column]:
    """The value and growth columns of a header, with the prose tables' vocabulary; a value column
    whose unit does not fit its indicator, or that holds a prior year's figure, a share, a rank,
    is left out. Of one indicator's several value columns the running total (累计) is kept.

    Of a two-row header, the lower cell says what the column holds (同比增长（%）, 本月累计（亿元）)
    and its unit outranks the one of the indicator's cell above (规上工业增加值（亿元）)."""
    columns: list[Column] = []
    for j, top, sub in headers:
        text = " ".join(t for t in (top, sub) if t)
        own_role, _, _ = header_column(BLANKS.sub("", sub), extractor.metric_re, extractor.metric_words)
        read = (BRACKETED.sub("", top) if unit_in(sub) else top) + sub
        role, metric, unit = header_column(BLANKS.sub("", read), extractor.metric_re, extractor.metric_words)
        if own_role == "growth":
            role = "growth"
        basis = "target" if "目标" in text else "actual"
        if role == "value":
            assert metric is not None
            if NOT_A_VALUE_HEADER.search(text) or (unit and not extractor.unit_fits(metric, UNIT_SCALE[unit][0])):
                continue
            columns.append(Column(j, "value", metric, unit, basis, text))
        elif role == "growth":
            named = [c for c in columns if c.role == "value" and c.metric in metric_codes(text, extractor)]
            last = named[-1] if named else next((c for c in reversed(columns) if c.role == "value"), None)
            if last is not None:
                columns.append(Column(j, "growth", last.metric, None, last.basis, text))
    kept = []
    for c in columns:
        rivals = [o for o in columns if o.role == "value" and (o.metric, o.basis) == (c.metric, c.basis)]
        if c.role == "value" and len(rivals) > 1 and not CUMULATIVE_HEADER.search(c.header):
            if any(CUMULATIVE_HEADER.search(o.header) for o in rivals) or c is not rivals[0]:
                continue
        kept.append(c)
    return kept


def metric_codes(text: str, extractor: Extractor) -> set[str]:
    return {extractor.metric_words[m.group(1)][0] for m in extractor.metric_re.finditer(BLANKS.sub("", text))}


def sheet_facts(text: str, ref: Reference) -> list[Fact]:
    """The facts of every table of indicators in the rendering, in sheet and row order."""
    tables = find_tables(text, ref)
    document_city = stated_city("\n".join(title_text(t) for t in tables), ref)
    facts: list[Fact] = []
    for table in tables:
        city, how = stated_city(title_text(table), ref) or document_city, "stated"
        if city is None:
            city, how = zones_city(table, ref), "votes"
        if city is None:
            how = "undecided"
        for row in table.sheet.rows[table.header_rows[-1] + 1 : table.end]:
            facts.extend(row_facts(table, row, city, how, ref))
    return facts


def title_text(table: Table) -> str:
    """The sheet's name and its rows above the table's header (the title, the reporting unit)."""
    above = table.sheet.rows[: table.header_rows[0]]
    return "\n".join([table.sheet.name, *("\t".join(r.cells) for r in above)])


def stated_city(text: str, ref: Reference) -> str | None:
    """The one city a title names (太原市开发区主要经济指标月报表), else None."""
    cities = {ref.city_by_name[m.group("city")].name for m in re.finditer(rf"(?P<city>{ref.city_names_re})市", text)}
    return cities.pop() if len(cities) == 1 else None


def zones_city(table: Table, ref: Reference) -> str | None:
    """The city of the table's zones when they all lie in one city."""
    cities = set()
    for row in table.sheet.rows[table.header_rows[-1] + 1 : table.end]:
        name = BLANKS.sub("", cell(row, table.name_column))
        zone = ref.zone_named(name, None) if name else None
        if zone and zone.resolved and zone.city:
            cities.add(zone.city)
    return cities.pop() if len(cities) == 1 else None


def row_facts(table: Table, row: Row, city: str | None, how: str, ref: Reference) -> Iterator[Fact]:
    """A zone's (or the city's, or the province's) facts: one per value column with a figure, its
    growth from the growth column that follows it; blank and "—" cells state nothing."""
    name = BLANKS.sub("", cell(row, table.name_column))
    if not name or SUBTOTAL.search(name):
        return
    zone: ZoneRef | None = ref.zone_named(name, city)
    if zone:
        fact_city, fact_how = zone.city, "stated"
    elif CITY_ROW.search(name):
        fact_city, fact_how = city, how
    elif PROVINCE_ROW.search(name):
        fact_city, fact_how = None, "stated"
    else:
        return  # a note (注：…), a signature (填报人), a place that is no zone
    line = "\t".join(row.cells)
    sentence = Sentence(row.start, row.start + len(line), line)
    last: Fact | None = None
    for column in table.columns:
        text = cell(row, column.index)
        number = None if not text or MISSING_CELL.fullmatch(text) else number_in(text)
        if column.role == "value":
            last = None
            if number is None:
                continue
            unit = column.unit or ref.indicator_unit(column.metric)
            canonical, scale = UNIT_SCALE.get(unit, (unit, 1.0))
            start = row.cell_start(column.index)
            last = Fact(
                "indicator",
                fact_city,
                zone,
                round(number * scale, 10),
                canonical,
                sentence,
                (start, start + len(text)),
                metric=column.metric,
                basis=column.basis,
                subject_how=fact_how,
                source_cell=f"{table.sheet.name}!{column_letter(column.index)}{row.number}",
                source_header=column.header,
            )
            yield last
        elif last is not None and last.metric == column.metric and number is not None:
            last.yoy_pct = number
