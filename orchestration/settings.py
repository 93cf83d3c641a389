"""Where devzone keeps its state. One setting, DEVZONE_HOME, shared by Dagster, dbt and the app.

`<home>` is $DEVZONE_HOME, or `.devzone/` in the project root. It holds the landing area
(`landing/YYYY-MM/`), the working warehouse, the published serving file and the Dagster instance.
dbt's profiles.yml reads the same variable, which this module sets for child processes.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
FIRST_MONTH = "2021-01"
TIMEZONE = "Asia/Shanghai"  # months close at midnight Beijing time


def months_ahead() -> int:
    """Months after the last complete month that are partitions too: 0 in production; benchmarks
    of ten years of synthetic history need months that have not happened yet."""
    return int(os.environ.get("DEVZONE_MONTHS_AHEAD", "0"))


def max_file_bytes() -> int:
    """Landing files above this size are quarantined, not read: a report is a few megabytes at
    most, and a bigger file would hold the warehouse's single writer for minutes."""
    return int(float(os.environ.get("DEVZONE_MAX_FILE_MB", "20")) * 2**20)


def home() -> Path:
    path = Path(os.environ.get("DEVZONE_HOME") or PROJECT_ROOT / ".devzone").resolve()
    os.environ["DEVZONE_HOME"] = str(path)  # dbt's profiles.yml and child processes read it
    return path


def landing_dir() -> Path:
    return home() / "landing"


def warehouse_path() -> Path:
    return home() / "warehouse.duckdb"


def serving_path() -> Path:
    return home() / "serving.duckdb"


def dagster_home() -> Path:
    return home() / "dagster"


def data_docs_dir() -> Path:
    return home() / "data_docs"
