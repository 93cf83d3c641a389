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
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .normalising import looks_tabular
from .reference import QUOTES, Reference, ZoneRef, alternation, first_chars
from .segmenting import Paragraph, Sentence, sentences

# -- numbers and units ---------------------------------------------------------------------
UNIT_SCALE = {
    "万亿元": ("亿元", 1e4), "亿元": ("亿元", 1.0), "亿": ("亿元", 1.0), "万元": ("亿元", 1e-4), "元": ("亿元", 1e-8),
    "亿美元": ("亿美元", 1.0), "万美元": ("亿美元", 1e-4),
    "万人次": ("万人次", 1.0), "人次": ("万人次", 1e-4),
    "万平方米": ("万平方米", 1.0), "平方米": ("万平方米", 1e-4), "亩": ("亩", 1.0),
    "个": ("个", 1.0), "家": ("家", 1.0), "项": ("项", 1.0), "宗": ("宗", 1.0), "件": ("件", 1.0),
    "%": ("%", 1.0),
}
UNIT_KIND = {"亿元": "money", "亿美元": "usd", "万人次": "visits", "万平方米": "floor", "亩": "land",
             "个": "count", "家": "count", "项": "count", "宗": "count", "件": "count", "%": "percent"}
NUMBER = re.compile(
    r"(?<![\d.A-Za-z])(?P<num>-?\d+(?:\.\d+)?)\s*"
    r"(?P<unit>个百分点|百分点|万亿元|亿元|万元|亿美元|万美元|万人次|人次|万平方米|平方米|亿(?![美人])|元|亩|个|家|项|宗|件|%)"
)

# -- words of the genre --------------------------------------------------------------------
GROWTH_BEFORE = re.compile(
    r"(?:(?P<yoy>(?:同比|比上年|比去年|较上年|较去年)(?:同期)?)(?P<word>增速|增幅|增长率|增长|增|提高|上升|下降|降幅|减少|下滑|回落|降|减)?"
    r"|(?P<word_only>增速|增幅|增长率|增长|增|提高|上升|下降|降幅|减少|下滑|回落|降|减))"
    r"(?:为|了|达|达到|不低于|不少于|不高于|超过|保持在|保持|在)?$"
)
NOT_A_SUBJECT_BEFORE = re.compile(r"(?:在|于|高于|低于|快于|慢于|超过|超出|领先|落后|较|比|占|居|位列|排名)$")
NEGATIVE_GROWTH = {"下降", "降幅", "减少", "下滑", "回落", "降", "减"}
GROWTH_ANYWHERE = re.compile(r"同比|增速|增幅|增长|下降|降幅|减少")
DELTA_BEFORE = re.compile(r"(?:增加|减少|增长|下降|增收|减收|多|少)了?$")
PRIOR_YEAR = re.compile(r"(?:去年|上年)(?:同期)?(?:为|是|完成|实现|达到)?$|同期为$")
# "总投资35亿元的XX项目": the number describes a named thing; it is not a stated figure.
ATTRIBUTIVE = re.compile(r"的(?!目标|任务)")
SHARE_BEFORE = re.compile(r"(?:占|比重|占比|比例)[^，；。]{0,12}$")
TARGET = re.compile(r"力争|目标任务|目标值|目标为|目标是|预期目标|年度目标|全年目标|任务目标|确保")
VERB_ONLY = re.compile(r"^(?:共|累计|分别|已|全年|上半年)?(?:完成|实现|达到|达|为|是|计|有|共)?(?:了)?$")
TIME_WORDS = re.compile(r"\d{4}年|\d{1,2}-\d{1,2}月(?:份)?|\d{1,2}月(?:份|底|末)?|上半年|下半年|前三季度|一季度|今年以来|年内")

# Subjects.
CITYWIDE = r"全市(?:各|所有)?(?:工业类)?(?:开发区|园区)?|各(?:开发区|园区)"
PROVINCE = r"全省(?:各|所有)?(?:工业类)?(?:开发区|园区)|全省(?=共|累计|规上|规模以上|工业|固定|开发区)"

# Campaign ("三个一批") words; rates and steps before stages so that 开工项目投产率 is one rate.
CAMPAIGN = r"三个一批"
RATES = {
    "signed": "签约项目开工率|签约开工率|开工率",
    "started": "开工项目投产率|投产率",
    "in_production": "投产项目达产率|达产率",
}
STEPS = {  # projects of a stage that moved on to the next step
    "signed": "签约已开工项目|签约已开工|已开工项目|已开工",
    "started": "开工已投产项目|开工已投产|已投产项目|已投产",
    "in_production": "达产产业项目|投产已达产|达产项目|已达产(?!后)|达产(?!后)",
}
STAGES = {
    "signed": "签约一批|签约项目|集中签约|新签约项目|新签约|签约(?=\\s*(?:项目)?\\s*-?\\d)",
    "started": "开工一批|开工项目|集中开工|新开工项目|新开工|开工(?=\\s*(?:项目)?\\s*-?\\d)",
    "in_production": "投产一批|投产项目|集中投产|新投产项目|新投产|投产(?=\\s*(?:项目)?\\s*-?\\d)",
}
INDUSTRIAL = r"产业项目(?!投资)"
SCOPE_CUMULATIVE = r"以来|截至|截止|累计|全年共|今年共|\d{1,2}-\d{1,2}月"
SCOPE_EVENT = r"第[\d一二三四五六七八九十]+(?:次|批|轮|期)|本次|此次|本轮|本批|本期"
MONEY_OUTPUT = re.compile(r"(?:预计)?(?:年产值|年销售收入|产值)$")
MONEY_COMPLETED = re.compile(r"(?:累计|已)?完成(?:投资)?$")
MONEY_INVESTMENT = re.compile(r"(?:计划)?总投资(?:额)?$|(?:签约|协议|计划)?投资(?:额)?$|签约(?:金)?额$|金额$")
# Money words that say a number is not an indicator when no indicator is named.
OTHER_MONEY = re.compile(r"总投资|投资额|资金|贷款|融资|基金|奖补|补贴|补助|销售额|产值|收入|利润|税")

TRAILING_ZONE = re.compile(r"[(（]([^()（）]{2,20})[)）]")
TARGET_CLAUSE_END = re.compile(r"[，,；;。！？]")
SUBJECT_WORDS = re.compile(CITYWIDE + "|" + PROVINCE + "|其中|[，,；;：:、()（）\\s]")
GROWTH_HEADER = re.compile(r"增速|增幅|增长|同比")
NUMERIC_CELL = re.compile(r"(-?\d+(?:\.\d+)?)%?|[-—/]+")
BRACKETED = re.compile(r"[(（]([^()（）]+)[)）]")
ANY_DIGIT = re.compile(r"\d")
QUOTE_CHAR = re.compile(f"[{QUOTES}]")
CLAUSE_BREAK = re.compile(r"[，,；;。！？：、]")
SENTENCE_BREAK = re.compile(r"[；;。！？]")


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


@dataclass
class Subject:
    city: str | None
    zone: ZoneRef | None = None


@dataclass
class Cursor:
    """Where the left-to-right reading of a paragraph stands."""

    previous_end: int = 0
    last_fact: Fact | None = None  # a growth figure right after a value completes it
    last_sentence_start: int = -1
    event_index: int = 0
    breaks: list[int] = field(default_factory=list)  # positions of clause punctuation


@dataclass
class State:
    subject: Subject
    metric: str | None = None  # last indicator named (for elided mentions)
    campaign: bool = False  # inside "三个一批" figures
    scope: str | None = None
    stage: str | None = None
    step: str = "projects"  # projects | industrial | advanced
    rate_stage: str | None = None
    stages_since_money: set[str] = field(default_factory=set)  # 签约…、开工…、投产…，总投资X: all stages
    facts: list[Fact] = field(default_factory=list)


@functools.lru_cache(maxsize=4)
def extractor_for(ref: Reference) -> "Extractor":
    """Building the patterns costs more than reading a report: once per reference."""
    return Extractor(ref)


class Extractor:
    def __init__(self, ref: Reference):
        self.ref = ref
        self.metric_words: dict[str, str] = {}
        for ind in ref.indicators:
            for word in (ind.name, *ind.synonyms):
                self.metric_words[strip_quotes(word)] = ind.code
        # Overlapping search: every position where some indicator word starts.
        self.metric_re = re.compile(rf"(?=({alternation(self.metric_words)}))")
        groups = [
            ("rate_" + s, p) for s, p in RATES.items()
        ] + [("step_" + s, p) for s, p in STEPS.items()] + [("stage_" + s, p) for s, p in STAGES.items()] + [
            ("campaign", CAMPAIGN), ("industrial", INDUSTRIAL),
            ("cumulative", SCOPE_CUMULATIVE), ("event", SCOPE_EVENT),
            ("province", PROVINCE), ("citywide", CITYWIDE),
            ("city", rf"(?P<city_name>{ref.city_names_re})市(?:各|所有)?(?:工业类)?(?:开发区|园区)?"),
        ]
        markers = "|".join(f"(?P<{name}>{pattern})" for name, pattern in groups)
        self.marker_re = re.compile(f"(?={first_chars(markers)})(?:{markers})")

    # -- public ----------------------------------------------------------------------------
    def extract(self, paragraphs: list[Paragraph]) -> list[Fact]:
        facts: list[Fact] = []
        table: TableHeader | None = None
        scope: str | None = None
        for p in paragraphs:
            if p.is_heading:
                continue
            header = self.table_header(p.text) if looks_tabular(p.text) else None
            if header:
                table = header
                continue
            if table and (row_facts := self.table_row(p, table)) is not None:
                facts.extend(row_facts)
                continue
            table = None
            paragraph_facts, scope = self.paragraph_facts(p, scope)
            facts.extend(paragraph_facts)
        return dedupe(facts)

    # -- prose -----------------------------------------------------------------------------
    def paragraph_facts(self, p: Paragraph, carried_scope: str | None = None) -> tuple[list[Fact], str | None]:
        """The paragraph's facts, and the campaign scope in force at its end. A paragraph that
        opens with a campaign stage continues the scope of the one before it: a page break split
        the campaign's figures (截至…“签约一批”…。 / page / “投产一批”…)."""
        if not ANY_DIGIT.search(p.text):
            return [], None
        text, origin = clean_with_origin(p.text)
        numbers = list(NUMBER.finditer(text))
        if not numbers:
            return [], None
        metric_hits = [(m.start(1), m.end(1), self.metric_words[m.group(1)]) for m in self.metric_re.finditer(text)]
        spans = [(s.start - p.start, s.end - p.start, s) for s in sentences(p)]
        state = State(Subject(p.city, p.heading_zone))
        if p.heading_zone and p.heading_zone.city:
            state.subject = Subject(p.heading_zone.city, p.heading_zone)
        events = self.paragraph_events(text, p)
        if carried_scope and events and events[0][0] <= 2 and events[0][1].startswith(("stage_", "step_")):
            state.scope = carried_scope
        cur = Cursor(breaks=[m.start() for m in CLAUSE_BREAK.finditer(text)])
        for m in numbers:
            created = len(state.facts)
            self.read_number(state, p, text, origin, spans, metric_hits, events, m, cur)
            trailing = TRAILING_ZONE.match(text, m.end())
            zone = self.ref.zone_named(trailing.group(1), p.city) if trailing else None
            for fact in state.facts[created:] if zone else ():
                fact.city, fact.zone = zone.city, zone
        return state.facts, state.scope if state.campaign else None

    def read_number(self, state, p, text, origin, spans, metric_hits, events, m, cur) -> None:
        """Classify one number by the words before it; add or complete a fact."""
        start, end = m.start(), m.end()
        window = text[cur.previous_end:start]
        sentence = sentence_at(spans, origin[start])
        subject_changed = self.update_state(
            state, p, self.events_before(events, cur, start)
        )
        if SENTENCE_BREAK.search(window):
            cur.last_fact = None if sentence.start != cur.last_sentence_start else cur.last_fact
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
        target = self.is_target(text, start, end, sentence, origin, p)
        keyword = self.metric_before(metric_hits, clause_start, start, canonical_unit)
        if keyword is None and (canonical_unit != "%" or GROWTH_ANYWHERE.search(window)):
            keyword = self.metric_after(metric_hits, end, text, canonical_unit)

        if canonical_unit == "%":
            growth = GROWTH_BEFORE.search(clause_left)
            if growth:
                word = growth.group("word") or growth.group("word_only")
                yoy = -abs(value) if word in NEGATIVE_GROWTH else value
                other_metric = self.metric_between(metric_hits, previous_start(window, start), start)
                if (
                    cur.last_fact is not None and cur.last_fact.type == "indicator" and cur.last_fact.yoy_pct is None
                    and not subject_changed and other_metric in (None, cur.last_fact.metric)
                ):
                    cur.last_fact.yoy_pct = yoy
                    return
                metric = other_metric or state.metric
                if metric:
                    cur.last_fact = self.add_indicator(state, p, sentence, value_span, metric, None, yoy, target)
                    state.metric = metric
                return
            if state.rate_stage and state.campaign:
                self.add_pipeline(state, p, sentence, value_span, state.rate_stage, "rate_pct", value)
                state.rate_stage = None
                return
            if keyword and not SHARE_BEFORE.search(clause_left):
                cur.last_fact = self.add_indicator(state, p, sentence, value_span, keyword, value, None, target, "%")
                state.metric = keyword
            return

        if PRIOR_YEAR.search(clause_left) or DELTA_BEFORE.search(clause_left) or ATTRIBUTIVE.match(text, end):
            return
        if keyword:
            state.metric = keyword
            state.campaign = False
            cur.last_fact = self.merge_or_add(state, p, sentence, value_span, keyword, value, target, canonical_unit)
            return
        if state.campaign:
            self.campaign_number(state, p, sentence, value_span, clause_left, value, canonical_unit)
            cur.last_fact = None
            return
        residue = self.strip_subject_and_time(clause_left)
        if (
            state.metric and VERB_ONLY.match(residue) and not OTHER_MONEY.search(clause_left)
            and UNIT_KIND[canonical_unit] == UNIT_KIND[self.ref.indicator_unit(state.metric)]
        ):
            cur.last_fact = self.merge_or_add(state, p, sentence, value_span, state.metric, value, target, canonical_unit)

    @staticmethod
    def events_before(events, cur: "Cursor", start: int) -> list:
        """The events between the previous number and this one (events are in text order)."""
        i = j = cur.event_index
        while j < len(events) and events[j][0] < start:
            j += 1
        cur.event_index = j
        return [e for e in events[i:j] if e[0] >= cur.previous_end]

    def paragraph_events(self, text: str, p: Paragraph) -> list[tuple[int, str, object]]:
        """Subjects, indicators and campaign words of a paragraph, in text order. Found on the
        whole paragraph so that look-arounds see past the numbers (签约233个项目)."""
        found = []
        for start, end, zone in self.ref.find_zones(text, p.city):
            # A zone where something happens (活动在孝义经开区举行) or one compared with (高于全省
            # 开发区平均水平) is not the subject of the figures that follow.
            if not NOT_A_SUBJECT_BEFORE.search(text, max(0, start - 3), start):
                found.append((start, end, "zone", zone))
        for m in self.marker_re.finditer(text):
            if m.lastgroup in ("province", "citywide", "city") and NOT_A_SUBJECT_BEFORE.search(text, max(0, m.start() - 3), m.start()):
                continue
            found.append((m.start(), m.end(), m.lastgroup, m))
        for m in self.metric_re.finditer(text):
            found.append((m.start(), m.start(), "metric", self.metric_words[m.group(1)]))
        # A zone name, a rate or a campaign step hides the words inside it (山西转型综合改革示范区
        # is not a scope word; 开工项目投产率 is not the stage 开工项目).
        events, covered = [], []
        for start, end, kind, payload in sorted(found, key=lambda e: (e[0], e[2] != "zone")):
            if any(a <= start < b for a, b in covered):
                continue
            if kind == "zone" or kind.startswith(("rate_", "step_", "stage_")):
                covered.append((start, end))
            events.append((start, kind, payload))
        return events

    def update_state(self, state: State, p: Paragraph, events) -> bool:
        """Apply the words between two numbers; True when the subject changed."""
        changed = False
        for start, kind, payload in events:
            if kind == "zone":
                state.subject = Subject(payload.city, payload)
                changed = True
            elif kind == "metric":
                state.campaign = False
                state.rate_stage = None
            elif kind == "province":
                state.subject = Subject(None, None)
                changed = True
            elif kind == "citywide":
                state.subject = Subject(p.city, None)
                changed = True
            elif kind == "city":
                state.subject = Subject(self.ref.city_by_name[payload.group("city_name")].name, None)
                changed = True
            elif kind == "campaign":
                state.campaign = True
            elif kind in ("cumulative", "event"):
                if kind == "cumulative" and not state.campaign and payload.group(0)[0].isdigit():
                    continue  # a month range only sets the scope of campaign figures
                state.scope = kind
                state.stage = None
                state.step = "projects"
            elif kind.startswith("rate_"):
                state.rate_stage = kind[5:]
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

    def campaign_number(self, state, p, sentence, value_span, clause_left, value, unit):
        kind = UNIT_KIND[unit]
        stage = state.stage or "all"
        if kind == "count":
            measure = {"projects": "projects", "industrial": "industrial_projects", "advanced": "advanced_projects"}[state.step]
        elif kind == "money":
            if len(state.stages_since_money) > 1:
                stage = "all"
            state.stages_since_money = set()
            left = clause_left.rstrip()
            if MONEY_OUTPUT.search(left):
                measure = "expected_annual_output"
            elif MONEY_COMPLETED.search(left):
                measure = "advanced_investment" if state.step == "advanced" else "completed_investment"
            else:
                measure = {"projects": "investment", "industrial": "industrial_investment",
                           "advanced": "advanced_investment"}[state.step]
        else:
            return
        self.add_pipeline(state, p, sentence, value_span, stage, measure, value)

    def is_target(self, text, start, end, sentence, origin, p) -> bool:
        sentence_start = sentence.start - p.start
        before = text[: start]
        # Target words earlier in the sentence, or later in the same clause (…15%的目标任务).
        head = before[max(0, clean_index(origin, sentence_start)):]
        clause_end = TARGET_CLAUSE_END.search(text, end)
        tail = text[end: clause_end.start() if clause_end else len(text)]
        return bool(TARGET.search(head) or TARGET.search(tail))

    def metric_before(self, hits, lo, hi, unit) -> str | None:
        best = None
        for s, e, code in hits:
            if s >= lo and e <= hi and self.unit_fits(code, unit):
                if best is None or e > best[1] or (e == best[1] and s < best[0]):
                    best = (s, e, code)
        return best[2] if best else None

    def metric_between(self, hits, lo, hi) -> str | None:
        inside = [h for h in hits if h[0] >= lo and h[1] <= hi]
        return max(inside, key=lambda h: (h[1], -h[0]))[2] if inside else None

    def metric_after(self, hits, end, text, unit) -> str | None:
        """A noun right after the number names it (为47个项目办理承诺制手续)."""
        for s, e, code in hits:
            if end <= s <= end + 2 and self.unit_fits(code, unit) and not CLAUSE_BREAK.search(text[end:s]):
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
            "indicator", state.subject.city, state.subject.zone, value, unit or self.ref.indicator_unit(metric),
            sentence, value_span, metric=metric, yoy_pct=yoy, basis="target" if target else "actual",
        )
        state.facts.append(fact)
        return fact

    def merge_or_add(self, state, p, sentence, value_span, metric, value, target, unit) -> Fact:
        basis = "target" if target else "actual"
        for f in reversed(state.facts):
            if f.sentence.start != sentence.start:
                break
            if (
                f.type == "indicator" and f.value is None and f.metric == metric and f.basis == basis
                and f.zone == state.subject.zone and f.city == state.subject.city
            ):
                f.value, f.unit = value, unit
                return f
        return self.add_indicator(state, p, sentence, value_span, metric, value, None, target, unit)

    def add_pipeline(self, state, p, sentence, value_span, stage, measure, value):
        state.facts.append(Fact(
            "pipeline", state.subject.city, state.subject.zone, value, None, sentence, value_span,
            scope=state.scope or "event", stage=stage, measure=measure,
        ))

    # -- tables written as text ------------------------------------------------------------
    def table_header(self, line: str) -> "TableHeader | None":
        cells = split_cells(line)
        if len(cells) < 2:
            return None
        columns: list[tuple[str, str | None, str | None]] = []  # (role, metric, unit)
        found = False
        for cell in cells[1:]:
            clean = strip_quotes(cell)
            unit = unit_in(clean)
            hits = [self.metric_words[m.group(1)] for m in self.metric_re.finditer(clean)]
            if GROWTH_HEADER.search(clean) and (not hits or unit == "%"):
                columns.append(("growth", None, None))
            elif hits:
                columns.append(("value", hits[0], unit))
                found = True
            else:
                columns.append(("other", None, None))
        if not found or NUMBER.search(cells[0]):
            return None
        return TableHeader(columns)

    def table_row(self, p: Paragraph, header: "TableHeader") -> list[Fact] | None:
        cells = split_cells(p.text)
        if len(cells) < 2 or not all(NUMERIC_CELL.fullmatch(c) for c in cells[1:]):
            return None
        name = cells[0]
        zone = self.ref.zone_named(name, p.city)
        if zone:
            subject = Subject(zone.city, zone)
        elif re.search(r"全市|合计|总计|小计|全部", name):
            subject = Subject(p.city, None)
        elif re.search(r"全省", name):
            subject = Subject(None, None)
        else:
            return []
        sentence = Sentence(p.start, p.end, p.text)
        facts: list[Fact] = []
        offset = 0
        last: Fact | None = None
        for (role, metric, unit), cell in zip(header.columns, cells[1:]):
            offset = p.text.index(cell, offset) if cell else offset
            span = (p.start + offset, p.start + offset + len(cell))
            offset += len(cell)
            cell_match = NUMERIC_CELL.fullmatch(cell) if cell else None
            number = cell_match.group(1) if cell_match else None
            if role == "value":
                if not number:
                    last = None
                    continue
                table_unit = unit or self.ref.indicator_unit(metric)
                canonical, scale = UNIT_SCALE.get(table_unit, (table_unit, 1.0))
                last = Fact("indicator", subject.city, subject.zone, round(float(number) * scale, 10),
                            canonical, sentence, span, metric=metric)
                facts.append(last)
            elif role == "growth" and number and last is not None:
                last.yoy_pct = float(number)
        return facts


@dataclass
class TableHeader:
    columns: list[tuple[str, str | None, str | None]]


def split_cells(line: str) -> list[str]:
    return line.split()


def unit_in(cell: str) -> str | None:
    m = BRACKETED.search(cell)
    if not m:
        return None
    unit = m.group(1).strip()
    return unit if unit in UNIT_SCALE else None


def strip_quotes(text: str) -> str:
    return text.translate({ord(q): None for q in QUOTES})


def clean_with_origin(text: str) -> tuple[str, "Sequence[int]"]:
    """The text without quotation marks, and for each of its characters the original index."""
    if not QUOTE_CHAR.search(text):
        return text, range(len(text) + 1)
    origin = [i for i, ch in enumerate(text) if ch not in QUOTES]
    origin.append(len(text))
    return QUOTE_CHAR.sub("", text), origin


def clean_index(origin: "Sequence[int]", original: int) -> int:
    return min(bisect.bisect_left(origin, original), len(origin) - 1)


def sentence_at(spans, offset: int) -> Sentence:
    for s, e, sentence in spans:
        if s <= offset < e:
            return sentence
    return spans[-1][2]


def last_break(breaks: list[int], start: int, floor: int) -> int:
    """Where the clause holding `start` begins (not before `floor`); `breaks` are the positions
    of clause punctuation, in order."""
    i = bisect.bisect_left(breaks, start)
    return max(floor, breaks[i - 1] + 1) if i else floor


def previous_start(window: str, start: int) -> int:
    return start - len(window)


def dedupe(facts: list[Fact]) -> list[Fact]:
    seen = set()
    out = []
    for f in facts:
        key = (f.type, f.city, f.zone.zone_code or f.zone.text if f.zone else None, f.metric, f.basis,
               f.scope, f.stage, f.measure, f.value, f.yoy_pct)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out
