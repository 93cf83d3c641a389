"""A report's normalised text as HTML, its evidence sentence marked and the number in bold.

The spans are the character offsets that rpt_fact_lineage stores (evidence_start/end and
value_start/end index the document's normalised text). The text is escaped, so nothing in a report
can inject markup; the only script is ours, and it scrolls the text box (not the page) to the mark.
"""

from __future__ import annotations

import html
import itertools

BOX_ID = "devzone-document"
MARK_ID = "devzone-evidence"

SCROLL_TO_MARK = f"""<script>
(() => {{
  const box = document.getElementById("{BOX_ID}");
  const mark = document.getElementById("{MARK_ID}");
  if (box && mark) box.scrollTop = mark.offsetTop - box.offsetTop - box.clientHeight / 3;
}})();
</script>"""


def valid_span(start, end, length: int) -> tuple[int, int] | None:
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError):  # None or NaN: no span stored
        return None
    return (start, end) if 0 <= start < end <= length else None


def highlight_document(text: str, sentence: tuple | None, number: tuple | None, height_px: int = 460) -> str:
    """HTML of `text` in a scrolling box with `sentence` in <mark> and `number` (inside it) in <b>."""
    sentence = valid_span(*(sentence or (None, None)), len(text))
    number = valid_span(*(number or (None, None)), len(text))
    if sentence and number and not (sentence[0] <= number[0] and number[1] <= sentence[1]):
        number = None  # a number outside its sentence would break the nesting; mark the sentence only

    cuts = sorted({0, len(text), *(sentence or ()), *(number or ())})
    parts = []
    for start, end in itertools.pairwise(cuts):
        piece = html.escape(text[start:end])
        if number and (start, end) == number:
            piece = f"<b>{piece}</b>"
        if sentence and start == sentence[0]:
            piece = f'<mark id="{MARK_ID}">' + piece
        if sentence and end == sentence[1]:
            piece += "</mark>"
        parts.append(piece)
    return (
        f'<div id="{BOX_ID}" style="max-height:{height_px}px; overflow-y:auto; white-space:pre-wrap; '
        "line-height:1.8; padding:0.75rem 1rem; border:1px solid rgba(49,51,63,0.2); border-radius:0.5rem; "
        f"font-family:'Noto Serif CJK SC','Songti SC',SimSun,serif;\">{''.join(parts)}</div>"
    )
