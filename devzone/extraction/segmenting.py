"""Segment normalised text into paragraphs and sentences, each knowing whose figures it states.

Input: normalised text (one paragraph per line) and the reference. Output: `Paragraph`s with their
character offsets, the city their figures belong to unless a sentence names another subject, how
that city was decided, and the zone a heading (or the whole page) is about.

Two layouts carry the subject differently.

A bulletin runs several cities one after another. A section opens at a city heading (朔州市开发区)
and closes at its "(供稿：X市商务局)" line; page layout can print a city's figures before its own
heading. A section's city is, in order: the city its closing 供稿 line names, the city of the
heading that opens it, the city most named by its zones, counties and cities, the next heading's
city, the previous heading's city, the document's most named city.

A news item or a city's own report has no city headings: its subject is stated once, for the
whole text, by the title (晋城经开区46个“三个一批”项目…), by the place that holds the campaign round
(和顺县2023年度第一期“三个一批”活动), or by the page's source (来源：长治日报). Failing those, the city
is inferred when every place the text names lies in one city, and left undecided (None) when the
text names several cities: a figure is never given to a guessed city.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from .normalising import SOURCE_LINE, is_heading, is_table_row, title_count
from .reference import Reference, ZoneRef, other_cities_re

SENTENCE = re.compile(r"[^。！？；]*(?:[。！？；]+[”’」]?|$)")
# Words that make the province the subject (山西省开发区, 全省, 我省); 山西 inside a zone's name
# (山西综改示范区) is part of the zone, which is found first.
PROVINCE_WORDS = re.compile(
    r"全省|我省|本省|山西(?=全省|开发区|各|规上|规模以上)|(?:北京|天津|河北|山西|内蒙古|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|"
    r"江西|山东|河南|湖北|湖南|广东|广西|海南|重庆|四川|贵州|云南|西藏|陕西|甘肃|青海|宁夏|新疆)(?:省|自治区)"
)
CAMPAIGN_NAME = "三个一批"
ORGANISER_WINDOW = 40  # characters before "三个一批" searched for the place that holds the round
ORGANISER_STOP = re.compile(r"[，。；！？]")
# A newspaper or station of a city names the source (晋中日报讯, 来源：长治日报).
MEDIA = re.compile(r"(日报|晚报|新闻网|广播电视台|电视台|融媒体中心|发布)")


@dataclass
class Paragraph:
    start: int
    end: int
    text: str
    city: str | None
    heading_zone: ZoneRef | None  # a heading (or the page) that names one zone makes it the subject
    is_heading: bool
    city_how: str = "section"  # section | title | organiser | source | votes | undecided | unnamed
    home_city: str | None = None  # the city 我市/本市 means: the section's, or the page's own


@dataclass
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class Section:
    """A bulletin's section: the city its heading opens and its 供稿 line closes with, its lines."""

    open: str | None = None
    close: str | None = None
    lines: list[tuple[int, str]] = field(default_factory=list)  # (offset, line)


@dataclass(frozen=True)
class Stated:
    """The subject a page states for all its figures."""

    city: str | None  # None with province=True: the province's figures
    zone: ZoneRef | None
    province: bool
    how: str  # title | organiser | source


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

    # Split into sections at city headings (open) and source lines (close). A source line before
    # any text is the page's metadata (来源：长治日报), not the end of a section.
    sections: list[Section] = []
    current = Section()
    page_source: str | None = None
    seen_text = False
    titles = title_count([line for _, line in lines])
    nonblank = 0
    for start, line in lines:
        nonblank += bool(line.strip())
        heading = ref.city_heading_re.match(line)
        if heading:
            if current.lines or current.open:
                sections.append(current)
            current = Section(ref.city_by_name[heading.group("city")].name, None, [(start, line)])
            seen_text = True
            continue
        current.lines.append((start, line))
        if SOURCE_LINE.match(line):
            m = ref.source_city_re.search(line)
            if not seen_text:
                page_source = page_source or line
                continue
            current.close = ref.city_by_name[m.group("city")].name if m else None
            sections.append(current)
            current = Section()
        elif not seen_text and nonblank > titles and line.strip() and not is_heading(line):
            seen_text = True  # (a headline is not text yet)
    if current.lines:
        sections.append(current)

    if not any(s.open or s.close for s in sections):
        return page_paragraphs(lines, text, ref, page_source)

    # Votes are counted only for sections that neither open nor close with a city's name.
    votes = [None if s.close or s.open else place_votes(" ".join(line for _, line in s.lines), ref) for s in sections]
    headings = [s.open for s in sections]
    # The nearest city heading after and before each section, found in one pass each way.
    after: list[str | None] = [None] * len(sections)
    before: list[str | None] = [None] * len(sections)
    for i in range(len(sections) - 2, -1, -1):
        after[i] = headings[i + 1] or after[i + 1]
    for i in range(1, len(sections)):
        before[i] = headings[i - 1] or before[i - 1]

    @functools.cache
    def document_city() -> str | None:
        total = place_votes(text, ref)
        return total.most_common(1)[0][0] if total else None

    paragraphs: list[Paragraph] = []
    for i, section in enumerate(sections):
        city = section.close or section.open or top_vote(votes[i]) or after[i] or before[i] or document_city()
        paragraphs.extend(section_paragraphs(section.lines, ref, city, None, "section", first_is_title=False))
    return paragraphs


def page_paragraphs(lines, text: str, ref: Reference, page_source: str | None) -> list[Paragraph]:
    """A text without city headings: one subject stated for the page, or inferred, or undecided."""
    candidates = stated_subjects(" ".join(title_lines(lines)), text, page_source, ref)
    stated = merged(candidates)
    if stated:
        city, zone, how = stated.city, stated.zone, stated.how
    else:
        # Inferred: every place the text names lies in one city; and when the text is about one zone
        # only, named again and again (祁县经济开发区…开发区…园区), that zone; a sentence about a
        # whole area says so (全市开发区, 我市) and is not given to the zone.
        found = places(text, ref)
        subject = consistent(found)
        city, zone, how = (subject[0], None, "votes") if subject and subject[0] else (None, None, "undecided")
        if not found:
            how = "unnamed"  # the text names no place at all: its figures have no owner
        named = [z for _, _, z, _ in found if z]
        if city and len(named) >= 2 and subject and subject[1]:
            zone = subject[1]
    # 我市/本市 is the city of the page (its source, its title), even in a province-wide round's news
    home = next((c.city for c in candidates if c.city), city)
    return section_paragraphs(lines, ref, city, zone, how, first_is_title=True, home_city=home)


def section_paragraphs(
    lines, ref: Reference, city, default_zone, how, first_is_title: bool, home_city=None
) -> list[Paragraph]:
    home_city = home_city or city
    paragraphs: list[Paragraph] = []
    heading_zone = default_zone
    titles = title_count([line for _, line in lines]) if first_is_title else 0
    for start, line in lines:
        if not line.strip():
            continue
        if len(paragraphs) < titles:
            paragraphs.append(Paragraph(start, start + len(line), line, city, heading_zone, True, how, home_city))
            continue
        heading = is_heading(line) and not is_table_row(line)
        if heading:
            heading_zone = single_zone(line, ref, city) or default_zone
        paragraphs.append(Paragraph(start, start + len(line), line, city, heading_zone, heading, how, home_city))
    return paragraphs


def title_lines(lines) -> list[str]:
    """The page's title lines (its headline and subtitle)."""
    text = [line for _, line in lines if line.strip()]
    return text[: title_count(text)]


def places(text: str, ref: Reference) -> list[tuple[int, str | None, ZoneRef | None, bool]]:
    """Places named in `text` in order: (start, city, zone, is_province)."""
    found: list[tuple[int, int, str | None, ZoneRef | None]] = [
        (s, e, z.city, z) for s, e, z in ref.find_zones(text, None) if z.city
    ]
    in_zone = covered([(s, e) for s, e, _, _ in found])  # (a place found ends before the next starts)
    for m in ref.place_re.finditer(text):
        if not in_zone(m.start()):
            place = ref.place(m.group(0))
            if place:
                found.append((m.start(), m.end(), place[0], place[1]))
    if not found:  # a page from another province: its cities (新乡市) say whose figures they are
        for m in other_cities_re().finditer(text):
            found.append((m.start(), m.end(), m.group("other_city") + "市", None))
    out: list[tuple[int, str | None, ZoneRef | None, bool]] = [(s, city, zone, False) for s, _, city, zone in found]
    in_place = covered([(s, e) for s, e, _, _ in found])
    for m in PROVINCE_WORDS.finditer(text):
        if not in_place(m.start()):
            out.append((m.start(), None, None, True))
    return sorted(out, key=lambda p: p[0])


def covered(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """Whether a position lies inside one of `spans`: a binary search, where a scan of them all for
    every name found cost a long text's time in the square of its names."""
    spans = sorted(spans)
    starts = [start for start, _ in spans]
    reach = list(itertools.accumulate((end for _, end in spans), max))  # the furthest end so far

    def inside(at: int) -> bool:
        i = bisect.bisect_right(starts, at)
        return bool(i) and reach[i - 1] > at

    return inside


def consistent(
    found: list[tuple[int, str | None, ZoneRef | None, bool]],
) -> tuple[str | None, ZoneRef | None, bool] | None:
    """One subject for several mentions: all the province, or all in one city (then its one zone,
    when exactly one zone is named)."""
    if not found:
        return None
    if all(p[3] for p in found):
        return None, None, True
    in_cities = [p for p in found if not p[3]]
    if len({p[1] for p in in_cities}) != 1:
        return None
    zones = {(z.zone_code or z.text): z for _, _, z, _ in in_cities if z}
    return in_cities[0][1], (next(iter(zones.values())) if len(zones) == 1 else None), False


def stated_subjects(title: str, text: str, page_source: str | None, ref: Reference) -> list[Stated]:
    """The subjects the page states, in order of authority: its title, the place holding the
    campaign round, its source."""
    candidates = []
    if title and (subject := consistent(places(title, ref))):
        candidates.append(Stated(*subject, "title"))
    organisers = []
    for m in re.finditer(CAMPAIGN_NAME, text):
        window = text[max(0, m.start() - ORGANISER_WINDOW) : m.start()]
        stop = max((s.end() for s in ORGANISER_STOP.finditer(window)), default=0)
        found = places(window[stop:], ref)
        if found:
            organisers.append(found[-1])
    if organisers and (subject := consistent(organisers)):
        candidates.append(Stated(*subject, "organiser"))
    source = page_source or next((line for line in text.split("\n")[:4] if MEDIA.search(line)), None)
    if source and (source_city := ref.source_city_re.search(source)):
        candidates.append(Stated(ref.city_by_name[source_city.group("city")].name, None, False, "source"))
    return candidates


def merged(candidates: list[Stated]) -> Stated | None:
    """The first stated subject, made more specific by a later one that agrees (the title's city
    and the round's zone)."""
    if not candidates:
        return None
    base = candidates[0]
    for other in candidates[1:]:
        if base.zone is None and other.zone is not None and other.city == base.city and not base.province:
            return Stated(base.city, other.zone, False, base.how)
    return base


def place_votes(text: str, ref: Reference) -> Counter[str]:
    votes: Counter[str] = Counter()
    for m in ref.place_re.finditer(text):
        city = ref.city_of_place(m.group(0))
        if city:
            votes[city] += 1
    return votes


def top_vote(votes: Counter[str] | None) -> str | None:
    """The city with the most votes; None on a tie or without votes (`votes` is None for a section
    whose heading or 供稿 line names its city)."""
    ranked = votes.most_common(2) if votes else []
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def single_zone(line: str, ref: Reference, city: str | None) -> ZoneRef | None:
    zones = ref.find_zones(line, city)
    return zones[0][2] if len(zones) == 1 else None
