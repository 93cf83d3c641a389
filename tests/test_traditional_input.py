"""Reprints in traditional characters, with or without pinyin glosses, yield the facts of the
simplified original (issue 9): our own sample reports and the seed, converted with OpenCC (s2t),
must extract to the same facts."""

import re

import opencc
import pytest
from conftest import ROOT, SEED_REPORT

from devzone.extraction import extract_text

REPORTS = [SEED_REPORT, *sorted((ROOT / "samples" / "reports").glob("*/*.txt"))]
# Glosses as mirror sites print them: after characters with more than one reading.
GLOSSES = {"發": "fā", "區": "qū", "項": "xiàng", "產": "chǎn", "進": "jìn", "設": "shè", "長": "zhǎng", "調": "diào"}
GLOSSED = re.compile("[" + "".join(GLOSSES) + "]")
TRADITIONAL = opencc.OpenCC("s2t")


def meaning(fact: dict) -> tuple:
    """A fact without its provenance (evidence, spans and document id differ with the script)."""
    return tuple(
        fact.get(k)
        for k in (
            "type",
            "city",
            "zone_code",
            "metric",
            "value",
            "unit",
            "yoy_pct",
            "basis",
            "scope",
            "stage",
            "measure",
            "confidence",
        )
    )


def read(path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AssertionError(path)


@pytest.mark.parametrize("glossed", [False, True], ids=["traditional", "traditional+pinyin"])
@pytest.mark.parametrize("report", REPORTS, ids=lambda p: p.name)
def test_a_traditional_reprint_yields_the_facts_of_its_simplified_original(report, glossed):
    text = read(report)
    period = report.parent.name if report != SEED_REPORT else "2023-06"
    original = [meaning(f) for f in extract_text(text, report.name, period)]
    reprint = TRADITIONAL.convert(text)
    assert reprint != text
    if glossed:
        reprint = GLOSSED.sub(lambda m: f"{m.group(0)}({GLOSSES[m.group(0)]})", reprint)
    assert [meaning(f) for f in extract_text(reprint, report.name, period)] == original
