"""Why the extractor doubts a fact: the review reasons a fact can carry.

A fact with no reason is `confidence: high`; one with any reason is `review`. Review facts are
still extracted and loaded (a person confirms or corrects them); the quality gate lists them with
their reasons as a warning, and the lineage page shows them. The codes are stable: they are
stored in the warehouse (`review_reasons`, comma-separated) and translated by the app.
"""

from __future__ import annotations

REVIEW_REASONS = {
    "subject_inferred": "The city was not stated with the figure, in a heading, the title or the dateline: "
    "it was inferred from the zones, counties and cities the text names.",
    "subject_undecided": "The text names places of several cities and none of them is stated as the figure's "
    "subject: the city is left empty rather than guessed.",
    "zone_not_in_reference": "The zone is not in the zones seed and its city was assumed from the page (or lies "
    "outside Shanxi); it is kept under its written name.",
    "outside_shanxi": "The text names no place in Shanxi: the figure is another province's (its city, or its "
    "own total, which would otherwise read as Shanxi's province-wide figure).",
    "number_split_across_lines": "The number's digits stood on two lines (a page or OCR line break) and were joined: "
    "they may have been two numbers.",
    "ocr_zone_variant": "The scan's text names a zone the reference does not know, one character away from one "
    "of the city's zones (a character misread by OCR): the fact was given to that zone.",
    "ocr_low_confidence": "The number stands on a line that OCR read with a confidence below its threshold: "
    "compare it with the scan.",
}


def confidence(reasons: list[str]) -> str:
    return "review" if reasons else "high"
