"""Read a spreadsheet (.xlsx, .xls, or .csv) into a plain-text rendering of its cells.

Cities report their zones' indicators as tables too (开发区主要经济指标月报表). The rendering is the
document's text: a person can read it, the landing finds the period and the city in its title
row, and `sheet_facts.py` reads the facts back from it with their cell addresses. Per sheet:

    【工作表：Sheet1】
    2024年1-6月太原市开发区主要经济指标月报表      <- row 1
    开发区名称\t规上工业增加值\t\t固定资产投资       <- row 2, cells tab-separated from column A
    …

one line per row from row 1 (a blank row is an empty line), so that a line's place in its sheet is
the row number and a cell's place in its line is the column. A merged cell's text stands in its
top-left cell, as the file stores it. Numbers are written as Python's shortest repr without a
trailing .0 or an exponent (what the sheet shows for a general-format cell; a cell formatted as a
percentage shows 5.2% where the file stores 0.052: such a sheet's growth reads 0.052).

The files are parsed by python-calamine (.xlsx, .xls) and the csv module; .csv bytes are decoded
by the strict decoder of `reading.py` (UTF-8 or GB18030).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

from .reading import ReadError, decode_text

SHEET_LINE = re.compile(r"^【工作表：(?P<name>.*)】$")
CELL_SPACE = re.compile(r"\s+")  # a cell's line breaks (Alt+Enter in a header) and tabs


def is_spreadsheet(encoding: str) -> bool:
    """A document read from a spreadsheet, by its `Document.encoding`."""
    return encoding in ("xlsx", "xls") or encoding.startswith("csv/")


def spreadsheet_text(data: bytes, path: Path, suffix: str) -> tuple[str, str]:
    """(rendering, encoding) of a spreadsheet file; ReadError when it is damaged, empty, or holds
    no table of indicators (a sheet is never guessed at)."""
    if suffix == ".csv":
        text, codec = decode_text(data, path)
        # csv.reader takes quoted cells with line breaks and commas in them.
        sheets = [(path.stem, list(csv.reader(io.StringIO(text, newline=""))))]
        encoding = f"csv/{codec}"
    else:
        sheets = workbook_sheets(data, path, suffix)
        encoding = suffix[1:]
    if not any(cell for _, rows in sheets for row in rows for cell in row):
        raise ReadError(path, "empty spreadsheet: no sheet has a cell filled in")
    rendering = render(sheets)
    from .reference import load_reference
    from .sheet_facts import find_tables

    if not find_tables(rendering, load_reference()):
        names = "、".join(name for name, _ in sheets)
        raise ReadError(
            path,
            f"no sheet is a table of indicators ({names}): no header row names an indicator "
            "(e.g. 规上工业增加值（亿元）) with zones or 合计 in the first column; "
            "file only the cities' indicator tables, or add the header's words to indicators.csv",
        )
    return rendering, encoding


def workbook_sheets(data: bytes, path: Path, suffix: str) -> list[tuple[str, list[list[str]]]]:
    """Every worksheet (charts and macro sheets left out) as rows of rendered cells from A1."""
    import python_calamine as calamine

    kind = suffix[1:]
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except calamine.PasswordError:
        raise ReadError(path, f"the .{kind} file is password-protected: save it without a password") from None
    except Exception as exc:  # calamine raises CalamineError, ZipError, XmlError … on damaged files
        raise ReadError(
            path, f"not a valid .{kind} file ({exc.__class__.__name__}: {exc}): save it again from Excel or WPS"
        ) from None
    sheets = []
    try:
        for meta in book.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet:
                continue
            rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
            sheets.append((meta.name, [[cell_text(v) for v in row] for row in rows]))
    except Exception as exc:  # a damaged sheet inside a readable package
        raise ReadError(
            path, f"not a valid .{kind} file ({exc.__class__.__name__}: {exc}): save it again from Excel or WPS"
        ) from None
    return sheets


def cell_text(value: object) -> str:
    """A cell as the sheet shows it in general format."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = repr(value)
        return format(Decimal(text), "f") if "e" in text or "E" in text else text
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return CELL_SPACE.sub(" ", str(value)).strip()


def render(sheets: list[tuple[str, list[list[str]]]]) -> str:
    lines = []
    for name, rows in sheets:
        lines.append(f"【工作表：{name}】")
        for row in rows:
            cells = [CELL_SPACE.sub(" ", c).strip() for c in row]
            while cells and not cells[-1]:
                cells.pop()
            lines.append("\t".join(cells))
        while lines and not lines[-1]:  # trailing blank rows
            lines.pop()
    return "\n".join(lines)
