"""Read a report file into text: .txt (UTF-8, GB18030, or UTF-8/16/32 with a byte order mark), a web
page (.html, .htm, or a page saved as .txt: see `html_text.py`), .docx, .pdf, and scans: a PDF page
without a text layer and an image (.png, .jpg, .tif) are read by OCR (`ocr.py`).

Input: a path. Output: a `Document` whose `text` has one paragraph per line. Anything unreadable
raises `ReadError`, which names the file and the reason.

OCR takes seconds a page where everything else takes milliseconds, so the caller chooses how a scan
is read (`scanner`): the landing passes one that keeps each file's OCR text by its SHA-256
(devzone/ocr_cache.py); without one the scan is OCR'd here.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .html_text import HTML_SNIFF_BYTES, declared_charset, looks_like_html, page_text

if TYPE_CHECKING:
    from .ocr import ScanText

TEXT_SUFFIXES = (".txt", ".html", ".htm")  # a .txt may hold a web page too: its bytes tell
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")  # photos and scans of pages: read by OCR
SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".csv")  # cities' tables of indicators: `spreadsheets.py`
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, ".docx", ".pdf", *IMAGE_SUFFIXES, *SPREADSHEET_SUFFIXES)
# Formats a person can convert, and how (the quarantine reason says so).
CONVERTIBLE = {
    ".doc": "legacy Word .doc: open it in Word or WPS and save as .docx",
    ".wps": "WPS .wps document: open it in WPS and save as .docx",
    ".et": "WPS .et spreadsheet: open it in WPS and save as .xlsx",
    ".rtf": "RTF document: open it in Word or WPS and save as .docx",
    ".ofd": "OFD document: export it as PDF",
    ".bmp": "BMP image: save it as .png",
    ".gif": "GIF image: save it as .png",
    ".webp": "WebP image: save it as .png",
    ".heic": "HEIC photo: save or export it as .jpg",
}
# How a scan is read: bytes and path in, the OCR text out (raises ReadError).
Scanner = Callable[[bytes, Path], "ScanText"]
CJK = re.compile(r"[\u3400-\u9fff]")
# Control characters other than tab/newline/carriage return mean the bytes are not text. In UTF-8
# and GB18030 their bytes never occur inside another character, so the bytes are checked (a C
# loop) rather than the decoded text (a scan of a character class, ten times slower).
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# (mark, codec). Windows editors save "Unicode" text as UTF-16 with a mark; every UTF-16 character
# holds NUL bytes, so such text is checked once decoded. The UTF-32-LE mark starts with the
# UTF-16-LE one: it is looked for first.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


class ReadError(Exception):
    """A file that cannot be read as a report; the message names the file and the reason."""

    def __init__(self, path: str | Path, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{Path(path).name}: {reason}")


@dataclass(frozen=True)
class Document:
    doc_id: str  # SHA-256 of the file's bytes
    file_name: str
    path: str
    size: int
    encoding: (
        str  # utf-8, utf-8-sig, utf-16-le/-be, utf-32-le/-be, gb18030, html/<one of those>, docx, pdf, png, jpg, tif
    )
    text: str
    # How the text was read: "text" (a text file or a document's text), "text_layer" (a PDF's),
    # "ocr" (every page OCR'd) or "mixed" (a PDF whose pages without a text layer were OCR'd).
    reader: str = "text"
    pages: int | None = None  # PDF pages or image frames
    ocr_seconds: float | None = None  # time the OCR took (once: a cached scan is not read again)
    ocr_confidence: float | None = None  # the OCR's mean line confidence, 0-1
    # OCR lines below the confidence threshold: the facts whose numbers stand on them are reviewed.
    low_confidence_lines: tuple[str, ...] = ()


def read_document(path: str | Path, scanner: Scanner | None = None) -> Document:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(path, f"cannot open file ({exc.strerror or exc})") from None
    return read_bytes(data, path, scanner)


def read_bytes(data: bytes, path: str | Path, scanner: Scanner | None = None) -> Document:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CONVERTIBLE:
        raise ReadError(path, f"unsupported file type: {CONVERTIBLE[suffix]}")
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(
            path, f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    if not data.strip():
        raise ReadError(path, "empty file")
    scan: ScanText | None = None
    if suffix in TEXT_SUFFIXES:
        text, encoding = text_file(data, path, suffix)
    elif suffix == ".docx":
        text, encoding = docx_text(data, path), "docx"
    elif suffix in SPREADSHEET_SUFFIXES:
        from .spreadsheets import spreadsheet_text

        text, encoding = spreadsheet_text(data, path, suffix)  # xlsx, xls, csv/<codec>
    elif suffix == ".pdf":
        pages = pdf_pages(data, path)
        if all(map(has_text_layer, pages)):
            # A blank line between pages, as OCR'd bulletins show page breaks.
            text, encoding = "\n\n".join(pages), "pdf"
        else:  # a scan, or a PDF of text pages and scanned ones: OCR reads the pages without text
            scan = (scanner or ocr_scan)(data, path)
            text, encoding = scan.text, "pdf"
    else:
        scan = (scanner or ocr_scan)(data, path)
        text, encoding = scan.text, suffix.removeprefix(".").replace("jpeg", "jpg").replace("tiff", "tif")
    if not text.strip():
        raise ReadError(path, "no text found by OCR: is the image a page of a report?" if scan else "no text in file")
    if not CJK.search(text):
        raise ReadError(path, "no Chinese text: not a report")
    return Document(
        doc_id=hashlib.sha256(data).hexdigest(),
        file_name=path.name,
        path=str(path),
        size=len(data),
        encoding=encoding,
        text=text.replace("\r\n", "\n").replace("\r", "\n"),
        reader=scan.reader if scan else ("text_layer" if suffix == ".pdf" else "text"),
        pages=scan.pages if scan else (len(pages) if suffix == ".pdf" else None),
        ocr_seconds=scan.seconds if scan else None,
        ocr_confidence=scan.mean_confidence if scan else None,
        low_confidence_lines=scan.low_confidence_lines if scan else (),
    )


def ocr_scan(data: bytes, path: Path) -> ScanText:
    """OCR a scanned PDF or an image, without a cache."""
    from .ocr import scan_image, scan_pdf

    return scan_pdf(data, path) if path.suffix.lower() == ".pdf" else scan_image(data, path)


def is_common_chinese(ch: str) -> bool:
    """One of the 3,755 commonly used hanzi (GB2312 level 1) or Chinese punctuation."""
    if "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef":
        return True
    try:
        encoded = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


def cjk_share(text: str) -> float:
    """Share of commonly used Chinese characters. Bytes decoded with the wrong codec come out as
    rare hanzi, kana and symbols (UTF-8 "朔州" read as GB18030 is "鏈斿窞"), so this tells the
    right reading from the wrong one even when both decode."""
    chinese = [ch for ch in text if not ch.isascii() and not ch.isspace()]
    return sum(map(is_common_chinese, chinese)) / max(len(chinese), 1)


def text_file(data: bytes, path: Path, suffix: str) -> tuple[str, str]:
    """A text file's text; a web page's (.html, or HTML whatever the suffix) is what a reader sees
    of it, not its markup, navigation and scripts."""
    mark, codec = byte_order_mark(data)
    head = data[len(mark) : HTML_SNIFF_BYTES].decode(codec or "latin-1", "ignore")
    if suffix == ".txt" and not looks_like_html(head):
        return decode_text(data, path)
    # A byte order mark outranks the charset the page declares, as in a browser.
    text, encoding = decode_text(data, path, None if mark else declared_charset(head))
    return page_text(text), f"html/{encoding}"


def byte_order_mark(data: bytes) -> tuple[bytes, str | None]:
    return next(((mark, codec) for mark, codec in BYTE_ORDER_MARKS if data.startswith(mark)), (b"", None))


def decode_text(data: bytes, path: Path, declared: str | None = None) -> tuple[str, str]:
    """Strict decoding: by the byte order mark, else by the charset a web page declares when its
    bytes are that, else UTF-8 or GB18030: when both decode, the larger share of CJK wins."""
    mark, codec = byte_order_mark(data)
    if codec is not None:  # (there is a codec exactly when there is a mark)
        try:
            text = data[len(mark) :].decode(codec)
        except UnicodeDecodeError:
            name = codec.upper()
            raise ReadError(path, f"starts with a {name} byte order mark but is not valid {name}") from None
        # UTF-16 and UTF-32 bytes hold NULs: their text is checked, as UTF-8 bytes.
        check_text(text, data if codec == "utf-8" else text.encode("utf-8"), path)
        return text, "utf-8-sig" if codec == "utf-8" else codec
    if declared:
        try:
            return check_text(data.decode(declared), data, path), declared
        except UnicodeDecodeError:
            pass  # a page that misstates its charset: its bytes tell
    candidates = []
    for encoding in ("utf-8", "gb18030"):
        try:
            candidates.append((data.decode(encoding), encoding))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise ReadError(path, "text decodes neither as UTF-8 nor as GB18030")
    # Where both decode, the reading with the larger share of (common) CJK characters wins;
    # a tie keeps UTF-8.
    text, encoding = max(candidates, key=lambda c: cjk_share(c[0])) if len(candidates) > 1 else candidates[0]
    return check_text(text, data, path), encoding


def check_text(text: str, data: bytes, path: Path) -> str:
    """`text` unless `data`, its bytes in an encoding where control characters stand for
    themselves (UTF-8, GB18030, ASCII-based charsets), holds control characters."""
    if len(data.translate(None, CONTROL_BYTES)) != len(data):
        raise ReadError(path, "binary content (control characters) in a text file")
    return text


def docx_text(data: bytes, path: Path) -> str:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(path, f"not a valid .docx file ({exc.__class__.__name__})") from None
    except Exception as exc:  # python-docx raises assorted errors on damaged packages
        raise ReadError(path, f"not a valid .docx file ({exc.__class__.__name__}: {exc})") from None
    lines: list[str] = []
    # Walk the body in order so that tables stay where they stand between paragraphs.
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:
                    # A cell merged across columns comes once per grid column, each time with the
                    # same underlying <w:tc> element: its text is kept once.
                    if cell._tc is not previous:
                        cells.append(" ".join(cell.text.split()))
                    previous = cell._tc
                lines.append("\t".join(cells))
    return "\n".join(lines)


ENCRYPTED_PDF = "encrypted PDF (password-protected): save or print an unprotected copy to PDF and file that"


def has_text_layer(text: str) -> bool:
    """A PDF page's text layer holds Chinese: a page number stamped on a scan is no text layer,
    and such a page is read by OCR."""
    return bool(CJK.search(text))


def pdf_pages(data: bytes, path: Path) -> list[str]:
    """The text layer of each page ("" for a page without one: a scanned page)."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [page.extract_text() or "" for page in pdf.pages]
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReadError(path, ENCRYPTED_PDF) from None
    except (PDFSyntaxError, PdfminerException) as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise ReadError(path, ENCRYPTED_PDF) from None
        raise ReadError(path, f"not a valid PDF ({exc.__class__.__name__})") from None
    except Exception as exc:  # pdfminer raises assorted errors on damaged files
        raise ReadError(path, f"not a valid PDF ({exc.__class__.__name__}: {exc})") from None
