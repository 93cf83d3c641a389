"""Where devzone keeps its state. One setting, DEVZONE_HOME, shared by Dagster, dbt and the app.

`<home>` is $DEVZONE_HOME, or `.devzone/` in the project root. It holds the landing area
(`landing/YYYY-MM/`), the working warehouse, the published serving file and the Dagster instance.
dbt's profiles.yml reads the same variable (inherited by dbt's process), with the same default, so
the variable, when set, must be an absolute path: dbt runs in another working directory.
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


class SettingError(ValueError):
    """A setting in the environment that devzone cannot use; the message says which and why."""


def home() -> Path:
    value = os.environ.get("DEVZONE_HOME")
    if not value:
        return PROJECT_ROOT / ".devzone"
    path = Path(value).expanduser()
    if not path.is_absolute():
        # dbt (a child process started in dbt_project/) reads the same variable: a relative path
        # would name another folder there.
        raise SettingError(f"DEVZONE_HOME must be an absolute path, got {value!r} (try DEVZONE_HOME=$PWD/{value})")
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


def dbt_target_dir() -> Path:
    """dbt's target folder for the runs of this home: kept between runs, so dbt parses only what
    changed (its partial parse), and one per home, so homes never share dbt's state."""
    return home() / "dbt_target"
