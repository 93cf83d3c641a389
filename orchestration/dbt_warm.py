"""A warm dbt for the length of a run: dbt imported once, each dbt command a fork of it.

Every dbt command is a new Python process that spends ~4 s importing dbt and its DuckDB adapter
before it reads a file (more than a month's whole `dbt build` of work), and a run has two of them
(the models, then the quality marts after the gate). So `devzone run` starts this server as the
run begins: it imports dbt while the run loads its definitions and reads the landing files, then
listens on a Unix socket. dagster-dbt still starts its dbt executable, `devzone-dbt`
(orchestration/dbt_child.py), which finds the socket in DEVZONE_DBT_SOCKET and hands over its
command line, working directory, environment and standard output and error (file descriptors
passed over the socket). The server forks: the fork has dbt imported already, and runs the
command exactly as the `dbt` executable would (`dbt.cli.main.cli`) with the client's output, so
dagster-dbt reads the same JSON lines from the same pipe. The client waits for the fork's exit
code, forwards SIGINT and SIGTERM to it, and exits with the code.

The server also parses the project once, as it starts (dbt's programmatic API: a parsed manifest
handed to `dbtRunner`), so a command skips dbt's ~3 s of parsing: the fork runs it with that
manifest when the command's project, profiles, target folder and settings (its DBT_* and
DEVZONE_* environment) are those the server parsed with and it passes no option that changes what
dbt parses; any other command, or a project that did not parse, runs as the `dbt` executable
would, parsing for itself. Each command is a fresh fork of a server that never ran a command: no
state carries from one command to the next. Without the socket (the Dagster UI, a server that failed to start), `devzone-dbt`
runs dbt as before. Death follows the parent: the server dies with the run that started it, a
fork with the server (PR_SET_PDEATHSIG), so a run killed outright leaves no dbt writing the
warehouse (tests/test_pipeline.py kills one mid-build).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from orchestration.dbt_child import SOCKET_ENV, die_with_parent

# What a `dbt build` imports beyond dbt.cli.main (the DuckDB adapter, the tasks, the compiler):
# imported once in the server instead of in every command.
PRELOAD = (
    "dbt.cli.main",
    "dbt.adapters.duckdb",
    "dbt.adapters.duckdb.impl",
    "dbt.adapters.sql.impl",
    "dbt.compilation",
    "dbt.parser.sql",
    "dbt.task.build",
    "dbt.task.seed",
    "dbt.task.test",
    "dbt.task.run",
)
# Environment variables that do not change what dbt parses (dagster-dbt sets them per command).
NOT_PARSED = frozenset({"DBT_LOG_FORMAT", "DBT_LOG_PATH", "DBT_INDIRECT_SELECTION", "DBT_SEND_ANONYMOUS_USAGE_STATS"})
# The commands and options a pre-parsed manifest serves: selection only, nothing that dbt parses.
PREPARSED_COMMANDS = frozenset({"build", "run", "test", "seed"})
SELECTION_OPTIONS = frozenset(
    {"--select", "-s", "--exclude", "--selector", "--resource-type", "--exclude-resource-type", "--fail-fast", "-x"}
)
MAX_MESSAGE = 1 << 20
STARTUP_SECONDS = 10.0  # to bind its socket; without it, dbt runs as before


def send(conn: socket.socket, message: dict) -> None:
    conn.sendall(json.dumps(message).encode() + b"\n")


def receive(stream) -> dict | None:
    line = stream.readline(MAX_MESSAGE)
    return json.loads(line) if line else None


# ---- the server -------------------------------------------------------------------------------
def parse_environment(project_dir: Path, target_dir: Path) -> dict[str, str]:
    """The environment dagster-dbt gives each dbt command of a run (orchestration/resources.py: the
    project is its own profiles folder; one target folder per home), which the server parses under."""
    return {
        "DBT_PROJECT_DIR": str(project_dir),
        "DBT_PROFILES_DIR": str(project_dir),
        "DBT_TARGET_PATH": str(target_dir),
        "DBT_LOG_PATH": str(target_dir),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def parse_key(env: dict[str, str]) -> tuple:
    """What, of a command's environment, decides what dbt parses."""
    return tuple(
        sorted(
            (k, v)
            for k, v in env.items()
            if (k.startswith("DBT_") and k not in NOT_PARSED) or (k.startswith("DEVZONE_") and k != SOCKET_ENV)
        )
    )


def serves_preparsed(argv: list[str]) -> bool:
    """A command a pre-parsed manifest serves: a build, run, test or seed that only selects nodes."""
    return (
        bool(argv)
        and argv[0] in PREPARSED_COMMANDS
        and all(a.split("=", 1)[0] in SELECTION_OPTIONS for a in argv[1:] if a.startswith("-"))
    )


def preparse(environment: dict[str, str]):
    """Parse the project under `environment`: (the manifest, its parse key), or None when dbt could
    not parse it (then each command parses, and reports the error, itself)."""
    from dbt.cli.main import dbtRunner
    from dbt.contracts.graph.manifest import Manifest

    os.environ.update(environment)
    os.chdir(environment["DBT_PROJECT_DIR"])
    parsed = dbtRunner().invoke(["parse", "--quiet"])
    if not (parsed.success and isinstance(parsed.result, Manifest)):
        print(
            f"devzone-dbt (warm): the project did not parse ({parsed.exception!r}); each command parses it", flush=True
        )
        return None
    return parsed.result, parse_key(dict(os.environ))


def serve(path: str, environment: dict[str, str] | None = None) -> None:
    """Import dbt (and parse the project under `environment`), then run each command that arrives
    on the socket `path` in a fork."""
    die_with_parent()
    import importlib

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(4)  # a command that comes while dbt is being imported waits for it
    for module in PRELOAD:
        importlib.import_module(module)
    preparsed = preparse(environment) if environment else None
    while True:
        conn, _ = listener.accept()
        with conn:
            request, fds, _, _ = socket.recv_fds(conn, MAX_MESSAGE, 3)
            while not request.endswith(b"\n") and len(request) < MAX_MESSAGE:
                more = conn.recv(MAX_MESSAGE)
                if not more:
                    break
                request += more
            command = json.loads(request)
            manifest = manifest_for(command, preparsed)
            print(
                f"devzone-dbt (warm): dbt {' '.join(command['argv'][:1])}, "
                + ("with the manifest parsed at start" if manifest else "parsing for itself"),
                flush=True,
            )
            pid = os.fork()
            if pid == 0:
                listener.close()
                run_command(command, fds, manifest)  # never returns
            for fd in fds:
                os.close(fd)
            send(conn, {"pid": pid})
            _, status = os.waitpid(pid, 0)
            send(conn, {"exit": os.waitstatus_to_exitcode(status)})


def manifest_for(request: dict, preparsed):
    """The server's manifest if it was parsed as this command would parse, else None."""
    if preparsed and preparsed[1] == parse_key(request["env"]) and serves_preparsed(request["argv"]):
        return preparsed[0]
    return None


def run_command(request: dict, fds: list[int], manifest=None) -> None:
    """In the fork: become `dbt <argv>` with the client's standard streams, then exit with dbt's
    code; given a manifest, dbt runs with it instead of parsing the project."""
    code = 1
    try:
        die_with_parent()
        for target, fd in zip((0, 1, 2), fds, strict=True):
            os.dup2(fd, target)
            os.close(fd)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
        argv = request["argv"]
        if manifest is not None:
            from dbt.cli.main import dbtRunner

            ran = dbtRunner(manifest=manifest).invoke(argv)
            # dbt's exit codes: 0 success, 1 a model or test failed, 2 dbt itself failed.
            code = 0 if ran.success else (2 if ran.exception is not None else 1)
        else:
            sys.argv = ["dbt", *argv]
            from dbt.cli.main import cli

            try:
                cli()
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException as exc:  # noqa: BLE001 - the fork must exit, whatever happened
        print(f"devzone-dbt (warm): {exc!r}", file=sys.stderr)
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)


# ---- the client (devzone-dbt) -------------------------------------------------------------------
def run_on_server(path: str, argv: list[str]) -> int | None:
    """Run `dbt argv` on the warm server at `path`: dbt's exit code, or None when no server took
    the command (then the caller runs dbt itself)."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}
        socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
        replies = conn.makefile("rb")
        started = receive(replies)
    except OSError:
        conn.close()
        return None
    if not started:
        conn.close()
        return None
    worker = int(started["pid"])

    def forward(signum, _frame):
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker, signum)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    with conn:
        ended = receive(replies)
    if not ended:
        print("devzone-dbt: the warm dbt server ended before dbt did", file=sys.stderr)
        return 1
    return int(ended["exit"])


# ---- for the run ------------------------------------------------------------------------------
@contextlib.contextmanager
def warm_dbt(log: Path | None = None, environment: dict[str, str] | None = None) -> Iterator[str]:
    """Start the server for the length of a run; its socket's path is in DEVZONE_DBT_SOCKET meanwhile.
    With `environment` (parse_environment()), the server parses the project under it as it starts."""
    folder = tempfile.mkdtemp(prefix="devzone-dbt-")  # short: a socket's path has ~100 bytes at most
    path = str(Path(folder) / "dbt.sock")
    out = open(log, "a", encoding="utf-8") if log else subprocess.DEVNULL  # noqa: SIM115
    # The forks end with os._exit, leaving dbt's multiprocessing locks to Python's resource
    # tracker, which removes them when the server stops and would warn about each.
    quiet_tracker = "ignore::UserWarning:multiprocessing.resource_tracker"
    server = subprocess.Popen(
        [sys.executable, "-W", quiet_tracker, "-m", "orchestration.dbt_warm", path, json.dumps(environment or {})],
        stdout=out,
        stderr=out,
        stdin=subprocess.DEVNULL,
    )
    # The socket is bound before dbt is imported: a command that comes early waits in its backlog.
    deadline = time.monotonic() + STARTUP_SECONDS
    while not os.path.exists(path) and server.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    previous = os.environ.get(SOCKET_ENV)
    if os.path.exists(path):
        os.environ[SOCKET_ENV] = path
    try:
        yield path
    finally:
        if previous is None:
            os.environ.pop(SOCKET_ENV, None)
        else:
            os.environ[SOCKET_ENV] = previous
        server.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=10)
        if server.poll() is None:
            server.kill()
            server.wait()
        if log:
            out.close()  # type: ignore[union-attr]
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    serve(sys.argv[1], json.loads(sys.argv[2]) if len(sys.argv) > 2 else None)
