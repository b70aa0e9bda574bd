"""Leaving a command's process without the interpreter's teardown."""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn


def exit_without_teardown(code: int) -> NoReturn:
    """Run the exit handlers (logging's flush, multiprocessing's clean-up of its semaphores),
    flush the standard streams, and end the process with `code`, skipping what the
    interpreter does after that: unloading every module and collecting their objects, which
    perf shows as CPython's garbage collector going over a run's hundreds of thousands of
    objects again and again, at the end of every run and of every dbt build
    (benchmarks/README.md, item 32).

    For the end of a process only, once everything it opened has been closed by its own
    `with` blocks. `atexit._run_exitfuncs` is what the interpreter itself calls at exit."""
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
