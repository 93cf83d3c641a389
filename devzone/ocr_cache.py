"""The OCR text of every scanned file, kept by the SHA-256 of its bytes under <home>/ocr_cache/.

OCR takes seconds a page; everything else a month needs takes milliseconds. A re-run, a backfill,
a rebuilt warehouse or the landing's second look at a file (its version decisions) must never OCR
the same bytes twice, so the text is kept by content, not by file name or month: the same scan
filed under two names or re-filed next month is read once.

DEVZONE_OCR_CACHE, when set, puts the cache elsewhere, shared by several homes (the test suite's).
The cache's folder is named after the OCR settings (`ocr.SETTINGS_ID`: engine, models, resolution,
threshold): a change of settings reads every scan afresh instead of mixing two readings. Entries
are written by rename, so a killed run leaves no half-written entry, and two processes writing the
same entry write the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from devzone import settings
from devzone.extraction import reading

if TYPE_CHECKING:
    from devzone.extraction.ocr import ScanText


def cache_dir() -> Path:
    """<home>/ocr_cache/<settings>/, or DEVZONE_OCR_CACHE/<settings>/: one cache several homes share
    (the test suite's homes, the benchmarks' homes), which holds only what OCR reads from bytes."""
    from devzone.extraction import ocr  # (its engine loads when a page is read, not here)

    shared = os.environ.get("DEVZONE_OCR_CACHE")
    return (Path(shared) if shared else settings.home() / "ocr_cache") / ocr.SETTINGS_ID


def entry_path(digest: str) -> Path:
    return cache_dir() / f"{digest}.json"


def cached(digest: str) -> ScanText | None:
    """The kept reading of the file with this SHA-256, or None (never read, or an unreadable entry,
    which is then read again)."""
    from devzone.extraction.ocr import ScanText

    try:
        return ScanText.from_json(json.loads(entry_path(digest).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(digest: str, scan: ScanText) -> None:
    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False) as handle:
        json.dump(scan.to_json(), handle, ensure_ascii=False, sort_keys=True)
    os.replace(handle.name, entry_path(digest))


def cached_scan(data: bytes, path: Path) -> ScanText:
    """`reading.Scanner` with the cache: the kept reading of these bytes, else OCR them and keep it."""
    digest = hashlib.sha256(data).hexdigest()
    scan = cached(digest)
    if scan is None:
        scan = reading.ocr_scan(data, path)
        store(digest, scan)
    return scan


def needs_reading(path: Path) -> bool:
    """True for a landing file that OCR must read and that the cache does not hold yet."""
    suffix = path.suffix.lower()
    if suffix != ".pdf" and suffix not in reading.IMAGE_SUFFIXES:
        return False
    try:
        data = path.read_bytes()
    except OSError:
        return False  # the landing quarantines it with the reason
    if cached(hashlib.sha256(data).hexdigest()) is not None:
        return False
    from devzone.extraction import ocr

    try:
        return ocr.needs_ocr(data, suffix)
    except reading.ReadError:
        return False
