"""Running a command of the project as a child process, for tests of how it exits."""

from __future__ import annotations

import os
import subprocess
import sys


def run_python(code: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -c code args` with its output piped and block-buffered, as when cron or a
    scheduler runs it (the shell running the tests may set PYTHONUNBUFFERED): a process that
    leaves without flushing loses its output here, as it would there."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=False,
    )
