"""Leaving without the interpreter's teardown keeps what a normal exit promises: the exit
code, everything printed (to pipes, buffered), and the exit handlers."""

from tests.processes import run_python

SCRIPT = """
import atexit
from pipeline.platform.process_exit import exit_without_teardown
atexit.register(lambda: print("exit handler ran"))
print("printed before")
exit_without_teardown(3)
print("never printed")
"""


def test_the_exit_code_the_output_and_the_exit_handlers_are_kept():
    done = run_python(SCRIPT)
    assert done.returncode == 3
    assert done.stdout.splitlines() == ["printed before", "exit handler ran"]
