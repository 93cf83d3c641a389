"""The corrections journal: what people decided about the facts, kept apart from the reports, the
extractor and the warehouse, because it is the one input a rebuild cannot recreate.

`$DEVZONE_HOME/corrections/journal.jsonl` is append-only JSON Lines (UTF-8, one correction a
line, readable with any tool and without devzone). A correction names a statement by its
correction key (dbt_project/macros/correction_key.sql: the document's SHA-256 and the fact's
meaning), says what to do with it and why, and records who and when. It carries a copy of what it
corrected (period, file, evidence, value) so that it can be read, and an orphaned one reported,
without the warehouse.

Writing: one line per correction, under an exclusive lock (two `devzone correct` at once both
land), written with one write() and fsync'd before the command says it is done. A crash mid-write
can leave a last line without its newline: that line was never reported as written, and the next
writer cuts it off before appending; a reader ignores it.
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import hashlib
import json
import math
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from devzone import settings

# What a correction does to the statement its key names.
NUMBER_ACTIONS = ("value", "yoy")  # set the value (in the statement's unit) or the growth (percent)
NAME_ACTIONS = ("city", "zone")  # set the city or the zone (a name of the reference)
SET_ACTIONS = (*NUMBER_ACTIONS, *NAME_ACTIONS)
VERDICTS = ("reject", "accept")  # reject: the number is not a fact; accept: right as printed
REVOKE = "revoke"  # withdraws every correction in force for the key
ADD = "add"  # a fact the extractor missed, stated in a document of the month (devzone add)
ACTIONS = (*SET_ACTIONS, *VERDICTS, ADD, REVOKE)


class CorrectionError(ValueError):
    """A correction that cannot be recorded: the message says why; the journal is unchanged."""


class JournalError(RuntimeError):
    """The journal cannot be read: names the file, the line and the reason."""


@dataclass(frozen=True)
class Correction:
    key: str
    action: str
    reason: str
    by: str
    at: str  # UTC, ISO 8601 to the second
    # the new value of the field the action sets (value/yoy: a number; city/zone: a reference name)
    new: float | str | None = None
    # a copy of the statement it was made on: period, fact_type, file_name, evidence, value, yoy_pct, city, zone, metric
    target: dict = field(default_factory=dict)
    correction_id: str = ""

    def line(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True) + "\n"


def journal_path() -> Path:
    return settings.home() / "corrections" / "journal.jsonl"


def make(
    key: str,
    action: str,
    reason: str,
    by: str | None = None,
    new=None,
    target: dict | None = None,
    at: datetime | None = None,
) -> Correction:
    """A correction, checked for what can be checked without the warehouse. Its id is a digest of
    its content, so the same decision recorded twice at the same second has the same id."""
    if action not in ACTIONS:
        raise CorrectionError(f"unknown action {action!r}: one of {', '.join(ACTIONS)}")
    if not reason or not reason.strip():
        raise CorrectionError("a correction needs --reason: say why, for whoever reads it next")
    if action in NUMBER_ACTIONS:
        new = number(new, f"--{action}")
    elif action == ADD:
        new = number(new, "--value")
    elif action in NAME_ACTIONS:
        if not isinstance(new, str) or not new.strip():
            raise CorrectionError(f"--{action} needs a name from the reference")
    elif new is not None:
        raise CorrectionError(f"--{action} takes no value")
    stamp = (at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    correction = Correction(
        key, action, reason.strip(), (by or default_author()).strip(), stamp, new, dict(target or {})
    )
    digest = hashlib.sha256(correction.line().encode()).hexdigest()[:12]
    return Correction(**{**asdict(correction), "correction_id": digest})


def added_key(document_id: str, city: str, zone_code: str | None, metric: str, basis: str) -> str:
    """The correction key of an added fact: its document and meaning, as a statement's key, in a
    namespace of its own ("added"), so that it never names an extracted statement and the same
    fact added twice is one fact (the later add replaces the earlier)."""
    meaning = "|".join(("added", "indicator", document_id, city, zone_code or "", metric, basis))
    return hashlib.sha256(meaning.encode()).hexdigest()[:16]


def number(text, option: str) -> float:
    try:
        value = float(str(text).replace("，", "").replace(",", "").strip())
    except ValueError:
        raise CorrectionError(f"{option} must be a number, got {text!r}") from None
    if not math.isfinite(value):
        raise CorrectionError(f"{option} must be a finite number, got {text!r}")
    return value


def default_author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def append(correction: Correction, path: Path | None = None) -> None:
    """Add `correction` to the journal, durably, after any line a crashed writer left unfinished."""
    path = path or journal_path()
    with locked(path):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            size = os.fstat(fd).st_size
            end = unfinished_tail(fd, size)
            if end < size:
                os.ftruncate(fd, end)
            os.lseek(fd, 0, os.SEEK_END)
            data = correction.line().encode()
            if os.write(fd, data) != len(data):
                os.ftruncate(fd, end)
                raise OSError(f"{path}: short write; the correction was not recorded")
            os.fsync(fd)
        finally:
            os.close(fd)


def unfinished_tail(fd: int, size: int) -> int:
    """Where the journal's last complete line ends (`size` when it ends with a newline)."""
    if size == 0:
        return 0
    chunk = min(size, 1 << 16)
    tail = os.pread(fd, chunk, size - chunk)
    if tail.endswith(b"\n"):
        return size
    cut = tail.rfind(b"\n")
    if cut < 0 and chunk < size:  # a last line over 64 KiB: read it all
        whole = os.pread(fd, size, 0)
        cut = whole.rfind(b"\n")
        return cut + 1
    return size - chunk + cut + 1


def read(path: Path | None = None) -> list[Correction]:
    """Every correction ever recorded, in order; a last line a crash left unfinished is ignored."""
    path = path or journal_path()
    if not path.exists():
        return []
    data = path.read_bytes()
    lines = data.split(b"\n")
    if lines and lines[-1] != b"":
        lines = lines[:-1]  # unfinished: never reported as written
    corrections = []
    for number_, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            corrections.append(Correction(**json.loads(raw.decode("utf-8"))))
        except (ValueError, TypeError) as exc:
            raise JournalError(f"{path}, line {number_}: not a correction ({exc})") from exc
    return corrections


def in_force(corrections: list[Correction]) -> list[Correction]:
    """The corrections that apply, in journal order: for each key the latest of each field it sets
    and its latest verdict, unless a later revoke withdrew them (dbt's int_corrections applies the
    same rule; tests/test_corrections_pipeline.py holds the two equal)."""
    current: dict[str, dict[str, tuple[int, Correction]]] = {}
    for line, c in enumerate(corrections):
        slots = current.setdefault(c.key, {})
        if c.action == REVOKE:
            slots.clear()
        else:
            slots["verdict" if c.action in VERDICTS else c.action] = (line, c)
    return [c for _, c in sorted(entry for slots in current.values() for entry in slots.values())]
