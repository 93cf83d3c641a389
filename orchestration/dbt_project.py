"""The one `DbtProject` definition, imported by the dbt assets and by the resources."""
from __future__ import annotations

import sys
from pathlib import Path

from dagster_dbt import DbtCliResource, DbtProject

from orchestration import settings

settings.home()  # exports DEVZONE_HOME, which profiles.yml reads

devzone_dbt = DbtProject(project_dir=settings.DBT_PROJECT_DIR)
# The dbt of this interpreter's environment, whatever PATH says, started through `devzone-dbt`
# (orchestration/dbt_child.py) so that it dies with the run that started it; plain dbt where the
# project's entry points are not installed.
DBT_CHILD = Path(sys.executable).with_name("devzone-dbt")
DBT_EXECUTABLE = str(DBT_CHILD if DBT_CHILD.exists() else Path(sys.executable).with_name("dbt"))


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=devzone_dbt, dbt_executable=DBT_EXECUTABLE)

WATCHED = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests", "snapshots")


def ensure_manifest() -> None:
    """Parse the project when manifest.json is missing or older than a file of the project, so a
    fresh checkout and an edited model both load without a separate build step."""
    manifest = devzone_dbt.manifest_path
    newest = 0.0
    for name in WATCHED:
        path = devzone_dbt.project_dir / name
        files = [path] if path.is_file() else path.rglob("*") if path.is_dir() else []
        newest = max([newest, *(f.stat().st_mtime for f in files if f.is_file())])
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        dbt_resource().cli(["parse", "--quiet"], target_path=devzone_dbt.target_path).wait()
