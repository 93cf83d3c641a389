"""The raw layer of the working DuckDB warehouse: landing files in, documents and facts out.

Each month is written in one transaction that first deletes what the month had, so re-running a
month replaces it and a killed run leaves the previous state. Dagster's `raw_reports` and
`extracted_facts` assets are thin wrappers over `load_documents` and `load_facts`.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from orchestration.extraction import Document, ReadError, extract_document, read_document
from orchestration.extraction.normalising import normalise
from orchestration.extraction.reference import Reference, load_reference
from orchestration.extraction.segmenting import segment

RAW_DDL = """
create schema if not exists raw;
create table if not exists raw.documents (
    period varchar not null,          -- YYYY-MM: the last month the report covers
    doc_id varchar not null,          -- SHA-256 of the file's bytes
    file_name varchar not null,
    size_bytes bigint not null,
    encoding varchar not null,        -- utf-8, utf-8-sig, gb18030, docx, pdf
    report_city varchar,              -- the one city the report is about; null for a multi-city bulletin
    raw_text varchar not null,
    normalised_text varchar not null,
    filed_at timestamp not null,      -- the landing file's modification time
    status varchar not null,          -- current
    primary key (period, doc_id)
);
create table if not exists raw.document_history (
    period varchar not null,
    doc_id varchar not null,
    file_name varchar not null,
    report_city varchar,
    filed_at timestamp not null,
    status varchar not null,          -- current | superseded | withdrawn (no longer in the landing folder)
    superseded_by varchar,            -- doc_id of the version that replaced it
    primary key (period, doc_id)
);
create table if not exists raw.quarantine (
    period varchar not null,
    file_name varchar not null,
    doc_id varchar,                   -- null when the bytes could not be read at all
    size_bytes bigint,
    reason varchar not null,
    primary key (period, file_name)
);
create table if not exists raw.indicator_facts (
    period varchar not null,
    doc_id varchar not null,
    fact_seq integer not null,        -- order of the fact in its document
    file_name varchar not null,
    city varchar,
    zone varchar,
    zone_code varchar,
    zone_resolved boolean,
    metric varchar not null,
    value double,
    unit varchar,
    yoy_pct double,
    basis varchar not null,
    confidence varchar not null,      -- high | review (the extractor's doubt, see review_reasons)
    review_reasons varchar,           -- comma-separated reason codes when confidence is review
    evidence varchar not null,
    evidence_start integer not null,
    evidence_end integer not null,
    value_start integer not null,
    value_end integer not null,
    primary key (period, doc_id, fact_seq)
);
create table if not exists raw.pipeline_facts (
    period varchar not null,
    doc_id varchar not null,
    fact_seq integer not null,
    file_name varchar not null,
    city varchar,
    zone varchar,
    zone_code varchar,
    zone_resolved boolean,
    scope varchar not null,
    stage varchar not null,
    measure varchar not null,
    value double,
    confidence varchar not null,
    review_reasons varchar,
    evidence varchar not null,
    evidence_start integer not null,
    evidence_end integer not null,
    value_start integer not null,
    value_end integer not null,
    primary key (period, doc_id, fact_seq)
);
-- Warehouses built before facts carried a confidence gain the columns (rows read as high).
alter table raw.indicator_facts add column if not exists confidence varchar default 'high';
alter table raw.indicator_facts add column if not exists review_reasons varchar;
alter table raw.pipeline_facts add column if not exists confidence varchar default 'high';
alter table raw.pipeline_facts add column if not exists review_reasons varchar;
"""

# The quality gate's results are marts themselves (the app's 数据质量 page reads them): the gate
# runs after dbt has built the fact marts, so dbt cannot build them without a cycle.
QUALITY_DDL = """
create table if not exists main.fct_quality_result (
    quality_result_key varchar not null,  -- md5 of period, suite, expectation
    period varchar not null,
    run_id varchar not null,          -- the run that validated the month
    suite_name varchar not null,      -- extracted_indicator_facts, extracted_pipeline_facts, fct_indicator, fct_project_pipeline, cross_checks
    expectation_name varchar not null,
    rule varchar,                     -- what it checks and why
    severity varchar not null,        -- ERROR (blocks publishing) | WARN (shown)
    is_success boolean not null,
    status varchar not null,          -- passed | failed | warning
    observed_value varchar,
    failing_count integer,
    failing_sample varchar,           -- JSON array of up to 5 failing rows, with their evidence sentences
    primary key (period, suite_name, expectation_name)
);
"""
RPT_QUALITY_MONTH = """
create or replace table main.rpt_quality_month as
select
    period,
    count(*) as expectations,
    count(*) filter (where is_success) as passed,
    count(*) filter (where status = 'failed') as errors,
    count(*) filter (where status = 'warning') as warnings,
    case
        when count(*) filter (where status = 'failed') > 0 then '未通过'
        when count(*) filter (where status = 'warning') > 0 then '有警告'
        else '通过'
    end as quality_status
from main.fct_quality_result
group by period
"""

INDICATOR_COLUMNS = ("city", "zone", "zone_code", "zone_resolved", "metric", "value", "unit", "yoy_pct", "basis")
PIPELINE_COLUMNS = ("city", "zone", "zone_code", "zone_resolved", "scope", "stage", "measure", "value")
CONFIDENCE_COLUMNS = ("confidence", "review_reasons")
PROVENANCE_COLUMNS = ("evidence", "evidence_start", "evidence_end", "value_start", "value_end")
FACT_HEAD_COLUMNS = ("period", "doc_id", "fact_seq", "file_name")


@dataclass
class MonthDocuments:
    period: str
    current: list[str] = field(default_factory=list)  # file names
    duplicates: list[str] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """All or nothing: a failed or killed step leaves the month as it was."""
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple], columns: tuple[str, ...] | None = None) -> None:
    """Bulk insert through a data frame (executemany is row by row in DuckDB); with `columns`, by
    name, so that a table whose columns were added later (in another order) takes the rows."""
    if not rows:
        return
    names = list(columns or [c[0] for c in con.execute(f"select * from {table} limit 0").description])
    frame = pd.DataFrame.from_records(rows, columns=names)
    con.register("rows_to_insert", frame)
    try:
        con.execute(f"insert into {table} {'by name ' if columns else ''}select * from rows_to_insert")
    finally:
        con.unregister("rows_to_insert")


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        con.execute(RAW_DDL)
        con.execute(QUALITY_DDL)
    return con


def report_city(normalised_text: str, ref: Reference) -> str | None:
    """The city a report is about, when it is about one city only."""
    cities = {p.city for p in segment(normalised_text, ref)}
    return cities.pop() if len(cities) == 1 else None


def load_documents(con: duckdb.DuckDBPyConnection, period: str, month_dir: Path) -> MonthDocuments:
    """Read every file filed for `period` and replace the month's documents in one transaction.

    A byte-identical file filed twice is one document. Of several versions of one city's report
    (or of one file name, for multi-city bulletins) the last filed is current and the others are
    superseded; every version stays in raw.document_history. Unreadable files are quarantined.
    """
    ref = load_reference()
    result = MonthDocuments(period)
    versions: dict[str, Document] = {}
    filed: dict[str, datetime] = {}
    quarantined: list[tuple] = []
    files = sorted(p for p in month_dir.iterdir() if p.is_file() and not p.name.startswith(".")) if month_dir.is_dir() else []
    for path in files:
        try:
            document = read_document(path)
        except ReadError as exc:
            data = path.read_bytes() if path.exists() else b""
            quarantined.append((period, path.name, hashlib.sha256(data).hexdigest() if data else None, len(data), exc.reason))
            result.quarantined.append((path.name, exc.reason))
            continue
        if document.doc_id in versions:
            result.duplicates.append(path.name)
            continue
        versions[document.doc_id] = document
        filed[document.doc_id] = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.utc).replace(tzinfo=None)

    # Group versions of the same report; the last filed (then the last name) is current.
    normalised = {doc_id: normalise(d.text, ref.city_heading_re) for doc_id, d in versions.items()}
    groups: dict[str, list[tuple[Document, str | None]]] = {}
    for document in versions.values():
        city = report_city(normalised[document.doc_id], ref)
        groups.setdefault(city or f"file:{document.file_name}", []).append((document, city))
    current_rows, history_rows = [], []
    for members in groups.values():
        members.sort(key=lambda m: (filed[m[0].doc_id], m[0].file_name, m[0].doc_id))
        winner, winner_city = members[-1]
        current_rows.append((
            period, winner.doc_id, winner.file_name, winner.size, winner.encoding, winner_city, winner.text,
            normalised[winner.doc_id], filed[winner.doc_id], "current",
        ))
        result.current.append(winner.file_name)
        history_rows.append((period, winner.doc_id, winner.file_name, winner_city, filed[winner.doc_id], "current", None))
        for document, city in members[:-1]:
            result.superseded.append(document.file_name)
            history_rows.append((period, document.doc_id, document.file_name, city, filed[document.doc_id], "superseded", winner.doc_id))

    with transaction(con):
        previous = con.execute(
            "select doc_id, report_city, file_name from raw.documents where period = ?", [period]
        ).fetchall()
        con.execute("delete from raw.documents where period = ?", [period])
        con.execute("delete from raw.quarantine where period = ?", [period])
        insert_rows(con, "raw.documents", current_rows)
        insert_rows(con, "raw.quarantine", quarantined)
        # Versions seen before and gone now: superseded by the current report of the same key,
        # or withdrawn when nothing replaced them.
        current_by_key = {(r[5] or f"file:{r[2]}"): r[1] for r in current_rows}
        seen = {r[1] for r in history_rows}
        for doc_id, city, file_name in previous:
            if doc_id in seen:
                continue
            successor = current_by_key.get(city or f"file:{file_name}")
            con.execute(
                "update raw.document_history set status = ?, superseded_by = ? where period = ? and doc_id = ?",
                ["superseded" if successor else "withdrawn", successor, period, doc_id],
            )
            if successor:
                result.superseded.append(file_name)
        for row in history_rows:
            con.execute("delete from raw.document_history where period = ? and doc_id = ?", [row[0], row[1]])
        insert_rows(con, "raw.document_history", history_rows)
    return result


def load_facts(con: duckdb.DuckDBPyConnection, period: str) -> dict[str, int]:
    """Extract the month's current documents and replace the month's facts in one transaction."""
    ref = load_reference()
    documents = con.execute(
        "select doc_id, file_name, size_bytes, encoding, raw_text from raw.documents where period = ? order by file_name, doc_id",
        [period],
    ).fetchall()
    indicator_rows, pipeline_rows = [], []
    counts: dict[str, int] = {}
    for doc_id, file_name, size, encoding, text in documents:
        document = Document(doc_id, file_name, file_name, size, encoding, text)
        facts = extract_document(document, period, ref).facts
        counts[file_name] = len(facts)
        for seq, f in enumerate(facts):
            head = (period, doc_id, seq, file_name)
            confidence = (f["confidence"], ",".join(f["review_reasons"]) or None)
            provenance = (f["evidence"], *f["evidence_span"], *f["value_span"])
            if f["type"] == "indicator":
                indicator_rows.append(head + tuple(f[c] for c in INDICATOR_COLUMNS) + confidence + provenance)
            else:
                pipeline_rows.append(head + tuple(f[c] for c in PIPELINE_COLUMNS) + confidence + provenance)
    with transaction(con):
        con.execute("delete from raw.indicator_facts where period = ?", [period])
        con.execute("delete from raw.pipeline_facts where period = ?", [period])
        tail = CONFIDENCE_COLUMNS + PROVENANCE_COLUMNS
        insert_rows(con, "raw.indicator_facts", indicator_rows, FACT_HEAD_COLUMNS + INDICATOR_COLUMNS + tail)
        insert_rows(con, "raw.pipeline_facts", pipeline_rows, FACT_HEAD_COLUMNS + PIPELINE_COLUMNS + tail)
    return counts


def store_check_results(con: duckdb.DuckDBPyConnection, period: str, run_id: str, checks) -> None:
    """Replace the month's quality results with this run's, and refresh the monthly summary."""
    rows = [
        (
            hashlib.md5(f"{period}|{c.suite}|{c.expectation}".encode()).hexdigest(), period, run_id, c.suite,
            c.expectation, c.rule, c.severity, c.success,
            "passed" if c.success else "failed" if c.severity == "ERROR" else "warning",
            c.observed_value, c.failing_count, json.dumps(c.failing_sample, ensure_ascii=False, default=str),
        )
        for c in checks
    ]
    with transaction(con):
        con.execute("delete from main.fct_quality_result where period = ?", [period])
        insert_rows(con, "main.fct_quality_result", rows)
        con.execute(RPT_QUALITY_MONTH)
