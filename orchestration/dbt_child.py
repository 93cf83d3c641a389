"""`devzone-dbt`: dbt that dies with the process that started it (and, during `devzone run`, that
runs on the run's warm dbt server: orchestration/dbt_warm.py).

dagster-dbt runs dbt as a child process. When `devzone run` is killed outright (SIGKILL, the OOM
killer) it cannot stop that child, which would go on writing the warehouse while the next run
starts. So the child asks Linux for SIGKILL when its parent dies (PR_SET_PDEATHSIG), then becomes
dbt: exec keeps the request, and dbt's process is this one.

Linux sends the signal when the *thread* that started the child ends, not the process. dagster-dbt
starts dbt from the thread that executes the step; in `devzone run` (`execute_in_process`) that is
the main thread, which ends only with the process.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# The warm dbt server's socket, set by `devzone run` for its dbt commands.
SOCKET_ENV = "DEVZONE_DBT_SOCKET"


def die_with_parent() -> None:
    """Ask Linux for SIGKILL when the parent (the thread that started this process) ends."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
        if os.getppid() != parent:  # it died before the request took hold: no signal will come
            sys.exit(f"{Path(sys.argv[0]).name}: the process that started it has ended")


def main() -> None:
    die_with_parent()
    # During `devzone run`, a warm dbt server (orchestration/dbt_warm.py) runs the command.
    warm = os.environ.get(SOCKET_ENV)
    if warm:
        from orchestration.dbt_warm import run_on_server

        code = run_on_server(warm, sys.argv[1:])
        if code is not None:
            sys.exit(code)
    dbt = Path(sys.executable).with_name("dbt")  # the dbt of this environment, whatever PATH says
    os.execv(dbt, [str(dbt), *sys.argv[1:]])
