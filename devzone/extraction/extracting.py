"""Extract facts from segmented paragraphs.

Input: `Paragraph`s (with their section's city) and the reference. Output: `Fact`s, in text order.

The genre states a fact as "<subject> <indicator> <verb> <number><unit> (<growth>)", with the
subject and the indicator often left out when they carry over from the clause before, and the
"三个一批" campaign as a chain of stages, each with counts, investments and a rate. Each paragraph
is read left to right, number by number: the words between two numbers update a small state
(subject, indicator, campaign scope/stage/step, target), then the number is classified by the
words just before it and its unit.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from .facts import Fact, dedupe, merge_split_statements, review_reasons
from .normalising import looks_tabular
from .reference import QUOTES, Reference, ZoneRef, alternation, other_cities_re
from .regex_prefix import first_chars_lookahead
from .segmenting import Paragraph, Sentence, sentences
from .tables import TableHeader, table_header, table_row
from .wording import (
    AGGREGATE_AFTER,
    ANY_DIGIT,
    ATTRIBUTIVE,
    BRACKETED,
    CAMPAIGN,
    CAMPAIGN_NAME_IN,
    CAMPAIGN_QUALIFIER,
    CAMPAIGN_TEXT,
    CAMPAIGN_WORD_END,
    CITYWIDE,
    CLASSIFIER_AFTER,
    CLAUSE_BREAK,
    COUNTY_AS_AUTHORITY,
    DATED_YEAR,
    DELTA_BEFORE,
    FULL_STOP,
    GROWTH_ANYWHERE,
    GROWTH_BEFORE,
    GROWTH_RANKS,
    INDUSTRIAL,
    MONEY_COMPLETED,
    MONEY_INVESTMENT,
    MONEY_OUTPUT,
    MONTH_RANGE,
    NEGATIVE_GROWTH,
    NOT_A_SUBJECT_BEFORE,
    NUMBER,
    OTHER_MONEY,
    OTHER_PROVINCE,
    PAGE_DATE,
    PAGE_HEAD,
    POST_STAGE,
    PRIOR_YEAR,
    PROVINCE,
    QUOTE_CHAR,
    RANKING,
    RATES,
    RATIO_AFTER,
    RESIDUE_NOISE,
    ROUND_YEAR,
    SCOPE_CUMULATIVE,
    SCOPE_EVENT,
    SENTENCE_BREAK,
    SENTENCE_OF_FIGURES,
    SHARE_BEFORE,
    STAGE_OF_VERB,
    STAGES,
    STEPS,
    SUBJECT_WORDS,
    TARGET,
    TARGET_CLAUSE_END,
    THIS_YEAR,
    THRESHOLD,
    TIME_WORDS,
    TRAILING_ZONE,
    UNIT_KIND,
    UNIT_SCALE,
    VERB_ONLY,
    ZONE_WORD,
    strip_quotes,
)


@dataclass
class Subject:
    city: str | None
    zone: ZoneRef | None = None
    how: str = "stated"  # stated (by the sentence, a heading or the page) | votes | undecided
    # Set where a whole area is named without its zones (山西省固定资产投资…, 全市GDP): the area's
    # economy, whose indicators are not the zones' unless the zones are named before the number.
    economy_from: int | None = None


@dataclass
class Cursor:
    """Where the left-to-right reading of a paragraph stands."""

    previous_end: int = 0
    last_fact: Fact | None = None  # a growth figure right after a value completes it
    orphan_value: bool = False  # the last value was no fact: a growth right after it is its growth
    last_sentence_start: int = -1
    event_index: int = 0
    breaks: list[int] = field(default_factory=list)  # positions of clause punctuation
    sentence_breaks: list[int] = field(default_factory=list)  # ends of sentence punctuation
    full_stops: list[int] = field(default_factory=list)  # positions of 。
    dated: list[tuple[int, int]] = field(default_factory=list)  # (position, year) of the dates that date a statement
    targets: list[tuple[int, int]] = field(default_factory=list)  # spans of target words (力争, 目标任务)
    known: list[tuple[int, int]] = field(default_factory=list)  # spans of every place and campaign word, sorted
    known_reach: list[int] = field(default_factory=list)  # the furthest end of those spans so far


@dataclass(frozen=True)
class CountyMention:
    """A county named in the text, shaped like a marker match (start, end, span, lastgroup)."""

    pos: int
    stop: int
    name: str
    lastgroup: str = "county"

    def start(self) -> int:
        return self.pos

    def end(self) -> int:
        return self.stop

    def span(self) -> tuple[int, int]:
        return self.pos, self.stop


# A marker found in a paragraph: a match of a marker scan (a place, a campaign word), or a county.
Marker: TypeAlias = re.Match[str] | CountyMention
# A paragraph's event, (start, kind, payload): the payload is a zone, a marker or an indicator's code.
Event: TypeAlias = tuple[int, str, ZoneRef | Marker | str]


@dataclass(frozen=True)
class Page:
    """What holds for a whole document."""

    campaign: bool  # it is about the "三个一批" campaign (names it, its batches or its rates)
    foreign: bool  # it names no place of Shanxi: another province's cities are its subjects
    year: int | None  # the year it reports on: the period's, else the latest year it names


@dataclass
class State:
    subject: Subject
    page: Page
    metric: str | None = None  # last indicator named (for elided mentions)
    campaign: bool = False  # inside "三个一批" figures
    scope: str | None = None
    stage: str | None = None
    step: str = "projects"  # projects | industrial | advanced
    rate_stage: str | None = None
    rate_base: str | None = None
    named_metric: str | None = None  # the last indicator named, whether a figure followed or not
    ranking: str | None = None  # inside "…前三位的开发区分别是…": value | growth
    ranking_metric: str | None = None
    stages_since_money: set[str] = field(default_factory=set)  # 签约…、开工…、投产…，总投资X: all stages
    counted: bool = False  # a campaign count of projects was read in this sentence (money attaches to it)
    pending_money: tuple | None = None  # 总投资X亿元的N个签约项目: X waits for the count and its stage
    sentence_start: int = -1
    facts: list[Fact] = field(default_factory=list)


@functools.lru_cache(maxsize=4)
def extractor_for(ref: Reference) -> Extractor:
    """Building the patterns costs more than reading a report: once per reference."""
    return Extractor(ref)


class Extractor:
    def __init__(self, ref: Reference):
        self.ref = ref
        # A word may name several indicators told apart by the unit (标准地出让37宗 / 1644亩).
        self.metric_words: dict[str, tuple[str, ...]] = {}
        for ind in ref.indicators:
            for word in (ind.name, *ind.synonyms):
                codes = self.metric_words.setdefault(strip_quotes(word), ())
                if ind.code not in codes:
                    self.metric_words[strip_quotes(word)] = (*codes, ind.code)
        self.words_of: dict[str, list[str]] = {}
        for word, codes in self.metric_words.items():
            for code in codes:
                self.words_of.setdefault(code, []).append(word)
        # Overlapping search: every position where some indicator word starts.
        # (The first-character class lets `re` skip positions: inside the zero-width lookahead
        # the trie gets no such help, and this scan ran three times slower.)
        words = alternation(self.metric_words)
        self.metric_re = re.compile(rf"{first_chars_lookahead(words)}(?=({words}))")
        # Order matters where words overlap: a rate or a step before a stage (开工项目投产率 is one
        # rate), a list of stages before its first stage.
        groups = (
            [("rate_" + s, p) for s, p in RATES.items()]
            + [("step_" + s, p) for s, p in STEPS.items()]
            + [("stage_all", STAGES["all"]), ("campaign", CAMPAIGN)]
            + [("stage_" + s, p) for s, p in STAGES.items() if s != "all"]
            + [
                ("industrial", INDUSTRIAL),
                ("cumulative", SCOPE_CUMULATIVE),
                ("event", SCOPE_EVENT),
                ("ranking", RANKING),
                ("province", PROVINCE),
                ("citywide", CITYWIDE),
                ("city", rf"(?P<city_name>{ref.city_names_re})市(?:各|所有)?(?:工业类)?(?:开发区|园区)?"),
            ]
        )
        self.marker_re = marker_scan(groups)
        # Counties are found from the character that ends their name (县, 区, 市): a hundred names
        # in the scan above would make it try every group at far more positions.
        self.county_names = {name for name, c in ref.county_by_name.items() if c.short_name and name == c.name}

    # -- public ----------------------------------------------------------------------------
    def extract(self, paragraphs: list[Paragraph], period: str | None = None) -> list[Fact]:
        page = Page(
            any(CAMPAIGN_TEXT.search(p.text) for p in paragraphs),
            not any(self.ref.shanxi_re.search(p.text) for p in paragraphs),
            report_year(paragraphs, period),
        )
        facts: list[Fact] = []
        table: TableHeader | None = None
        scope: str | None = None
        for p in paragraphs:
            if p.is_heading:
                continue
            header = table_header(p.text, self.metric_re, self.metric_words) if looks_tabular(p.text) else None
            if header:
                table = header
                continue
            if table and (row_facts := table_row(p, table, self.ref)) is not None:
                facts.extend(row_facts)
                continue
            table = None
            paragraph_facts, scope = self.paragraph_facts(p, page, scope)
            facts.extend(paragraph_facts)
        facts = dedupe(facts)
        shanxi = {c.name for c in self.ref.cities}
        for f in facts:
            f.review_reasons = review_reasons(f, shanxi) + (["outside_shanxi"] if page.foreign else [])
        return facts

    # -- prose -----------------------------------------------------------------------------
    def paragraph_facts(
        self, p: Paragraph, page: Page, carried_scope: str | None = None
    ) -> tuple[list[Fact], str | None]:
        """The paragraph's facts, and the campaign scope in force at its end. A paragraph that
        opens with a campaign stage continues the scope of the one before it: a page break split
        the campaign's figures (截至…“签约一批”…。 / page / “投产一批”…)."""
        if not ANY_DIGIT.search(p.text):
            return [], None
        text, origin = clean_with_origin(p.text)
        numbers = list(NUMBER.finditer(text))
        if not numbers:
            return [], None
        metric_hits = [
            (m.start(1), m.end(1), code)
            for m in self.metric_re.finditer(text)
            for code in self.metric_words[m.group(1)]
        ]
        spans = [(s.start - p.start, s.end - p.start, s) for s in sentences(p)]
        state = State(self.page_subject(p), page)
        if p.heading_zone and p.heading_zone.city:
            state.subject = Subject(p.heading_zone.city, p.heading_zone)
        events, known = self.paragraph_events(text, p, page)
        if carried_scope and events and events[0][0] <= 2 and events[0][1].startswith(("stage_", "step_")):
            state.scope = carried_scope
        cur = Cursor(
            breaks=[m.start() for m in CLAUSE_BREAK.finditer(text)],
            sentence_breaks=[m.end() for m in SENTENCE_BREAK.finditer(text)],
            full_stops=[m.start() for m in FULL_STOP.finditer(text)] if page.year else [],
            dated=[(m.start(), int(m.group(1))) for m in DATED_YEAR.finditer(text)]
            if page.year and "年" in text
            else [],
            targets=[m.span() for m in TARGET.finditer(text)],
            known=known,
            known_reach=list(itertools.accumulate((end for _, end in known), max)),
        )
        for m in numbers:
            created = len(state.facts)
            self.read_number(state, p, text, origin, spans, metric_hits, events, m, cur)
            trailing = TRAILING_ZONE.match(text, m.end()) if text[m.end() : m.end() + 1] in ("(", "（") else None
            zone = self.ref.zone_named(trailing.group(1), p.city) if trailing else None
            if zone:
                for fact in state.facts[created:]:
                    fact.city, fact.zone, fact.subject_how = zone.city, zone, "stated"
        return merge_split_statements(state.facts), state.scope if state.campaign else None

    def read_number(self, state, p, text, origin, spans, metric_hits, events, m, cur) -> None:
        """Classify one number by the words before it; add or complete a fact."""
        start, end = m.start(), m.end()
        window = text[cur.previous_end : start]
        sentence = sentence_at(spans, origin[start])
        subject_changed = self.update_state(state, p, self.events_before(events, cur, start), text, cur.sentence_breaks)
        self.cross_sentence_breaks(state, cur.sentence_breaks, start)
        if state.subject.how == "unnamed":
            cur.previous_end = end
            return  # a text that names no place (only 经开区, 全市) does not say whose figures these are
        if SENTENCE_BREAK.search(window):
            cur.last_fact = None if sentence.start != cur.last_sentence_start else cur.last_fact
            cur.orphan_value = False
        cur.last_sentence_start = sentence.start
        clause_start = last_break(cur.breaks, start, cur.previous_end)
        clause_left = text[clause_start:start]
        value = float(m.group("num"))
        unit = m.group("unit")
        cur.previous_end = end
        if unit in ("个百分点", "百分点"):
            return
        canonical_unit, scale = UNIT_SCALE[unit]
        value = round(value * scale, 10)
        value_span = (p.start + origin[m.start("num")], p.start + origin[end - 1] + 1)
        target = self.is_target(text, start, end, sentence, origin, p, cur.targets)
        keyword = self.metric_before(metric_hits, clause_start, start, canonical_unit)
        if keyword is None and (canonical_unit != "%" or GROWTH_ANYWHERE.search(window)):
            keyword = self.metric_after(metric_hits, end, text, canonical_unit)
        if keyword is None and canonical_unit != "%" and clause_start > 0 and text[clause_start - 1] == "、":
            # "标准地出让37宗、1644.51亩": a word naming two indicators, told apart by the unit
            keyword = self.metric_before(
                metric_hits, last_break(cur.breaks, clause_start - 1, 0), clause_start, canonical_unit
            )

        economy = state.subject.economy_from is not None and not ZONE_WORD.search(
            text, state.subject.economy_from, start
        )
        if economy and not state.campaign:
            return  # 山西省固定资产投资增速达9.5%: the province's economy, not its zones
        if self.earlier_year(state, cur, start, sentence, origin, p):
            state.metric = keyword or state.metric
            cur.last_fact, cur.orphan_value = None, canonical_unit != "%"
            return  # 2020年前三季度… in a 2021 report: last year's figure and its growth
        if canonical_unit == "%":
            growth = GROWTH_BEFORE.search(clause_left)
            if growth:
                word = growth.group("word") or growth.group("word_only")
                yoy = -abs(value) if word in NEGATIVE_GROWTH else value
                other_metric = self.metric_between(metric_hits, previous_start(window, start), start)
                if (
                    cur.last_fact is not None
                    and cur.last_fact.type == "indicator"
                    and cur.last_fact.yoy_pct is None
                    and not subject_changed
                    and other_metric in (None, cur.last_fact.metric)
                ):
                    cur.last_fact.yoy_pct = yoy
                    return
                named = self.strip_subject_and_time(clause_left[: growth.start()])  # the words before the growth
                if other_metric is None and len(named) >= 2:
                    # "规上工业增加值完成2.17亿元(工业产值5.67亿元)，增加值同比增长29.5%": the growth
                    # names the tail of a figure's indicator stated earlier in the sentence
                    # (the sentence's facts are the last ones: the search stops at its start)
                    in_sentence = itertools.takewhile(
                        lambda f: f.sentence.start == sentence.start, reversed(state.facts)
                    )
                    earlier = next(
                        (
                            f
                            for f in in_sentence
                            if f.type == "indicator"
                            and f.yoy_pct is None
                            and f.value is not None
                            and any(w.endswith(named) for w in self.words_of[f.metric])
                        ),
                        None,
                    )
                    if earlier:
                        earlier.yoy_pct = yoy
                        return
                if cur.orphan_value and other_metric is None:
                    cur.orphan_value = False  # 第三产业增加值433.08亿元，同比增长7%: not ours
                    return
                carried = state.metric if VERB_ONLY.match(named) else None
                metric = other_metric or carried
                if metric:
                    cur.last_fact = self.add_indicator(state, p, sentence, value_span, metric, None, yoy, target)
                    state.metric = metric
                return
            if state.rate_stage and state.campaign:
                self.add_pipeline(state, p, sentence, value_span, state.rate_stage, "rate_pct", value)
                state.facts[-1].rate_base = state.rate_base
                state.rate_stage = None
                return
            if state.ranking == "growth" and state.ranking_metric and keyword is None:
                # "…增速前三位的开发区分别是祁县经开区42.5%、介休经开区18.3%": each zone's growth
                cur.last_fact = self.add_indicator(
                    state, p, sentence, value_span, state.ranking_metric, None, value, target
                )
                return
            if keyword and not SHARE_BEFORE.search(clause_left):
                cur.last_fact = self.add_indicator(state, p, sentence, value_span, keyword, value, None, target, "%")
                state.metric = keyword
            return

        if (
            PRIOR_YEAR.search(clause_left)
            or DELTA_BEFORE.search(clause_left)
            or THRESHOLD.match(text, end)
            or RATIO_AFTER.match(text, end)
            or CLASSIFIER_AFTER.match(text, end)
        ):
            # not a current figure ("从254.1亿元增至452.3亿元": where it started), but it names the
            # indicator that the figure after it continues
            state.metric = keyword or state.metric
            return
        if ATTRIBUTIVE.match(text, end):
            aggregate = AGGREGATE_AFTER.match(text, end) if state.page.campaign else None
            if aggregate and UNIT_KIND[canonical_unit] == "money" and POST_STAGE.match(text, aggregate.end()):
                state.campaign = True
                state.pending_money = (value, value_span, sentence)
            return
        if state.page.campaign and unit == "个" and POST_STAGE.match(text, end):
            state.campaign = True  # "10个签约项目": the stage follows the count
        if keyword:
            state.metric = keyword
            state.campaign = False
            cur.last_fact = self.merge_or_add(state, p, sentence, value_span, keyword, value, target, canonical_unit)
            cur.orphan_value = False
            return
        if state.campaign:
            self.campaign_number(
                state, p, sentence, value_span, text, start, end, clause_left, value, canonical_unit, cur
            )
            cur.last_fact = None
            return
        residue = self.strip_subject_and_time(clause_left)
        if (
            state.metric
            and VERB_ONLY.match(residue)
            and not OTHER_MONEY.search(clause_left)
            and UNIT_KIND[canonical_unit] == UNIT_KIND[self.ref.indicator_unit(state.metric)]
        ):
            cur.last_fact = self.merge_or_add(
                state, p, sentence, value_span, state.metric, value, target, canonical_unit
            )
            cur.orphan_value = False
        else:
            cur.last_fact, cur.orphan_value = None, True

    @staticmethod
    def earlier_year(state: State, cur: Cursor, start: int, sentence, origin, p) -> bool:
        """Whether the statement dates the figure to a year before the report's (2020年前三季度… in a
        2021 report). "2022年以来" opens a running total and "较2022年同期" a comparison: neither dates it."""
        year = state.page.year
        if year is None or not cur.dated or cur.dated[0][0] >= start:  # (dates are only read on a page with a year)
            return False
        i = bisect.bisect_left(cur.full_stops, start)
        stop = cur.full_stops[i - 1] if i else -1  # a date at the head of a statement covers its ；-clauses
        head_start = min(stop + 1, clean_index(origin, sentence.start - p.start))
        last = bisect.bisect_left(cur.dated, start, key=first) - 1  # the last date before the figure
        return cur.dated[last][0] >= head_start and cur.dated[last][1] < year

    def counties(self, text: str) -> list[CountyMention]:
        found = []
        for last in "县区市":
            at = text.find(last)
            while at != -1:
                for length in (2, 3, 4):
                    name = text[at + 1 - length : at + 1]
                    if name in self.county_names:
                        found.append(CountyMention(at + 1 - length, at + 1, name))
                        break
                at = text.find(last, at + 1)
        return sorted(found, key=lambda c: c.pos)

    @staticmethod
    def page_subject(p: Paragraph) -> Subject:
        """The subject of figures whose sentence names none: the section's or the page's city."""
        return Subject(p.city, None, p.city_how if p.city_how in ("votes", "undecided", "unnamed") else "stated")

    @staticmethod
    def events_before(events, cur: Cursor, start: int) -> list:
        """The events between the previous number and this one (events are in text order)."""
        i = j = cur.event_index
        while j < len(events) and events[j][0] < start:
            j += 1
        cur.event_index = j
        return [e for e in events[i:j] if e[0] >= cur.previous_end]

    def paragraph_events(self, text: str, p: Paragraph, page: Page) -> tuple[list[Event], list[tuple[int, int]]]:
        """Subjects, indicators and campaign words of a paragraph, in text order. Found on the
        whole paragraph so that look-arounds see past the numbers (签约233个项目). Also the spans of
        every place and campaign word found, whatever its role, for reading what else a clause says."""
        found: list[tuple[int, int, str, ZoneRef | Marker | str]] = []  # (start, end, kind, payload)
        zones = self.ref.find_zones(text, p.city)
        for start, end, zone in zones:
            # A zone where something happens (活动在孝义经开区举行) or one compared with (高于全省
            # 开发区平均水平) is not the subject of the figures that follow.
            if not NOT_A_SUBJECT_BEFORE.search(text, max(0, start - 3), start):
                found.append((start, end, "zone", zone))
        markers: list[Marker] = [*self.marker_re.finditer(text), *self.counties(text)]
        if page.foreign:  # a page of another province: its cities and provinces are the subjects
            markers += [*other_cities_re().finditer(text), *OTHER_PROVINCE.finditer(text)]
        known = sorted([m.span() for m in markers] + [(s, e) for s, e, _ in zones])
        for m in markers:
            kind = m.lastgroup
            assert kind is not None  # every marker pattern is one named group
            if kind in ("province", "citywide", "city", "county", "other_city") and NOT_A_SUBJECT_BEFORE.search(
                text, max(0, m.start() - 3), m.start()
            ):
                continue
            if kind == "county" and COUNTY_AS_AUTHORITY.match(text, m.end()):
                continue
            if not page.campaign and (kind == "campaign" or kind.startswith(("stage_", "step_", "rate_"))):
                continue
            found.append((m.start(), m.end(), kind, m))
        for m in self.metric_re.finditer(text):
            found.append((m.start(), m.start(), "metric", self.metric_words[m.group(1)][0]))
        # A stage named inside brackets is a remark (投产一批项目N个，(经前期开工项目转化生成)总投资X).
        if "(" in text or "（" in text:
            brackets = [(b.start(), b.end()) for b in BRACKETED.finditer(text)]
            found = [e for e in found if not (e[2].startswith(("stage_", "step_")) and in_brackets(brackets, e[0]))]
        # A zone name, a rate or a campaign step hides the words inside it (山西转型综合改革示范区
        # is not a scope word; 开工项目投产率 is not the stage 开工项目). (Read in order: whether a
        # word is hidden is whether one read before it reaches past its start.)
        events: list[Event] = []
        covered_to = 0
        for start, end, kind, payload in sorted(found, key=lambda e: (e[0], e[2] != "zone")):
            if start < covered_to:
                continue
            if kind == "zone" or kind.startswith(("rate_", "step_", "stage_")):
                covered_to = max(covered_to, end)
            events.append((start, kind, payload))
        return events, known

    def update_state(self, state: State, p: Paragraph, events, text: str, sentence_breaks: list[int]) -> bool:
        """Apply the words between two numbers; True when the subject changed. A sentence break
        ends what only holds within a sentence (the stages an amount may cover, the count it
        attaches to, a rate's name)."""
        changed = False
        for start, kind, payload in events:
            self.cross_sentence_breaks(state, sentence_breaks, start)
            if kind == "zone":
                state.subject = Subject(payload.city, payload)
                changed = True
            elif kind == "metric":
                state.campaign = False
                state.rate_stage = None
                state.named_metric = payload
            elif kind == "ranking":
                state.ranking = "growth" if payload.group("ranked_by") in GROWTH_RANKS else "value"
                state.ranking_metric = state.named_metric
            elif kind == "province":
                state.subject = area_subject(None, payload)
                changed = True
            elif kind == "citywide":
                own = p.home_city if payload.group(0)[:2] in ("我市", "本市") else p.city
                state.subject = area_subject(own, payload, self.page_subject(p).how if own == p.city else "stated")
                changed = True
            elif kind == "other_city":
                state.subject = area_subject(payload.group("other_city") + "市", payload)
                changed = True
            elif kind == "county":
                zone = self.ref.county_zone(payload.name)
                state.subject = Subject(zone.city, zone)
                changed = True
            elif kind == "city":
                state.subject = area_subject(self.ref.city_by_name[payload.group("city_name")].name, payload)
                changed = True
            elif kind == "campaign":
                state.campaign = True
            elif kind in ("cumulative", "event"):
                if kind == "cumulative" and not state.campaign and MONTH_RANGE.match(payload.group(0)):
                    continue  # a month range only sets the scope of campaign figures
                if CAMPAIGN_NAME_IN.search(payload.group(0)):
                    state.campaign = True
                state.scope = kind
                state.stage = None
                state.step = "projects"
            elif kind.startswith("rate_"):
                state.rate_stage = kind[5:]
                said = text[max(0, payload.start() - 2) : payload.start()]
                state.rate_base = (
                    "projects"
                    if said == "项目" and not payload.group(0).startswith("签约项目")
                    else "investment"
                    if said in ("投资", "资金")
                    else None
                )
            elif kind.startswith("step_"):
                state.campaign = True
                state.stage = kind[5:]
                state.stages_since_money.add(state.stage)
                state.step = "advanced"
            elif kind.startswith("stage_"):
                state.campaign = True
                state.stage = kind[6:]
                state.stages_since_money.add(state.stage)
                state.step = "projects"
            elif kind == "industrial" and state.campaign:
                state.step = "industrial"
        return changed

    @staticmethod
    def cross_sentence_breaks(state: State, breaks: list[int], upto: int) -> None:
        i = bisect.bisect_right(breaks, upto)
        if i and breaks[i - 1] > state.sentence_start:
            state.sentence_start = breaks[i - 1]
            state.stages_since_money, state.counted, state.rate_stage, state.pending_money = set(), False, None, None
            state.ranking = None

    def campaign_number(self, state, p, sentence, value_span, text, start, end, clause_left, value, unit, cur):
        """A count or an amount inside the campaign's figures. A count must count the campaign's
        projects (its stage before or right after it); an amount must follow such a count in its
        sentence (the set of projects it is the investment of) and be named as investment, completed
        investment or expected output. Anything else (a single project's figures, a breakdown by
        sector or size, a count of companies) is not a campaign fact."""
        kind = UNIT_KIND[unit]
        if kind == "count":
            post = POST_STAGE.match(text, end) if unit == "个" else None
            if post:
                words = post.group("before") or post.group("after")
                verbs = re.findall(r"签约|开工|投产|三个一批", words)
                state.stage = "all" if len(verbs) > 1 else STAGE_OF_VERB[verbs[0]]
                state.step = "projects"
                cur.previous_end = post.end()  # its stage words are read: they do not open the next figure
            elif not self.counts_campaign_projects(text, start, end, unit, clause_left, cur):
                state.counted = False
                state.pending_money = None
                return
            stage = state.stage or "all"
            measure = {"projects": "projects", "industrial": "industrial_projects", "advanced": "advanced_projects"}[
                state.step
            ]
            self.add_pipeline(state, p, sentence, value_span, stage, measure, value)
            state.counted = True
            if state.pending_money and state.pending_money[2].start == sentence.start and state.step == "projects":
                money, money_span, _ = state.pending_money
                self.add_pipeline(state, p, sentence, money_span, stage, "investment", money)
            state.pending_money = None
            return
        if kind != "money" or not state.counted:
            return
        stage = state.stage or "all"
        if len(state.stages_since_money) > 1:
            stage = "all"
        state.stages_since_money = set()
        left = clause_left.rstrip()
        if MONEY_OUTPUT.search(left):
            measure = "expected_annual_output"
        elif MONEY_COMPLETED.search(left):
            measure = "advanced_investment" if state.step == "advanced" else "completed_investment"
        elif MONEY_INVESTMENT.search(left):
            measure = {
                "projects": "investment",
                "industrial": "industrial_investment",
                "advanced": "advanced_investment",
            }[state.step]
        else:
            return
        self.add_pipeline(state, p, sentence, value_span, stage, measure, value)

    def counts_campaign_projects(self, text, start, end, unit, clause_left, cur) -> bool:
        """Whether a count before any stage words after it counts the campaign's projects: "项目N个"
        or "N个项目" (or N项), with nothing but the campaign's own words around 项目."""
        if unit not in ("个", "项"):
            return False
        residue = campaign_residue(text, start - len(clause_left), start, cur.known, cur.known_reach)
        if not CAMPAIGN_QUALIFIER.match(residue):
            return False
        if unit == "个" and text.startswith("项目", end):
            return True
        return "项目" in residue or bool(CAMPAIGN_WORD_END.search(clause_left))

    @staticmethod
    def is_target(text, start, end, sentence, origin, p, targets) -> bool:
        """Target words earlier in the sentence, or later in the same clause (…15%的目标任务)."""
        if not targets:
            return False
        head = max(0, clean_index(origin, sentence.start - p.start))
        clause_end = TARGET_CLAUSE_END.search(text, end)
        tail_end = clause_end.start() if clause_end else len(text)
        # Target words do not overlap: the first one starting after a point is the first to end.
        before = bisect.bisect_left(targets, head, key=first)
        after = bisect.bisect_left(targets, end, key=first)
        return (before < len(targets) and targets[before][1] <= start) or (
            after < len(targets) and targets[after][1] <= tail_end
        )

    def metric_before(self, hits, lo, hi, unit) -> str | None:
        best = None
        for s, e, code in hits_within(hits, lo, hi):
            if e <= hi and self.unit_fits(code, unit):
                if best is None or e > best[1] or (e == best[1] and s < best[0]):
                    best = (s, e, code)
        return best[2] if best else None

    def metric_between(self, hits, lo, hi) -> str | None:
        inside = [h for h in hits_within(hits, lo, hi) if h[1] <= hi]
        return max(inside, key=lambda h: (h[1], -h[0]))[2] if inside else None

    def metric_after(self, hits, end, text, unit) -> str | None:
        """A noun right after the number names it (为47个项目办理承诺制手续)."""
        for s, _, code in hits_within(hits, end, end + 3):
            if self.unit_fits(code, unit) and not CLAUSE_BREAK.search(text[end:s]):
                return code
        return None

    def unit_fits(self, code: str, unit: str) -> bool:
        expected = UNIT_KIND[self.ref.indicator_unit(code)]
        got = UNIT_KIND[unit]
        return expected == got or (expected == "usd" and got == "money")

    def strip_subject_and_time(self, clause: str) -> str:
        clause = TIME_WORDS.sub("", clause)
        for start, end, _ in reversed(self.ref.find_zones(clause, None)):
            clause = clause[:start] + clause[end:]
        clause = SUBJECT_WORDS.sub("", clause)
        return clause

    # -- facts -----------------------------------------------------------------------------
    def add_indicator(self, state, p, sentence, value_span, metric, value, yoy, target, unit=None) -> Fact:
        fact = Fact(
            "indicator",
            state.subject.city,
            state.subject.zone,
            value,
            unit or self.ref.indicator_unit(metric),
            sentence,
            value_span,
            metric=metric,
            yoy_pct=yoy,
            basis="target" if target else "actual",
            subject_how=state.subject.how,
        )
        state.facts.append(fact)
        return fact

    def merge_or_add(self, state, p, sentence, value_span, metric, value, target, unit) -> Fact:
        basis = "target" if target else "actual"
        for f in reversed(state.facts):
            if f.sentence.start != sentence.start:
                break
            if (
                f.type == "indicator"
                and f.value is None
                and f.metric == metric
                and f.basis == basis
                and f.zone == state.subject.zone
                and f.city == state.subject.city
            ):
                f.value, f.unit = value, unit
                return f
        return self.add_indicator(state, p, sentence, value_span, metric, value, None, target, unit)

    def add_pipeline(self, state, p, sentence, value_span, stage, measure, value):
        state.facts.append(
            Fact(
                "pipeline",
                state.subject.city,
                state.subject.zone,
                value,
                None,
                sentence,
                value_span,
                scope=state.scope or "event",
                stage=stage,
                measure=measure,
                subject_how=state.subject.how,
            )
        )


def first(span: tuple) -> int:
    return span[0]


def hits_within(hits: list[tuple[int, int, str]], lo: int, hi: int) -> list[tuple[int, int, str]]:
    """The indicator words (in text order) that start from `lo` and before `hi`: a binary search,
    where a scan of all of a paragraph's for each of its numbers cost a long paragraph the square
    of its length."""
    return hits[bisect.bisect_left(hits, lo, key=first) : bisect.bisect_left(hits, hi, key=first)]


def in_brackets(brackets: list[tuple[int, int]], at: int) -> bool:
    """Whether `at` lies inside one of `brackets` (in order, apart)."""
    i = bisect.bisect_left(brackets, at, key=first)  # the last bracket opening before `at`
    return bool(i) and at < brackets[i - 1][1]


def clean_with_origin(text: str) -> tuple[str, Sequence[int]]:
    """The text without quotation marks, and for each of its characters the original index."""
    if not QUOTE_CHAR.search(text):
        return text, range(len(text) + 1)
    origin = [i for i, ch in enumerate(text) if ch not in QUOTES]
    origin.append(len(text))
    return QUOTE_CHAR.sub("", text), origin


def clean_index(origin: Sequence[int], original: int) -> int:
    return min(bisect.bisect_left(origin, original), len(origin) - 1)


def sentence_at(spans, offset: int) -> Sentence:
    """The sentence holding `offset` (spans: (start, end, sentence) in order, end to end)."""
    i = bisect.bisect_right(spans, offset, key=lambda span: span[0]) - 1
    if i >= 0 and offset < spans[i][1]:
        return spans[i][2]
    return spans[-1][2]


def last_break(breaks: list[int], start: int, floor: int) -> int:
    """Where the clause holding `start` begins (not before `floor`); `breaks` are the positions
    of clause punctuation, in order."""
    i = bisect.bisect_left(breaks, start)
    return max(floor, breaks[i - 1] + 1) if i else floor


def previous_start(window: str, start: int) -> int:
    return start - len(window)


def report_year(paragraphs: list[Paragraph], period: str | None) -> int | None:
    """The year a report is about: its period's; for a page without one, the latest of the years
    its figures are dated to, of the campaign round it reports (2021年第一期), and of its own date
    when it speaks of 今年. A page of 2024 that looks back on 2023 reports 2023's figures; a page
    on the 2021 round that recalls 2020's reports on 2021."""
    if period:
        return int(period[:4])
    years = []
    page_date = [int(y.group(1)) for y in PAGE_DATE.finditer("\n".join(q.text for q in paragraphs[:PAGE_HEAD]))][:1]
    for p in paragraphs:
        for sentence in SENTENCE_OF_FIGURES.finditer(p.text):
            if NUMBER.search(sentence.group(0)):
                years += [int(y.group(1)) for y in DATED_YEAR.finditer(sentence.group(0))]
        years += [int(y.group(1)) for y in ROUND_YEAR.finditer(p.text)]
        if THIS_YEAR.search(p.text):
            years += page_date
    return max(years) if years else None


def area_subject(city: str | None, marker: re.Match, how: str = "stated") -> Subject:
    """The subject a whole area names (全省开发区, 我市, 晋城市, 新乡市): its zones when the words say
    so, else the area's economy until its zones are named before a number."""
    return Subject(city, None, how, economy_from=None if ZONE_WORD.search(marker.group(0)) else marker.end())


def marker_scan(groups: list[tuple[str, str]]) -> re.Pattern:
    """One regex of named groups, tried only where one of them can start."""
    markers = "|".join(f"(?P<{name}>{pattern})" for name, pattern in groups)
    return re.compile(f"{first_chars_lookahead(markers)}(?:{markers})")


def campaign_residue(text: str, lo: int, hi: int, known: list[tuple[int, int]], reach: list[int]) -> str:
    """text[lo:hi] without the words the reading already knows (places, subjects, campaign words;
    `known` holds their spans, `reach` the furthest end among the first so many) and without times
    and punctuation: what is left says whether a count is the campaign's."""
    i = bisect.bisect_left(known, lo, key=first)  # the words before `lo` only cover its start
    kept, at = [], max(lo, reach[i - 1]) if i else lo
    for start, end in known[i : bisect.bisect_left(known, hi, key=first)]:
        if end <= at:
            continue
        if start > at:
            kept.append(text[at:start])
        at = end
    if at < hi:
        kept.append(text[at:hi])
    return RESIDUE_NOISE.sub("", TIME_WORDS.sub("", "".join(kept)))
