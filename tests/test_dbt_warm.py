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


def test_the_server_parses_the_project_once_and_a_command_that_only_selects_runs_with_that_manifest(
    tmp_path, monkeypatch
):
    """As dagster-dbt starts them in a run: a seed with the server's manifest, and a failing test
    with it, which exits as plain dbt does with the same failure (1); a command with an option that
    changes what dbt parses (--vars) parses for itself."""
    import duckdb

    from devzone import settings
    from orchestration.dbt_warm import parse_environment

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("DEVZONE_HOME", str(home))
    environment = parse_environment(settings.DBT_PROJECT_DIR, home / "dbt_target")
    log = tmp_path / "server.log"
    project = str(settings.DBT_PROJECT_DIR)

    def dbt(argv: list[str], env: dict) -> int:
        done = subprocess.run([DEVZONE_DBT, *argv], env=env, cwd=project, capture_output=True, text=True, timeout=180)
        return done.returncode

    with warm_dbt(log, environment) as socket_path:
        env = {**os.environ, **environment, "DBT_LOG_FORMAT": "json", SOCKET_ENV: socket_path}
        assert dbt(["seed", "--select", "report_kinds"], env) == 0
        assert dbt(["seed", "--select", "report_kinds", "--vars", "{}"], env) == 0
        with duckdb.connect(str(home / "warehouse.duckdb")) as con:
            assert con.execute("select count(*) from report_kinds").fetchone()[0] == 4
            con.execute("insert into report_kinds select * from report_kinds limit 1")  # a duplicate kind
        warm_code = dbt(["test", "--select", "unique_report_kinds"], env)
    plain_code = dbt(["test", "--select", "unique_report_kinds"], {**env, SOCKET_ENV: str(tmp_path / "none.sock")})
    assert warm_code == plain_code == 1
    said = [line for line in log.read_text(encoding="utf-8").splitlines() if line.startswith("devzone-dbt (warm)")]
    assert said == [
        "devzone-dbt (warm): dbt seed, with the manifest parsed at start",
        "devzone-dbt (warm): dbt seed, parsing for itself",
        "devzone-dbt (warm): dbt test, with the manifest parsed at start",
    ]


def test_only_commands_that_select_nodes_take_the_parsed_manifest():
    from orchestration.dbt_warm import parse_key, serves_preparsed

    assert serves_preparsed(
        ["build", "--exclude-resource-type", "unit_test", "--select", "fqn:*", "--exclude", "tag:quality"]
    )
    assert serves_preparsed(["test", "--select=stg_documents"])
    assert not serves_preparsed(["parse"])
    assert not serves_preparsed(["build", "--vars", "{}"])
    assert not serves_preparsed(["run", "--target-path", "elsewhere"])
    assert not serves_preparsed([])
    # what decides a parse: the project's DBT_* settings and devzone's, not the log format or the socket
    base = {"DBT_PROJECT_DIR": "/p", "DEVZONE_HOME": "/h", "PATH": "/bin"}
    assert parse_key(base) == parse_key({**base, "DBT_LOG_FORMAT": "json", SOCKET_ENV: "/s", "PATH": "/usr/bin"})
    assert parse_key(base) != parse_key({**base, "DEVZONE_HOME": "/other"})
    assert parse_key(base) != parse_key({**base, "DBT_TARGET_PATH": "/t"})
