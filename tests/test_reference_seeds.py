"""Checks of the geographic reference seeds (cities, counties, development zones).

Plain csv module only: these tests must not import the project.
"""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"

# Same normaliser as the project's scorer: every spelling of one zone must reduce to one core.
SUFFIX = re.compile(
    r"(经济技术开发区|经济开发区|高新技术产业开发区|高新技术开发区|经开区|高新区|示范区|开发区|综改区|园区)$"
)


def core(z):
    z = re.sub(r"^山西(省)?", "", z)
    z = re.sub(r"(生态文化旅游|生态)", "", z)
    z = SUFFIX.sub("", z) or z.rstrip("区")
    z = re.sub(r"(县|市|区)$", "", z) if len(z) > 2 else z
    return {"转型综改": "综改", "综改示范": "综改"}.get(z, z)


# Official names whose core differs from the core reports use (short name and aliases);
# the zone_name is kept official and exempted from the core check.
CORE_EXCEPTIONS = {
    "140100-ZG": "山西转型综合改革示范区",  # core 转型综合改革; reports: 综改区 / 山西综改示范区
    "140108-GX": "太原中北高新技术产业开发区",  # core 太原中北; reports: 中北高新区
    "140703-SF": "晋中国家农业高新技术产业示范区",  # core 晋中国家农业高新技术产业; reports: 山西农谷
}

ZONE_TYPES = {"经开区", "高新区", "示范区", "综改区", "产业园区"}
TYPE_LETTERS = {"经开区": "JK", "高新区": "GX", "示范区": "SF", "综改区": "ZG", "产业园区": "CY"}
LEVELS = {"国家级", "省级"}
AMBIGUOUS_COUNTIES = {"城区", "矿区", "郊区"}

# county-level divisions per city (GB/T 2260, 2020s)
COUNTIES_PER_CITY = {
    "140100": 10,
    "140200": 10,
    "140300": 5,
    "140400": 12,
    "140500": 6,
    "140600": 6,
    "140700": 11,
    "140800": 13,
    "140900": 14,
    "141000": 17,
    "141100": 13,
}


def read(name, header):
    path = SEEDS / name
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{name} has a BOM"
    text = raw.decode("utf-8")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == header, f"{name} header is {rows[0]}"
    out = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    for r, raw_row in zip(out, rows[1:], strict=True):
        assert len(raw_row) == len(header), f"{name}: bad row {raw_row}"
        for k, v in r.items():
            assert v == v.strip(), f"{name}: stray whitespace in {k}={v!r}"
    return out


@pytest.fixture(scope="module")
def cities():
    return read("cities.csv", ["city_code", "city_name", "short_name"])


@pytest.fixture(scope="module")
def counties():
    return read("counties.csv", ["county_code", "county_name", "short_name", "city_code"])


@pytest.fixture(scope="module")
def zones():
    return read(
        "zones.csv",
        ["zone_code", "zone_name", "short_name", "aliases", "zone_type", "level", "city_code", "county_code"],
    )


def strip_admin(name):
    return name[:-1] if name[-1] in "区县市" and len(name) >= 3 else name


# --------------------------------------------------------------------------- cities
def test_eleven_cities(cities):
    codes = [c["city_code"] for c in cities]
    assert len(cities) == 11
    assert sorted(codes) == [f"14{i:02d}00" for i in range(1, 12)]
    assert len({c["city_name"] for c in cities}) == 11
    for c in cities:
        assert c["city_name"].endswith("市")
        assert c["short_name"] == c["city_name"][:-1]


# --------------------------------------------------------------------------- counties
def test_county_codes(counties, cities):
    city_codes = {c["city_code"] for c in cities}
    codes = [c["county_code"] for c in counties]
    assert len(codes) == len(set(codes)), "duplicate county codes"
    for c in counties:
        assert re.fullmatch(r"14\d{4}", c["county_code"]), c
        assert c["city_code"] in city_codes, c
        assert c["county_code"][:4] == c["city_code"][:4], c
        assert c["county_code"] != c["city_code"], c
        assert c["county_name"][-1] in "区县市", c


def test_county_counts_per_city(counties):
    assert Counter(c["city_code"] for c in counties) == COUNTIES_PER_CITY
    assert len(counties) == sum(COUNTIES_PER_CITY.values())


def test_county_names_unique_within_city(counties):
    seen = Counter((c["city_code"], c["county_name"]) for c in counties)
    assert not [k for k, n in seen.items() if n > 1]


def test_county_short_names(counties):
    for c in counties:
        name = c["county_name"]
        if name in AMBIGUOUS_COUNTIES:
            assert c["short_name"] == "", c
        else:
            assert c["short_name"] == strip_admin(name), c


def test_reform_era_divisions_present(counties):
    names = {c["county_code"]: c["county_name"] for c in counties}
    for code, name in {
        "140212": "新荣区",
        "140213": "平城区",
        "140214": "云冈区",
        "140215": "云州区",
        "140403": "潞州区",
        "140404": "上党区",
        "140405": "屯留区",
        "140406": "潞城区",
        "140602": "朔城区",
        "140603": "平鲁区",
        "140681": "怀仁市",
        "140703": "太谷区",
        "140302": "城区",
        "140303": "矿区",
        "140311": "郊区",
    }.items():
        assert names.get(code) == name, (code, name)


# --------------------------------------------------------------------------- zones
def test_zone_codes(zones):
    codes = [z["zone_code"] for z in zones]
    assert len(codes) == len(set(codes)), "duplicate zone codes"
    for z in zones:
        m = re.fullmatch(r"(14\d{4})-(JK|GX|SF|ZG|CY)(?:-(\d+))?", z["zone_code"])
        assert m, z["zone_code"]
        assert m.group(1) == (z["county_code"] or z["city_code"]), z["zone_code"]
        assert m.group(2) == TYPE_LETTERS[z["zone_type"]], z["zone_code"]


def test_zone_geography(zones, cities, counties):
    city_codes = {c["city_code"] for c in cities}
    county_city = {c["county_code"]: c["city_code"] for c in counties}
    for z in zones:
        assert z["city_code"] in city_codes, z["zone_code"]
        if z["county_code"]:
            assert z["county_code"] in county_city, z["zone_code"]
            assert county_city[z["county_code"]] == z["city_code"], z["zone_code"]


def test_zone_type_and_level(zones):
    for z in zones:
        assert z["zone_type"] in ZONE_TYPES, z["zone_code"]
        assert z["level"] in LEVELS, z["zone_code"]


def aliases_of(z):
    return z["aliases"].split("|") if z["aliases"] else []


def test_aliases_unique_across_zones(zones):
    owner = {}
    for z in zones:
        names = set(aliases_of(z)) | {z["zone_name"], z["short_name"]}
        for a in names:
            assert a, f"empty alias in {z['zone_code']}"
            assert owner.setdefault(a, z["zone_code"]) == z["zone_code"], (
                f"{a} belongs to {owner[a]} and {z['zone_code']}"
            )


def test_aliases_are_not_place_names(zones, cities, counties):
    places = set()
    for c in cities:
        places |= {c["city_name"], c["short_name"]}
    for c in counties:
        places |= {c["county_name"], c["short_name"]}
    places.discard("")
    # "<city>市开发区" heads a city's section of a bulletin (all its zones), never one zone
    city_headings = {c["city_name"] + "开发区" for c in cities}
    for z in zones:
        for a in aliases_of(z) + [z["short_name"]]:
            assert a not in places, f"{z['zone_code']}: alias {a} is a bare place name"
            assert a not in city_headings, f"{z['zone_code']}: alias {a} names a whole city's zones"


def test_spellings_share_one_core(zones):
    for z in zones:
        spellings = [z["short_name"]] + aliases_of(z)
        cores = {s: core(s) for s in spellings}
        assert len(set(cores.values())) == 1, (z["zone_code"], cores)
        exempt = CORE_EXCEPTIONS.get(z["zone_code"])
        if exempt is None:
            assert core(z["zone_name"]) == core(z["short_name"]), (
                z["zone_code"],
                z["zone_name"],
                core(z["zone_name"]),
                core(z["short_name"]),
            )
        else:
            assert z["zone_name"] == exempt, z["zone_code"]


def test_core_exceptions_exist(zones):
    codes = {z["zone_code"] for z in zones}
    assert set(CORE_EXCEPTIONS) <= codes


# --------------------------------------------------------------------------- indicators
INDICATOR_HEADER = [
    "indicator_code",
    "indicator_name",
    "synonyms",
    "unit",
    "count_units",
    "cumulative",
    "display_order",
    "headline_rank",
    "headline_target",
    "bulletin_ranked",
    "description",
]
BOOLEAN = {"true", "false"}


@pytest.fixture(scope="module")
def indicators():
    return read("indicators.csv", INDICATOR_HEADER)


def test_indicator_codes_and_flags(indicators):
    codes = [i["indicator_code"] for i in indicators]
    assert len(codes) == len(set(codes)), "duplicate indicator codes"
    for i in indicators:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", i["indicator_code"]), i["indicator_code"]
        assert i["indicator_name"] and i["unit"], i["indicator_code"]
        for flag in ("cumulative", "headline_target", "bulletin_ranked"):
            assert i[flag] in BOOLEAN, (i["indicator_code"], flag, i[flag])


def test_display_order_lists_every_indicator_once(indicators):
    orders = [i["display_order"] for i in indicators]
    assert all(re.fullmatch(r"[1-9]\d*", o) for o in orders), orders
    assert len(set(map(int, orders))) == len(orders), "two indicators share a display_order"


def test_headline_indicators_are_ranked_1_to_n_and_come_first(indicators):
    headline = sorted((int(i["headline_rank"]), i) for i in indicators if i["headline_rank"])
    assert [rank for rank, _ in headline] == list(range(1, len(headline) + 1)), "headline_rank is not 1..n"
    assert headline, "no headline indicator"
    # the headline indicators lead the lists, in their headline order
    by_display = sorted(indicators, key=lambda i: int(i["display_order"]))
    assert [i["indicator_code"] for i in by_display[: len(headline)]] == [i["indicator_code"] for _, i in headline]
    for i in indicators:
        if i["headline_target"] == "true":
            assert i["headline_rank"], f"{i['indicator_code']}: a headline target needs a headline_rank"
    assert any(i["bulletin_ranked"] == "true" for i in indicators), "the bulletin ranks zones by no indicator"


def test_count_units_are_given_for_counts_only(indicators):
    counts = {i["indicator_code"]: i["count_units"].split("|") for i in indicators if i["count_units"]}
    assert counts, "no count indicator"
    for i in indicators:
        units = i["count_units"].split("|") if i["count_units"] else []
        assert len(units) == len(set(units)) and all(len(u) == 1 for u in units), (i["indicator_code"], units)
        if units:
            assert i["unit"] in units, f"{i['indicator_code']}: its unit {i['unit']} is not one of its count units"
    # no count unit is another indicator's (non-count) unit: a unit is a count everywhere or nowhere
    all_counts = {u for units in counts.values() for u in units}
    assert not all_counts & {i["unit"] for i in indicators if not i["count_units"]}
