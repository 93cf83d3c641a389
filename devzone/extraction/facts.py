"""A fact as the extractor states it, and what is done with a document's facts once read: the
same statement twice is one fact, a value and its growth stated apart are one fact, and every fact
says why a person should look at it (review reasons).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .reference import ZoneRef
from .segmenting import Sentence


@dataclass
class Fact:
    type: str  # indicator | pipeline
    city: str | None
    zone: ZoneRef | None
    value: float | None
    unit: str | None
    sentence: Sentence
    value_span: tuple[int, int]
    metric: str | None = None
    yoy_pct: float | None = None
    basis: str = "actual"
    scope: str | None = None
    stage: str | None = None
    measure: str | None = None
    rate_base: str | None = None  # a rate's base when the text says it: projects | investment
    subject_how: str = "stated"  # how the city was decided: stated | votes | undecided
    review_reasons: list[str] = field(default_factory=list)  # codes of review.REVIEW_REASONS; empty: high confidence
    # Where a spreadsheet's fact stands (sheet_facts.py): the value's cell (Sheet1!C5) and its
    # column's header; None for a fact of prose, whose evidence is its sentence.
    source_cell: str | None = None
    source_header: str | None = None


def dedupe(facts: list[Fact]) -> list[Fact]:
    seen = set()
    out = []
    for f in facts:
        key = (
            f.type,
            f.city,
            f.zone.zone_code or f.zone.text if f.zone else None,
            f.metric,
            f.basis,
            f.scope,
            f.stage,
            f.measure,
            f.value,
            f.yoy_pct,
        )
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


def merge_split_statements(facts: list[Fact]) -> list[Fact]:
    """A zone's value and its growth stated apart in one paragraph (a ranking of values, then a
    ranking of growths) are one fact: the growth joins the value when each is the only one of its
    kind for that subject, indicator and basis."""

    def key(f: Fact) -> tuple:
        return f.city, (f.zone.zone_code or f.zone.text) if f.zone else None, f.metric, f.basis

    values: dict[tuple, list[Fact]] = {}
    growths: dict[tuple, list[Fact]] = {}
    for f in facts:
        if f.type == "indicator":
            if f.value is not None and f.yoy_pct is None:
                values.setdefault(key(f), []).append(f)
            elif f.value is None and f.yoy_pct is not None:
                growths.setdefault(key(f), []).append(f)
    merged = set()
    for k, [growth] in ((k, g) for k, g in growths.items() if len(g) == 1):
        if len(values.get(k, [])) == 1:
            values[k][0].yoy_pct = growth.yoy_pct
            merged.add(id(growth))
    return [f for f in facts if id(f) not in merged] if merged else facts


def review_reasons(f: Fact, shanxi_cities: set[str]) -> list[str]:
    """Why a person should look at the fact (codes of review.REVIEW_REASONS)."""
    reasons = []
    if f.subject_how == "votes":
        reasons.append("subject_inferred")
    elif f.subject_how == "undecided":
        reasons.append("subject_undecided")
    if f.zone is not None and f.zone.zone_code is None and (not f.zone.resolved or f.zone.city not in shanxi_cities):
        # a zone known only by its suffix (its city assumed), or one outside Shanxi; one named
        # after a known county is well placed (the quality gate lists it as missing all the same)
        reasons.append("zone_not_in_reference")
    return reasons
