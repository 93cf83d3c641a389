"""What kind of report a text is, and whether it declares itself a revision of an earlier one.

A city files several documents a month: its monthly report, a special report (专报) on the
三个一批 campaign, a table, sometimes a correction. They coexist, and the kind decides which one
speaks for a fact they disagree on (the campaign report for the campaign's figures, the monthly
report for the indicators). Only a document that says it replaces another (更正, 修订, 以此为准)
or restates the same report replaces it.

The kinds are codes; their Chinese names and preference order live in the dbt seed
`report_kinds.csv`.
"""

from __future__ import annotations

import re

from .normalising import is_table_row

TITLE_MAX_CHARS = 50
TABLE_SHARE = 0.5  # a text whose lines are mostly table rows is a table
CAMPAIGN = re.compile(r"三个一批")
# A revision says so in its title (更正, 修订稿, 替换) or in a closing line (以此为准, 原…作废).
REVISION_TITLE = re.compile(r"更正|修订|修正|替换|更新版|重报")
REVISION_NOTE = re.compile(r"以此[稿版文件]*为准|以本[稿版文件报]*为准|原[^。\n]{0,12}作废")

KINDS = ("monthly_report", "campaign_report", "bulletin", "table")


def report_kind(text: str, report_city: str | None) -> str:
    """monthly_report, campaign_report (三个一批专报), bulletin (several cities), or table."""
    lines = [line for line in text.splitlines() if line.strip()]
    if lines and sum(map(is_table_row, lines)) / len(lines) >= TABLE_SHARE:
        return "table"
    if report_city is None:
        return "bulletin"
    if CAMPAIGN.search(title(lines)):
        return "campaign_report"
    return "monthly_report"


def declares_revision(text: str) -> bool:
    """True when the report says it corrects or replaces an earlier one."""
    lines = [line for line in text.splitlines() if line.strip()]
    return bool(REVISION_TITLE.search(title(lines)) or REVISION_NOTE.search(text))


def title(lines: list[str]) -> str:
    """The opening lines before the first sentence: the title, the masthead, a city's heading (the
    first paragraph may name the campaign in passing without being about it)."""
    head = []
    for line in lines[:4]:
        if "。" in line or len(line) > TITLE_MAX_CHARS:
            break
        head.append(line)
    return "\n".join(head)
