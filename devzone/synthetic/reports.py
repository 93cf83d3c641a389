"""Synthetic monthly development-zone reports (开发区 bulletins) with their true facts.

A report is one city's section of the provincial bulletin: running titles, the period's
indicators (city-wide, per zone, in the genre's several wordings), the “三个一批” campaign (one
event and the running totals), the “承诺制+标准地+全代办” reform counts, targets, narrative
filler without numbers, distractor numbers that are not facts (prior-year figures, percentage
points, named projects, meeting counts, funds outside the contract), and the closing 供稿 line.
Layout noise of OCR'd bulletins is added too: running titles at page breaks (sometimes in the
middle of a paragraph, once in a while between a number and its unit), and now and then
full-width digits.

Facts follow the contract of `../shared/acceptance/README.md`: indicator rows (doc, period,
type, city, zone, metric, value, unit, yoy_pct, basis) and pipeline rows (doc, period, type,
city, zone, scope, stage, measure, value). Money is labelled in 亿元 (万元 in the text is
converted), zones by their `short_name` from zones.csv, which is also how the text names them.
No coordinate (city, zone, metric, basis) / (city, zone, scope, stage, measure) occurs twice in
one report.

Everything is drawn from the `random.Random` passed in: the same seed gives byte-identical text
and facts (no set or hash ordering is involved).

    text, facts = generate_report("朔州市", "2023-06", random.Random(1), file_name="x.txt")
    corpus = generate_corpus(1000, seed=7, periods=["2023-06", "2023-09"])
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from . import filler as F

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"

# -- the contract's vocabulary -------------------------------------------------------------
IVA, II, FAI, IPI = (
    "industrial_value_added",
    "industrial_investment",
    "fixed_asset_investment",
    "industrial_project_investment",
)
OR, TAX, IE, FDI = "operating_revenue", "tax_revenue", "import_export", "foreign_investment_used"
TV, OV, FC = "tourist_visits", "overnight_visitors", "forest_coverage"
FILED, ELIGIBLE, COMMIT, PROCS = (
    "filed_projects",
    "commitment_eligible_projects",
    "commitment_projects",
    "commitment_procedures",
)
PARCELS, AREA, FACT_USE, FACT_NEW = (
    "standard_land_parcels",
    "standard_land_area",
    "standard_factory_area_in_use",
    "standard_factory_area_new",
)
PROXY = "proxy_service_projects"

CONTRACT_METRICS = (
    IVA,
    II,
    FAI,
    IPI,
    OR,
    TAX,
    IE,
    FDI,
    TV,
    OV,
    FC,
    FILED,
    ELIGIBLE,
    COMMIT,
    PROCS,
    PARCELS,
    AREA,
    FACT_USE,
    FACT_NEW,
    PROXY,
)
STAGES = ("signed", "started", "in_production", "all")
SCOPES = ("cumulative", "event")
MEASURES = (
    "projects",
    "investment",
    "advanced_projects",
    "advanced_investment",
    "completed_investment",
    "industrial_projects",
    "industrial_investment",
    "rate_pct",
    "expected_annual_output",
)
INDICATOR_FIELDS = ("doc", "period", "type", "city", "zone", "metric", "value", "unit", "yoy_pct", "basis")
PIPELINE_FIELDS = ("doc", "period", "type", "city", "zone", "scope", "stage", "measure", "value")

# How the reports name the indicators.
LABELS = {
    IVA: ["规上工业增加值", "规模以上工业增加值"],
    II: ["工业投资", "工业投资", "工业固定资产投资"],
    FAI: ["固定资产投资", "固定资产投资", "固定投资"],
    IPI: ["产业项目投资"],
    OR: ["营业收入"],
    TAX: ["税收收入", "税收"],
    IE: ["进出口总额", "外贸进出口额", "进出口额"],
    FDI: ["实际利用外资", "实际使用外资"],
}
# Cumulative value of one zone per month of the year, in 亿元 (亿美元 for FDI): (low, high).
ZONE_MONTHLY = {
    IVA: (0.3, 6.0),
    II: (0.15, 2.5),
    FAI: (0.3, 4.0),
    IPI: (0.1, 2.0),
    OR: (1.0, 35.0),
    TAX: (0.04, 1.2),
    IE: (0.03, 2.5),
    FDI: (0.004, 0.12),
}

SIZES = {  # UTF-8 bytes of the text: the seed bulletin is 15,211 bytes (5,477 characters)
    "seed": (12_000, 16_000),
    "small": (2_000, 4_000),
}
CN_DIGITS = "零一二三四五六七八九"
FULL_WIDTH = str.maketrans("0123456789.%-", "０１２３４５６７８９．％－")
NUMBER_WITH_UNIT = re.compile(r"-?\d+(?:\.\d+)?(?:%|(?=(?:亿|万|个|宗|亩|项|家|次|场)))")


# -- reference seeds -----------------------------------------------------------------------
@dataclass(frozen=True)
class Zone:
    code: str
    name: str
    short: str
    type: str


@dataclass(frozen=True)
class City:
    code: str
    name: str
    short: str
    zones: tuple[Zone, ...]


def _rows(name: str) -> list[dict]:
    with open(SEEDS / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def load_cities() -> tuple[City, ...]:
    zones: dict[str, list[Zone]] = {}
    for r in _rows("zones.csv"):
        zones.setdefault(r["city_code"], []).append(
            Zone(r["zone_code"], r["zone_name"], r["short_name"], r["zone_type"])
        )
    return tuple(
        City(r["city_code"], r["city_name"], r["short_name"], tuple(zones.get(r["city_code"], ())))
        for r in _rows("cities.csv")
    )


@lru_cache(maxsize=1)
def metric_units() -> dict[str, str]:
    """Units of the contract's metrics, from indicators.csv."""
    units = {r["indicator_code"]: r["unit"] for r in _rows("indicators.csv")}
    missing = [m for m in CONTRACT_METRICS if m not in units]
    if missing:
        raise RuntimeError(f"indicators.csv lacks contract metrics {missing}")
    return {m: units[m] for m in CONTRACT_METRICS}


def find_city(name: str) -> City:
    for c in load_cities():
        if name in (c.name, c.short, c.code):
            return c
    raise KeyError(f"unknown city {name!r}")


ZONE_SUFFIX = re.compile(
    r"(经济技术开发区|经济开发区|高新技术产业开发区|高新技术开发区|经开区|高新区|示范区|开发区|综改区|园区)$"
)


def zone_core(z: str | None) -> str | None:
    """A zone's core name as the acceptance scorer compares zones (长治高新区 and 长治经开区 are both 长治)."""
    if not z:
        return None
    z = re.sub(r"^山西(省)?", "", z)
    z = re.sub(r"(生态文化旅游|生态)", "", z)
    z = ZONE_SUFFIX.sub("", z) or z.rstrip("区")
    z = re.sub(r"(县|市|区)$", "", z) if len(z) > 2 else z
    return {"转型综改": "综改", "综改示范": "综改"}.get(z, z)


# -- number formatting ---------------------------------------------------------------------
def fmt(v: float | int, places: int = 2) -> str:
    """A number as the reports print it: up to `places` decimals, no trailing zeros."""
    if isinstance(v, int):
        return str(v)
    s = f"{v:.{places}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def cn(n: int) -> str:
    """Chinese numeral for 1..99 (第五次, 十二次)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def growth_text(g: float, style: str) -> str:
    a = fmt(abs(g), 1)
    if style == "tongbi":
        return f"同比增长{a}%" if g > 0 else f"同比下降{a}%"
    if style == "plain":
        return f"增长{a}%" if g > 0 else f"下降{a}%"
    if style == "rate":
        return f"增速为{fmt(g, 1)}%"
    if style == "fu":
        return f"同比增幅{a}%" if g > 0 else f"同比下降{a}%"
    if style == "paren":
        return f"(增速{fmt(g, 1)}%)"
    raise ValueError(style)


# -- one report ------------------------------------------------------------------------------
class _Report:
    """Builds one report: paragraphs (text) and the facts they state."""

    def __init__(self, city: City, period: str, rng: random.Random, size: str, doc: str | None):
        if size not in SIZES:
            raise ValueError(f"size must be one of {sorted(SIZES)}")
        m = re.fullmatch(r"(\d{4})-(\d{2})", period)
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise ValueError(f"period must be YYYY-MM, got {period!r}")
        self.city, self.period, self.rng, self.size, self.doc = city, period, rng, size, doc
        self.year, self.month = int(m.group(1)), int(m.group(2))
        self.units = metric_units()
        self.facts: list[dict] = []
        self._coords: set[tuple] = set()
        self.industrial_zones = [z for z in city.zones if z.type != "示范区"] or list(city.zones)
        self.special_zones = [z for z in city.zones if z.type == "示范区"]
        # events of the campaign so far: one a quarter since 2022 (2023-06 is the fifth)
        self.event_no = max(1, (self.year - 2022) * 4 + (self.month + 2) // 3 - 1)
        self.rate_rounding = rng.choice([ROUND_HALF_UP, ROUND_DOWN])
        self.used_sentences: set[str] = set()
        self.used_themes: list[str] = []
        self.used_plans: list[str] = []
        self.measure_style = rng.choice(["{n}是", "({n})", "{n}是"])

    # words of the period
    @property
    def pw(self) -> str:
        return {3: "一季度", 6: "上半年", 9: "前三季度", 12: "全年"}.get(self.month) or self.span

    @property
    def span(self) -> str:
        return "1月" if self.month == 1 else f"1-{self.month}月"

    def when(self) -> str:
        return self.rng.choice([self.span, self.span, self.pw, "今年以来"])

    @property
    def prev_pw(self) -> str:
        return {6: "一季度", 9: "上半年", 12: "前三季度"}.get(self.month, "上月")

    # facts
    def free(self, zone: Zone | None, metric: str, basis: str = "actual", city: str | None = "") -> bool:
        city = self.city.name if city == "" else city
        return ("I", city, zone_core(zone.short) if zone else None, metric, basis) not in self._coords

    def pipe_free(self, zone: Zone | None, scope: str, stage: str, measure: str) -> bool:
        return ("P", self.city.name, zone_core(zone.short) if zone else None, scope, stage, measure) not in self._coords

    def ind(self, zone: Zone | None, metric: str, value, yoy=None, basis: str = "actual", city: str | None = ""):
        city = self.city.name if city == "" else city
        key = ("I", city, zone_core(zone.short) if zone else None, metric, basis)
        if key in self._coords:
            raise AssertionError(f"coordinate stated twice: {key}")
        self._coords.add(key)
        self.facts.append(
            dict(
                doc=self.doc,
                period=self.period,
                type="indicator",
                city=city,
                zone=zone.short if zone else None,
                metric=metric,
                value=value,
                unit=self.units[metric],
                yoy_pct=yoy,
                basis=basis,
            )
        )

    def pipe(self, zone: Zone | None, scope: str, stage: str, measure: str, value):
        key = ("P", self.city.name, zone_core(zone.short) if zone else None, scope, stage, measure)
        if key in self._coords:
            raise AssertionError(f"coordinate stated twice: {key}")
        self._coords.add(key)
        self.facts.append(
            dict(
                doc=self.doc,
                period=self.period,
                type="pipeline",
                city=self.city.name,
                zone=zone.short if zone else None,
                scope=scope,
                stage=stage,
                measure=measure,
                value=value,
            )
        )

    # random numbers
    def growth(self) -> float:
        while True:
            g = round(self.rng.triangular(-40.0, 60.0, 7.0), 1)
            if g != 0 and -40 <= g <= 60:
                return g

    def money(self, lo: float, hi: float) -> float:
        return max(0.01, round(self.rng.uniform(lo, hi), 2))

    def zone_value(self, metric: str, scale: float = 1.0) -> float:
        lo, hi = ZONE_MONTHLY[metric]
        return self.money(lo * self.month * scale, hi * self.month * scale)

    def label(self, metric: str) -> str:
        return self.rng.choice(LABELS[metric])

    def amount(self, metric: str, value: float) -> tuple[str, float]:
        """Text of a money amount and the value it labels: small amounts are sometimes in 万元."""
        if metric == FDI:
            if value < 1 and self.rng.random() < 0.4:
                wan = max(1, round(value * 1e4))
                return f"{wan}万美元", round(wan / 1e4, 6)
            return f"{fmt(value)}亿美元", value
        if value < 1 and self.rng.random() < 0.5:
            wan = max(1, round(value * 1e4))
            return f"{wan}万元", round(wan / 1e4, 6)
        return f"{fmt(value)}亿元", value

    def rate(self, advanced: float, base: float) -> tuple[str, float]:
        r = Decimal(str(advanced)) / Decimal(str(base)) * 100
        q = r.quantize(Decimal("0.01"), rounding=self.rate_rounding)
        if q == 100:
            return "100", 100.0
        return f"{q}", float(q)

    def distractor_points(self, g: float) -> str:
        n = fmt(round(self.rng.uniform(0.3, 9.9), 1), 1)
        if g > 0:
            options = [
                f"，高于全省开发区平均水平{n}个百分点",
                f"，高于全省平均{n}个百分点",
                f"，低于全省平均{n}个百分点",
                f"，增速较{self.prev_pw}{self.rng.choice(['提高', '回落'])}{n}个百分点",
            ]
        else:
            options = [
                f"，低于全省平均{n}个百分点",
                f"，降幅较{self.prev_pw}收窄{n}个百分点",
                f"，降幅较{self.prev_pw}扩大{n}个百分点",
            ]
        if self.rng.random() < 0.25:
            return f"，增速居全省开发区第{self.rng.randint(2, 11)}位"
        return self.rng.choice(options)

    def sentences(self, pool: list[str], k: int) -> list[str]:
        fresh = [s for s in pool if s not in self.used_sentences] or list(pool)
        picked = self.rng.sample(fresh, min(k, len(fresh)))
        self.used_sentences.update(picked)
        return picked

    # -- blocks (each returns paragraphs) -------------------------------------------------
    def header(self, title: str) -> list[str]:
        kind = self.rng.choice(["专刊", "特刊"])
        return ["全省开发区", f"“{title}”{kind}", f"{self.city.name}开发区"]

    def editor_note(self) -> list[str]:
        g = 0.0
        while g == 0:
            g = round(self.rng.uniform(-6.0, 15.0), 1)
        self.ind(None, IVA, None, g, city=None)
        return [
            f"编者按：{self.span}，全省开发区规上工业增加值{growth_text(g, 'tongbi')}。"
            f"本期刊发{self.city.short}市开发区{self.pw}工作进展，供各地学习借鉴。"
        ]

    def citywide(self, zone_values: dict[str, float]) -> list[str]:
        """1-6月，全市开发区规上工业增加值完成X亿元，同比增长Y%；工业投资..."""
        rng = self.rng
        others = [m for m in (II, FAI, TAX, OR, IE) if self.free(None, m)]
        metrics = [IVA] + rng.sample(others, rng.randint(0, 3 if self.size == "seed" else 1))
        subject = rng.choice(["全市开发区", "全市开发区", "全市工业类开发区", "全市各开发区"])
        clauses = []
        for m in metrics:
            v: float | None  # None: the clause states the growth only
            g: float | None  # None: the clause states the value only
            if m in zone_values and rng.random() < 0.7:
                v = round(zone_values[m] * (1.0 if rng.random() < 0.5 else rng.uniform(1.05, 1.35)), 2)
            else:
                v = self.money(ZONE_MONTHLY[m][0] * self.month * 4, ZONE_MONTHLY[m][1] * self.month * 5)
            largest_zone = max(
                (
                    f["value"]
                    for f in self.facts
                    if f["type"] == "indicator"
                    and f["zone"]
                    and f["metric"] == m
                    and f["basis"] == "actual"
                    and f["value"] is not None
                ),
                default=0,
            )
            if v < largest_zone:  # a city's total covers each of its zones
                v = round(largest_zone * rng.uniform(1.05, 1.35), 2)
            g = self.growth()
            lab = self.label(m)
            form = rng.choice(
                ["value_growth", "verb_first", "rate", "growth_only", "value_only", "growth_value", "paren"]
                + (["value_growth"] * 2)
            )
            if m not in (IVA, II, FAI) and form == "growth_only":
                form = "value_growth"
            vt, v = self.amount(m, v) if m in (TAX, IE) else (f"{fmt(v)}亿元", v)
            verb = "实现" if m in (OR, TAX) else "完成"
            if form == "value_growth":
                c = f"{lab}{verb}{vt}，{growth_text(g, rng.choice(['tongbi', 'tongbi', 'plain', 'fu']))}"
            elif form == "verb_first":
                c = f"{verb}{lab}{vt}，{growth_text(g, rng.choice(['tongbi', 'plain']))}"
            elif form == "rate":
                c = f"{lab}{verb}{vt}，{growth_text(g, 'rate')}"
            elif form == "growth_only":
                c, v = f"{lab}{growth_text(g, 'tongbi')}", None
            elif form == "value_only":
                c, g = f"{lab}{verb}{vt}", None
            elif form == "growth_value":
                c = f"{lab}{growth_text(g, 'tongbi')}，{verb}{vt}"
            else:
                c = f"{lab}{verb}{vt}{growth_text(g, 'paren')}"
            if g is not None and rng.random() < 0.2:
                c += self.distractor_points(g)
            if v is not None and g is not None and rng.random() < 0.15 and "万" not in vt:
                prior = round(v / (1 + g / 100), 2)
                if prior != v:
                    c += f"，去年同期为{fmt(prior)}亿元"
            self.ind(None, m, v, g)
            clauses.append(c)
        text = f"{self.when()}，{subject}{clauses[0]}"
        for c in clauses[1:]:
            text += rng.choice(["；", "；", "，", "。"]) + c
        if rng.random() < 0.25:  # the city's economy beside its zones': not a zone figure
            text = (
                f"{self.when()}，全市{self.label(rng.choice([FAI, II]))}同比增长{fmt(self.growth(), 1)}%，"
                f"开发区支撑作用明显。" + text
            )
        return [text + "。"]

    def zone_list(self, zones: list[Zone]) -> tuple[list[str], dict[str, float]]:
        """The zones' figures: a parenthesised list, a mixed 分园区看 list, or a table."""
        rng = self.rng
        style = rng.choices(["paren", "mixed", "table"], weights=[45, 43, 12])[0]
        totals: dict[str, float] = {}
        if style == "paren":
            second = rng.choice([II, II, FAI, TAX])
            l1, l2 = self.label(IVA), self.label(second)
            items = []
            for z in zones:
                v1, g1 = self.zone_value(IVA), self.growth()
                v2 = self.zone_value(second)
                g2: float | None = self.growth()
                if rng.random() < 0.1:
                    g2 = None
                self.ind(z, IVA, v1, g1)
                self.ind(z, second, v2, g2)
                totals[IVA] = totals.get(IVA, 0) + v1
                totals[second] = totals.get(second, 0) + v2
                verb2 = "实现" if second == TAX else "完成"
                t2 = f"{l2}{verb2}{fmt(v2)}亿元" + (growth_text(g2, "paren") if g2 is not None else "")
                items.append(f"{z.short}{l1}完成{fmt(v1)}亿元{growth_text(g1, 'paren')}，{t2}")
            lead = rng.choice(["其中：", "其中，", "分园区看，"])
            return [lead + "；".join(items) + "。"], {k: round(v, 2) for k, v in totals.items()}
        if style == "mixed":
            lead = rng.choice(["分园区看，", "分开发区看，", "从各开发区看，", "其中，"])
            entries = [(z, self.zone_value(IVA), self.growth()) for z in zones]
            best = max(g for _, _, g in entries)
            items, named, growth_only = [], False, False
            v: float | None  # None: the entry states the growth only
            for z, v, g in entries:
                forms = ["value_growth", "growth_value", "growth_only", "verb_first", "rate_after"]
                if named:
                    forms += ["elided", "elided", "elided"]
                form = rng.choice(forms)
                lab = self.label(IVA)
                if form == "value_growth":
                    t = f"{z.short}{lab}完成{fmt(v)}亿元，{growth_text(g, 'tongbi')}"
                elif form == "verb_first":
                    t = f"{z.short}完成{lab}{fmt(v)}亿元，{growth_text(g, rng.choice(['tongbi', 'plain']))}"
                elif form == "rate_after":
                    t = f"{z.short}{lab}完成{fmt(v)}亿元，{growth_text(g, 'rate')}"
                elif form == "growth_value":
                    t = f"{z.short}{lab}{growth_text(g, 'tongbi')}，完成{fmt(v)}亿元"
                elif form == "growth_only":
                    t, v = f"{z.short}{lab}{growth_text(g, rng.choice(['tongbi', 'plain']))}", None
                    growth_only = True
                    if g == best and g > 0:
                        t += rng.choice(["，增速居全市开发区首位", "，增幅居全市开发区第一"])
                else:  # elided indicator: same metric as the entry before
                    t = f"{z.short}完成{fmt(v)}亿元，{growth_text(g, rng.choice(['tongbi', 'plain', 'rate']))}"
                named = True
                self.ind(z, IVA, v, g)
                if v is not None:
                    totals[IVA] = totals.get(IVA, 0) + v
                items.append(t)
            if growth_only:
                totals = {}  # a zone without a value: the city total is not their sum
            return [lead + "；".join(items) + "。"], {k: round(v, 2) for k, v in totals.items()}
        # table
        cols = [IVA] + rng.sample([II, FAI, TAX], rng.randint(1, 2))
        head = ["开发区名称"]
        for m in cols:
            head += [f"{LABELS[m][0]}(亿元)", "增速(%)"]
        rows = ["    ".join(head)]
        for z in zones:
            cells = [z.short]
            for m in cols:
                v, g = self.zone_value(m), self.growth()
                self.ind(z, m, v, g)
                totals[m] = totals.get(m, 0) + v
                cells += [fmt(v), fmt(g, 1)]
            rows.append("    ".join(cells))
        return [
            rng.choice(
                ["各开发区主要经济指标完成情况如下：", "各开发区主要指标完成情况见下表：", "分开发区完成情况如下："]
            ),
            "\n".join(rows),
        ], {k: round(v, 2) for k, v in totals.items()}

    def zone_extras(self, zone: Zone) -> list[str]:
        """A zone's other indicators: 营业收入, 进出口, 外资, 税收 (万元), 工业投资 ..."""
        rng = self.rng
        pool = [m for m in (OR, IE, FDI, TAX, II, FAI, IPI) if self.free(zone, m)]
        if not pool:
            return []
        metrics = rng.sample(pool, min(len(pool), rng.randint(2, 4)))
        clauses = []
        for m in metrics:
            v = self.zone_value(m, rng.uniform(0.6, 1.6))
            vt, v = self.amount(m, v) if m in (OR, TAX, IE, FDI, II) else (f"{fmt(v)}亿元", v)
            g = self.growth() if rng.random() < 0.75 else None
            lab = self.label(m)
            if m == FDI:
                c = f"{lab}{vt}"
            elif m in (OR, TAX):
                c = rng.choice([f"实现{lab}{vt}", f"{lab}完成{vt}", f"{lab}达到{vt}"])
            elif m == IE:
                c = rng.choice([f"{lab}{vt}", f"{lab}完成{vt}", f"{lab}达{vt}"])
            else:
                c = f"{lab}完成{vt}"
            if g is not None:
                c += "，" + growth_text(g, rng.choice(["tongbi", "tongbi", "plain", "rate"]))
                if rng.random() < 0.2 and "万" not in vt and m != FDI:
                    prior = round(v / (1 + g / 100), 2)
                    if prior != v:
                        c += f"，去年同期为{fmt(prior)}亿元"
            self.ind(zone, m, v, g)
            clauses.append(c)
        when = rng.choice([self.pw, self.span, ""])
        text = f"{zone.short}{when}{clauses[0]}"
        for c in clauses[1:]:
            text += rng.choice(["；", "，", "。"]) + c
        return [text + "。"]

    def special_zone(self, zone: Zone) -> list[str]:
        """A 示范区: 产业项目投资, 固定资产投资, tourism, forest coverage."""
        rng = self.rng
        parts = []
        if self.free(zone, IPI):
            v = self.zone_value(IPI)
            self.ind(zone, IPI, v)
            parts.append(f"产业项目投资完成{fmt(v)}亿元")
        if self.free(zone, FAI):
            v, g = self.zone_value(FAI), self.growth()
            self.ind(zone, FAI, v, g)
            parts.append(f"固定资产投资完成{fmt(v)}亿元{growth_text(g, 'paren')}")
        if "右玉" in zone.short or rng.random() < 0.5:
            visits = self.money(20 * self.month, 60 * self.month)
            g = self.growth()
            self.ind(zone, TV, visits, g)
            parts.append(
                rng.choice(
                    [
                        f"景区接待人次达{fmt(visits)}万人次{growth_text(g, 'paren')}",
                        f"景区接待人次{fmt(visits)}万人次，{growth_text(g, 'tongbi')}",
                    ]
                )
            )
            if rng.random() < 0.8:
                night = round(visits * rng.uniform(0.1, 0.35), 2)
                g2 = g if rng.random() < 0.3 else self.growth()
                self.ind(zone, OV, night, g2)
                parts.append(f"游客过夜人次达{fmt(night)}万人次{growth_text(g2, 'paren')}")
            if rng.random() < 0.7:
                fc = round(rng.uniform(20, 60), 1)
                self.ind(zone, FC, fc)
                parts.append(f"森林覆盖率{fmt(fc, 1)}%")
        if not parts:
            return []
        return [zone.short + "，".join(parts) + "。"]

    def campaign_event(self) -> list[str]:
        rng = self.rng
        a, b, c = rng.randint(6, 60), rng.randint(6, 60), rng.randint(5, 50)
        x = self.money(a * 0.8, a * 6)
        y = self.money(b * 0.6, b * 4)
        z = self.money(c * 0.4, c * 3)
        out = self.money(z * 0.2, z * 1.5) if rng.random() < 0.65 else None
        day = rng.randint(1, 28)
        where = rng.choice(self.industrial_zones).short
        style = rng.choice(["total", "ben_ci", "plain", "attributive"])
        nth = cn(self.event_no)
        if style == "total":
            total_p, total_i = a + b + c, round(x + y + z, 2)
            self.pipe(None, "event", "all", "projects", total_p)
            self.pipe(None, "event", "all", "investment", total_i)
            text = (
                f"{self.month}月{day}日，全市第{nth}次“三个一批”活动在{where}{rng.choice(F.CAMPAIGN_PLACES)}举行，"
                f"{rng.choice(['共推进项目', '共涉及项目', '集中推进项目'])}{total_p}个，总投资{fmt(total_i)}亿元。"
                f"其中“签约一批”项目{a}个，总投资{fmt(x)}亿元；“开工一批”项目{b}个，总投资{fmt(y)}亿元；"
                f"“投产一批”项目{c}个，总投资{fmt(z)}亿元"
            )
        elif style == "ben_ci":
            text = (
                f"{self.month}月{day}日，全市第{nth}次“三个一批”活动在{where}举行。"
                f"本次活动全市开发区集中签约项目{a}个，签约投资额{fmt(x)}亿元；集中开工项目{b}个，"
                f"计划总投资{fmt(y)}亿元；新投产项目{c}个，总投资{fmt(z)}亿元"
            )
        elif style == "attributive":  # the investment before the counted projects it belongs to
            text = (
                f"{self.month}月{day}日，全市第{nth}次“三个一批”活动在{where}举行，总投资{fmt(x)}亿元的{a}个签约项目、"
                f"总投资{fmt(y)}亿元的{b}个开工项目和总投资{fmt(z)}亿元的{c}个投产项目集中亮相"
            )
        else:
            text = (
                f"第{nth}次“三个一批”活动中，全市开发区共签约项目{a}个，总投资{fmt(x)}亿元；"
                f"开工项目{b}个，总投资{fmt(y)}亿元；投产项目{c}个，总投资{fmt(z)}亿元"
            )
        for stage, p, i in (("signed", a, x), ("started", b, y), ("in_production", c, z)):
            self.pipe(None, "event", stage, "projects", p)
            self.pipe(None, "event", stage, "investment", i)
        if out is not None:
            self.pipe(None, "event", "in_production", "expected_annual_output", out)
            text += f"，预计年产值{fmt(out)}亿元"
        text += "。"
        if rng.random() < 0.3:  # one named project's own figures: not the round's
            text += (
                f"此次{rng.choice(['签约', '开工'])}的{rng.choice(F.INDUSTRIES)}项目总投资{fmt(self.money(1, x / 2))}亿元，"
                f"建成后可实现年产值{fmt(self.money(2, 40))}亿元。"
            )
        if rng.random() < 0.35:
            zone = rng.choice(self.industrial_zones)
            za, zx = rng.randint(1, max(1, a // 3)), self.money(0.5, x / 3)
            zb, zy = rng.randint(1, max(1, b // 3)), self.money(0.5, y / 3)
            self.pipe(zone, "event", "signed", "projects", za)
            self.pipe(zone, "event", "signed", "investment", zx)
            self.pipe(zone, "event", "started", "projects", zb)
            self.pipe(zone, "event", "started", "investment", zy)
            text += (
                f"{rng.choice(['其中，', ''])}{zone.short}{rng.choice(['本次', '此次'])}“签约一批”项目{za}个，总投资{fmt(zx)}亿元；"
                f"“开工一批”项目{zb}个，总投资{fmt(zy)}亿元。"
            )
        return [text]

    def campaign_cumulative(self) -> list[str]:
        rng = self.rng
        sp = rng.randint(30, 200)
        si = self.money(sp * 1.2, sp * 5)
        sa = rng.randint(int(sp * 0.55), sp)
        sai = self.money(si * 0.55, si * 0.99)
        tp = rng.randint(sa, int(sa * 1.5) + 5)
        ti = self.money(tp * 1.0, tp * 4)
        tc = self.money(ti * 0.25, ti * 0.75)
        ta = rng.randint(int(tp * 0.2), int(tp * 0.75))
        tai = self.money(tc * 0.4, tc * 0.95)
        pp = rng.randint(max(5, int(ta * 0.8)), int(ta * 1.8) + 10)
        industrial = rng.random() < 0.4
        if industrial:
            pip = rng.randint(int(pp * 0.5), pp)
            pii = self.money(pip * 0.8, pip * 4)
            pbase, pa = pii, rng.randint(int(pip * 0.75), pip)
        else:
            pi = self.money(pp * 0.8, pp * 4)
            pbase, pa = pi, rng.randint(int(pp * 0.75), pp)
        pai = pbase if rng.random() < 0.15 else self.money(pbase * 0.8, pbase * 0.995)
        if pai == pbase:
            pa = pip if industrial else pp

        rs, rsv = self.rate(sai, si)
        rt, rtv = self.rate(tai, ti)
        rp, rpv = self.rate(pai, pbase)
        style = rng.choice(["since", "as_of", "累计"])
        completed = rng.random() < 0.7
        n = cn(self.event_no)
        since = "2022年以来" if self.year > 2022 else "今年以来"

        if style == "累计":
            if self.month == 12 and rng.random() < 0.5:
                lead, s_lab, t_lab, p_lab = "全年", "共签约项目", "开工项目", "投产项目"
            else:
                lead, s_lab, t_lab, p_lab = f"{since}，全市开发区", "累计签约项目", "累计开工项目", "累计投产项目"
            s_step, t_step, p_step = "已开工", "已投产", rng.choice(["已达产", "达产"])
            sep = "；"
        else:
            s_lab, t_lab, p_lab = "“签约一批”项目", "“开工一批”项目", "“投产一批”项目"
            s_step = rng.choice(["已开工项目", "签约已开工", "已开工"])
            t_step = rng.choice(["已投产项目", "开工已投产", "已投产"])
            p_step = rng.choice(["达产项目", "已达产", "达产产业项目" if industrial else "达产项目"])
            sep = rng.choice(["。", "；"])
            if style == "since":
                total = sp + tp + pp
                self.pipe(None, "cumulative", "all", "projects", total)
                lead = f"{since}，共实施{n}次“三个一批”项目{total}个，{rng.choice(['项目推进总体平稳', '项目建设总体有序'])}。其中，"
            else:
                lead = f"截至{self.month}月底，{since}{n}次“三个一批”活动"
        s_rate = rng.choice(["签约开工率", "开工率", "签约项目开工率"])
        t_rate = rng.choice(["开工项目投产率", "投产率"])
        p_rate = rng.choice(["达产率", "投产项目达产率"])

        text = f"{lead}{s_lab}{sp}个，总投资{fmt(si)}亿元，{s_step}{sa}个，总投资{fmt(sai)}亿元，{s_rate}{rs}%{sep}"
        text += f"{t_lab}{tp}个，总投资{fmt(ti)}亿元，"
        if completed:
            text += f"已完成投资{fmt(tc)}亿元，"
        text += f"{t_step}{ta}个，{rng.choice(['已完成投资', '完成投资'])}{fmt(tai)}亿元，{t_rate}{rt}%{sep}"
        if industrial:
            text += (
                f"{p_lab}{pp}个，其中产业项目{pip}个，总投资{fmt(pii)}亿元，"
                f"{p_step}{pa}个，总投资{fmt(pai)}亿元，{p_rate}{rp}%。"
            )
        else:
            text += f"{p_lab}{pp}个，总投资{fmt(pi)}亿元，{p_step}{pa}个，总投资{fmt(pai)}亿元，{p_rate}{rp}%。"

        for measure, v in (
            ("projects", sp),
            ("investment", si),
            ("advanced_projects", sa),
            ("advanced_investment", sai),
            ("rate_pct", rsv),
        ):
            self.pipe(None, "cumulative", "signed", measure, v)
        for measure, v in (
            ("projects", tp),
            ("investment", ti),
            ("advanced_projects", ta),
            ("advanced_investment", tai),
            ("rate_pct", rtv),
        ):
            self.pipe(None, "cumulative", "started", measure, v)
        if completed:
            self.pipe(None, "cumulative", "started", "completed_investment", tc)
        self.pipe(None, "cumulative", "in_production", "projects", pp)
        if industrial:
            self.pipe(None, "cumulative", "in_production", "industrial_projects", pip)
            self.pipe(None, "cumulative", "in_production", "industrial_investment", pii)
        else:
            self.pipe(None, "cumulative", "in_production", "investment", pi)
        self.pipe(None, "cumulative", "in_production", "advanced_projects", pa)
        self.pipe(None, "cumulative", "in_production", "advanced_investment", pai)
        self.pipe(None, "cumulative", "in_production", "rate_pct", rpv)
        return [text]

    def reform(self) -> list[str]:
        """“承诺制+标准地+全代办” counts."""
        rng = self.rng
        filed = rng.randint(15, 130)
        eligible = rng.randint(int(filed * 0.5), int(filed * 0.9))
        commit = rng.randint(int(eligible * 0.5), eligible)
        procs = rng.randint(commit * 2, commit * 4)
        parcels = rng.randint(2, 20)
        area = self.money(parcels * 35, parcels * 140)
        proxy = rng.randint(5, 70)
        lead = rng.choice(
            [
                "坚持以“承诺制+标准地+全代办”改革为抓手，推动审批服务提速增效。",
                "扎实推进“承诺制+标准地+全代办”改革，",
                "纵深推进“承诺制+标准地+全代办”改革，审批服务持续提速。",
                "",
            ]
        )
        style = rng.choice(["counts", "procedures", "mixed"])
        parts = []
        if style == "counts":
            parts.append(
                f"{self.span}，全市开发区备案项目数量{filed}个，可实行“承诺制”项目数量{eligible}个，"
                f"实行“承诺制”项目数量{commit}个"
            )
            self.ind(None, FILED, filed)
            self.ind(None, ELIGIBLE, eligible)
            self.ind(None, COMMIT, commit)
        elif style == "procedures":
            parts.append(f"{self.span}，已为{commit}个项目办理“承诺制”相关手续{procs}项")
            self.ind(None, COMMIT, commit)
            self.ind(None, PROCS, procs)
        else:
            parts.append(
                f"{self.span}，全市开发区备案项目{filed}个，可实行“承诺制”项目{eligible}个，"
                f"为{commit}个项目办理“承诺制”手续，办理“承诺制”相关手续{procs}项"
            )
            self.ind(None, FILED, filed)
            self.ind(None, ELIGIBLE, eligible)
            self.ind(None, COMMIT, commit)
            self.ind(None, PROCS, procs)
        land = rng.choice(
            [
                f"共出让“标准地”{parcels}宗，出让面积{fmt(area)}亩",
                f"出让“标准地”{parcels}宗，出让总面积{fmt(area)}亩",
                f"全市开发区共出让“标准地”{parcels}宗，出让面积{fmt(area)}亩",
            ]
        )
        self.ind(None, PARCELS, parcels)
        self.ind(None, AREA, area)
        parts.append(land)
        if rng.random() < 0.75:
            self.ind(None, PROXY, proxy)
            parts.append(
                rng.choice(
                    [
                        f"各开发区均建立了领办代办服务机制，领办代办项目{proxy}个",
                        f"领办代办项目{proxy}个",
                        f"全代办项目{proxy}个",
                    ]
                )
            )
        text = lead + parts[0]
        for p in parts[1:]:
            text += rng.choice(["；", "，"]) + p
        paragraphs = [text + "。"]
        if rng.random() < 0.55:
            paragraphs[0] = paragraphs[0][:-1] + rng.choice(["；", "，"]) + self.factories(inline=True) + "。"
        return paragraphs

    def factories(self, inline: bool = False) -> str:
        rng = self.rng
        used = round(rng.uniform(8, 60), rng.choice([2, 4]))
        new = round(rng.uniform(0.5, 8), rng.choice([2, 4]))
        zone = rng.choice(self.industrial_zones)
        style = rng.choice(["paren_zone", "zone_first", "citywide"])
        if style == "paren_zone":
            self.ind(None, FACT_USE, used)
            self.ind(zone, FACT_NEW, new)
            return f"已投入使用的标准厂房共{fmt(used, 4)}万平方米，新建成{fmt(new, 4)}万平方米({zone.short})"
        if style == "zone_first":
            self.ind(zone, FACT_NEW, new)
            return f"{zone.short}新建成标准厂房{fmt(new, 4)}万平方米"
        self.ind(None, FACT_NEW, new)
        self.ind(None, FACT_USE, used)
        return f"新建成标准厂房{fmt(new, 4)}万平方米，已投入使用的标准厂房累计达到{fmt(used, 4)}万平方米"

    def investment_promotion(self) -> list[str]:
        """招商 paragraph: its numbers are outside the contract (not labelled)."""
        rng = self.rng
        s = "".join(self.sentences(F.THEMES["invest"][1], rng.randint(1, 3)))
        s += (
            f"围绕全市{rng.randint(8, 16)}条重点产业链，坚持“链长+链主+园区”协同招商，"
            f"{rng.choice(['市领导带队', '各开发区主要负责同志带队'])}赴{rng.choice(['长三角、珠三角', '京津冀', '粤港澳大湾区'])}"
            f"开展专题招商活动{rng.randint(3, 15)}次，与央企、省属国企及行业龙头对接洽谈{rng.randint(5, 30) * 10}余次。"
        )
        if rng.random() < 0.7:
            g = self.growth()
            s += (
                f"{self.pw}，全市开发区招商引资到位资金{fmt(self.money(3 * self.month, 20 * self.month))}亿元，"
                f"{growth_text(g, 'tongbi')}"
            )
            if rng.random() < 0.6:
                s += f"，新入规企业{rng.randint(2, 20)}个"
            s += "。"
        return [s]

    def named_projects(self) -> str:
        rng = self.rng
        z1, z2 = rng.choice(self.industrial_zones), rng.choice(self.industrial_zones)
        i1, i2 = rng.sample(F.INDUSTRIES, 2)
        return (
            f"{z1.short}总投资{rng.randint(5, 80)}亿元的{i1}项目、{z2.short}总投资{fmt(self.money(2, 40), 1)}亿元的"
            f"{i2}项目等一批重点项目{rng.choice(['加快建设', '顺利开工', '有序推进'])}。"
        )

    def target(self) -> str:
        """Targets: 力争/确保/目标任务 (basis target)."""
        rng = self.rng
        t1 = rng.choice([5, 6, 7, 8, 8, 10, 12, 15]) + rng.choice([0, 0, 0, 0.5])
        t1 = int(t1) if t1 == int(t1) else t1
        t2 = rng.choice([8, 10, 12, 15, 20, 25])
        m2 = rng.choice([FAI, II])
        when = f"{self.year + 1}年，" if self.month == 12 else ""
        span = "" if self.month == 12 else "全年"
        style = rng.choice(["two", "task", "ensure", "value"])
        if style == "two":
            self.ind(None, IVA, None, t1, "target")
            self.ind(None, m2, None, t2, "target")
            return (
                f"{when}力争{span}全市开发区规上工业增加值增长{fmt(t1, 1)}%{rng.choice(['以上', ''])}，"
                f"{LABELS[m2][0]}增长{t2}%。"
            )
        if style == "task":
            self.ind(None, IVA, None, t1, "target")
            return f"紧盯开发区规上工业增加值增速{fmt(t1, 1)}%的目标任务，持续加力攻坚。"
        if style == "ensure":
            self.ind(None, IVA, None, t1, "target")
            self.ind(None, m2, None, t2, "target")
            return f"{when}确保{span}全市开发区规上工业增加值增长{fmt(t1, 1)}%，{LABELS[m2][0]}增长{t2}%。"
        v = self.money(10 * 12, 60 * 12)
        self.ind(None, m2, v, None, "target")
        self.ind(None, IVA, None, t1, "target")
        return f"{when}力争{span}全市开发区{LABELS[m2][0]}完成{fmt(v)}亿元以上，规上工业增加值增长{fmt(t1, 1)}%。"

    # narrative
    def measure(self, i: int, theme: str | None = None, extra: str = "") -> str:
        rng = self.rng
        if theme is None:  # the theme with the most sentences not yet used
            left = {t: sum(1 for b in bodies if b not in self.used_sentences) for t, (_, bodies) in F.THEMES.items()}
            themes = [t for t in F.THEMES if t not in self.used_themes] or list(F.THEMES)
            theme = rng.choices(themes, weights=[left[t] + 1 for t in themes])[0]
        self.used_themes.append(theme)
        titles, bodies = F.THEMES[theme]
        body = "".join(self.sentences(bodies, rng.randint(4, 7)))
        ordinal = self.measure_style.format(n=cn(i))
        title = rng.choice(titles)
        return f"{ordinal}{title}。{body}{extra}"

    def plan(self, i: int, style: str, extra: str = "") -> str:
        fresh = [p for p in F.PLANS if p[0] not in self.used_plans] or list(F.PLANS)
        title, bodies = self.rng.choice(fresh)
        self.used_plans.append(title)
        body = "".join(self.sentences(bodies, self.rng.randint(2, 4)))
        head = {"shi": f"{cn(i)}是", "dun": f"{cn(i)}、", "paren": f"({cn(i)})"}[style]
        return f"{head}{title}。{body}{extra}"

    def practice(self, i: int) -> str:
        rng = self.rng
        zone = rng.choice(self.industrial_zones).short
        i1, i2 = rng.sample(F.INDUSTRIES, 2)
        picks = self.sentences(F.ZONE_PRACTICES, rng.randint(2, 3))
        text = picks[0].format(zone=zone, industry=i1, industry2=i2)
        for p in picks[1:]:
            text += p.format(zone="", industry=i2, industry2=i1)
        return f"({cn(i)}){text}"

    def problems(self) -> str:
        picks = self.rng.sample(F.PROBLEMS, self.rng.randint(2, 4))
        return "".join(f"{cn(i + 1)}是{p}。" for i, p in enumerate(picks))

    def caption(self) -> str:
        rng = self.rng
        return rng.choice(F.CAPTIONS).format(
            zone=rng.choice(self.industrial_zones).short, event=cn(self.event_no), industry=rng.choice(F.INDUSTRIES)
        )


# -- assembling ------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Slots:
    """Where filler may grow: indexes into the sections."""

    work: tuple[int, int]  # (the measures' section, the index of its first filler paragraph)
    plan: tuple[int, str]  # (the plan's section, its list style)
    practice: int | None  # the zone news' section; None: the report has none


def _section_heading(i: int, text: str) -> str:
    return f"{cn(i)}、{text}"


def _compose(r: _Report) -> tuple[list[list[str]], _Slots]:
    """Report content as sections of paragraphs, with the slots where filler may grow."""
    rng = r.rng
    seed = r.size == "seed"
    title = rng.choice(F.ISSUE_TITLES)
    sections: list[list[str]] = []
    head = r.header(title)
    if seed and rng.random() < 0.15:
        head += r.editor_note()
    progress = (
        f"【{r.pw}工作进展】" if r.month in (3, 6, 9) else rng.choice([f"【{r.span}工作进展】", f"【{r.pw}工作进展】"])
    )
    if r.month == 12:
        progress = rng.choice([f"【{r.year}年工作完成情况】", "【全年工作进展】"])
    head.append(progress)
    sections.append(head)

    n = 1
    # indicators
    ind = [_section_heading(n, rng.choice(["主要经济指标完成情况", "各项指标完成情况", "主要指标完成情况"]))]
    if rng.random() < (0.7 if seed else 0.3):
        ind.append(rng.choice(F.INTROS).format(pw=r.pw))
    zmax = min(len(r.industrial_zones), rng.randint(3, 7) if seed else rng.randint(2, 3))
    zones = sorted(rng.sample(r.industrial_zones, zmax), key=r.industrial_zones.index)
    # zones the scorer cannot tell apart (same core name) are not listed together
    zones = [z for i, z in enumerate(zones) if zone_core(z.short) not in {zone_core(y.short) for y in zones[:i]}]
    zone_paras, totals = r.zone_list(zones)
    if seed:
        for z in rng.sample(r.industrial_zones, min(len(r.industrial_zones), rng.randint(0, 2))):
            zone_paras += r.zone_extras(z)
        for z in r.special_zones:
            if rng.random() < 0.6:
                zone_paras += r.special_zone(z)
    # the city total is written first but drawn last: no zone may exceed it
    if rng.random() < 0.8:
        ind += r.citywide(totals)
    ind += zone_paras
    sections.append(ind)
    n += 1

    # campaign
    has_event = rng.random() < (0.75 if seed else 0.25)
    has_cum = rng.random() < (0.85 if seed else 0.45)
    if has_event or has_cum:
        camp = [_section_heading(n, rng.choice(["“三个一批”活动推进情况", "项目建设情况", "“三个一批”项目推进情况"]))]
        if seed and rng.random() < 0.7:
            camp.append(rng.choice(F.CAMPAIGN_INTROS))
        if has_event:
            camp += r.campaign_event()
        if has_cum:
            camp += r.campaign_cumulative()
        if seed and rng.random() < 0.4:
            camp.append(r.caption())
        sections.append(camp)
        n += 1

    # reform
    if rng.random() < (0.85 if seed else 0.4):
        sections.append(
            [_section_heading(n, rng.choice(["持续优化营商环境", "改革创新纵深推进", "营商环境持续优化"]))] + r.reform()
        )
        n += 1
    elif seed and rng.random() < 0.5:
        sections.append([_section_heading(n, "承载能力不断提升"), r.factories() + "。"])
        n += 1

    # investment promotion (numbers outside the contract)
    if seed and rng.random() < 0.6:
        sections.append(
            [_section_heading(n, rng.choice(["精准招商成效明显", "招商引资持续发力"]))] + r.investment_promotion()
        )
        n += 1

    # measures (filler slot)
    work = [_section_heading(n, rng.choice(["主要做法", "开展的主要工作", "主要工作举措"]))]
    n += 1
    work_start = len(work)
    if seed and rng.random() < 0.5:
        work.append(r.measure(1, "project", extra=r.named_projects()))
    sections.append(work)
    work_slot = (len(sections) - 1, work_start)
    practice_slot = None
    if seed:
        sections.append([_section_heading(n, rng.choice(F.PRACTICE_TITLES)), r.practice(1)])
        practice_slot = len(sections) - 1
        n += 1

    if seed and rng.random() < 0.4:
        sections.append([_section_heading(n, "存在的问题"), r.problems()])
        n += 1

    # next period, with targets
    nxt = {3: "二季度工作重点", 6: "下半年工作重点", 9: "第四季度工作重点", 12: f"{r.year + 1}年工作安排"}.get(
        r.month, "下一步工作打算"
    )
    plan = [f"【{rng.choice([nxt, '下一步工作打算'])}】"]
    target = r.target() if rng.random() < (0.7 if seed else 0.4) else ""
    plan_style = rng.choice(["shi", "dun", "paren"])
    plan.append(r.plan(1, plan_style, extra=target))
    sections.append(plan)
    slots = _Slots(work_slot, (len(sections) - 1, plan_style), practice_slot)

    closing = [f"(供稿：{r.city.name}商务局)"]
    if rng.random() < 0.5:
        closing.append(r.caption())
    sections.append(closing)
    return sections, slots


def _render(r: _Report, sections: list[list[str]], layout: dict) -> str:
    paragraphs = [p for s in sections for p in s]
    if layout["fullwidth"]:
        paragraphs = [
            p
            if p.startswith("【") or "    " in p
            else NUMBER_WITH_UNIT.sub(lambda m: m.group(0).translate(FULL_WIDTH), p)
            for p in paragraphs
        ]
    running = "\n\n".join(paragraphs[:3])  # 全省开发区 / “...”专刊 / X市开发区
    body = paragraphs[3:]
    if layout["split"] is not None and body:
        frac_p, frac_c, with_header, at_unit = layout["split"]
        candidates = [i for i, p in enumerate(body) if len(p) > 80 and "    " not in p and not p.startswith("【")]
        if candidates:
            i = candidates[int(frac_p * len(candidates))]
            p = body[i]
            cuts = [m.end() for m in re.finditer(r"\d(?=亿元|万元|个|亩|宗|万人次|万平方米)", p)] if at_unit else []
            cuts = cuts or [m.end() for m in re.finditer(r"[，；]", p[:-2])]
            if cuts:
                c = cuts[int(frac_c * len(cuts))]
                gap = f"\n\n\n\n{running}\n\n" if with_header else "\n\n"
                body[i] = p[:c] + gap + p[c:]
    out: list[str] = []
    breaks = sorted({max(1, int(f * len(body))) for f in layout["page_breaks"]})
    for i, p in enumerate(body):
        if i in breaks:
            out.append("\n\n" + running)
        out.append(p)
    return layout["lead"] + running + "\n\n" + "\n\n".join(out) + "\n"


def _fill(r: _Report, sections: list[list[str]], slots: _Slots, layout: dict) -> str:
    """Grow the filler slots until the text reaches a size drawn in the size's range."""
    lo, hi = SIZES[r.size]
    margin = (hi - lo) // 8
    target = r.rng.randint(lo + margin, hi - margin)
    work_i, work_start = slots.work
    plan_i, plan_style = slots.plan
    practice_i = slots.practice
    text = _render(r, sections, layout)
    if len(text.encode()) >= target:
        return text
    for _ in range(200):
        work = sections[work_i]
        plan = sections[plan_i]
        n_work = len(work) - work_start
        n_plan = len(plan) - 1
        options = []
        if n_work < 10:
            options.append(("work", 45))
        if n_plan < 9:
            options.append(("plan", 30))
        if practice_i is not None and len(sections[practice_i]) - 1 < 6:
            options.append(("practice", 25))
        if (
            not options
            and practice_i is not None
            and len(sections[practice_i]) - 1 < 12
            and len(text.encode()) < lo + margin
        ):
            options.append(("practice", 1))  # rare: a report with little else to say
        if not options:
            break
        kind = r.rng.choices([k for k, _ in options], weights=[w for _, w in options])[0]
        if kind == "work":
            para, where = r.measure(n_work + 1), work
        elif kind == "plan":
            para, where = r.plan(n_plan + 1, plan_style), plan
        else:
            assert practice_i is not None  # (an option only when the report has the section)
            where = sections[practice_i]
            para = r.practice(len(where))
        where.append(para)
        new = _render(r, sections, layout)
        size = len(new.encode())
        if size > hi - margin // 2:
            where.pop()
            if size - len(para.encode()) >= lo:
                break
            continue
        text = new
        if size >= target:
            break
    return text


def generate_report(
    city_name: str, period: str, rng: random.Random, size: str = "seed", file_name: str | None = None
) -> tuple[str, list[dict]]:
    """One synthetic report of `city_name` (官方 name, e.g. 朔州市) for `period` (YYYY-MM).

    Returns (text, facts); each fact's `doc` is `file_name` (None: the caller sets it)."""
    city = find_city(city_name)
    r = _Report(city, period, rng, size, file_name)
    sections, slots = _compose(r)
    seed = size == "seed"
    layout = {
        "lead": rng.choice(["", "\n\n"]),
        "fullwidth": rng.random() < 0.08,
        "page_breaks": sorted(rng.uniform(0.15, 0.9) for _ in range(rng.randint(1, 3))) if seed else [],
        "split": (
            (rng.random(), rng.random(), rng.random() < 0.5, rng.random() < 0.3)
            if rng.random() < (0.3 if seed else 0.1)
            else None
        ),
    }
    text = _fill(r, sections, slots, layout)
    return text, r.facts


def generate_corpus(
    n_reports: int, seed: int, periods, cities=None, size: str = "seed"
) -> list[tuple[str, str, str, list[dict]]]:
    """`n_reports` reports as (file_name, period, text, facts); cities and periods drawn by the seed."""
    periods = [periods] if isinstance(periods, str) else list(periods)
    names = list(cities) if cities else [c.name for c in load_cities()]
    master = random.Random(seed)
    corpus = []
    for i in range(n_reports):
        city = find_city(master.choice(names))
        period = master.choice(periods)
        rng = random.Random(master.getrandbits(64))
        file_name = f"synth_{seed}_{i:05d}_{city.code}_{period}.txt"
        text, facts = generate_report(city.name, period, rng, size=size, file_name=file_name)
        corpus.append((file_name, period, text, facts))
    return corpus
