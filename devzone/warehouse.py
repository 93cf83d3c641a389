"""The raw layer of the working DuckDB warehouse: landing files in, documents and facts out.

Each month is written in one transaction that first deletes what the month had, so re-running a
month replaces it and a killed run leaves the previous state. Dagster's `raw_reports` and
`extracted_facts` assets are thin wrappers over `load_documents` and `load_facts`.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import duckdb
import pandas as pd

from devzone import raw_tables, settings
from devzone.extraction import Document, extract_document
from devzone.extraction.reference import load_reference
from devzone.landing import MonthFiling, file_month

# The raw tables are defined once, in devzone/raw_tables.py (columns, types, keys): the DDL and the
# insert column lists below are made from those definitions.
RAW_DDL = raw_tables.ddl()

# The raw fact tables' columns in groups (devzone/raw_tables.py): head + the fact's own fields +
# confidence + provenance is the table, in order. (For code that builds frames shaped like the raw
# tables, e.g. tests/test_quality_rules.py; the whole lists are raw_tables.*_FACTS.names.)
INDICATOR_COLUMNS = raw_tables.names(raw_tables.PLACE + raw_tables.INDICATOR_MEASURE)
PIPELINE_COLUMNS = raw_tables.names(raw_tables.PLACE + raw_tables.PIPELINE_MEASURE)
CONFIDENCE_COLUMNS = raw_tables.names(raw_tables.CONFIDENCE)
PROVENANCE_COLUMNS = raw_tables.names(raw_tables.PROVENANCE)
FACT_HEAD_COLUMNS = raw_tables.names(raw_tables.FACT_HEAD)


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


def insert_rows(
    con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple], columns: tuple[str, ...] | None = None
) -> None:
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
    return (
        f"{path.name} is corrupt ({reason}): move it aside and run `devzone run --all` to rebuild it "
        f"from {path.parent / 'landing'}/"
    )


def record_run_window(con: duckdb.DuckDBPyConnection, start: str, end: str) -> None:
    """Set the window of months the next dbt build rebuilds (see raw.run_window)."""
    if not (start <= end):
        raise ValueError(f"the run window starts after it ends: {start} … {end}")
    with transaction(con):
        con.execute("delete from raw.run_window")
        con.execute("insert into raw.run_window values (?, ?)", [start, end])


def run_window_months(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The months of raw.run_window, first to last: the months the run's raw_reports read, which the
    steps after it (dbt, the gate, publishing) take as theirs."""
    row = con.execute("select period_start, period_end from raw.run_window").fetchone()
    if row is None:
        raise RuntimeError("raw.run_window has no row: raw_reports sets the run's months before dbt and the gate")
    months = con.execute(
        "select strftime(m, '%Y-%m') from range(strptime(?, '%Y-%m'), strptime(?, '%Y-%m') + interval 1 month, "
        "interval 1 month) t(m) order by m",
        list(row),
    ).fetchall()
    return [m for (m,) in months]


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        had_check_results = _has_table(con, "raw", "check_results")
        con.execute(RAW_DDL)
        if not had_check_results:
            adopt_old_check_results(con)
    return con


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    row = con.execute(
        "select count(*) from duckdb_tables() where database_name = current_database() and schema_name = ? "
        "and table_name = ?",
        [schema, table],
    ).fetchone()
    assert row is not None, "an aggregate query without group by returns one row"
    return row[0] > 0


def adopt_old_check_results(con: duckdb.DuckDBPyConnection) -> None:
    """A warehouse built before the gate wrote raw.check_results kept its results in the table
    main.fct_quality_result, which dbt now builds from raw.check_results: copy them over once (when
    raw.check_results is created), so that the months validated before keep their results."""
    if not _has_table(con, "main", "fct_quality_result"):
        return
    con.execute(
        "insert or replace into raw.check_results by name select period, run_id, suite_name as suite, "
        "expectation_name as expectation, rule, severity, is_success as success, observed_value, failing_count, "
        "failing_sample from main.fct_quality_result"
    )


DOCUMENT_COLUMNS = raw_tables.DOCUMENTS.names
HISTORY_COLUMNS = raw_tables.DOCUMENT_HISTORY.names


def load_documents(con: duckdb.DuckDBPyConnection, period: str, month_dir: Path) -> MonthFiling:
    """Read every entry filed for `period` and replace the month's documents in one transaction.

    What becomes of each entry is decided by the landing contract (devzone/landing.py);
    every version stays in raw.document_history, duplicates in raw.duplicate_files, refused
    entries in raw.quarantine with the reason.
    """
    ref = load_reference()
    filing = file_month(period, month_dir, ref, settings.max_file_bytes())
    current_rows = [
        (
            period,
            f.document.doc_id,
            f.document.file_name,
            f.document.size,
            f.document.encoding,
            f.report_city,
            f.document.text,
            f.normalised,
            f.filed_at,
            "current",
            f.kind,
            f.is_revision,
            f.stated.words if f.stated else None,
            f.document.reader,
            f.document.pages,
            f.document.ocr_seconds,
            f.document.ocr_confidence,
            json.dumps(list(f.document.low_confidence_lines), ensure_ascii=False)
            if f.document.low_confidence_lines
            else None,
        )
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
        insert_rows(con, "raw.quarantine", quarantined, raw_tables.QUARANTINE.names)
        insert_rows(con, "raw.duplicate_files", duplicates, raw_tables.DUPLICATE_FILES.names)
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
        "select doc_id, file_name, size_bytes, encoding, raw_text, reader, low_confidence_lines"
        " from raw.documents where period = ? order by file_name, doc_id",
        [period],
    ).fetchall()
    indicator_rows: list[tuple[object, ...]] = []
    pipeline_rows: list[tuple[object, ...]] = []
    counts: dict[str, int] = {}
    for doc_id, file_name, size, encoding, text, reader, doubtful in documents:
        document = Document(
            doc_id,
            file_name,
            file_name,
            size,
            encoding,
            text,
            reader=reader,
            low_confidence_lines=tuple(json.loads(doubtful)) if doubtful else (),
        )
        facts = extract_document(document, period, ref).facts
        counts[file_name] = len(facts)
        for seq, f in enumerate(facts):
            # The row in the table's column order: the fact's own fields by name, plus these.
            stored = {
                "period": period,
                "doc_id": doc_id,
                "fact_seq": seq,
                "file_name": file_name,
                "review_reasons": ",".join(f["review_reasons"]) or None,
                "evidence_start": f["evidence_span"][0],
                "evidence_end": f["evidence_span"][1],
                "value_start": f["value_span"][0],
                "value_end": f["value_span"][1],
            }
            table, rows = (
                (raw_tables.INDICATOR_FACTS, indicator_rows)
                if f["type"] == "indicator"
                else (raw_tables.PIPELINE_FACTS, pipeline_rows)
            )
            rows.append(tuple(stored[c] if c in stored else f[c] for c in table.names))
    with transaction(con):
        con.execute("delete from raw.indicator_facts where period = ?", [period])
        con.execute("delete from raw.pipeline_facts where period = ?", [period])
        insert_rows(con, "raw.indicator_facts", indicator_rows, raw_tables.INDICATOR_FACTS.names)
        insert_rows(con, "raw.pipeline_facts", pipeline_rows, raw_tables.PIPELINE_FACTS.names)
    return counts


def load_corrections(con: duckdb.DuckDBPyConnection, journal) -> None:
    """Replace raw.corrections with every correction of the journal (devzone.corrections), in order."""
    rows = [
        (
            line,
            c.correction_id,
            c.key,
            c.action,
            float(c.new) if isinstance(c.new, (int, float)) else None,
            c.new if isinstance(c.new, str) else None,
            c.reason,
            c.by,
            c.at.replace("Z", ""),
            c.target.get("period"),
            json.dumps(c.target, ensure_ascii=False, sort_keys=True),
        )
        for line, c in enumerate(journal, start=1)
    ]
    with transaction(con):
        con.execute("delete from raw.corrections")
        insert_rows(con, "raw.corrections", rows, raw_tables.CORRECTIONS.names)


def store_check_results(con: duckdb.DuckDBPyConnection, period: str, run_id: str, checks) -> None:
    """Replace the month's quality results (raw.check_results) with this run's `checks`
    (devzone.quality CheckResults); dbt builds fct_quality_result and rpt_quality_month from them."""
    rows = [
        (
            period,
            run_id,
            c.suite,
            c.expectation,
            c.rule,
            c.severity,
            c.success,
            c.observed_value,
            c.failing_count,
            json.dumps(c.failing_sample, ensure_ascii=False, default=str),
            ",".join(c.failing_keys) or None,
            c.rule_zh,
            c.observed_zh,
        )
        for c in checks
    ]
    with transaction(con):
        con.execute("delete from raw.check_results where period = ?", [period])
        insert_rows(con, "raw.check_results", rows, raw_tables.CHECK_RESULTS.names)
