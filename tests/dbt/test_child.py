"""The dbt child process dies with the process that started it (issue 14: a killed run's
`dbt build` went on writing the warehouse for about 18 s)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.dbt.child import (
    ENV_FILE,
    PARENT_FILE,
    WRAPPER,
    call_environment,
    call_parent,
    dbt_executable,
    write_call_environment,
)
from tests.processes import run_python

# A parent that starts a child the way the wrapper starts dbt (here: a long sleep), prints the
# child's pid and then waits to be killed.
PARENT = """
import signal, subprocess, sys, time
# A parent that ignores SIGTERM passes that on to its children (the wrapper must undo it).
signal.signal(signal.SIGTERM, signal.SIG_IGN)
# The child asks as the wrapper does, then becomes `sleep` (the request is kept across exec),
# so the test can see that the request was made before it kills the parent.
child = subprocess.Popen([sys.executable, "-c",
    "import os; from pipeline.dbt.child import die_with_parent; "
    "die_with_parent(os.getppid()); os.execv('/bin/sleep', ['/bin/sleep', '60'])"])
print(child.pid, flush=True)
time.sleep(60)
"""


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return True
    return state in ("Z", "X")  # a zombie no one has reaped yet is dead too


def _has_exec_d(pid: int, program: str) -> bool:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0] == program.encode()
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux only")
def test_the_child_dies_when_its_parent_is_killed():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    # Kill the parent only once the child has become `sleep`: its death request is made before
    # the exec. A fixed wait raced on a loaded machine (CI: the parent died first, the request
    # was never made, and the test failed for the test's own timing).
    deadline = time.monotonic() + 30
    while not _has_exec_d(child, "/bin/sleep") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _has_exec_d(child, "/bin/sleep"), "the child never became sleep"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    if not _gone(child):
        os.kill(child, signal.SIGKILL)
        pytest.fail("the child outlived its killed parent")


def test_the_resource_runs_the_wrapper_when_it_is_installed():
    installed = Path(sys.executable).parent / WRAPPER
    expected = installed if installed.exists() else Path(sys.executable).parent / "dbt"
    assert dbt_executable() == str(expected)


def test_dbt_gets_the_variables_of_its_call_over_the_inherited_ones(tmp_path):
    # DbtCli.cli(env=...) writes them into the call's target folder; the wrapper adds them.
    write_call_environment(
        tmp_path,
        {
            "NOEGLETAL_SUPPRESSION_THRESHOLD": "3",
            "NOEGLETAL_DBT_MUNICIPALITIES": "330",
            "DBT_INDIRECT_SELECTION": "buildable",
        },
    )
    assert (tmp_path / ENV_FILE).is_file()
    inherited = {"DBT_TARGET_PATH": str(tmp_path), "NOEGLETAL_SUPPRESSION_THRESHOLD": "5"}
    assert call_environment(inherited) == {
        "DBT_TARGET_PATH": str(tmp_path),
        "NOEGLETAL_SUPPRESSION_THRESHOLD": "3",
        "NOEGLETAL_DBT_MUNICIPALITIES": "330",
        "DBT_INDIRECT_SELECTION": "buildable",
    }
    # dagster-dbt's own choice for a subset of the checks stays.
    subset = {**inherited, "DBT_INDIRECT_SELECTION": "empty"}
    assert call_environment(subset)["DBT_INDIRECT_SELECTION"] == "empty"
    # A call without variables of its own (or without a target folder) inherits as it is.
    assert call_environment({"DBT_TARGET_PATH": str(tmp_path / "other")}) == {
        "DBT_TARGET_PATH": str(tmp_path / "other")
    }
    assert call_environment({"PATH": "/bin"}) == {"PATH": "/bin"}


def test_the_wrapper_does_not_start_when_its_caller_died_before_it_asked(tmp_path):
    # The caller records its pid beside the call's variables. Here the recorded process is
    # one that has already exited, as when a run is killed between starting the wrapper and
    # the wrapper's request to the kernel: the wrapper's parent is then another process.
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    write_call_environment(tmp_path, {"NOEGLETAL_SUPPRESSION_THRESHOLD": "5"})
    (tmp_path / PARENT_FILE).write_text(str(gone.pid), encoding="ascii")
    started = subprocess.run(
        [sys.executable, "-c", "from pipeline.dbt.child import main; main()", "--version"],
        env={**os.environ, "DBT_TARGET_PATH": str(tmp_path)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert started.returncode == 1
    assert "the process that started it is gone; not starting" in started.stderr
    # The pid written by write_call_environment is the writer's own, the process that starts
    # dbt (DbtCli.cli), and is read back for the wrapper.
    write_call_environment(tmp_path, {})
    assert call_parent({"DBT_TARGET_PATH": str(tmp_path)}) == os.getpid()
    assert call_parent({}) is None


def test_the_wrapper_passes_dbt_s_exit_code_and_output_on():
    # It leaves without the interpreter's teardown (os._exit): dbt's output must still reach
    # the pipe, buffered as it is when dagster-dbt reads it, and its exit code be kept.
    wrapper = "from pipeline.dbt.child import main; main()"
    version = run_python(wrapper, "--version")
    assert version.returncode == 0
    assert "Core:" in version.stdout
    unknown = run_python(wrapper, "no-such-command")
    assert unknown.returncode == 2
    assert "No such command" in unknown.stderr
