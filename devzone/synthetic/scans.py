"""Scanned reports of our own making: text laid out like a printed bulletin and saved as pictures,
so that the OCR reader (`devzone/extraction/ocr.py`) is tested and measured on pages whose true
text is known.

    scanned_pdf(text)          # an image-only A4 PDF, one picture per page, no text layer
    scanned_pdf(text, columns=2)
    photo(text, skew_degrees=3) # a phone photo of the first page: skewed, unevenly lit, noisy JPEG

The layout follows the cities' bulletins: the first line is the title, centred and larger; every
other line is a paragraph, indented two characters and wrapped to the column width; lines holding
tabs are table rows, drawn as aligned columns; a blank line is a little vertical space. Numbers
and Latin words are never broken across lines (a printer does not break 58.36 either).

Everything is deterministic (fixed noise seeds, no dates in the PDF): the same text gives the same
bytes, which the OCR cache and the determinism tests rely on. The CJK font comes from the
`mplfonts` package (a dev dependency), not from the system, so every machine draws the same pages.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = (0.9, 1.0)  # left/right, top/bottom
BODY_POINTS = 12.0  # 小四, the usual body size of a printed bulletin
TITLE_POINTS = 18.0
LINE_SPACING = 1.6  # line pitch as a multiple of the font size
COLUMN_GAP_CHARS = 3  # gutter between two text columns, in body characters
CELL_GAP_CHARS = 2.5  # space between table cells, in body characters
INK = 20
FIXED_DATE = time.struct_time((2024, 1, 1, 0, 0, 0, 0, 1, 0))  # Pillow's PDF dates are time.struct_time
PAPER = 250
# A token never broken across lines: a run of digits, Latin letters and the marks inside numbers.
UNBREAKABLE = re.compile(r"[0-9A-Za-z.%．％\-+/]+|.", re.S)
NO_LINE_START = set("，。；：、？！）》”’%,.;:)")


@functools.cache
def font_path() -> Path:
    """Noto Sans CJK SC from the mplfonts wheel: found without importing mplfonts (which would
    import matplotlib)."""
    spec = importlib.util.find_spec("mplfonts")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the CJK font comes from the dev dependency mplfonts==0.0.11: pip install it")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts" / "NotoSansCJKsc-Regular.otf"


@functools.cache
def font(pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path()), pixels)


@dataclass(frozen=True)
class Placed:
    """One run of text on a page: its top-left corner in pixels and its font size."""

    x: float
    y: float
    text: str
    size: int


def points_to_pixels(points: float, dpi: int) -> int:
    return max(6, round(points / 72 * dpi))


def wrap(text: str, width: float, face: ImageFont.FreeTypeFont, indent: float) -> list[str]:
    """Greedy wrapping by token; closing punctuation stays on the line before (禁则)."""
    lines: list[str] = []
    current = ""
    room = width - indent
    for token in UNBREAKABLE.findall(text):
        if current and face.getlength(current + token) > room and token[0] not in NO_LINE_START:
            lines.append(current)
            current, room = "", width
        current += token
    if current:
        lines.append(current)
    return lines


def layout(text: str, dpi: int, columns: int = 1, page_inches: tuple[float, float] = A4_INCHES) -> list[list[Placed]]:
    """The pages of `text` as runs placed in pixel coordinates."""
    page_w, page_h = (round(inches * dpi) for inches in page_inches)
    margin_x, margin_y = (round(inches * dpi) for inches in MARGIN_INCHES)
    body = points_to_pixels(BODY_POINTS, dpi)
    pitch = round(body * LINE_SPACING)
    gutter = body * COLUMN_GAP_CHARS
    column_w = (page_w - 2 * margin_x - gutter * (columns - 1)) / columns
    face = font(body)

    pages: list[list[Placed]] = [[]]
    column = 0
    y = float(margin_y)

    def column_x() -> float:
        return margin_x + column * (column_w + gutter)

    column_top = float(margin_y)  # below the title on the first page

    def make_room(height: float) -> None:
        nonlocal column, y, column_top
        if y + height <= page_h - margin_y:
            return
        column += 1
        if column == columns:
            pages.append([])
            column = 0
            column_top = float(margin_y)
        y = column_top

    lines = text.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    title_done = False
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        if not line.strip():
            y += pitch * 0.4
            index += 1
            continue
        if not title_done:
            title_done = True
            size = points_to_pixels(TITLE_POINTS, dpi)
            title_face = font(size)
            for part in wrap(line.strip(), page_w - 2 * margin_x, title_face, 0):
                make_room(size * LINE_SPACING)
                x = (page_w - title_face.getlength(part)) / 2
                pages[-1].append(Placed(x, y, part, size))
                y += size * LINE_SPACING
            y += pitch * 0.5
            column_top = y
            index += 1
            continue
        if "\t" in line:
            block = []
            while index < len(lines) and "\t" in lines[index]:
                block.append([cell.strip() for cell in lines[index].rstrip().split("\t")])
                index += 1
            y = place_table(block, column_x, column_w, y, dpi, make_room, lambda: pages[-1])
            y += pitch * 0.3
            continue
        for number, part in enumerate(wrap(line.strip(), column_w, face, 2 * body)):
            make_room(pitch)
            x = column_x() + (2 * body if number == 0 else 0)
            pages[-1].append(Placed(x, y, part, body))
            y += pitch
        index += 1
    return [page for page in pages if page] or [[]]


def place_table(block, left, width, y, dpi, make_room, current_page) -> float:
    """Rows of cells in aligned columns; the font shrinks until the widest row fits."""
    size = points_to_pixels(BODY_POINTS, dpi)
    while True:
        face = font(size)
        gap = size * CELL_GAP_CHARS
        n = max(len(row) for row in block)
        widths = [max((face.getlength(row[c]) for row in block if c < len(row)), default=0.0) for c in range(n)]
        if sum(widths) + gap * (n - 1) <= width or size <= 8:
            break
        size -= 1
    pitch = round(size * LINE_SPACING)
    for row in block:
        make_room(pitch)
        x = left()
        for c, cell in enumerate(row):
            if cell:
                current_page().append(Placed(x, y, cell, size))
            x += widths[c] + gap
        y += pitch
    return y


def draw_page(runs: list[Placed], dpi: int, page_inches: tuple[float, float] = A4_INCHES) -> Image.Image:
    page_w, page_h = (round(inches * dpi) for inches in page_inches)
    image = Image.new("L", (page_w, page_h), PAPER)
    draw = ImageDraw.Draw(image)
    for run in runs:
        draw.text((run.x, run.y), run.text, fill=INK, font=font(run.size))
    return image


def add_noise(image: Image.Image, seed: int, specks: float = 0.0004, grain: float = 6.0) -> Image.Image:
    """Scanner dust (sparse dark specks) and paper grain; seeded, so deterministic."""
    rng = np.random.default_rng(seed)
    pixels = np.asarray(image, dtype=np.float64)
    pixels = pixels + rng.normal(0.0, grain, pixels.shape)
    dust = rng.random(pixels.shape) < specks
    pixels[dust] = rng.uniform(40, 160, int(dust.sum()))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")


def scanned_pdf(
    text: str, dpi: int = 150, columns: int = 1, noise: bool = True, page_inches: tuple[float, float] = A4_INCHES
) -> bytes:
    """An image-only PDF of `text`: A4 pages (or `page_inches`), each one greyscale picture at
    `dpi`, no text layer."""
    pages = [draw_page(runs, dpi, page_inches) for runs in layout(text, dpi, columns, page_inches)]
    if noise:
        pages = [add_noise(page, seed=number) for number, page in enumerate(pages)]
    buffer = io.BytesIO()
    # A fixed date in the PDF's info (Pillow writes the time of saving otherwise): the same text
    # gives the same bytes, and so the same document id.
    pages[0].save(
        buffer,
        "PDF",
        save_all=True,
        append_images=pages[1:],
        resolution=float(dpi),
        creationDate=FIXED_DATE,
        modDate=FIXED_DATE,
    )
    return buffer.getvalue()


def scanned_image(text: str, dpi: int = 150, columns: int = 1, page_inches: tuple[float, float] = A4_INCHES) -> bytes:
    """The first page of `text` as a PNG scan; a page smaller than A4 (`page_inches`) keeps
    tests fast, since OCR time grows with the picture."""
    page = add_noise(draw_page(layout(text, dpi, columns, page_inches)[0], dpi, page_inches), seed=0)
    buffer = io.BytesIO()
    page.save(buffer, "PNG")
    return buffer.getvalue()


def photo(text: str, skew_degrees: float = 3.0, seed: int = 0, dpi: int = 150) -> bytes:
    """A phone photo of the first page of `text`, as JPEG: rotated by `skew_degrees`, lit
    unevenly (brighter towards one corner), slightly blurred, with sensor noise."""
    page = draw_page(layout(text, dpi)[0], dpi)
    rng = np.random.default_rng(seed)
    height, width = page.height, page.width
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    corner = rng.uniform(0.3, 0.7)
    light = 1.0 - 0.22 * ((xx / width) * corner + (yy / height) * (1 - corner))  # shade towards a corner
    pixels = np.asarray(page, dtype=np.float32) * light
    page = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    page = page.rotate(skew_degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=int(PAPER * 0.8))
    page = page.filter(ImageFilter.GaussianBlur(0.6))
    page = add_noise(page, seed=seed + 1, specks=0.0002, grain=5.0)
    buffer = io.BytesIO()
    page.convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
