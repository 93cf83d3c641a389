"""The raw tables of the working warehouse, defined once: their columns, types and keys.

`devzone/warehouse.py` creates the tables from these definitions (`ddl`) and inserts by their
column lists; dbt declares the same columns as the `raw` source
(dbt_project/models/staging/sources.yml, where each column is documented), and the quality gate's
`expect_table_columns_to_match_set` in expectations/extracted_*.json names those of the fact
tables. tests/test_raw_tables.py checks that both agree with the definitions here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type
    not_null: bool = False
    note: str = ""  # a short comment for the DDL; the documentation is sources.yml's
    # Columns added after the first warehouses were built are added to an existing table too; its
    # old rows read `default` (SQL, e.g. 'high'), or null without one.
    added_later: bool = False
    default: str | None = None

    def sql(self) -> str:
        return f"{self.name} {self.type}" + (" not null" if self.not_null else "")


@dataclass(frozen=True)
class RawTable:
    name: str  # in schema raw
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    note: str = ""
    # Declared as a source in sources.yml (the dbt models select from it with source('raw', ...)).
    dbt_source: bool = True

    @property
    def qualified(self) -> str:
        return f"raw.{self.name}"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def ddl(self) -> str:
        """`create table if not exists` with every column, then `alter table … add column if not
        exists` for the columns added later (a warehouse built before them gains them)."""
        lines = [c.sql() for c in self.columns]
        if self.primary_key:
            lines.append(f"primary key ({', '.join(self.primary_key)})")
        width = max(len(line) for line in lines) + 6
        body = []
        for i, line in enumerate(lines):
            text = f"    {line}{',' if i < len(lines) - 1 else ''}"
            note = self.columns[i].note if i < len(self.columns) else ""
            body.append(f"{text:<{width}}-- {note}".rstrip() if note else text)
        header = "".join(f"-- {line}\n" for line in self.note.splitlines())
        statements = [f"{header}create table if not exists {self.qualified} (\n" + "\n".join(body) + "\n);"]
        for c in self.columns:
            if c.added_later:
                default = f" default {c.default}" if c.default is not None else ""
                statements.append(f"alter table {self.qualified} add column if not exists {c.name} {c.type}{default};")
        return "\n".join(statements)


def _col(name: str, type_: str = "varchar", not_null: bool = False, note: str = "", **kw) -> Column:
    return Column(name, type_, not_null, note, **kw)


# -- column groups shared by the two fact tables --------------------------------------------------
FACT_HEAD = (
    _col("period", not_null=True),
    _col("doc_id", not_null=True),
    _col("fact_seq", "integer", True, "order of the fact in its document (shared by both fact tables)"),
    _col("file_name", not_null=True),
)
PLACE = (
    _col("city"),
    _col("zone"),
    _col("zone_code"),
    _col("zone_resolved", "boolean"),
)
INDICATOR_MEASURE = (
    _col("metric", not_null=True),
    _col("value", "double"),
    _col("unit"),
    _col("yoy_pct", "double"),
    _col("basis", not_null=True),
)
PIPELINE_MEASURE = (
    _col("scope", not_null=True),
    _col("stage", not_null=True),
    _col("measure", not_null=True),
    _col("value", "double"),
)
CONFIDENCE = (
    _col(
        "confidence",
        not_null=True,
        note="high | review (the extractor's doubt, see review_reasons)",
        added_later=True,
        default="'high'",
    ),
    _col("review_reasons", note="comma-separated reason codes when confidence is review", added_later=True),
)
PROVENANCE = (
    _col("evidence", not_null=True),
    _col("evidence_start", "integer", True),
    _col("evidence_end", "integer", True),
    _col("value_start", "integer", True),
    _col("value_end", "integer", True),
    # A spreadsheet's fact (devzone/extraction/sheet_facts.py): its evidence is the row's line of
    # the rendering; these say where the value stands. Null for a fact of prose.
    _col("source_cell", note="the value's cell of a spreadsheet: <sheet>!<column><row>", added_later=True),
    _col("source_header", note="the header of the value's column (two-row headers joined)", added_later=True),
)

DOCUMENTS = RawTable(
    "documents",
    (
        _col("period", not_null=True, note="YYYY-MM: the last month the report covers"),
        _col("doc_id", not_null=True, note="SHA-256 of the file's bytes"),
        _col("file_name", not_null=True),
        _col("size_bytes", "bigint", True),
        _col(
            "encoding",
            not_null=True,
            note="utf-8, utf-8-sig, gb18030, utf-16-le, utf-32-be, html/utf-8, docx, pdf, png, jpg, tif",
        ),
        _col("report_city", note="the one city the report is about; null for a multi-city bulletin"),
        _col("raw_text", not_null=True),
        _col("normalised_text", not_null=True),
        _col("filed_at", "timestamp", True, "the landing file's modification time"),
        _col("status", not_null=True, note="current"),
        _col(
            "report_kind",
            note="monthly_report | campaign_report | bulletin | table (seed report_kinds)",
            added_later=True,
            default="'monthly_report'",
        ),
        _col(
            "is_revision",
            "boolean",
            note="the text says it corrects or replaces an earlier report",
            added_later=True,
            default="false",
        ),
        _col(
            "stated_period",
            note="the words that state the period covered (上半年, 2024年1-9月); null if none",
            added_later=True,
        ),
        _col(
            "reader",
            note="text | text_layer (a PDF's) | ocr (a scan) | mixed (a PDF of text and scanned pages)",
            added_later=True,
            default="'text'",
        ),
        _col("pages", "integer", note="PDF pages or image frames; null for other formats", added_later=True),
        _col("ocr_seconds", "double", note="time the OCR took when the file was first read", added_later=True),
        _col("ocr_confidence", "double", note="the OCR's mean line confidence, 0-1", added_later=True),
        _col(
            "low_confidence_lines",
            "json",
            note="JSON array of the OCR lines below the confidence threshold (their facts are reviewed)",
            added_later=True,
        ),
    ),
    ("period", "doc_id"),
)
DOCUMENT_HISTORY = RawTable(
    "document_history",
    (
        _col("period", not_null=True),
        _col("doc_id", not_null=True),
        _col("file_name", not_null=True),
        _col("report_city"),
        _col("filed_at", "timestamp", True),
        _col("status", not_null=True, note="current | superseded | withdrawn (no longer in the landing folder)"),
        _col("superseded_by", note="doc_id of the version that replaced it"),
        _col("report_kind", added_later=True, default="'monthly_report'"),
    ),
    ("period", "doc_id"),
)
QUARANTINE = RawTable(
    "quarantine",
    (
        _col("period", not_null=True),
        _col("file_name", not_null=True),
        _col("doc_id", note="null when the bytes could not be read at all"),
        _col("size_bytes", "bigint"),
        _col("reason", not_null=True),
    ),
    ("period", "file_name"),
)
INDICATOR_FACTS = RawTable(
    "indicator_facts",
    FACT_HEAD + PLACE + INDICATOR_MEASURE + CONFIDENCE + PROVENANCE,
    ("period", "doc_id", "fact_seq"),
)
PIPELINE_FACTS = RawTable(
    "pipeline_facts",
    FACT_HEAD + PLACE + PIPELINE_MEASURE + CONFIDENCE + PROVENANCE,
    ("period", "doc_id", "fact_seq"),
)
DUPLICATE_FILES = RawTable(
    "duplicate_files",
    (
        _col("period", not_null=True),
        _col("file_name", not_null=True, note="a file whose bytes are those of a kept file"),
        _col("doc_id", not_null=True),
        _col("duplicate_of", not_null=True, note="the kept file's name"),
    ),
    ("period", "file_name"),
)
RUN_WINDOW = RawTable(
    "run_window",
    (_col("period_start", not_null=True), _col("period_end", not_null=True)),
    note=(
        "The run's window of months (YYYY-MM, inclusive): one row, written by raw_reports. dbt's models\n"
        "read it at run time (so what dbt compiles does not change from month to month; no row: every\n"
        "month), and the gate and publishing take their months from it."
    ),
)

CHECK_RESULTS = RawTable(
    "check_results",
    (
        _col("period", not_null=True),
        _col("run_id", not_null=True, note="the Dagster run that validated the month"),
        _col("suite", not_null=True, note="expectations/<suite>.json"),
        _col("expectation", not_null=True, note="readable id: type(columns), cross-check prefix, [severity]"),
        _col("rule", note="what it checks and why"),
        _col("severity", not_null=True, note="ERROR (blocks publishing) | WARN (shown)"),
        _col("success", "boolean", True),
        _col("observed_value"),
        _col("failing_count", "integer"),
        _col("failing_sample", note="JSON array of up to 5 failing rows, with their evidence sentences"),
        _col(
            "failing_keys",
            note="the correction keys of the facts in every failing row, sorted, comma-separated",
            added_later=True,
        ),
        _col("rule_zh", note="the rule in Chinese (the suite's meta.rule_zh)", added_later=True),
        _col("observed_zh", note="the observed value in Chinese", added_later=True),
    ),
    ("period", "suite", "expectation"),
    note=(
        "The quality gate's results (devzone/quality/), one row per month and expectation; the gate\n"
        "replaces a month's rows each time it validates it. dbt builds fct_quality_result from it."
    ),
)

CORRECTIONS = RawTable(
    "corrections",
    (
        _col("journal_line", "integer", True, "order of the correction in the journal, from 1"),
        _col("correction_id", not_null=True, note="digest of the correction's content"),
        _col("correction_key", not_null=True, note="the statement it corrects (rpt_fact_lineage.correction_key)"),
        _col("action", not_null=True, note="value | yoy | city | zone | reject | accept | add | revoke"),
        _col("new_value", "double", note="the value or growth set (value, yoy)"),
        _col("new_name", note="the reference name set (city, zone)"),
        _col("reason", not_null=True),
        _col("corrected_by", not_null=True),
        _col("corrected_at", "timestamp", True, "UTC"),
        _col("target_period", note="the month of the statement when it was corrected"),
        _col(
            "target",
            "json",
            note="the copy of the statement corrected, or the fact added (add): devzone.corrections.Correction.target",
            added_later=True,
        ),
    ),
    ("journal_line",),
    note=(
        "Every line of the corrections journal ($DEVZONE_HOME/corrections/journal.jsonl), replaced\n"
        "as a whole by the asset corrections_journal at each run. dbt decides which are in force."
    ),
)

RAW_TABLES = (
    DOCUMENTS,
    DOCUMENT_HISTORY,
    QUARANTINE,
    INDICATOR_FACTS,
    PIPELINE_FACTS,
    DUPLICATE_FILES,
    RUN_WINDOW,
    CHECK_RESULTS,
    CORRECTIONS,
)
BY_NAME = {t.name: t for t in RAW_TABLES}


def names(columns: tuple[Column, ...]) -> tuple[str, ...]:
    return tuple(c.name for c in columns)


def ddl() -> str:
    """Every raw table, created if missing and brought up to date (the old rows read the defaults)."""
    return "create schema if not exists raw;\n" + "\n".join(t.ddl() for t in RAW_TABLES) + "\n"
