#!/usr/bin/env python3
"""OCR engines on our material: which engine, which render DPI, how many threads, which
confidence threshold, whether photos need deskewing, and whether OCR'd text still extracts.

    .venv/bin/python bench/ocr_engines.py [--skip-sweep] [--skip-tesseract]

Material: the seed report (../shared/seeds/, read at run time, never copied) and two samples
(changzhi 2023-06, datong 2024-03), each drawn into an image-only PDF by
`devzone/synthetic/scans.py`, plus a 3°-skewed photo of datong's first page.

Figures: character error rate (Levenshtein distance over the text with all whitespace removed,
divided by the source's length), pages per minute on this machine, the acceptance scores of the
OCR'd text (`extract_text` then ../shared/acceptance/score.py), a render DPI sweep, one process
with 2 onnxruntime threads against two processes with 1 thread each, the share of wrongly read
runs caught by each confidence threshold, and Tesseract (Debian's `tesseract -l chi_sim`, skipped
with a message when absent). Writes nothing; prints Markdown tables for docs/ocr.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from devzone.extraction import extract_text, ocr  # noqa: E402
from devzone.synthetic import scans  # noqa: E402

SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_ba67b8aa7711c97e.txt"
SAMPLES = (("changzhi_2023-06", "2023-06"), ("datong_2024-03", "2024-03"))
SPACE = re.compile(r"\s+")


def scorer():
    spec = importlib.util.spec_from_file_location("acceptance_score", SHARED / "acceptance" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one numpy row at a time: deletions and substitutions vectorised,
    insertions by a running minimum (d[j] = j + min over k<=j of (t[k] - k))."""
    if not a or not b:
        return len(a) + len(b)
    codes_b = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    steps = np.arange(len(b) + 1)
    row = steps.copy()
    for i, ch in enumerate(a, start=1):
        substitute = row[:-1] + (codes_b != ord(ch))
        delete = row[1:] + 1
        t = np.empty_like(row)
        t[0] = i
        t[1:] = np.minimum(substitute, delete)
        row = np.minimum.accumulate(t - steps) + steps
    return int(row[-1])


def fold(text: str) -> str:
    """Whitespace removed and full-width forms folded (NFKC): "（" and "(" are one glyph in a
    CJK font, so an engine cannot tell them apart and the normaliser treats them alike."""
    return SPACE.sub("", unicodedata.normalize("NFKC", text.lstrip("\ufeff")))


def cer(source: str, read: str, folded: bool = False) -> float:
    """Character error rate over the text without whitespace; `folded` also ignores width."""
    truth, got = (fold(source), fold(read)) if folded else (SPACE.sub("", source.lstrip("\ufeff")), SPACE.sub("", read))
    return edit_distance(truth, got) / max(len(truth), 1)


def material() -> list[tuple[str, str, str, list[dict]]]:
    """(name, month, text, expected facts) for the seed and the two samples; the name is the
    file's stem, which the scorer matches facts on."""
    items = []
    if SEED.exists():
        items.append(
            (
                SEED.stem,
                "2023-06",
                SEED.read_text(encoding="utf-8"),
                load_jsonl(SHARED / "acceptance" / "seed_facts.jsonl"),
            )
        )
    else:
        print(f"(seed {SEED} absent: skipped)")
    for name, month in SAMPLES:
        text = (ROOT / "samples" / "reports" / month / f"{name}.txt").read_text(encoding="utf-8-sig")
        items.append((name, month, text, load_jsonl(ROOT / "samples" / "expected" / month / f"{name}.jsonl")))
    return items


def acceptance(score_module, text: str, name: str, month: str, expected: list[dict]) -> dict:
    facts = extract_text(text, f"{name}.txt", month)
    return score_module.score(expected, facts)


def per_minute(pages: int, seconds: float) -> float:
    return 60 * pages / seconds if seconds else float("nan")


def rapidocr_on_material(score_module, items) -> list[tuple[str, ocr.OcrLine, bool]]:
    """The headline table; returns every run with whether its text occurs in the source."""
    print(f"\n## RapidOCR on image-only PDFs (render at {ocr.RENDER_DPI} dpi, {ocr.ONNX_THREADS} thread)\n")
    print("| report | scan dpi | pages | CER | CER width-folded | pages/min | mean confidence | precision | recall |")
    print("|---|---|---|---|---|---|---|---|---|")
    judged = []
    for name, month, text, expected in items:
        for scan_dpi in (150, 200) if name == SEED.stem else (150,):
            pdf = scans.scanned_pdf(text, dpi=scan_dpi)
            scan, runs = ocr.scan_pdf_runs(pdf, f"{name}.pdf")
            result = acceptance(score_module, scan.text, name, month, expected)
            print(
                f"| {name} | {scan_dpi} | {scan.pages} | {cer(text, scan.text):.4f} | {cer(text, scan.text, True):.4f} | "
                f"{per_minute(scan.pages, scan.seconds):.1f} | {scan.mean_confidence:.3f} | "
                f"{result['precision']:.3f} | {result['recall']:.3f} |"
            )
            if result["recall"] < 1 or result["precision"] < 1:
                score_module.score(expected, extract_text(scan.text, f"{name}.txt", month), verbose=True)
            source = fold(text)
            judged += [(name, run, fold(run.text) in source) for run in runs]
    return judged


def thresholds(judged) -> None:
    print("\n## Confidence threshold: wrongly read runs caught, runs flagged\n")
    wrong = [run for _, run, right in judged if not right]
    print(f"{len(judged)} runs, {len(wrong)} not found verbatim in the source\n")
    print("| threshold | wrong runs flagged | all runs flagged |")
    print("|---|---|---|")
    for threshold in (0.7, 0.8, 0.85, 0.9, 0.95):
        caught = sum(run.confidence < threshold for run in wrong)
        flagged = sum(run.confidence < threshold for _, run, _ in judged)
        print(f"| {threshold} | {caught}/{len(wrong)} | {flagged}/{len(judged)} |")
    for run in sorted(wrong, key=lambda r: r.confidence)[:15]:
        print(f"    {run.confidence:.3f} {run.text[:60]}")


def dpi_sweep(text: str) -> None:
    print("\n## Render DPI sweep (datong scanned at 300 dpi, rendered for OCR at ...)\n")
    print("| render dpi | CER | CER width-folded | pages/min |")
    print("|---|---|---|---|")
    pdf = scans.scanned_pdf(text, dpi=300)
    for dpi in (100, 150, 200, 300):
        scan = ocr.scan_pdf(pdf, "datong.pdf", dpi=dpi)
        print(
            f"| {dpi} | {cer(text, scan.text):.4f} | {cer(text, scan.text, True):.4f} | "
            f"{per_minute(scan.pages, scan.seconds):.1f} |"
        )


def _one_thread_scan(pdf: bytes) -> int:
    return ocr.scan_pdf(pdf, "datong.pdf", threads=1).pages


def threads(text: str) -> None:
    print("\n## Threads: one process with 1 or 2 onnxruntime threads, two processes with 1 each\n")
    print("| setting | pages | seconds | pages/min |")
    print("|---|---|---|---|")
    pdf = scans.scanned_pdf(text, dpi=150)
    for n in (1, 2):
        scan = ocr.scan_pdf(pdf, "datong.pdf", threads=n)
        print(
            f"| 1 process x {n} thread(s) | {scan.pages} | {scan.seconds:.1f} | {per_minute(scan.pages, scan.seconds):.1f} |"
        )
    started = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pages = sum(pool.map(_one_thread_scan, [pdf, pdf]))
    seconds = time.perf_counter() - started  # includes two engine loads (~1 s each)
    print(f"| 2 processes x 1 thread | {pages} | {seconds:.1f} | {per_minute(pages, seconds):.1f} |")


def photo(text: str) -> None:
    print("\n## Photo of datong's first page, skewed 3°\n")
    truth = "".join(run.text for run in scans.layout(text, 150)[0])
    print("| straightened | CER | seconds |")
    print("|---|---|---|")
    jpeg = scans.photo(text, skew_degrees=3.0)
    for straighten in (False, True):
        scan = ocr.scan_image(jpeg, "photo.jpg", straighten=straighten)
        print(f"| {straighten} | {cer(truth, scan.text):.4f} | {scan.seconds:.1f} |")


def tesseract(items) -> None:
    print(f"\n## Tesseract (chi_sim, 1 thread) on the same pages rendered at {ocr.RENDER_DPI} dpi\n")
    if not shutil.which("tesseract"):
        print("tesseract not installed: skipped (apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
        return
    import pypdfium2 as pdfium

    print("| report | pages | CER | CER width-folded | pages/min |")
    print("|---|---|---|---|---|")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    for name, _, text, _ in items:
        if name == SEED.stem:
            continue
        document = pdfium.PdfDocument(scans.scanned_pdf(text, dpi=150))
        pages, started = [], time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            for number in range(len(document)):
                picture = Path(tmp) / f"{number}.png"
                document[number].render(scale=ocr.RENDER_DPI / 72, grayscale=True).to_pil().save(picture)
                out = subprocess.run(
                    ["tesseract", str(picture), "-", "-l", "chi_sim"], capture_output=True, text=True, env=env
                )
                if out.returncode:
                    print(f"tesseract failed: {out.stderr.strip()[:200]}")
                    return
                pages.append(out.stdout)
        seconds = time.perf_counter() - started
        read = "".join(pages)
        print(
            f"| {name} | {len(pages)} | {cer(text, read):.4f} | {cer(text, read, True):.4f} | "
            f"{per_minute(len(pages), seconds):.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-sweep", action="store_true", help="skip the DPI sweep and the threads table")
    parser.add_argument("--skip-tesseract", action="store_true")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    score_module = scorer()
    items = material()
    datong = next(text for name, _, text, _ in items if name.startswith("datong"))
    ocr.engine()  # load the models once, outside the timings
    judged = rapidocr_on_material(score_module, items)
    thresholds(judged)
    photo(datong)
    if not args.skip_tesseract:
        tesseract(items)
    if not args.skip_sweep:
        dpi_sweep(datong)
        threads(datong)


if __name__ == "__main__":
    main()
