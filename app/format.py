"""Number formatting as the monthly reports write it: 亿元 with 2 decimals, % with 1 decimal, 万人次.

Which units are counts (whole numbers) is data: dim_indicator.count_units of the serving file, read
by data.count_units() and passed in as `counts`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection

import labels
import pandas as pd

DASH = "—"

# A reported conversion rate and the rate computed from the counts may differ by this many
# percentage points (reports round or truncate to two decimals); rpt_pipeline_conversion flags more.


def missing(v) -> bool:
    if v is None:
        return True
    try:
        return math.isnan(float(v))
    except (TypeError, ValueError):
        return True


def num(v, decimals: int = 2) -> str:
    if missing(v):
        return DASH
    return f"{float(v):,.{decimals}f}"


def yi(v) -> str:
    """亿元, two decimals: 94.35 亿元."""
    return DASH if missing(v) else f"{num(v, 2)} 亿元"


def pct(v, signed: bool = False) -> str:
    """Percent, one decimal: 3.6%; signed=True gives +3.6% / -2.7% (for st.metric deltas)."""
    if missing(v):
        return DASH
    return f"{float(v):+.1f}%" if signed else f"{float(v):.1f}%"


def pp(v) -> str:
    """Percentage points, two decimals (rate gaps are small)."""
    return DASH if missing(v) else f"{float(v):+.2f} 个百分点"


def count(v, unit: str) -> str:
    """A whole number with its unit: 25 个."""
    return DASH if missing(v) else f"{float(v):,.0f} {unit}"


def value(v, unit: str | None, counts: Collection[str]) -> str:
    """A value with its unit: 亿元/亿美元 2 decimals, % 1 decimal, 万人次 2 decimals, counts (a unit
    of `counts`) whole."""
    if missing(v):
        return DASH
    unit = unit or ""
    if unit == "%":
        return pct(v)
    if unit in counts:
        return count(v, unit)
    return f"{num(v, 2)} {unit}".strip()


def decimals_for(unit: str | None, counts: Collection[str]) -> int:
    """Decimals of a value in `unit`: 1 for %, none for a count (a unit of `counts`), else 2."""
    if unit == "%":
        return 1
    if unit in counts:
        return 0
    return 2


def beijing_time(utc_naive) -> str:
    """A publish time (stored as naive UTC) in Beijing time: 2026-11-28 08:02."""
    if utc_naive is None or pd.isna(utc_naive):
        return DASH
    return pd.Timestamp(utc_naive).tz_localize("UTC").tz_convert("Asia/Shanghai").strftime("%Y-%m-%d %H:%M")


def rate_gap(v, tolerance_pp) -> bool:
    """Whether a reported-minus-computed rate gap (percentage points) is more than rounding: more
    than `tolerance_pp` (rpt_pipeline_conversion.rate_tolerance_pp)."""
    return not missing(v) and round(abs(float(v)), 6) > float(tolerance_pp)


# ---- people's corrections ------------------------------------------------------------------------

# One correction of correction_notes (int_corrections): "yoy: 负号漏印 (李工, 2026-11-29 20:11 UTC)";
# several are joined by " ‖ ".
NOTE = re.compile(
    r"^(?P<action>[a-z_]+): (?P<reason>.*) \((?P<by>.*), (?P<at>\d{4}-\d{2}-\d{2} \d{2}:\d{2}) UTC\)$", re.S
)
NOTE_SEPARATOR = " ‖ "


def correction_notes(notes) -> list[tuple[str | None, str, str | None, str | None]]:
    """(action, reason, who, when in Beijing time) of each correction in `notes`; a note not in the
    usual shape is kept whole as the reason."""
    if missing_text(notes):
        return []
    parsed = []
    for note in str(notes).split(NOTE_SEPARATOR):
        found = NOTE.match(note.strip())
        if found is None:
            parsed.append((None, note.strip(), None, None))
        else:
            when = beijing_time(pd.Timestamp(found["at"]))
            parsed.append((found["action"], found["reason"], found["by"], when))
    return parsed


def correction_notes_text(notes, sep: str = "；") -> str:
    """The corrections of `notes` in words, Beijing time: '更正数值：表格错位（张工，2026-11-30 04:41 北京时间）'."""
    return sep.join(labels.correction_note(*note) for note in correction_notes(notes))


def missing_text(v) -> bool:
    return v is None or (not isinstance(v, str) and pd.isna(v)) or not str(v).strip()


# The campaign's measures people corrected (rpt_pipeline_conversion.corrected_measures): per stage
# "stage：measure: original → value; measure: …", stages joined by "；". Which figure shows each
# measure is labels.MEASURE_FIGURES.


def figure_of(stage: str, measure: str) -> str | None:
    """The rpt_pipeline_conversion column that shows a stage's measure (None: not shown)."""
    if stage == "all":
        return labels.ALL_STAGES_FIGURES.get(measure)
    shape = labels.MEASURE_FIGURES.get(measure)
    return shape.format(stage=stage) if shape else None


def corrected_figures(corrected_measures) -> set[str]:
    """The rpt_pipeline_conversion columns whose numbers people corrected, from its corrected_measures."""
    figures: set[str] = set()
    if missing_text(corrected_measures):
        return figures
    for part in str(corrected_measures).split("；"):
        stage, _, measures = part.partition("：")
        for said in measures.split("; "):
            figure = figure_of(stage.strip(), said.split(":", 1)[0].strip())
            if figure:
                figures.add(figure)
    return figures


def corrected_measures_text(corrected_measures) -> str | None:
    """What people corrected of a campaign row, in words, with the marker: '✎ 已完成投资 201.35 → 210.35';
    None when nothing."""
    if missing_text(corrected_measures):
        return None
    parts = []
    for part in str(corrected_measures).split("；"):
        stage, _, measures = part.rpartition("：")
        for said in measures.split("; "):
            measure, _, change = said.partition(": ")
            name = labels.MEASURE_LABELS.get(measure.strip(), measure.strip())
            parts.append(f"{labels.STAGE_LABELS.get(stage, stage)}{name} {change}".strip())
    return f"{labels.CORRECTION_MARK} " + "；".join(parts)


def compact(v, unit: str | None, counts: Collection[str]) -> str:
    """A value with its unit as Chinese text writes it, without a space: 412.65亿元, 25个, 3.6%."""
    return value(v, unit, counts).replace(" ", "")


# ---- the bulletin's print style (app/bulletin.py) -------------------------------------------------
# As official statistical bulletins print numbers: no thousands separator, no space before the unit
# (1206.66亿元, 25个, 3.6%), and no "-0.0" for a number that rounds to zero.


def printed_num(v, decimals: int = 2) -> str:
    """A number as the bulletin prints it: 1206.66, -2.7; DASH when missing."""
    if missing(v):
        return DASH
    rounded = round(float(v), decimals)
    return f"{0.0 if rounded == 0 else rounded:.{decimals}f}"


def printed_value(v, unit: str | None, counts: Collection[str]) -> str:
    """A value with its unit, no space: 207.61亿元, 25个, 3.6%, 282.38万人次."""
    if missing(v):
        return DASH
    unit = unit or ""
    if unit == "%":
        return f"{printed_num(v, 1)}%"
    return f"{printed_num(v, decimals_for(unit, counts))}{unit}"


def printed_pp(v) -> str:
    """A gap in percentage points, unsigned: 1.50个百分点."""
    return DASH if missing(v) else f"{printed_num(abs(float(v)), 2)}个百分点"
