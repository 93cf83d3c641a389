"""The extraction core, pure Python: read → normalise → segment → extract.

`extract_document(document, period)` turns one read report into facts per the fact contract
(`../shared/acceptance/README.md`), each with its provenance.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from pathlib import Path

from .extracting import Fact, extractor_for
from .normalising import normalise_with_joins
from .reading import Document, ReadError, read_bytes, read_document
from .reference import Reference, load_reference
from .review import confidence
from .segmenting import segment

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
    text, digit_joins = normalise_with_joins(document.text, ref.city_heading_re)
    facts = extractor_for(ref).extract(segment(text, ref), period)
    for f in facts:  # a number whose digits stood on two lines (digit_joins is sorted)
        first_after_start = bisect.bisect_right(digit_joins, f.value_span[0])
        if first_after_start < len(digit_joins) and digit_joins[first_after_start] < f.value_span[1]:
            f.review_reasons.append("number_split_across_lines")
    return Extraction(document, text, [fact_record(f, document, period, ref) for f in facts])


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
    )
    return record
