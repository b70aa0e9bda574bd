"""`noegletal-dbt`: the venv's dbt, started so that it dies with the process that runs it.

dagster-dbt starts `dbt build` as a child process. When `noegletal run` (or a Dagster step
process) is killed, nothing in it can stop that child, and a killed run's build went on
writing the warehouse for about 18 s (issue 14) while the next run might already start. On
Linux this program asks the kernel to send it SIGTERM when its parent dies
(prctl PR_SET_PDEATHSIG, kept across exec) and then becomes dbt.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1
WRAPPER = "noegletal-dbt"


def die_with_parent(parent: int) -> None:
    """Have the kernel end this process when `parent` ends; exit now if it already has."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    # The parent may have died before the request: then this process was already re-parented.
    if os.getppid() != parent:
        raise SystemExit(f"{WRAPPER}: the process that started it is gone; not starting")


def exec_dying_with_parent(argv: list[str]) -> None:
    parent = os.getppid()
    die_with_parent(parent)
    os.execv(argv[0], argv)


def dbt_executable() -> str:
    """What the dbt resource runs: the wrapper when installed beside this Python (`make setup`
    installs it), else the venv's dbt itself."""
    bin_dir = Path(sys.executable).parent
    wrapper = bin_dir / WRAPPER
    return str(wrapper if wrapper.exists() else bin_dir / "dbt")


def main() -> None:
    exec_dying_with_parent([str(Path(sys.executable).parent / "dbt"), *sys.argv[1:]])
