"""The extraction core, pure Python: read → normalise → segment → extract.

`extract_document(document, period)` turns one read report into facts per the fact contract
(`../shared/acceptance/README.md`), each with its provenance.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .extracting import Fact, extractor_for
from .facts import dedupe, review_reasons
from .normalising import normalise_with_joins
from .reading import Document, ReadError, read_bytes, read_document
from .reference import Reference, load_reference
from .review import confidence
from .segmenting import segment
from .sheet_facts import sheet_facts
from .spreadsheets import is_spreadsheet

NOT_SKELETON = re.compile(r"[^\u3400-\u9fff0-9.]")

__all__ = [
    "Document",
    "Extraction",
    "ReadError",
    "extract_document",
    "extract_path",
    "extract_text",
    "read_document",
    "read_bytes",
]


@dataclass(frozen=True)
class Extraction:
    document: Document
    normalised_text: str
    facts: list[dict]


def extract_document(document: Document, period: str | None, ref: Reference | None = None) -> Extraction:
    ref = ref or load_reference()
    if is_spreadsheet(document.encoding):
        return spreadsheet_extraction(document, period, ref)
    text, digit_joins = normalise_with_joins(document.text, ref.city_heading_re)
    facts = extractor_for(ref).extract(segment(text, ref), period)
    doubtful = doubtful_lines(document.low_confidence_lines)
    read_by_ocr = document.reader in ("ocr", "mixed")
    for f in facts:
        if read_by_ocr and f.zone is not None and f.zone.zone_code is None:
            resolve_ocr_variant(f, ref)  # a number whose digits stood on two lines (digit_joins is sorted)
        first_after_start = bisect.bisect_right(digit_joins, f.value_span[0])
        if first_after_start < len(digit_joins) and digit_joins[first_after_start] < f.value_span[1]:
            f.review_reasons.append("number_split_across_lines")
        if doubtful and stands_on_doubtful_line(text, f.value_span, doubtful):
            f.review_reasons.append("ocr_low_confidence")
    return Extraction(document, text, [fact_record(f, document, period, ref) for f in facts])


def spreadsheet_extraction(document: Document, period: str | None, ref: Reference) -> Extraction:
    """A spreadsheet is read by its cells (`sheet_facts.py`): its rendering is neither normalised
    nor segmented, and the facts' spans point into the rendering itself."""
    facts = dedupe(sheet_facts(document.text, ref))
    shanxi = {c.name for c in ref.cities}
    for f in facts:
        f.review_reasons = review_reasons(f, shanxi)
    return Extraction(document, document.text, [fact_record(f, document, period, ref) for f in facts])


def resolve_ocr_variant(f: Fact, ref: Reference) -> None:
    """A zone unknown to the reference in a scan's text that is one hanzi away from one of its
    city's zones is that zone misread (a lost radical: 潞 read as 路): the fact goes to the zone, and a
    person confirms it (review reason ocr_zone_variant)."""
    assert f.zone is not None
    variant = ref.ocr_variant_of(f.zone.text, f.city)
    if variant is not None:
        f.zone = variant
        f.review_reasons = [r for r in f.review_reasons if r != "zone_not_in_reference"] + ["ocr_zone_variant"]


def doubtful_lines(lines: tuple[str, ...]) -> list[str]:
    """The OCR lines read with low confidence that hold a number, as skeletons: the normaliser
    joins, respaces and re-punctuates lines, so they are found again by their characters."""
    return [skeleton(line) for line in lines if any(ch.isdigit() for ch in line)]


def skeleton(text: str) -> str:
    """Hanzi, digits and decimal points only, in their half-width forms."""
    return NOT_SKELETON.sub("", unicodedata.normalize("NFKC", text))


def stands_on_doubtful_line(text: str, value_span: list[int] | tuple[int, int], doubtful: list[str]) -> bool:
    """The number at `value_span` and the characters just before it stand on a low-confidence OCR
    line. The context makes it this number, not the same digits elsewhere."""
    start, end = value_span
    number = skeleton(text[start:end])
    context = skeleton(text[max(0, start - 12) : start])[-4:] + number
    return bool(number) and any(context in line for line in doubtful)


def extract_path(path: str | Path, period: str | None) -> Extraction:
    return extract_document(read_document(path), period)


def extract_text(text: str, file_name: str, period: str | None) -> list[dict]:
    """Facts of a report given as text (tests and benchmarks)."""
    return extract_document(read_bytes(text.encode("utf-8"), Path(file_name)), period).facts


def fact_record(f: Fact, doc: Document, period: str | None, ref: Reference) -> dict:
    record: dict[str, object] = {
        "doc": doc.file_name,
        "period": period,
        "type": f.type,
        "city": f.city,
        "zone": f.zone.text if f.zone else None,
    }
    if f.type == "indicator":
        record.update(metric=f.metric, value=f.value, unit=f.unit, yoy_pct=f.yoy_pct, basis=f.basis)
    else:
        record.update(scope=f.scope, stage=f.stage, measure=f.measure, value=f.value, rate_base=f.rate_base)
    record.update(
        zone_code=f.zone.zone_code if f.zone else None,
        zone_resolved=f.zone.resolved if f.zone else None,
        confidence=confidence(f.review_reasons),
        review_reasons=sorted(set(f.review_reasons)),
        doc_id=doc.doc_id,
        evidence=f.sentence.text,
        evidence_span=[f.sentence.start, f.sentence.end],
        value_span=list(f.value_span),
        source_cell=f.source_cell,  # a spreadsheet's fact: its cell and column header; else None
        source_header=f.source_header,
    )
    return record
