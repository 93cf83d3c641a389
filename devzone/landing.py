"""The landing contract: what becomes of each entry under <home>/landing/.

Cities file reports under landing/YYYY-MM/, the last month a report covers. Every entry of a month
folder ends up somewhere a person can see it: a current document, a superseded version, a
duplicate of a kept file, or quarantine with the reason. Nothing is dropped without a trace, and
nothing outside the landing folder is read (links are not followed).

A city may file several documents a month (its monthly report, a 三个一批 special report, a
table). They coexist; one replaces another only when it is a re-issue of the same report: it
says it revises it (更正, 修订, 以此为准) and restates it, or it states the same facts again
(a corrected copy). The decision is pure: `file_month` reads the folder and returns it; the
warehouse writes it.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from devzone import ocr_cache, settings
from devzone.extraction import Document, ReadError, extract_document, read_document
from devzone.extraction.normalising import normalise
from devzone.extraction.period import StatedPeriod, stated_period
from devzone.extraction.reference import Reference
from devzone.extraction.report_kind import declares_revision, report_kind
from devzone.extraction.segmenting import segment
from devzone.extraction.spreadsheets import is_spreadsheet

MONTH_FOLDER = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
SAME_REPORT_OVERLAP = 0.8  # share of fact meanings two documents share when one restates the other
RESTATED_SHARE = 0.5  # a revision that restates less of its predecessor is a correction notice beside it
NOT_REGULAR = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


@dataclass(frozen=True)
class Refused:
    """A landing entry that is not read: the reason says why and what to do."""

    file_name: str
    reason: str
    doc_id: str | None = None
    size: int | None = None


@dataclass
class Filed:
    """A readable report of the month and what its text says about itself."""

    document: Document
    filed_at: datetime
    normalised: str
    report_city: str | None
    kind: str
    is_revision: bool
    stated: StatedPeriod | None
    fact_keys: frozenset | None = None  # the meanings it states, read when a sibling needs comparing


@dataclass
class MonthFiling:
    period: str
    current: list[Filed] = field(default_factory=list)
    superseded: list[tuple[Filed, str]] = field(default_factory=list)  # (version, doc_id of its successor)
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (file name, doc_id, kept file name)
    refused: list[Refused] = field(default_factory=list)


def month_entries(month_dir: Path, max_bytes: int) -> tuple[list[Path], list[Refused]]:
    """The regular files of a month folder, and every other entry with the reason it is not read.
    Entries are examined without following links, so a link never brings in a file from elsewhere
    and a FIFO is never opened (which would block the run)."""
    files: list[Path] = []
    refused: list[Refused] = []
    if not month_dir.is_dir():
        return files, refused
    for entry in sorted(os.scandir(month_dir), key=lambda e: e.name):
        info = entry.stat(follow_symlinks=False)
        if entry.is_symlink():
            refused.append(Refused(entry.name, "symbolic link: links are not followed; file the report itself"))
        elif entry.is_dir(follow_symlinks=False):
            refused.append(
                Refused(
                    entry.name,
                    f"subfolder: reports must lie directly in landing/{month_dir.name}/; nothing inside it was read",
                )
            )
        elif not stat.S_ISREG(info.st_mode):
            kind = NOT_REGULAR.get(stat.S_IFMT(info.st_mode), "not a regular file")
            refused.append(Refused(entry.name, f"{kind}, not a regular file: not read"))
        elif entry.name.startswith("."):
            refused.append(Refused(entry.name, "hidden file (the name starts with a dot): not read", size=info.st_size))
        elif info.st_size > max_bytes:
            refused.append(
                Refused(
                    entry.name,
                    f"{info.st_size / 2**20:.1f} MB is over the size limit of "
                    f"{max_bytes / 2**20:g} MB (DEVZONE_MAX_FILE_MB)",
                    size=info.st_size,
                )
            )
        else:
            files.append(Path(entry.path))
    return files, refused


def file_month(period: str, month_dir: Path, ref: Reference, max_bytes: int) -> MonthFiling:
    """Read a month folder and decide what each entry is: current, superseded, duplicate or refused."""
    filing = MonthFiling(period)
    paths, filing.refused = month_entries(month_dir, max_bytes)
    kept: dict[str, str] = {}  # doc_id -> file name
    readable: list[Filed] = []
    # The first filed of byte-identical copies is kept (then the first by name).
    for filed_ns, path in sorted((p.stat().st_mtime_ns, p) for p in paths):
        try:
            document = read_document(path, ocr_cache.cached_scan)
        except ReadError as exc:
            filing.refused.append(Refused(path.name, exc.reason, *digest_of(path)))
            continue
        if document.doc_id in kept:
            filing.duplicates.append((path.name, document.doc_id, kept[document.doc_id]))
            continue
        kept[document.doc_id] = path.name
        stated = stated_period(document.text)
        if stated and stated.contradicts(period):
            filing.refused.append(Refused(path.name, misfiled_reason(stated, period), document.doc_id, document.size))
            continue
        # A spreadsheet's rendering is its normalised text: its facts' spans point into it.
        normalised = (
            document.text if is_spreadsheet(document.encoding) else normalise(document.text, ref.city_heading_re)
        )
        city = report_city(normalised, ref)
        readable.append(
            Filed(
                document,
                datetime.fromtimestamp(filed_ns / 1e9, tz=UTC).replace(tzinfo=None),
                normalised,
                city,
                report_kind(document.text, city),
                declares_revision(document.text),
                stated,
            )
        )
    decide_versions(filing, readable, ref)
    return filing


def misfiled_reason(stated: StatedPeriod, period: str) -> str:
    where = f"landing/{stated.label()}/" if stated.year else "the folder of the month it covers"
    said = "is dated" if stated.is_dateline else "states the period"
    return f"{said} {stated.words} ({stated.label()}) but is filed under {period}: move it to {where}"


def digest_of(path: Path) -> tuple[str | None, int | None]:
    try:
        data = path.read_bytes()
    except OSError:
        return None, None
    return (hashlib.sha256(data).hexdigest() if data else None), len(data)


def report_city(normalised_text: str, ref: Reference) -> str | None:
    """The city a report is about, when it is about one city only."""
    cities = {p.city for p in segment(normalised_text, ref)}
    return cities.pop() if len(cities) == 1 else None


def decide_versions(filing: MonthFiling, readable: list[Filed], ref: Reference) -> None:
    """Of one city's documents of one kind, a later one replaces an earlier one it re-issues;
    all others stay current side by side."""
    order = sorted(readable, key=lambda f: (f.filed_at, f.document.file_name, f.document.doc_id))
    successor: dict[str, str] = {}
    for i, later in enumerate(order):
        for earlier in order[:i]:
            if earlier.document.doc_id in successor or not same_report_family(earlier, later):
                continue
            if reissues(later, earlier, filing.period, ref):
                successor[earlier.document.doc_id] = later.document.doc_id
    for filed in order:
        doc_id = filed.document.doc_id
        if doc_id in successor:
            filing.superseded.append((filed, successor[doc_id]))
        else:
            filing.current.append(filed)
    filing.current.sort(key=lambda f: f.document.file_name)


def same_report_family(a: Filed, b: Filed) -> bool:
    return a.report_city is not None and a.report_city == b.report_city and a.kind == b.kind


def reissues(later: Filed, earlier: Filed, period: str, ref: Reference) -> bool:
    """`later` re-issues `earlier`: it states the same facts, or it declares itself a revision and
    restates most of them (a correction notice naming two figures sits beside the report)."""
    old, new = fact_keys(earlier, period, ref), fact_keys(later, period, ref)
    if not old:
        return later.is_revision
    shared = len(old & new)
    if later.is_revision:
        return shared / len(old) >= RESTATED_SHARE
    return shared / len(old | new) >= SAME_REPORT_OVERLAP


def fact_keys(filed: Filed, period: str, ref: Reference) -> frozenset:
    """What a document states, by meaning (whose figure, of what), not by value."""
    if filed.fact_keys is None:
        facts = extract_document(filed.document, period, ref).facts
        filed.fact_keys = frozenset(
            (
                f["type"],
                f["city"],
                f["zone"],
                f.get("metric"),
                f.get("basis"),
                f.get("scope"),
                f.get("stage"),
                f.get("measure"),
            )
            for f in facts
        )
    return filed.fact_keys


def landed_months() -> tuple[list[str], list[tuple[str, str]]]:
    """The landed months of this home a run can take, and the other entries of landing/ with the
    reason they are left alone."""
    now = beijing_now()
    return landing_folders(settings.landing_dir(), set(runnable_months(now)), settings.FIRST_MONTH, now)


def unrunnable(month: str) -> str | None:
    """Why `devzone run --month` cannot run this month, or None."""
    now = beijing_now()
    return unrunnable_month(month, set(runnable_months(now)), settings.FIRST_MONTH, now)


def beijing_now() -> datetime:
    return datetime.now(ZoneInfo(settings.TIMEZONE))


def runnable_months(now: datetime) -> list[str]:
    """The months a run can take: from the first month to the last month that has ended (plus
    DEVZONE_MONTHS_AHEAD for benchmarks), the same months as the Dagster partitions."""
    last = now.year * 12 + now.month - 2 + settings.months_ahead()
    first = int(settings.FIRST_MONTH[:4]) * 12 + int(settings.FIRST_MONTH[5:]) - 1
    return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


def landing_folders(
    landing_dir: Path, runnable: set[str], first_month: str, now: datetime
) -> tuple[list[str], list[tuple[str, str]]]:
    """The landed months a run can take (sorted), and every other entry of landing/ with the reason
    it is left alone. `now` is in the partitions' time zone."""
    months: list[str] = []
    skipped: list[tuple[str, str]] = []
    if not landing_dir.is_dir():
        return months, skipped
    for entry in sorted(os.scandir(landing_dir), key=lambda e: e.name):
        if not entry.is_dir(follow_symlinks=False):
            skipped.append((entry.name, "not a month folder: reports go in landing/YYYY-MM/"))
        elif reason := unrunnable_month(entry.name, runnable, first_month, now):
            skipped.append((entry.name, reason))
        elif any(os.scandir(entry.path)):
            months.append(entry.name)
    return months, skipped


def unrunnable_month(name: str, runnable: set[str], first_month: str, now: datetime) -> str | None:
    """Why a month cannot be run (not a month, before the first month, the current month, a future
    month), or None when it can."""
    if name in runnable:
        return None
    if not MONTH_FOLDER.match(name):
        return "not a month: month folders are named YYYY-MM"
    if name < first_month:
        return f"before {first_month}, the first month of the warehouse"
    if name == now.strftime("%Y-%m"):
        return "the current month is not closed yet: it can run once the month has ended"
    return "a future month"


def fingerprint(month_dir: Path) -> str:
    """Changes when an entry of a month folder is added, removed or rewritten (links and
    subfolders included, so that the run that quarantines them happens)."""
    digest = hashlib.sha256()
    if month_dir.is_dir():
        for entry in sorted(os.scandir(month_dir), key=lambda e: e.name):
            info = entry.stat(follow_symlinks=False)
            digest.update(f"{entry.name}\0{info.st_mode}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()
