"""OCR of the month's scanned files (PDF pages without a text layer, photos of pages), one Dagster
step per file so that Dagster's executor runs them side by side.

OCR takes seconds a page, everything else a month needs milliseconds. The texts are kept by each
file's SHA-256 under <home>/ocr_cache/ (devzone/ocr_cache.py), where raw_reports finds them: a
re-run, a backfill or a rebuilt warehouse never reads the same bytes twice, and a month without a
new scan fans out to nothing. Nothing here writes DuckDB, so these steps take no writer slot.

How it scales: the steps are plain Dagster ops mapped over a dynamic output. `devzone run` executes
them with the multiprocess executor (orchestration/scan_job.py, one process a core); on a cluster
the same job runs under dagster-k8s's `k8s_job_executor` or dagster-celery's `celery_executor`,
one pod or worker per file, with no change here (see the README).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import dagster as dg

from devzone import landing, ocr_cache, settings
from devzone.extraction import ReadError
from orchestration.assets.landing import landing_reports
from orchestration.partitions import monthly, months_label


def scan_paths(months: list[str]) -> list[Path]:
    """The landing files of these months that OCR must read and the cache does not hold yet. The
    files the landing would not read (links, hidden, oversized) are left to it to quarantine."""
    paths: list[Path] = []
    for month in months:
        files, _refused = landing.month_entries(settings.landing_dir() / month, settings.max_file_bytes())
        paths += [p for p in files if ocr_cache.needs_reading(p)]
    return paths


def mapping_key(path: Path, index: int) -> str:
    """Dagster's mapping keys allow [A-Za-z0-9_]: the month and the file's position, then its name's
    ASCII letters (for the step's name in the UI)."""
    return f"{path.parent.name.replace('-', '_')}_{index}_" + re.sub(r"[^A-Za-z0-9_]", "", path.stem)[:40]


@dg.op(ins={"landing": dg.In(dg.Nothing)}, out={"scan": dg.DynamicOut(str), "count": dg.Out(int)})
def find_scans(context):
    """One output per file to OCR (none when every scan of the months is in the cache)."""
    paths = scan_paths(list(context.partition_keys))
    for i, path in enumerate(paths):
        yield dg.DynamicOutput(str(path), output_name="scan", mapping_key=mapping_key(path, i))
    yield dg.Output(len(paths), output_name="count")


@dg.op
def read_scan(context, scan: str) -> dict:
    """OCR one file into the cache. A file OCR cannot read is left for the landing, which
    quarantines it with the same reason."""
    path = Path(scan)
    started = time.perf_counter()
    try:
        text = ocr_cache.cached_scan(path.read_bytes(), path)
    except (ReadError, OSError) as exc:
        reason = exc.reason if isinstance(exc, ReadError) else str(exc)
        context.log.warning(f"{path.parent.name}/{path.name}: {reason}")
        return {"file": f"{path.parent.name}/{path.name}", "error": reason}
    return {
        "file": f"{path.parent.name}/{path.name}",
        "reader": text.reader,
        "pages": text.pages,
        "ocr_pages": text.ocr_pages,
        "seconds": round(time.perf_counter() - started, 2),
        "mean_confidence": text.mean_confidence,
        "low_confidence_lines": len(text.low_confidence_lines),
    }


def files_table(rows: list[dict]) -> str:
    lines = [
        "| file | reader | pages | OCR'd | seconds | mean confidence | low-confidence lines |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['file']} | not read: {r['error']} | | | | | |")
        else:
            confidence = "" if r["mean_confidence"] is None else f"{r['mean_confidence']:.3f}"
            lines.append(
                f"| {r['file']} | {r['reader']} | {r['pages']} | {r['ocr_pages']} | {r['seconds']} "
                f"| {confidence} | {r['low_confidence_lines']} |"
            )
    return "\n".join(lines)


@dg.op
def scans_read(context, count: int, results: list[dict]) -> None:
    """The months' OCR as the asset's metadata: files, pages, seconds, confidence."""
    rows = sorted(results, key=lambda r: r["file"])
    context.add_output_metadata(
        {
            "months": months_label(list(context.partition_keys)),
            "files_read": count,
            "pages_read": sum(r.get("ocr_pages") or 0 for r in rows),
            "ocr_seconds": round(sum(r.get("seconds") or 0 for r in rows), 2),
            "files": dg.MetadataValue.md(files_table(rows) if rows else "no new scan: every scan is in the OCR cache"),
        }
    )


@dg.graph_asset(
    name="scanned_texts",
    ins={"landing": dg.AssetIn(landing_reports.key, dagster_type=dg.Nothing)},
    partitions_def=monthly,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name="landing",
    kinds={"python"},
    description="The OCR text of the month's scanned PDFs and images, one step per file, kept by each file's "
    "SHA-256 under <home>/ocr_cache/ (raw_reports reads it from there).",
)
def scanned_texts(landing):
    scans, count = find_scans(landing)
    return scans_read(count, scans.map(read_scan).collect())
