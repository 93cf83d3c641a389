"""Checks of the synthetic report generator (devzone/synthetic/reports.py).

The generator's own honesty only: determinism, well-formed facts in the contract's vocabulary,
every labelled number printed in its report, consistent campaign rates, sizes. The extractor's
accuracy on these reports is not asserted here (see bench/extraction_throughput.py).
"""

import csv
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from devzone.synthetic.reports import (  # noqa: E402
    CONTRACT_METRICS,
    INDICATOR_FIELDS,
    MEASURES,
    PIPELINE_FIELDS,
    SCOPES,
    SIZES,
    STAGES,
    generate_corpus,
    generate_report,
    zone_core,
)

SEEDS = ROOT / "dbt_project" / "seeds"
PERIODS = ["2023-03", "2023-06", "2023-09", "2023-12", "2024-03", "2024-06", "2024-09"]
NUMBER = re.compile(r"\d+(?:\.\d+)?")

# The contract's metric codes and units (README.md of the acceptance folder).
CONTRACT_UNITS = {
    "industrial_value_added": "亿元",
    "industrial_investment": "亿元",
    "fixed_asset_investment": "亿元",
    "industrial_project_investment": "亿元",
    "operating_revenue": "亿元",
    "tax_revenue": "亿元",
    "import_export": "亿元",
    "foreign_investment_used": "亿美元",
    "tourist_visits": "万人次",
    "overnight_visitors": "万人次",
    "forest_coverage": "%",
    "filed_projects": "个",
    "commitment_eligible_projects": "个",
    "commitment_projects": "个",
    "commitment_procedures": "项",
    "standard_land_parcels": "宗",
    "standard_land_area": "亩",
    "standard_factory_area_in_use": "万平方米",
    "standard_factory_area_new": "万平方米",
    "proxy_service_projects": "个",
}
COUNT_MEASURES = {"projects", "advanced_projects", "industrial_projects"}


def _csv(name):
    with open(SEEDS / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


CITY_CODES = {r["city_name"]: r["city_code"] for r in _csv("cities.csv")}
ZONES_OF = {}
for _r in _csv("zones.csv"):
    ZONES_OF.setdefault(_r["city_code"], set()).add(_r["short_name"])


@pytest.fixture(scope="module")
def corpus():
    return generate_corpus(120, seed=11, periods=PERIODS)


@pytest.fixture(scope="module")
def small_corpus():
    return generate_corpus(60, seed=12, periods=PERIODS, size="small")


def digest(corpus):
    h = hashlib.sha256()
    for name, period, text, facts in corpus:
        h.update(name.encode() + period.encode() + text.encode())
        h.update(json.dumps(facts, ensure_ascii=False, sort_keys=False).encode())
    return h.hexdigest()


def test_contract_vocabulary_matches_readme():
    assert set(CONTRACT_METRICS) == set(CONTRACT_UNITS)
    readme = Path(__file__).resolve().parents[2] / "shared" / "acceptance" / "README.md"
    if readme.is_file():
        codes = set(re.findall(r"^\| ([a-z_]+) \|", readme.read_text(encoding="utf-8"), re.M)) - {"code"}
        assert codes == set(CONTRACT_UNITS)


def test_same_seed_same_reports(corpus):
    again = generate_corpus(120, seed=11, periods=PERIODS)
    assert [c[:3] for c in again] == [c[:3] for c in corpus]
    assert [c[3] for c in again] == [c[3] for c in corpus]
    assert digest(again) == digest(corpus)
    other = generate_corpus(5, seed=12, periods=PERIODS)
    assert [c[2] for c in other] != [c[2] for c in corpus[:5]]


def test_generate_report_is_deterministic_and_sets_doc():
    a = generate_report("朔州市", "2023-06", random.Random(3), file_name="x.txt")
    b = generate_report("朔州市", "2023-06", random.Random(3), file_name="x.txt")
    assert a == b
    assert all(f["doc"] == "x.txt" for f in a[1])
    text, facts = generate_report("朔州市", "2023-06", random.Random(3))
    assert text == a[0] and all(f["doc"] is None for f in facts)


def test_deterministic_across_processes(corpus):
    """No dependence on hash randomisation: another interpreter with another hash seed agrees."""
    helper = (
        "import hashlib, json\n"
        "from devzone.synthetic.reports import generate_corpus\n"
        "def run():\n"
        f"    c = generate_corpus(40, seed=11, periods={PERIODS!r})\n"
        "    h = hashlib.sha256()\n"
        "    for name, period, text, facts in c:\n"
        "        h.update(name.encode() + period.encode() + text.encode())\n"
        "        h.update(json.dumps(facts, ensure_ascii=False, sort_keys=False).encode())\n"
        "    return h.hexdigest()\n"
    )
    out = []
    for hashseed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hashseed, PYTHONPATH=str(ROOT))
        res = subprocess.run(
            [sys.executable, "-c", helper + "print(run())"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        out.append(res.stdout.strip())
    assert out[0] == out[1] == digest(corpus[:40])


def test_facts_well_formed(corpus, small_corpus):
    for name, period, text, facts in corpus + small_corpus:
        assert facts, name
        seen = set()
        for f in facts:
            assert f["doc"] == name and f["period"] == period
            assert f["city"] in CITY_CODES or (f["type"] == "indicator" and f["city"] is None)
            if f["zone"] is not None:
                assert f["zone"] in ZONES_OF[CITY_CODES[f["city"]]], f
                assert f["zone"] in text
            if f["type"] == "indicator":
                assert tuple(f) == INDICATOR_FIELDS, f
                assert f["metric"] in CONTRACT_UNITS, f
                assert f["unit"] == CONTRACT_UNITS[f["metric"]], f
                assert f["basis"] in ("actual", "target"), f
                assert f["value"] is not None or f["yoy_pct"] is not None, f
                if f["value"] is not None:
                    assert isinstance(f["value"], (int, float)) and f["value"] > 0, f
                    if f["unit"] in ("个", "项", "宗"):
                        assert isinstance(f["value"], int), f
                if f["yoy_pct"] is not None and f["basis"] == "actual":
                    assert -40 <= f["yoy_pct"] <= 60 and f["yoy_pct"] != 0, f
                    assert round(f["yoy_pct"], 1) == f["yoy_pct"], f
                key = ("I", f["city"], zone_core(f["zone"]), f["metric"], f["basis"])
            else:
                assert tuple(f) == PIPELINE_FIELDS, f
                assert f["scope"] in SCOPES and f["stage"] in STAGES and f["measure"] in MEASURES, f
                assert isinstance(f["value"], (int, float)) and f["value"] > 0, f
                if f["measure"] in COUNT_MEASURES:
                    assert isinstance(f["value"], int), f
                key = ("P", f["city"], zone_core(f["zone"]), f["scope"], f["stage"], f["measure"])
            assert key not in seen, f"{name}: coordinate twice: {key}"
            seen.add(key)


def test_campaign_numbers_consistent(corpus, small_corpus):
    n_rates = 0
    for name, _, _, facts in corpus + small_corpus:
        pipe = {
            (f["city"], f["zone"], f["scope"], f["stage"], f["measure"]): f["value"]
            for f in facts
            if f["type"] == "pipeline"
        }
        for (city, zone, scope, stage, measure), rate in pipe.items():
            if measure != "rate_pct":
                continue
            investment, industrial, advanced = (
                pipe.get((city, zone, scope, stage, m))
                for m in ("investment", "industrial_investment", "advanced_investment")
            )
            base = investment if investment is not None else industrial
            assert base and advanced is not None, (name, stage)
            assert advanced <= base, (name, stage)
            assert abs(rate - advanced / base * 100) <= 0.01 + 1e-9, (name, stage, rate, advanced, base)
            n_rates += 1
        for (city, zone, scope, stage, measure), v in pipe.items():
            if measure == "advanced_projects":
                total = (
                    pipe.get((city, zone, scope, stage, "industrial_projects"))
                    or pipe[(city, zone, scope, stage, "projects")]
                )
                assert v <= total, (name, stage)
            if measure == "industrial_projects":
                assert v <= pipe[(city, zone, scope, stage, "projects")], (name, stage)
        # an event's total is the sum of its stages
        for city, zone, scope, stage, measure in list(pipe):
            if scope == "event" and stage == "all":
                parts = [pipe[(city, zone, "event", s, measure)] for s in ("signed", "started", "in_production")]
                assert abs(pipe[(city, zone, scope, stage, measure)] - sum(parts)) < 0.011, name
    assert n_rates > 100


def test_labelled_numbers_are_printed(corpus, small_corpus):
    def shown(v, printed):
        return any(abs(p - v) < 1e-6 for p in printed)

    for name, _, text, facts in corpus + small_corpus:
        printed = [float(x) for x in NUMBER.findall(unicodedata.normalize("NFKC", text))]
        for f in facts:
            v = f["value"]
            if v is not None:
                # money labelled in 亿 may be printed in 万元 / 万美元
                assert shown(v, printed) or (
                    f.get("unit") in ("亿元", "亿美元", None) and shown(round(v * 1e4, 4), printed)
                ), (name, f)
            if f.get("yoy_pct") is not None:
                assert shown(abs(f["yoy_pct"]), printed), (name, f)


def test_prior_year_figures_are_not_labelled(corpus):
    """去年同期为X亿元 is printed but X is never a fact's value."""
    n = 0
    for name, _, text, facts in corpus:
        values = {f["value"] for f in facts}
        for m in re.finditer(r"去年同期为(\d+(?:\.\d+)?)亿元", text):
            n += 1
            assert float(m.group(1)) not in values, (name, m.group(0))
    assert n > 0


def test_genre_features_present(corpus):
    text = "\n".join(c[2] for c in corpus)
    for needle in (
        "个百分点",
        "去年同期为",
        "增速为-",
        "同比下降",
        "万元",
        "“签约一批”",
        "签约开工率",
        "达产率",
        "力争",
        "(供稿：",
        "备案项目",
        "“标准地”",
        "领办代办项目",
        "其中产业项目",
        "预计年产值",
        "截至",
    ):
        assert needle in text, needle
    facts = [f for c in corpus for f in c[3]]
    assert any(f["type"] == "indicator" and f["value"] is None and f["basis"] == "actual" for f in facts)
    assert any(f["basis"] == "target" for f in facts if f["type"] == "indicator")
    assert any(f["type"] == "pipeline" and f["stage"] == "all" for f in facts)
    assert {f["scope"] for f in facts if f["type"] == "pipeline"} == {"event", "cumulative"}


@pytest.mark.parametrize("size", ["seed", "small"])
def test_sizes_in_range(size, corpus, small_corpus):
    lo, hi = SIZES[size]
    for name, _, text, _ in corpus if size == "seed" else small_corpus:
        assert lo <= len(text.encode("utf-8")) <= hi, (name, len(text.encode("utf-8")))


def test_every_city_and_month():
    for city in CITY_CODES:
        for month in range(1, 13):
            text, facts = generate_report(city, f"2024-{month:02d}", random.Random(month), size="small")
            assert facts and f"{city}商务局" in text
