"""Segment normalised text into paragraphs and sentences, each knowing its section's city.

Input: normalised text (one paragraph per line) and the reference. Output: `Paragraph`s with their
character offsets, the city of the section they sit in, and the zone named by the heading above
them (if any).

A bulletin runs several cities one after another. A section opens at a city heading (朔州市开发区)
and closes at its "(供稿：X市商务局)" line; page layout can print a city's figures before its own
heading. A section's city is, in order: the city its closing 供稿 line names, the city of the
heading that opens it, the city most named by its zones, counties and cities, the next heading's
city, the previous heading's city, the document's most named city.
"""
from __future__ import annotations

import re
import functools
from collections import Counter
from dataclasses import dataclass

from .normalising import SOURCE_LINE, is_heading, is_table_row
from .reference import Reference, ZoneRef

SENTENCE = re.compile(r"[^。！？；]*(?:[。！？；]+[”’」]?|$)")


@dataclass
class Paragraph:
    start: int
    end: int
    text: str
    city: str | None
    heading_zone: ZoneRef | None  # a heading that names one zone makes it the paragraph's subject
    is_heading: bool


@dataclass
class Sentence:
    start: int
    end: int
    text: str


def sentences(paragraph: Paragraph) -> list[Sentence]:
    out = []
    for m in SENTENCE.finditer(paragraph.text):
        if m.group(0).strip():
            out.append(Sentence(paragraph.start + m.start(), paragraph.start + m.end(), m.group(0)))
    return out


def segment(text: str, ref: Reference) -> list[Paragraph]:
    lines = []
    offset = 0
    for line in text.split("\n"):
        lines.append((offset, line))
        offset += len(line) + 1

    # Split into sections at city headings (open) and source lines (close).
    sections: list[dict] = []
    current = {"open": None, "close": None, "lines": []}
    for start, line in lines:
        heading = ref.city_heading_re.match(line)
        if heading:
            if current["lines"] or current["open"]:
                sections.append(current)
            current = {"open": ref.city_by_name[heading.group("city")].name, "close": None, "lines": [(start, line)]}
            continue
        current["lines"].append((start, line))
        if SOURCE_LINE.match(line):
            m = ref.source_city_re.search(line)
            current["close"] = ref.city_by_name[m.group("city")].name if m else None
            sections.append(current)
            current = {"open": None, "close": None, "lines": []}
    if current["lines"]:
        sections.append(current)

    # Votes are counted only for sections that neither open nor close with a city's name.
    votes = [
        None if s["close"] or s["open"] else place_votes(" ".join(l for _, l in s["lines"]), ref) for s in sections
    ]
    headings = [s["open"] for s in sections]

    @functools.cache
    def document_city() -> str | None:
        total = place_votes(text, ref)
        return total.most_common(1)[0][0] if total else None

    paragraphs: list[Paragraph] = []
    for i, section in enumerate(sections):
        city = (
            section["close"]
            or section["open"]
            or top_vote(votes[i])
            or next((h for h in headings[i + 1:] if h), None)
            or next((h for h in reversed(headings[:i]) if h), None)
            or document_city()
        )
        heading_zone = None
        for start, line in section["lines"]:
            if not line.strip():
                continue
            heading = is_heading(line) and not is_table_row(line)
            if heading:
                heading_zone = single_zone(line, ref, city)
            paragraphs.append(Paragraph(start, start + len(line), line, city, heading_zone, heading))
    return paragraphs


def place_votes(text: str, ref: Reference) -> Counter:
    votes: Counter = Counter()
    for m in ref.place_re.finditer(text):
        city = ref.city_of_place(m.group(0))
        if city:
            votes[city] += 1
    return votes


def top_vote(votes: Counter) -> str | None:
    ranked = votes.most_common(2) if votes else []
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def single_zone(line: str, ref: Reference, city: str | None) -> ZoneRef | None:
    zones = ref.find_zones(line, city)
    return zones[0][2] if len(zones) == 1 else None
