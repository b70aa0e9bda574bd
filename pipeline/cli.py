"""The `noegletal` command line (see README, "Command line")."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from pipeline.dbt.project import ensure_manifest
from pipeline.platform.instance import ensure_dagster_home
from pipeline.platform.process_exit import exit_without_teardown
from pipeline.settings import Settings, SettingsError
from pipeline.sources.statbank import command as statbank_command
from pipeline.sources.statbank.command import add_statbank_commands

if TYPE_CHECKING:
    from pipeline.run import RunSummary


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (SettingsError, DataDirBusy) as exc:
        print(f"noegletal: refused: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        # A read-only data directory, a full disk: one line a data engineer can act on, not a
        # traceback. What was published before stays (publication is write-audit-publish).
        where = f": {exc.filename}" if exc.filename else ""
        print(f"noegletal: stopped: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2


def entry() -> NoReturn:
    """The `noegletal` console script: `main`, then exit without the interpreter's teardown
    (pipeline/platform/process_exit.py). By the time `main` returns, everything a command
    opened (the data directory's lock, DuckDB, Dagster's storage, the run log, worker pools)
    has been closed by its own `with` block."""
    exit_without_teardown(main())


class DataDirBusy(RuntimeError):
    """Another `noegletal run` or `backfill` holds the data directory."""


LOCK_FILE = ".noegletal.lock"


@contextlib.contextmanager
def data_dir_lock(data_dir: Path) -> Iterator[None]:
    """Hold `<data-dir>/.noegletal.lock` for the whole command, or refuse at once.

    Two commands on one data directory would both start and the second would die on DuckDB's
    file lock halfway. The operating system releases the lock when the process ends, however it
    ends (a killed run never leaves a stale lock behind)."""
    path = data_dir / LOCK_FILE
    with path.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise DataDirBusy(
                f"{data_dir} is in use by another noegletal run ({holder}); wait for it to "
                "finish, or use another --data-dir"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {dt.datetime.now():%Y-%m-%d %H:%M:%S}\n")
        handle.flush()
        yield


def iso_date(text: str) -> dt.date:
    """A date as YYYY-MM-DD; anything else is refused saying which format is wanted."""
    try:
        if len(text) != len("YYYY-MM-DD"):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date written YYYY-MM-DD (e.g. 2024-04-30)"
        ) from None


def _cutoff(text: str) -> str:
    return iso_date(text).isoformat()


def _municipality(text: str) -> str:
    if not (len(text) == 3 and text.isdigit()):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a municipality code: three digits, e.g. 101 (København)"
        )
    return text


def _add_scope_options(parser: argparse.ArgumentParser) -> None:
    """--landing, --data-dir, --municipality and --cutoff of `run` and `backfill`. A repeated
    flag adds to the list (`--cutoff A --cutoff B` = `--cutoff A B`): a backfill script that
    repeats it must not recompute less than it asked for."""
    parser.add_argument("--landing", type=Path, help="landing area (default $NOEGLETAL_LANDING)")
    parser.add_argument(
        "--data-dir", type=Path, help="data directory (default $NOEGLETAL_DATA_DIR)"
    )
    parser.add_argument(
        "--municipality",
        action="extend",
        nargs="+",
        type=_municipality,
        metavar="CODE",
        help="only these municipalities, e.g. 101 330 (repeatable; default: all)",
    )
    parser.add_argument(
        "--cutoff",
        action="extend",
        nargs="+",
        type=_cutoff,
        metavar="YYYY-MM-DD",
        help="only these cut-off dates of the calendar (repeatable; default: all up to today)",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="noegletal",
        description="Key indicators (nøgletal) for vulnerable children from municipal deliveries.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"noegletal {_version()}",
        help="print the version and exit",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="ingest, build and publish (the nightly job)")
    _add_scope_options(run)
    run.set_defaults(handler=_run)

    backfill = commands.add_parser(
        "backfill",
        help="recompute cut-off dates from the landing tables as they are (no delivery is read)",
    )
    _add_scope_options(backfill)
    backfill.set_defaults(handler=_backfill)

    demo = commands.add_parser("demo-data", help="write the synthetic demo deliveries")
    demo.add_argument(
        "--scale",
        choices=["municipal", "national"],
        default="municipal",
        help="three municipalities (municipal, the default) or all 98 (national)",
    )
    demo.add_argument("--out", type=Path, help="landing area to write (default $NOEGLETAL_LANDING)")
    demo.add_argument(
        "--seed",
        type=int,
        default=20261122,
        help="random seed; the same seed writes the same files (default 20261122)",
    )
    demo.set_defaults(handler=_demo_data)

    classify = commands.add_parser(
        "classify-reference", help="parse legal references and show their category (SPEC §4)"
    )
    classify.add_argument(
        "text", nargs="+", help="a legal reference, e.g. 'SEL § 52, stk. 3, nr. 7'"
    )
    classify.add_argument(
        "--date",
        type=iso_date,
        help="the measure's start date, which decides the law of a reference without one "
        "(default: Barnets Lov)",
    )
    classify.set_defaults(handler=_classify_reference)

    add_statbank_commands(commands)
    commands.choices["statbank"].set_defaults(handler=_statbank)
    return parser


def _apply_path_options(args: argparse.Namespace) -> None:
    """Command-line paths override the environment, for this process and the runs it starts."""
    if getattr(args, "landing", None):
        os.environ["NOEGLETAL_LANDING"] = str(args.landing.resolve())
    if getattr(args, "data_dir", None):
        os.environ["NOEGLETAL_DATA_DIR"] = str(args.data_dir.resolve())


def _run(args: argparse.Namespace) -> int:
    from pipeline.run import run_pipeline

    return _execute(args, run_pipeline)


def _backfill(args: argparse.Namespace) -> int:
    from pipeline.run import run_backfill

    return _execute(args, run_backfill)


def _execute(args: argparse.Namespace, job: Callable[..., RunSummary]) -> int:
    """Run `job` (the whole pipeline or a backfill) in-process through Dagster."""
    _apply_path_options(args)
    settings = Settings.from_env()
    settings.pseudonym_key  # noqa: B018 - a production run without a key stops here, writing nothing
    settings.make_dirs()
    with data_dir_lock(settings.data_dir):
        return _execute_locked(args, job, settings)


def _execute_locked(
    args: argparse.Namespace, job: Callable[..., RunSummary], settings: Settings
) -> int:
    # The CLI's runs are stored where the UI (`make dev`) looks, so both show the same history.
    os.environ.setdefault("DAGSTER_HOME", str(ensure_dagster_home(settings.dagster_home)))

    ensure_manifest()
    from pipeline.run import RunRefused
    from pipeline.summary import format_summary

    log_path = run_log_path(settings)
    print(f"Full log (dbt output included): {log_path}", file=sys.stderr)
    try:
        # dbt's own output goes to the log file; the console gets one line per stage.
        with log_path.open("w", encoding="utf-8") as log, contextlib.redirect_stdout(log):
            summary = job(settings, args.municipality, args.cutoff, out=_to_stderr)
    except RunRefused as exc:
        print(f"noegletal: refused: {exc}", file=sys.stderr)
        return 2
    print(format_summary(summary))
    stopped = storage_fault(summary.failures)
    if stopped:
        print(f"noegletal: stopped: {stopped} under {settings.data_dir}", file=sys.stderr)
        return 2
    return 0 if summary.ok else 1


# A step that failed because the data directory cannot be written: the run did not fail on
# the data, it could not run, so the exit code is that of a refused run.
_STORAGE_FAULTS = ("No space left on device", "Read-only file system", "Disk quota exceeded")


def storage_fault(failures: Sequence[str]) -> str | None:
    """The storage fault a failed run's steps ran into, if any."""
    for failure in failures:
        for fault in _STORAGE_FAULTS:
            if fault in failure:
                return fault
    return None


def run_log_path(settings: Settings) -> Path:
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    return logs / f"run-{dt.datetime.now():%Y%m%d-%H%M%S}.log"


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)


def _demo_data(args: argparse.Namespace) -> int:
    from demo import write_demo_data

    out = args.out or Settings.from_env().landing_dir
    summary = write_demo_data(out, scale=args.scale, seed=args.seed)
    planted = sum(summary.bad_rows_per_kind.values())
    print(
        f"Synthetic demo data in {out}: {len(summary.deliveries)} deliveries of "
        f"{len(summary.municipalities)} municipalities, {planted} deliberately bad rows, "
        f"{len(summary.statbank_files)} StatBank files, in {summary.wall_time_s:.0f} s"
    )
    return 0


def _statbank(args: argparse.Namespace) -> int:
    _apply_path_options(args)
    return statbank_command.handle(args, Settings.from_env())


def _version() -> str:
    try:
        return metadata.version("noegletal")
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _classify_reference(args: argparse.Namespace) -> int:
    from pipeline.sources.legal_references import describe_reference

    failed = 0
    for text in args.text:
        described = describe_reference(text, args.date)
        failed += described["category"] is None
        print(json.dumps(described, ensure_ascii=False))
    return 1 if failed else 0
