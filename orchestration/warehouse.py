"""The raw layer of the working DuckDB warehouse: landing files in, documents and facts out.

Each month is written in one transaction that first deletes what the month had, so re-running a
month replaces it and a killed run leaves the previous state. Dagster's `raw_reports` and
`extracted_facts` assets are thin wrappers over `load_documents` and `load_facts`.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
from pathlib import Path

import duckdb
import pandas as pd

from orchestration import settings
from orchestration.extraction import Document, extract_document
from orchestration.extraction.reference import load_reference
from orchestration.landing import MonthFiling, file_month

RAW_DDL = """
create schema if not exists raw;
create table if not exists raw.documents (
    period varchar not null,          -- YYYY-MM: the last month the report covers
    doc_id varchar not null,          -- SHA-256 of the file's bytes
    file_name varchar not null,
    size_bytes bigint not null,
    encoding varchar not null,        -- utf-8, utf-8-sig, gb18030, utf-16-le, utf-32-be, html/utf-8, docx, pdf
    report_city varchar,              -- the one city the report is about; null for a multi-city bulletin
    raw_text varchar not null,
    normalised_text varchar not null,
    filed_at timestamp not null,      -- the landing file's modification time
    status varchar not null,          -- current
    report_kind varchar,              -- monthly_report | campaign_report | bulletin | table (seed report_kinds)
    is_revision boolean,              -- the text says it corrects or replaces an earlier report
    stated_period varchar,            -- the words that state the period covered (上半年, 2024年1-9月); null if none
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
    report_kind varchar,
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
create table if not exists raw.duplicate_files (
    period varchar not null,
    file_name varchar not null,       -- a file whose bytes are those of a kept file
    doc_id varchar not null,
    duplicate_of varchar not null,    -- the kept file's name
    primary key (period, file_name)
);
-- Columns added since the first warehouses were built (old rows read as the defaults).
alter table raw.documents add column if not exists report_kind varchar default 'monthly_report';
alter table raw.documents add column if not exists is_revision boolean default false;
alter table raw.documents add column if not exists stated_period varchar;
alter table raw.document_history add column if not exists report_kind varchar default 'monthly_report';
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


def unreadable_reason(path: Path) -> str | None:
    """Why the working warehouse cannot be used (corrupt, truncated, not a DuckDB file), or None.
    Checked before a run writes anything: a run that wrote its raw tables into a damaged file
    would fail later in dbt with a message that names neither the file nor the remedy. A lock held
    by another process is not damage."""
    if not path.exists():
        return None
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        return None if "lock" in message.lower() else message
    try:
        for schema, table in con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall():
            # Every column of every row: DuckDB verifies a block's checksum when it reads it.
            con.execute(f'select max(hash(columns(*))) from "{schema}"."{table}"').fetchone()
    except duckdb.Error as exc:
        return str(exc).splitlines()[0]
    finally:
        con.close()
    return None


def corrupt_warehouse_advice(path: Path, reason: str) -> str:
    return (f"{path.name} is corrupt ({reason}): move it aside and run `devzone run --all` to rebuild it "
            f"from {path.parent / 'landing'}/")


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        con.execute(RAW_DDL)
        con.execute(QUALITY_DDL)
    return con


DOCUMENT_COLUMNS = (
    "period", "doc_id", "file_name", "size_bytes", "encoding", "report_city", "raw_text", "normalised_text",
    "filed_at", "status", "report_kind", "is_revision", "stated_period",
)
HISTORY_COLUMNS = ("period", "doc_id", "file_name", "report_city", "filed_at", "status", "superseded_by", "report_kind")


def load_documents(con: duckdb.DuckDBPyConnection, period: str, month_dir: Path) -> MonthFiling:
    """Read every entry filed for `period` and replace the month's documents in one transaction.

    What becomes of each entry is decided by the landing contract (orchestration/landing.py);
    every version stays in raw.document_history, duplicates in raw.duplicate_files, refused
    entries in raw.quarantine with the reason.
    """
    ref = load_reference()
    filing = file_month(period, month_dir, ref, settings.max_file_bytes())
    current_rows = [
        (period, f.document.doc_id, f.document.file_name, f.document.size, f.document.encoding, f.report_city,
         f.document.text, f.normalised, f.filed_at, "current", f.kind, f.is_revision, f.stated.words if f.stated else None)
        for f in filing.current
    ]
    history_rows = [
        (period, f.document.doc_id, f.document.file_name, f.report_city, f.filed_at, "current", None, f.kind)
        for f in filing.current
    ] + [
        (period, f.document.doc_id, f.document.file_name, f.report_city, f.filed_at, "superseded", successor, f.kind)
        for f, successor in filing.superseded
    ]
    quarantined = [(period, r.file_name, r.doc_id, r.size, r.reason) for r in filing.refused]
    duplicates = [(period, name, doc_id, kept) for name, doc_id, kept in filing.duplicates]

    with transaction(con):
        previous = con.execute(
            "select doc_id, report_city, file_name, report_kind from raw.documents where period = ?", [period]
        ).fetchall()
        for table in ("raw.documents", "raw.quarantine", "raw.duplicate_files"):
            con.execute(f"delete from {table} where period = ?", [period])
        insert_rows(con, "raw.documents", current_rows, DOCUMENT_COLUMNS)
        insert_rows(con, "raw.quarantine", quarantined)
        insert_rows(con, "raw.duplicate_files", duplicates)
        # Versions seen before and gone now: superseded by the current file of the same name, else by
        # the city's current document of the same kind; withdrawn when nothing replaced them.
        by_name = {f.document.file_name: f.document.doc_id for f in filing.current}
        by_family = {(f.report_city, f.kind): f.document.doc_id for f in filing.current if f.report_city}
        seen = {row[1] for row in history_rows}
        for doc_id, city, file_name, kind in previous:
            if doc_id in seen:
                continue
            successor = by_name.get(file_name) or (by_family.get((city, kind)) if city else None)
            con.execute(
                "update raw.document_history set status = ?, superseded_by = ? where period = ? and doc_id = ?",
                ["superseded" if successor else "withdrawn", successor, period, doc_id],
            )
        for row in history_rows:
            con.execute("delete from raw.document_history where period = ? and doc_id = ?", [row[0], row[1]])
        insert_rows(con, "raw.document_history", history_rows, HISTORY_COLUMNS)
    return filing


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
