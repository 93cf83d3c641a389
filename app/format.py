"""Number formatting as the monthly reports write it: 亿元 with 2 decimals, % with 1 decimal, 万人次.

Which units are counts (whole numbers) is data: dim_indicator.count_units of the serving file, read
by data.count_units() and passed in as `counts`.
"""

from __future__ import annotations

import math
from collections.abc import Collection

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
