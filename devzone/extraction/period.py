"""The period a report says it covers, read from its opening lines, to check the folder it was filed in.

A report is filed under landing/YYYY-MM/, the last month it covers. The text states that period
in its title or first paragraph: 1-6月, 2024年1-9月, 上半年, 一季度, 前三季度, 截至6月底, 2023年工作总结,
2023年6月份. Only the opening is read: the body compares with other periods (较1-5月, 2022年同期)
and the closing plans the next ones (下半年工作安排), which would read as contradictions. A report
that states no period there may still carry its dateline (2023年7月5日) in the last lines; the
dateline falls in the month covered or in the few months after it.

The first statement found wins. A statement without a year (上半年) fixes only the month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEAD_CHARS = 400  # the title and the first paragraph or two
TAIL_CHARS = 120  # where a dateline stands
DATELINE_LAG_MONTHS = 3  # a report is dated in the month it covers or up to this many months after

CN_MONTH = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}
QUARTER_END = {"一": 3, "1": 3, "二": 6, "2": 6, "三": 9, "3": 9, "四": 12, "4": 12}
MONTH = r"(1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
DASH = r"\s*[-—–~～至到]\s*"
YEAR = r"(?:(?P<year>20\d\d)\s*年(?:度)?)?"

STATEMENTS = re.compile(
    YEAR + r"(?:"
    rf"(?P<range_from>{MONTH}){DASH}(?P<range_to>{MONTH})\s*月"  # 1-6月, 1—9月, 一至六月
    r"|(?P<half>上)半年"  # 上半年 (下半年 is what comes next)
    r"|(?P<first_three>前三)季度"
    r"|第?(?P<quarter>[一二三四1-4])\s*季度"
    r"|截至\s*(?P<until>" + MONTH + r")\s*月(?:底|末|份)"
    r"|(?P<whole_year>全年|工作总结|年度工作)"
    r")"
)
# A year and month standing alone in the title (2023年6月份开发区运行情况) is the period too; the day
# that follows makes it a date instead.
YEAR_MONTH = re.compile(r"(?P<year>20\d\d)\s*年\s*(?P<month>" + MONTH + r")\s*月(?!\s*\d{1,2}\s*日)(?:份)?")
DATELINE = re.compile(r"(?P<year>20\d\d)\s*年\s*(?P<month>" + MONTH + r")\s*月\s*\d{1,2}\s*日")


@dataclass(frozen=True)
class StatedPeriod:
    month: int
    year: int | None  # None when the text states the month only (上半年)
    words: str  # the words that state it, for the reason a report is refused
    is_dateline: bool = False

    def contradicts(self, period: str) -> bool:
        """True when a report filed under `period` (YYYY-MM) cannot be the report this states."""
        year, month = int(period[:4]), int(period[5:7])
        if self.is_dateline and self.year is not None:  # (a dateline always states its year)
            lag = (self.year - year) * 12 + self.month - month
            return not 0 <= lag <= DATELINE_LAG_MONTHS
        return self.month != month or (self.year is not None and self.year != year)

    def label(self) -> str:
        return f"{self.year}-{self.month:02d}" if self.year else f"month {self.month}"


def month_number(text: str) -> int:
    return int(text) if text.isdigit() else CN_MONTH[text]


def stated_period(text: str) -> StatedPeriod | None:
    """The period the opening of a report's text states, else its dateline, else None. The text as
    read, not normalised: normalising drops the running titles (【上半年工作进展】) that state it."""
    text = text.strip()
    head = text[:HEAD_CHARS]
    found = [(m.start(), stated) for m in STATEMENTS.finditer(head) if (stated := from_statement(m))]
    found += [
        (m.start(), StatedPeriod(month_number(m["month"]), int(m["year"]), m[0])) for m in YEAR_MONTH.finditer(head)
    ]
    if found:
        return min(found, key=lambda item: item[0])[1]
    datelines = list(DATELINE.finditer(text[-TAIL_CHARS:]))
    if datelines:
        last = datelines[-1]
        return StatedPeriod(month_number(last["month"]), int(last["year"]), last[0], is_dateline=True)
    return None


def from_statement(m: re.Match) -> StatedPeriod | None:
    year = int(m["year"]) if m["year"] else None
    if m["range_to"]:
        month = month_number(m["range_to"])
    elif m["half"]:
        month = 6
    elif m["first_three"]:
        month = 9
    elif m["quarter"]:
        month = QUARTER_END[m["quarter"]]
    elif m["until"]:
        month = month_number(m["until"])
    elif year is not None:  # the whole year (2023年工作总结); without its year the words say nothing
        month = 12
    else:
        return None
    return StatedPeriod(month, year, m[0].strip())
