"""`noegletal statbank refresh [--landing DIR] [--table T ...] [--max-age-hours H]`, as mountable
argparse pieces.

The project's command line (`pipeline/cli.py`) mounts this with `add_statbank_commands`. The work
is done by `snapshots.refresh`, the function the nightly schedule calls too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from pipeline.settings import Settings
from pipeline.sources.statbank.client import StatBankClient
from pipeline.sources.statbank.snapshots import RefreshResult, refresh
from pipeline.sources.statbank.tables import STATBANK_TABLES


def add_statbank_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `statbank refresh` to a parent command line's subcommands."""
    statbank = subparsers.add_parser("statbank", help="Danmarks Statistik (StatBank) tables")
    commands = statbank.add_subparsers(dest="statbank_command", required=True)
    refresh_parser = commands.add_parser(
        "refresh",
        help="fetch StatBank tables into <landing>/statbank/ (live answer + request JSON)",
    )
    refresh_parser.add_argument(
        "--landing",
        type=Path,
        help="landing area whose statbank/ folder gets the snapshots (default $NOEGLETAL_LANDING)",
    )
    refresh_parser.add_argument(
        "--table",
        action="extend",
        nargs="+",
        choices=STATBANK_TABLES,
        help="tables to refresh, e.g. FOLK1A BU43 (repeatable; default: all of them)",
    )
    refresh_parser.add_argument(
        "--max-age-hours",
        type=float,
        default=None,
        help="skip a table whose snapshot is younger than this (default: always fetch)",
    )


def run_refresh(
    tables: Sequence[str] | None,
    statbank_dir: Path,
    base_url: str,
    max_age: timedelta | None,
    out: TextIO | None = None,
) -> int:
    """Refresh, print one line per table, and return the exit code (1 if any table failed)."""
    with StatBankClient(base_url=base_url) as client:
        results = refresh(tables, statbank_dir, client, max_age)
    for result in results:
        # sys.stdout looked up now, not at import, so redirection and capture work.
        print(describe(result), file=out or sys.stdout)
    return 0 if all(result.ok for result in results) else 1


def describe(result: RefreshResult) -> str:
    if result.status == "fetched":
        return f"{result.table}: fetched {result.bytes} bytes into {result.path}"
    if result.status in ("fresh", "offline"):
        hours = result.age.total_seconds() / 3600 if result.age else 0.0
        why = ", offline: not fetched" if result.status == "offline" else ""
        return f"{result.table}: kept {result.path} ({hours:.1f} h old{why})"
    if not result.path.exists():
        return f"{result.table}: FAILED, and there is no snapshot: {result.error}"
    return f"{result.table}: FAILED, previous snapshot kept: {result.error}"


def handle(args: argparse.Namespace, settings: Settings) -> int:
    """Run a parsed `statbank …` command."""
    max_age = timedelta(hours=args.max_age_hours) if args.max_age_hours is not None else None
    return run_refresh(args.table, settings.statbank_dir, settings.statbank_url, max_age)
