"""The one `DbtProject` definition, imported by the dbt assets and by the resources."""

from __future__ import annotations

import sys
from pathlib import Path

from dagster_dbt import DbtProject

from devzone import settings

devzone_dbt = DbtProject(project_dir=settings.DBT_PROJECT_DIR)
# Parses the project when its manifest is missing or stale while developing (`dagster dev`, the
# tests, `devzone run` from a checkout); a deployment builds it once with
# `dagster-dbt project prepare-and-package` (see the Makefile).
devzone_dbt.prepare_if_dev()

# The dbt of this interpreter's environment, whatever PATH says, started through `devzone-dbt`
# (orchestration/dbt_child.py) so that it dies with the run that started it; plain dbt where the
# project's entry points are not installed.
DBT_CHILD = Path(sys.executable).with_name("devzone-dbt")
DBT_EXECUTABLE = str(DBT_CHILD if DBT_CHILD.exists() else Path(sys.executable).with_name("dbt"))
