"""The warm dbt server of a run (orchestration/dbt_warm.py): `devzone-dbt` hands its command to it,
and gets dbt's own output and exit code back; without a server it runs dbt itself."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from orchestration.dbt_child import SOCKET_ENV
from orchestration.dbt_warm import warm_dbt

DEVZONE_DBT = str(Path(sys.executable).with_name("devzone-dbt"))


def dbt_parse(project: Path, env: dict) -> tuple[int, int, list[dict]]:
    """`devzone-dbt parse` of a folder without a dbt project: (exit code, the client's pid, dbt's
    JSON lines)."""
    proc = subprocess.Popen(
        [DEVZONE_DBT, "parse", "--log-format", "json", "--project-dir", str(project), "--profiles-dir", str(project)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=project,
        text=True,
    )
    out, _ = proc.communicate(timeout=120)
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    return proc.returncode, proc.pid, lines


def test_a_dbt_command_runs_in_a_fork_of_the_warm_server_with_dbts_output_and_exit_code(tmp_path):
    with warm_dbt() as socket_path:
        env = {**os.environ, SOCKET_ENV: socket_path}
        code, client, lines = dbt_parse(tmp_path, env)
    assert code == 2  # dbt's own code for a runtime error: no dbt_project.yml
    assert lines[0]["info"]["name"] == "MainReportVersion"
    assert any("No dbt_project.yml found" in line["data"].get("exc", "") for line in lines)
    # dbt ran in another process than the client: the server's fork (exec would have kept the pid)
    assert {line["info"]["pid"] for line in lines} != {client}
    assert SOCKET_ENV not in os.environ and not Path(socket_path).exists()  # the run's server is gone


def test_an_interrupt_to_devzone_dbt_reaches_the_dbt_it_handed_its_command_to(tmp_path):
    """dagster-dbt stops dbt with SIGINT (a run terminated from the UI): the fork must stop too."""
    from devzone import settings

    with warm_dbt() as socket_path:
        env = {**os.environ, SOCKET_ENV: socket_path, "DEVZONE_HOME": str(tmp_path)}
        project = str(settings.DBT_PROJECT_DIR)
        proc = subprocess.Popen(
            [DEVZONE_DBT, "parse", "--log-format", "json", "--project-dir", project, "--profiles-dir", project]
            + ["--target-path", str(tmp_path / "target"), "--no-partial-parse"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=project,
            text=True,
        )
        first = json.loads(proc.stdout.readline())  # dbt has started, in the fork
        worker = first["info"]["pid"]
        assert worker != proc.pid
        proc.send_signal(signal.SIGINT)
        proc.stdout.read()
        code = proc.wait(timeout=60)
    assert code != 0
    assert not Path(f"/proc/{worker}").exists() or "Z" in Path(f"/proc/{worker}/stat").read_text().rsplit(")", 1)[1][:3]


def test_without_a_server_devzone_dbt_runs_dbt_itself(tmp_path):
    env = {**os.environ, SOCKET_ENV: str(tmp_path / "no-server.sock")}
    code, client, lines = dbt_parse(tmp_path, env)
    assert code == 2 and lines
    assert {line["info"]["pid"] for line in lines} == {client}  # devzone-dbt became dbt
