"""`noegletal-dbt`: the venv's dbt, started so that it dies with the process that runs it.

dagster-dbt starts `dbt build` as a child process. When `noegletal run` (or a Dagster step
process) is killed, nothing in it can stop that child, and a killed run's build went on
writing the warehouse for about 18 s (issue 14) while the next run might already start. On
Linux this program asks the kernel to send it SIGTERM when its parent dies
(prctl PR_SET_PDEATHSIG) and then runs dbt's command line in this same process.

In this process rather than by exec, so that it can leave without the interpreter's
teardown once dbt's command has returned (pipeline/platform/process_exit.py): dbt has closed
its DuckDB connection and written its artifacts by then, and the teardown of its parsed
project only kept the build's caller waiting.

It also gives dbt the environment of its call. dagster-dbt starts dbt with a copy of the
parent's os.environ and has no way to add variables for one call, so the caller
(DbtCli.cli(env=...), pipeline/dbt/resource.py) writes them into the call's target folder
(ENV_FILE, beside dbt's own artifacts of that call) and this program adds them to its own
environment before it becomes dbt: the parent's environment is never changed.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path

from pipeline.platform.process_exit import exit_without_teardown

PR_SET_PDEATHSIG = 1
WRAPPER = "noegletal-dbt"
# The variables of one dbt call, in its target folder (DBT_TARGET_PATH, set by dagster-dbt).
ENV_FILE = "noegletal-environment.json"
# The pid of the process that wrote ENV_FILE and starts dbt: a wrapper whose parent died
# before the wrapper could ask to die with it finds another parent, and does not start.
PARENT_FILE = "noegletal-parent.pid"
# Set by dagster-dbt itself for a call when the UI runs a subset of the checks ("empty"): its
# value wins over the caller's default.
DAGSTER_DBT_OWNED = frozenset({"DBT_INDIRECT_SELECTION"})


def die_with_parent(parent: int) -> None:
    """Have the kernel end this process when `parent` ends; exit now if it already has."""
    # An ignored or blocked SIGTERM is inherited through fork and exec: a parent that ignores
    # it (some supervisors and test runners do) would make the request below a no-op.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    # The parent may have died before the request: then this process was already re-parented.
    if os.getppid() != parent:
        raise SystemExit(f"{WRAPPER}: the process that started it is gone; not starting")


def write_call_environment(target: Path, env: Mapping[str, str]) -> Path:
    """The variables of one dbt call, for the wrapper to read (call_environment)."""
    target.mkdir(parents=True, exist_ok=True)
    path = target / ENV_FILE
    path.write_text(json.dumps(dict(env), sort_keys=True), encoding="utf-8")
    (target / PARENT_FILE).write_text(str(os.getpid()), encoding="ascii")
    return path


def call_parent(inherited: Mapping[str, str]) -> int | None:
    """The pid its caller recorded for this call (PARENT_FILE in DBT_TARGET_PATH), if any."""
    target = inherited.get("DBT_TARGET_PATH")
    try:
        return int((Path(target) / PARENT_FILE).read_text(encoding="ascii")) if target else None
    except (OSError, ValueError):
        return None


def call_environment(inherited: Mapping[str, str]) -> dict[str, str]:
    """The environment dbt starts with: the one the wrapper was started with, plus the
    variables its caller wrote for the call (ENV_FILE in DBT_TARGET_PATH), which replace
    inherited ones, except DAGSTER_DBT_OWNED variables dagster-dbt has set."""
    env = dict(inherited)
    target = env.get("DBT_TARGET_PATH")
    path = Path(target) / ENV_FILE if target else None
    if path is None or not path.is_file():
        return env
    given: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    for name, value in given.items():
        if name not in DAGSTER_DBT_OWNED or name not in env:
            env[name] = str(value)
    return env


def dbt_executable() -> str:
    """What the dbt resource runs: the wrapper when installed beside this Python (`make setup`
    installs it), else the venv's dbt itself."""
    bin_dir = Path(sys.executable).parent
    wrapper = bin_dir / WRAPPER
    return str(wrapper if wrapper.exists() else bin_dir / "dbt")


def run_dbt(args: list[str]) -> int:
    """dbt's command line (the `dbt` console script's `cli`), in this process; its exit code."""
    from dbt.cli.main import cli

    try:
        cli.main(args=args, prog_name="dbt")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return 0


def main() -> None:
    environment = call_environment(os.environ)
    parent = call_parent(os.environ)
    die_with_parent(os.getppid() if parent is None else parent)
    os.environ.clear()
    os.environ.update(environment)
    exit_without_teardown(run_dbt(sys.argv[1:]))
