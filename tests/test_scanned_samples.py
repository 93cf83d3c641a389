"""One of our own samples turned into a scanned PDF (晋中's 2024 report, bundled as a photo: a CJK
font, 150 dpi, light noise, no text layer), read by OCR and extracted to its labels at the issue's
bar; the OCR's character error rate against the text is reported (bench/ocr_engines.py's measure).
The other, 长治's 2024 report, is a bundled scanned PDF (test_acceptance.py). The seed rendered the
same way is six pages of OCR, too many for the suite: `make ocr-eval` (bench/seed_scan.py) holds it
to the same bar.

The scan is read through the session's shared OCR cache (tests/conftest.py)."""

from conftest import ROOT, load_jsonl

from bench.ocr_engines import cer
from devzone import ocr_cache
from devzone.extraction import extract_document, read_bytes
from devzone.synthetic.scans import scanned_pdf

PRECISION, RECALL = 0.97, 0.95
MAX_CHARACTER_ERROR_RATE = 0.02


def scanned(text: str, name: str):
    return read_bytes(scanned_pdf(text, dpi=150), name, ocr_cache.cached_scan)


def test_a_report_rendered_as_a_scanned_pdf_is_extracted_to_its_labels(scorer, capsys):
    source = ROOT / "samples" / "sources" / "jinzhong_2024-12.txt"
    labels = ROOT / "samples" / "expected" / "2024-12" / "jinzhong_2024-12.jsonl"
    period = "2024-12"
    text = source.read_bytes().decode("utf-8-sig")
    document = scanned(text, source.stem + ".pdf")
    assert (document.reader, document.encoding) == ("ocr", "pdf")
    expected = [dict(f, doc=source.stem + ".pdf") for f in load_jsonl(labels)]
    facts = extract_document(document, period).facts
    result = scorer.score(expected, facts)
    error_rate = cer(text, document.text)
    with capsys.disabled():
        print(
            f"\n{source.name} scanned: {document.pages} pages, CER {error_rate:.4f}, mean confidence "
            f"{document.ocr_confidence:.3f}, precision {result['precision']:.3f}, recall {result['recall']:.3f}"
        )
    assert result["precision"] >= PRECISION and result["recall"] >= RECALL, result
    assert error_rate <= MAX_CHARACTER_ERROR_RATE
