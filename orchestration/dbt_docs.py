"""`make docs`: dbt's documentation site of the home's warehouse, one static page in <home>/dbt_docs/.

`dbt docs generate` reads the warehouse's catalog (every table's and column's type, row counts).
It runs on a copy of the warehouse, taken while no `devzone run` writes it (the runs' lock), in a
scratch folder that dbt's profile is pointed at through DEVZONE_HOME, the variable it reads the
warehouse's folder from: the working warehouse is never opened, a run may start meanwhile, and
whatever dbt leaves in the copy is thrown away with it. `--static` gives one index.html with the
manifest and catalog inside, which opens from file://, without a server (dbt's usage tracking is
off in dbt_project.yml, so the page loads nothing from outside). The site shows the exposures of
dbt_project/models/exposures.yml: the serving file and the managers' app, with the marts they read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from devzone import settings

DBT = Path(sys.executable).with_name("dbt")


class DocsError(RuntimeError):
    pass


def generate(home: Path | None = None) -> Path:
    """Write <home>/dbt_docs/index.html from a copy of <home>/warehouse.duckdb; returns its path."""
    from orchestration.runner import pipeline_lock

    home = home or settings.home()
    source = home / "warehouse.duckdb"
    if not source.is_file():
        raise DocsError(f"no warehouse at {source}: build it first (make run)")
    target = home / "dbt_docs"
    with tempfile.TemporaryDirectory(prefix="devzone-dbt-docs-") as scratch:
        copy = Path(scratch)
        with pipeline_lock():  # no run writes the warehouse while it is copied
            for name in ("warehouse.duckdb", "warehouse.duckdb.wal"):
                if (home / name).is_file():
                    shutil.copy2(home / name, copy / name)
        env = {**os.environ, "DEVZONE_HOME": str(copy), "DO_NOT_TRACK": "1"}
        command = [
            str(DBT),
            "docs",
            "generate",
            "--static",
            "--project-dir",
            str(settings.DBT_PROJECT_DIR),
            "--profiles-dir",
            str(settings.DBT_PROJECT_DIR),
            "--target-path",
            str(copy / "target"),
            "--log-path",
            str(copy / "logs"),
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise DocsError(
                f"dbt docs generate failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-2000:]}"
            )
        target.mkdir(parents=True, exist_ok=True)
        staged = target / "index.html.partial"
        shutil.copyfile(copy / "target" / "static_index.html", staged)
        staged.replace(target / "index.html")
    return target / "index.html"


def main() -> int:
    try:
        index = generate()
    except (DocsError, settings.SettingError) as error:
        print(f"make docs: {error}", file=sys.stderr)
        return 1
    print(f"dbt docs: {index}  (open it in a browser; no server needed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
