"""Read scanned reports: image-only PDF pages and pictures (.png .jpg .jpeg .tif .tiff) through OCR.

Input: a file's bytes and its path (for messages). Output: a `ScanText` whose `text` reads like a
report's text file: one paragraph per line, table rows as one line with their cells separated by
spaces, pages separated by a blank line (as `reading.pdf_text` does), so that the normaliser, the
segmenter and the text-table parser take it as they take any report.

This module is pure: no files written, no cache. The caller caches by the bytes' SHA-256
(`ScanText.to_json`/`from_json`) and fans files out over processes.

Why these choices (figures in docs/ocr.md, re-run with `bench/ocr_engines.py`):
- RapidOCR (PP-OCRv4 models, onnxruntime) reads the genre's Chinese with numbers far better than
  Tesseract's chi_sim, and ships its models inside the wheel (no download at run time).
- One onnxruntime thread per process: files are OCR'd in parallel by Dagster's processes, one file
  a step, so a second intra-op thread would only compete with the other process for the 2 cores.
- Pages are rendered at `RENDER_DPI`; above it OCR gets slower without reading better.
- OCR returns text runs with boxes, not text: `lay_out` puts them in reading order (columns split
  at a gutter, rows top to bottom, cells of one row joined by a space, the lines of one paragraph
  joined without one, since Chinese has no spaces between words).
"""

from __future__ import annotations

import functools
import io
import math
import re
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .reading import IMAGE_SUFFIXES, ReadError, has_text_layer, pdf_pages

# The DPI a PDF page without a text layer is rendered at for OCR (bench: DPI sweep). Also for a scan
# of less: a 150-dpi scan of the seed rendered at 150 read with 3x the errors (CER 0.033 against
# 0.0105), for 1.8x less time.
RENDER_DPI = 200
ONNX_THREADS = 1  # intra-op threads per process (bench: 1 vs 2 threads)
LOW_CONFIDENCE = 0.9  # runs read with less confidence are listed for review (bench: confidence vs errors)
MIN_SKEW_DEGREES = 0.3  # smaller skews are left alone: rotating would only blur the glyphs
MAX_SKEW_DEGREES = 8.0  # photos of a page held by hand; larger angles are not "light" skew
# The OCR cache's folder (devzone/ocr_cache.py): a reading made with other settings is not reused.
# Change the layout version when the way runs are laid out into text changes.
LAYOUT_VERSION = 1
SETTINGS_ID = (
    f"rapidocr-1.4.4-ppocrv4-dpi{RENDER_DPI}-conf{LOW_CONFIDENCE}-skew{MIN_SKEW_DEGREES}-{MAX_SKEW_DEGREES}"
    f"-layout{LAYOUT_VERSION}"
)
CJK_CHAR = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
PARAGRAPH_END = set("。！？；：.!?;:）)】」”’")


@dataclass(frozen=True)
class OcrLine:
    """One run of text as OCR found it: its text, its recognition score, the page (1-based) and
    its box (left, top, right, bottom) in the page picture's pixels, skew removed."""

    text: str
    confidence: float
    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class ScanText:
    """A scanned file's text and how it was read, small enough to cache as JSON."""

    text: str
    reader: str  # "ocr" (every page OCR'd) | "mixed" (some pages from their text layer, some OCR'd)
    pages: int
    ocr_pages: int
    seconds: float
    mean_confidence: float | None  # over the OCR'd characters; None when nothing was OCR'd
    low_confidence_lines: tuple[str, ...]  # runs read below LOW_CONFIDENCE, for a reviewer

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["low_confidence_lines"] = list(self.low_confidence_lines)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ScanText:
        return cls(**{**data, "low_confidence_lines": tuple(data["low_confidence_lines"])})


# --- the engine ---------------------------------------------------------------------------------


@functools.cache
def engine(threads: int = ONNX_THREADS) -> Any:
    """One RapidOCR engine per process (and thread count), created on first use: loading the
    three ONNX models takes about a second, and a process OCRs many pages."""
    from rapidocr_onnxruntime import RapidOCR

    # max_side_len: RapidOCR shrinks pictures above 2000 px by default, which would undo the render
    # DPI on A4 pages; the detector's own input size limit still applies.
    return RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, max_side_len=4000, print_verbose=False)


def recognise(image: np.ndarray, page: int, threads: int = ONNX_THREADS) -> list[OcrLine]:
    """The text runs on one greyscale page picture, with boxes freed of the page's skew (the
    median slant of the long runs), so that rows line up for `lay_out`."""
    rgb = np.ascontiguousarray(np.stack([image] * 3, axis=-1)) if image.ndim == 2 else image
    result, _ = engine(threads)(rgb)
    runs = [(np.asarray(quad, dtype=np.float64), str(text), float(score)) for quad, text, score in result or []]
    slants = [
        math.atan2(q[1][1] - q[0][1], q[1][0] - q[0][0])
        for q, _, _ in runs
        if np.linalg.norm(q[1] - q[0]) > 3 * np.linalg.norm(q[3] - q[0])
    ]
    angle = statistics.median(slants) if slants else 0.0
    cos, sin = math.cos(-angle), math.sin(-angle)
    lines = []
    for quad, text, score in runs:
        xs = quad[:, 0] * cos - quad[:, 1] * sin
        ys = quad[:, 0] * sin + quad[:, 1] * cos
        box = (float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max()))
        if text.strip():
            lines.append(OcrLine(text.strip(), round(score, 4), page, box))
    return lines


# --- reading order ------------------------------------------------------------------------------


def joiner(left: str, right: str) -> str:
    """Between two pieces of one text run: nothing, unless both sides are Latin words."""
    return " " if left and right and LATIN.match(left[-1]) and LATIN.match(right[0]) else ""


@dataclass
class Row:
    runs: list[OcrLine]
    text: str = ""
    cells: int = 1

    @property
    def left(self) -> float:
        return min(r.box[0] for r in self.runs)

    @property
    def right(self) -> float:
        return max(r.box[2] for r in self.runs)

    @property
    def height(self) -> float:
        return statistics.median(r.box[3] - r.box[1] for r in self.runs)

    @property
    def top(self) -> float:
        return min(r.box[1] for r in self.runs)

    @property
    def bottom(self) -> float:
        return max(r.box[3] for r in self.runs)


def rows_of(runs: list[OcrLine], height: float) -> list[Row]:
    """Runs grouped into visual rows (their vertical centres within half a character), left to
    right; runs further apart than a character are cells and get a space between them."""
    rows: list[Row] = []
    for run in sorted(runs, key=lambda r: ((r.box[1] + r.box[3]) / 2, r.box[0])):
        centre = (run.box[1] + run.box[3]) / 2
        if rows and abs(centre - (rows[-1].top + rows[-1].bottom) / 2) < 0.5 * height:
            rows[-1].runs.append(run)
        else:
            rows.append(Row([run]))
    for row in rows:
        row.runs.sort(key=lambda r: r.box[0])
        text = row.runs[0].text
        for before, run in zip(row.runs, row.runs[1:], strict=False):
            if run.box[0] - before.box[2] > 1.2 * height:
                text += " " + run.text
                row.cells += 1
            else:
                text += joiner(text, run.text) + run.text
        row.text = text
    return rows


def paragraphs_of(rows: list[Row], height: float) -> list[str]:
    """Rows joined into paragraphs. A row starts a paragraph when it is indented (or centred),
    when the row before ended its paragraph (`ended_paragraph`), after a wide vertical gap, and
    whenever it or the row before is a table row (several cells), and where the type size changes
    (a title above its first paragraph)."""
    if not rows:
        return []
    left = min(row.left for row in rows)
    right = max(row.right for row in rows)
    paragraphs: list[str] = []
    before: Row | None = None
    for row in rows:
        starts = (
            before is None
            or row.cells > 1
            or before.cells > 1
            or row.left > left + 1.0 * height
            or ended_paragraph(before, right, height)
            or row.top - before.bottom > 1.5 * height
            or abs(row.height - before.height) > 0.3 * max(row.height, before.height)
        )
        if starts:
            paragraphs.append(row.text)
        else:
            paragraphs[-1] += joiner(paragraphs[-1], row.text) + row.text
        before = row
    return paragraphs


def ended_paragraph(row: Row, right: float, height: float) -> bool:
    """Whether a row ends its paragraph: it stops short of the column's right edge after a
    closing mark, or far short (a heading, a last line). A line short by a few characters only
    is a wrapped line whose next word, a number like 40.23亿元, did not fit."""
    short = right - row.right
    return short > 8 * height or (short > 1.5 * height and row.text[-1:] in PARAGRAPH_END)


def gutter(runs: list[OcrLine], height: float) -> float | None:
    """The x of the empty band between two text columns, if the page has two: a band at least
    1.5 characters wide in the middle half of the text, crossed by few runs (titles), with runs
    on both sides that fill their column (table cells are short and do not count)."""
    if len(runs) < 6:
        return None
    left = min(r.box[0] for r in runs)
    right = max(r.box[2] for r in runs)
    width = int(right - left)
    if width <= 0:
        return None
    crossing = np.zeros(width + 1, dtype=np.int32)
    for r in runs:
        crossing[int(r.box[0] - left) : int(r.box[2] - left) + 1] += 1
    lo, hi = width // 4, 3 * width // 4
    fewest = int(crossing[lo:hi].min())
    if fewest > max(2, len(runs) // 5):
        return None
    empty = np.flatnonzero(crossing[lo:hi] == fewest) + lo
    # the widest band of positions crossed by the fewest runs
    bands = np.split(empty, np.flatnonzero(np.diff(empty) > 1) + 1)
    band = max(bands, key=len)
    if len(band) < 1.5 * height:
        return None
    x = left + float(band[0] + band[-1]) / 2
    halves = ([r for r in runs if r.box[2] <= x], [r for r in runs if r.box[0] >= x])
    for half, (start, end) in zip(halves, ((left, x), (x, right)), strict=True):
        if len(half) < 2 or statistics.median(r.box[2] - r.box[0] for r in half) < 0.5 * (end - start - height):
            return None
    return x


def lay_out(runs: list[OcrLine]) -> str:
    """One page's runs as text in reading order, one paragraph a line. On a two-column page the
    runs that cross the gutter (titles) cut the page into bands, each read left column first."""
    if not runs:
        return ""
    height = statistics.median(r.box[3] - r.box[1] for r in runs)
    x = gutter(runs, height)
    if x is None:
        return "\n".join(paragraphs_of(rows_of(runs, height), height))
    spanning = sorted((r for r in runs if r.box[0] < x < r.box[2]), key=lambda r: r.box[1])
    columns = [r for r in runs if not r.box[0] < x < r.box[2]]
    cuts = [-math.inf, *(r.box[1] for r in spanning), math.inf]
    paragraphs: list[str] = []
    for top, bottom, title in zip(cuts, cuts[1:], [None, *spanning], strict=False):
        if title is not None:
            paragraphs.append(title.text)
        band = [r for r in columns if top <= r.box[1] < bottom]
        left_rows = rows_of([r for r in band if r.box[2] <= x], height)
        right_rows = rows_of([r for r in band if r.box[0] >= x], height)
        left, right = paragraphs_of(left_rows, height), paragraphs_of(right_rows, height)
        if left and right and continues(left_rows, right_rows, height):
            # a paragraph running on from the foot of the left column to the head of the right
            left[-1] += joiner(left[-1], right[0]) + right[0]
            right = right[1:]
        paragraphs += left + right
    return "\n".join(paragraphs)


def continues(left: list[Row], right: list[Row], height: float) -> bool:
    """Whether the right column opens mid-paragraph: the left column's last row runs to the
    column's edge and the right column's first row is neither indented nor a table row."""
    last, first = left[-1], right[0]
    return (
        last.cells == 1
        and first.cells == 1
        and last.right >= max(r.right for r in left) - 1.5 * height
        and first.left <= min(r.left for r in right) + 1.0 * height
    )


# --- deskew -------------------------------------------------------------------------------------


def skew_degrees(image: np.ndarray) -> float:
    """The page's skew, by projection profiles: the angle whose row sums of ink vary most (text
    lines aligned with the rows give sharp peaks and empty gaps). Coarse to fine, on a half-size
    picture; cheap next to OCR."""
    import cv2

    small = cv2.resize(image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    ink = cv2.adaptiveThreshold(small, 1, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)
    ys, xs = np.nonzero(ink)
    if len(xs) < 100:
        return 0.0
    xs = xs - xs.mean()

    def sharpness(degrees: float) -> float:
        rows = np.rint(ys + xs * math.tan(math.radians(degrees))).astype(np.int64)
        counts = np.bincount(rows - rows.min())
        return float((counts.astype(np.float64) ** 2).sum())

    best = max(np.arange(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES + 0.01, 0.5), key=sharpness)
    best = max(np.arange(best - 0.5, best + 0.51, 0.1), key=sharpness)
    return float(round(best, 1))


def deskew(image: np.ndarray) -> np.ndarray:
    """The picture turned level when it is skewed by more than MIN_SKEW_DEGREES."""
    import cv2

    angle = skew_degrees(image)
    if abs(angle) < MIN_SKEW_DEGREES:
        return image
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), -angle, 1.0)
    border = int(np.median(image))
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_CUBIC, borderValue=border)


# --- files --------------------------------------------------------------------------------------


def summary(pages: list[str], runs: list[OcrLine], started: float, total: int, ocr_pages: int) -> ScanText:
    chars = sum(len(r.text) for r in runs)
    mean = sum(r.confidence * len(r.text) for r in runs) / chars if chars else None
    return ScanText(
        text="\n\n".join(pages),
        reader="ocr" if ocr_pages == total else "mixed",
        pages=total,
        ocr_pages=ocr_pages,
        seconds=round(time.perf_counter() - started, 3),
        mean_confidence=None if mean is None else round(mean, 4),
        low_confidence_lines=tuple(r.text for r in runs if r.confidence < LOW_CONFIDENCE),
    )


def scan_pdf(data: bytes, path: str | Path, dpi: int = RENDER_DPI, threads: int = ONNX_THREADS) -> ScanText:
    """A PDF's text, page by page: a page's own text layer where it has one, else OCR of the page
    rendered at `dpi`."""
    return scan_pdf_runs(data, path, dpi, threads)[0]


def scan_pdf_runs(
    data: bytes, path: str | Path, dpi: int = RENDER_DPI, threads: int = ONNX_THREADS
) -> tuple[ScanText, list[OcrLine]]:
    """`scan_pdf` with the OCR'd runs themselves (for the bench's confidence measurements)."""
    import pypdfium2 as pdfium

    started = time.perf_counter()
    layers = pdf_pages(data, Path(path))  # (encrypted and damaged files raise ReadError there)
    if not layers:
        raise ReadError(path, "PDF has no pages")
    pages: list[str] = []
    runs: list[OcrLine] = []
    ocr_pages = 0
    document = None
    try:
        for number, layer in enumerate(layers, start=1):
            if has_text_layer(layer):
                pages.append(layer)
                continue
            if document is None:
                document = pdfium.PdfDocument(data)
            bitmap = document[number - 1].render(scale=dpi / 72, grayscale=True)
            image = np.asarray(bitmap.to_pil().convert("L"))
            found = recognise(image, number, threads)
            runs.extend(found)
            pages.append(lay_out(found))
            ocr_pages += 1
    except pdfium.PdfiumError as exc:
        raise ReadError(path, f"cannot render PDF page ({exc}); re-export or re-scan it") from None
    finally:
        if document is not None:
            document.close()
    return summary(pages, runs, started, len(layers), ocr_pages), runs


def image_pages(data: bytes, path: str | Path) -> list[np.ndarray]:
    """The frames of a picture (a multi-page TIFF has several) as greyscale arrays."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    frames = []
    try:
        with Image.open(io.BytesIO(data)) as picture:
            for index in range(getattr(picture, "n_frames", 1)):
                picture.seek(index)
                frame = ImageOps.exif_transpose(picture.copy()) or picture.copy()
                frames.append(np.asarray(frame.convert("L")))
    except UnidentifiedImageError:
        raise ReadError(path, "not a picture this reader knows (PNG, JPEG, TIFF); re-save or re-scan it") from None
    except (OSError, ValueError, EOFError) as exc:
        raise ReadError(path, f"damaged or truncated picture ({exc}); re-save or re-scan it") from None
    if not frames:
        raise ReadError(path, "picture has no frames")
    return frames


def scan_image(data: bytes, path: str | Path, straighten: bool = False, threads: int = ONNX_THREADS) -> ScanText:
    """A picture's text, each frame a page. `straighten` levels the picture first (`deskew`);
    off by default, since a photo skewed a few degrees reads as well without it (docs/ocr.md)."""
    return scan_image_runs(data, path, straighten, threads)[0]


def scan_image_runs(
    data: bytes, path: str | Path, straighten: bool = False, threads: int = ONNX_THREADS
) -> tuple[ScanText, list[OcrLine]]:
    """`scan_image` with the OCR'd runs themselves."""
    started = time.perf_counter()
    frames = image_pages(data, path)
    pages: list[str] = []
    runs: list[OcrLine] = []
    for number, frame in enumerate(frames, start=1):
        found = recognise(deskew(frame) if straighten else frame, number, threads)
        runs.extend(found)
        pages.append(lay_out(found))
    return summary(pages, runs, started, len(frames), len(frames)), runs


def needs_ocr(data: bytes, suffix: str) -> bool:
    """Whether reading the file needs OCR: a picture always, a PDF when a page lacks a text layer.
    Cheap (no rendering, no OCR); an unreadable PDF is left to the reader, which says why."""
    suffix = suffix.lower() if suffix.startswith(".") else "." + suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return True
    if suffix != ".pdf":
        return False
    try:
        return not all(map(has_text_layer, pdf_pages(data, Path("file.pdf"))))
    except ReadError:
        return False
