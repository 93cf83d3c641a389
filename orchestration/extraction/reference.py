"""Reference data (cities, counties, zones, indicators) read from the dbt seeds.

The seeds under `dbt_project/seeds/` are the single source of truth: dbt loads them into the
warehouse, and the extractor reads them here to recognise places and indicators in the text.
"""
from __future__ import annotations

import csv
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"

ZONE_SUFFIXES = (
    "高新技术产业开发区", "高新技术开发区", "经济技术开发区", "经济开发区", "综合改革示范区",
    "经开区", "高新区", "示范区", "综改区", "工业园区", "产业园区", "开发区",
)
# Words that make "<word>开发区" a generic phrase, not a zone's name.
GENERIC_ZONE_STEMS = re.compile(
    r"(全市|全省|各|该|本|我市|我省|全|省级|国家级|市级|县级|工业类|重点|先进|落后|优秀|相关|部分|其他|其它|所有|这些|"
    r"沿海|省内|省外|域内|区内|园区|两个|多个|个|的|和|与|及|等|在|对|为|了|是|其中|季度|年|月|日|期)"
)
QUOTES = "“”\"'‘’「」『』"


@dataclass(frozen=True)
class City:
    code: str
    name: str
    short_name: str


@dataclass(frozen=True)
class County:
    code: str
    name: str
    short_name: str
    city_code: str


@dataclass(frozen=True)
class Zone:
    code: str
    name: str
    short_name: str
    aliases: tuple[str, ...]
    zone_type: str
    level: str
    city_code: str
    county_code: str


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    synonyms: tuple[str, ...]
    unit: str
    cumulative: bool


@dataclass(frozen=True)
class ZoneRef:
    """A zone named in the text, resolved to the reference where possible."""

    text: str  # as written
    zone_code: str | None  # None when the zone is not in the reference
    city: str | None  # official city name, None when it could not be resolved
    resolved: bool  # False: the section's city was assumed


def quote_insensitive(word: str) -> str:
    """A regex for `word` that tolerates quotation marks anywhere in it (实行“承诺制”项目)."""
    q = f"[{QUOTES}]?"
    return q.join(re.escape(ch) for ch in word.replace("“", "").replace("”", ""))


def alternation(words) -> str:
    return "|".join(sorted({w for w in words if w}, key=lambda w: (-len(w), w)))


def read_csv(name: str, seeds_dir: Path) -> list[dict[str, str]]:
    with open(seeds_dir / name, encoding="utf-8", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


class Reference:
    def __init__(self, seeds_dir: Path = SEEDS_DIR):
        self.cities = [City(r["city_code"], r["city_name"], r["short_name"]) for r in read_csv("cities.csv", seeds_dir)]
        self.counties = [
            County(r["county_code"], r["county_name"], r["short_name"], r["city_code"])
            for r in read_csv("counties.csv", seeds_dir)
        ]
        self.zones = [
            Zone(
                r["zone_code"], r["zone_name"], r["short_name"],
                tuple(a for a in r["aliases"].split("|") if a),
                r["zone_type"], r["level"], r["city_code"], r["county_code"],
            )
            for r in read_csv("zones.csv", seeds_dir)
        ]
        self.indicators = [
            Indicator(
                r["indicator_code"], r["indicator_name"],
                tuple(s for s in r["synonyms"].split("|") if s), r["unit"], r["cumulative"] == "true",
            )
            for r in read_csv("indicators.csv", seeds_dir)
        ]
        self.city_by_code = {c.code: c for c in self.cities}
        self.city_by_name = {}
        for c in self.cities:
            self.city_by_name[c.name] = c
            self.city_by_name[c.short_name] = c
        self.county_by_name = {}
        for c in self.counties:
            self.county_by_name[c.name] = c
            if c.short_name:
                self.county_by_name[c.short_name] = c
        self.zone_by_alias = {}
        for z in self.zones:
            for name in (z.name, z.short_name, *z.aliases):
                self.zone_by_alias[name] = z
        self.indicator_by_code = {i.code: i for i in self.indicators}

        city_names = alternation(c.short_name for c in self.cities)
        county_names = alternation(self.county_by_name)
        suffixes = alternation(ZONE_SUFFIXES)
        self.city_names_re = city_names
        # Zones: known names, or a county's name with a zone suffix (高平经开区); failing both, an
        # unknown "<name><suffix>" standing at the start of a clause (found in a second pass, so
        # that it never swallows a known name).
        self.known_zone_re = re.compile(
            rf"(?P<known>{alternation(self.zone_by_alias)})|(?P<county>{county_names})(?:县|市|区)?(?:{suffixes})"
        )
        self.unknown_zone_re = re.compile(
            rf"(?:(?<=[，。；：、(（\s])|^)(?P<stem>[\u4e00-\u9fff]{{2,8}}?)"
            rf"(?P<suffix>{alternation(s for s in ZONE_SUFFIXES if s != '开发区')})"
        )
        # A place named in the text: votes for the city a section belongs to.
        self.place_re = re.compile(
            rf"{alternation(self.zone_by_alias)}|(?:{city_names})市|{alternation(c.name for c in self.counties)}"
            rf"|{alternation(c.short_name for c in self.counties if len(c.short_name) >= 2)}"
        )
        # A line that opens a city's section of a bulletin (大同市开发区, 朔州市, 晋中市开发区工作动态).
        self.city_heading_re = re.compile(
            rf"^(?:山西省)?(?P<city>{city_names})(?:市(?!商务局)[^，。；：]{{0,16}}|开发区)$"
        )
        self.source_city_re = re.compile(rf"(?P<city>{city_names})市?")

    # -- places ----------------------------------------------------------------------------
    def city_of_place(self, text: str) -> str | None:
        """The city of a zone, county or city name as written."""
        if text in self.zone_by_alias:
            return self.city_by_code[self.zone_by_alias[text].city_code].name
        if text.endswith("市") and text[:-1] in self.city_by_name:
            return self.city_by_name[text[:-1]].name
        if text in self.city_by_name:
            return self.city_by_name[text].name
        if text in self.county_by_name:
            return self.city_by_code[self.county_by_name[text].city_code].name
        return None

    def find_zones(self, text: str, section_city: str | None) -> list[tuple[int, int, ZoneRef]]:
        """Zones named in `text`, as (start, end, zone), in text order."""
        found = []
        for m in self.known_zone_re.finditer(text):
            name = m.group(0)
            if m.group("known"):
                z = self.zone_by_alias[name]
                found.append((m.start(), m.end(), ZoneRef(name, z.code, self.city_by_code[z.city_code].name, True)))
            else:
                county = self.county_by_name[m.group("county")]
                found.append((m.start(), m.end(), ZoneRef(name, None, self.city_by_code[county.city_code].name, True)))
        for m in self.unknown_zone_re.finditer(text):
            stem = m.group("stem")
            if GENERIC_ZONE_STEMS.search(stem) or stem in self.city_by_name:
                continue
            if any(s < m.end() and m.start() < e for s, e, _ in found):
                continue
            found.append((m.start(), m.end(), ZoneRef(m.group(0), None, section_city, False)))
        return sorted(found, key=lambda f: f[0])

    def zone_named(self, text: str, section_city: str | None) -> ZoneRef | None:
        """The zone when `text` is exactly one zone's name (a table cell, a bracket)."""
        zones = self.find_zones(text, section_city)
        return zones[0][2] if len(zones) == 1 and zones[0][:2] == (0, len(text)) else None

    def indicator_unit(self, code: str) -> str:
        return self.indicator_by_code[code].unit


@functools.lru_cache(maxsize=4)
def load_reference(seeds_dir: str | None = None) -> Reference:
    return Reference(Path(seeds_dir or os.environ.get("DEVZONE_SEEDS_DIR") or SEEDS_DIR))
