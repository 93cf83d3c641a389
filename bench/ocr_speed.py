#!/usr/bin/env python3
"""What OCR costs a month, and what the OCR cache and Dagster's parallel steps give back.

    .venv/bin/python bench/ocr_speed.py [--pages 10] [--skip-parallel] [--skip-pages]   (make bench-ocr)

1. Pages per minute: the pages of one scanned bulletin OCR'd in this process, one thread (as each
   of Dagster's step processes does).
2. A month with one `--pages`-page scanned bulletin (our own generated report in the genre, made an
   image-only PDF at 150 dpi): `devzone run --month` in a fresh home, first run (OCR) and re-run
   (the OCR cache under the home), against the same month with the report as text. Goal: the
   re-run within 10% of the text-only month.
3. A month of four scanned files, OCR'd by the OCR job (orchestration/scan_job.py, Dagster's
   multiprocess executor) with DEVZONE_OCR_PROCESSES=1 and =2, each in a fresh home. Goal: ≥ 1.6×.

Every figure is printed with the 1-minute load average: the machine may be shared. The homes are
temporary and have their own OCR cache (DEVZONE_OCR_CACHE is unset).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEVZONE = Path(sys.executable).with_name("devzone")
MONTH = "2024-06"


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def report_text(pages: int, seed: int) -> str:
    """A generated city report in the genre (devzone/synthetic), long enough to fill `pages` A4
    pages at the bulletin's type size (about 900 characters a page)."""
    import random

    from devzone.extraction.reference import load_reference
    from devzone.synthetic.reports import generate_report

    city_names = [city.name for city in load_reference().cities]  # (the cities seed)
    parts: list[str] = []
    i = 0
    while sum(map(len, parts)) < pages * 900:
        city = city_names[(seed + i) % len(city_names)]
        parts.append(generate_report(city, MONTH, random.Random(seed + i), file_name="bulletin.txt")[0])
        i += 1
    return "\n\n".join(parts)[: pages * 900]


def scanned(text: str, pages: int) -> bytes:
    from devzone.synthetic.scans import scanned_pdf

    return scanned_pdf(text, dpi=150)


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DEVZONE_OCR_CACHE"}
    return {**env, "DEVZONE_HOME": str(home), **extra}


def timed_run(home: Path, **extra: str) -> float:
    started = time.perf_counter()
    subprocess.run([str(DEVZONE), "run", "--month", MONTH], env=env_for(home, **extra), check=True, capture_output=True)
    return time.perf_counter() - started


def land(home: Path, files: dict[str, bytes]) -> None:
    folder = home / "landing" / MONTH
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)


def pages_per_minute(pdf: bytes) -> None:
    from devzone.extraction.ocr import scan_pdf

    started = time.perf_counter()
    result = scan_pdf(pdf, "bulletin.pdf")
    seconds = time.perf_counter() - started
    print(
        f"OCR: {result.ocr_pages} pages in {seconds:.1f} s = {result.ocr_pages / seconds * 60:.1f} pages/min "
        f"(one process, one thread; mean confidence {result.mean_confidence:.3f}) [{load()}]"
    )


def month_costs(text: str, pdf: bytes, workdir: Path) -> None:
    text_home, scan_home = workdir / "text", workdir / "scan"
    land(text_home, {"bulletin.txt": text.encode("utf-8")})
    land(scan_home, {"bulletin.pdf": pdf})
    first = timed_run(scan_home)
    text_runs = [timed_run(text_home) for _ in range(2)]
    reruns = [timed_run(scan_home) for _ in range(2)]
    text_s, rerun_s = min(text_runs), min(reruns)
    print(
        f"a month with one scanned bulletin: first run {first:.1f} s (OCR), re-run {rerun_s:.1f} s (cache) [{load()}]"
    )
    print(
        f"the same month as text: {text_s:.1f} s; re-run / text = {rerun_s / text_s:.3f} "
        f"(goal <= 1.10; best of 2 each: {', '.join(f'{t:.1f}' for t in reruns)} vs {', '.join(f'{t:.1f}' for t in text_runs)})"
    )


def ocr_job_seconds(home: Path, processes: int) -> float:
    """The OCR job alone (what `devzone run` starts first when scans wait), in a fresh process."""
    code = (
        "import time; from orchestration.runner import instance, read_scans; "
        f"t = time.perf_counter(); r = read_scans(instance(), ['{MONTH}'], {{'dagster/partition': '{MONTH}'}}); "
        "assert r is not None and r.success; print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env_for(home, DEVZONE_OCR_PROCESSES=str(processes)),
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return float(out.stdout.strip().splitlines()[-1])


def parallel_speedup(workdir: Path) -> None:
    files = {f"city_{i}.pdf": scanned(report_text(2, seed=10 + i), 2) for i in range(4)}
    seconds = {}
    for processes in (1, 2):
        home = workdir / f"parallel_{processes}"
        land(home, files)
        seconds[processes] = ocr_job_seconds(home, processes)
        print(
            f"four scanned files (8 pages), OCR job on {processes} process(es): {seconds[processes]:.1f} s [{load()}]"
        )
    print(f"speed-up on both cores: {seconds[1] / seconds[2]:.2f}x (goal >= 1.6)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--skip-parallel", action="store_true")
    parser.add_argument("--skip-pages", action="store_true", help="skip the pages-per-minute figure")
    args = parser.parse_args()
    text = report_text(args.pages, seed=1)
    pdf = scanned(text, args.pages)
    workdir = Path(tempfile.mkdtemp(prefix="devzone-bench-ocr-"))
    try:
        if not args.skip_pages:
            pages_per_minute(pdf)
        month_costs(text, pdf, workdir)
        if not args.skip_parallel:
            parallel_speedup(workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
