"""The `noegletal` command line: refusals with a message a data engineer understands, and the
legal-reference classifier as JSON lines."""

import argparse
import errno
import json
import os
import subprocess
from pathlib import Path

import pytest

from pipeline.cli import _parser, main
from tests.processes import run_python


def test_run_in_production_without_a_key_refuses_before_reading_anything(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("NOEGLETAL_ENV", raising=False)
    monkeypatch.delenv("NOEGLETAL_PSEUDONYM_KEY", raising=False)
    code = main(["run", "--landing", str(tmp_path / "landing"), "--data-dir", str(tmp_path)])
    assert code == 2
    assert "NOEGLETAL_PSEUDONYM_KEY is not set" in capsys.readouterr().err
    assert not (tmp_path / "warehouse").exists()


def test_run_without_deliveries_refuses_and_says_where_it_looked(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NOEGLETAL_ENV", "demo")
    code = main(["run", "--landing", str(tmp_path / "empty"), "--data-dir", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert "no deliveries found in" in err and "noegletal demo-data" in err


def test_an_unknown_cutoff_date_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NOEGLETAL_ENV", "demo")
    (tmp_path / "landing" / "101" / "2026-01-08").mkdir(parents=True)
    landing, data = str(tmp_path / "landing"), str(tmp_path)
    code = main(["run", "--landing", landing, "--data-dir", data, "--cutoff", "2024-05-31"])
    assert code == 2
    assert "2024-05-31 is not a cut-off date of the calendar" in capsys.readouterr().err


def test_classify_reference_prints_one_json_line_per_reference(capsys):
    code = main(
        ["classify-reference", "SEL § 52, stk. 3, nr. 7", "BL § 32", "§ 52", "--date", "2020-01-01"]
    )
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1  # one reference maps to no category
    assert [line["category"] for line in lines] == ["PLACEMENT", "HOME_BASED", None]
    assert lines[0] | {"reason": None} == {
        "text": "SEL § 52, stk. 3, nr. 7",
        "law": "SEL",
        "law_inferred": False,
        "paragraph": 52,
        "letter": None,
        "stk": 3,
        "nr": 7,
        "category": "PLACEMENT",
        "reason": None,
    }
    assert lines[2]["law"] == "SEL" and lines[2]["law_inferred"] is True
    assert "does not decide the category" in lines[2]["reason"]


def _actions(parser):
    """Every parser of the command line with its own options, subcommands included."""
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _actions(sub)


def test_repeated_flags_add_up_like_one_flag_with_many_values():
    """Issue 14: a repeated --cutoff kept only the last value, so a backfill did less."""
    for command in ("run", "backfill"):
        cutoffs = ["--cutoff", "2023-12-31", "2024-04-30", "--cutoff", "2024-08-31"]
        municipalities = ["--municipality", "101", "--municipality", "330", "860"]
        repeated = _parser().parse_args([command, *cutoffs, *municipalities])
        assert repeated.cutoff == ["2023-12-31", "2024-04-30", "2024-08-31"]
        assert repeated.municipality == ["101", "330", "860"]


def test_a_wrongly_written_date_says_which_format_it_wants(capsys):
    for argv in (
        ["run", "--cutoff", "31-12-2023"],
        ["backfill", "--cutoff", "2023-12-31", "2024/04/30"],
        ["classify-reference", "BL § 32", "--date", "1.1.2024"],
    ):
        with pytest.raises(SystemExit) as stopped:
            main(argv)
        assert stopped.value.code == 2
        assert "is not a date written YYYY-MM-DD (e.g. 2024-04-30)" in capsys.readouterr().err


def test_a_municipality_that_is_not_a_code_is_refused(capsys):
    with pytest.raises(SystemExit):
        main(["run", "--municipality", "Kbh"])
    assert "three digits, e.g. 101" in capsys.readouterr().err


def test_version_and_help_on_every_flag(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("noegletal ")
    without_help = [
        (parser.prog, action.dest)
        for parser in _actions(_parser())
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not action.help
    ]
    assert without_help == []


def test_a_second_run_on_the_same_data_directory_refuses_at_once(tmp_path, monkeypatch, capsys):
    """Issue 14: the second of two runs died in a 200-line traceback on DuckDB's lock."""
    from pipeline.cli import data_dir_lock

    monkeypatch.setenv("NOEGLETAL_ENV", "demo")
    data = tmp_path / "data"
    data.mkdir()
    argv = ["--landing", str(tmp_path / "landing"), "--data-dir", str(data)]
    with data_dir_lock(data):  # as the first run holds it
        for command in ("run", "backfill"):
            assert main([command, *argv]) == 2
            err = capsys.readouterr().err.strip().splitlines()
            assert len(err) == 1, err
            assert err[0].startswith(f"noegletal: refused: {data} is in use by another")
            assert f"pid {os.getpid()}" in err[0]
    # Released when the holder ends: the next run gets past the lock (and finds no deliveries).
    assert main(["run", *argv]) == 2
    assert "no deliveries found" in capsys.readouterr().err


def test_a_read_only_data_directory_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NOEGLETAL_ENV", "demo")
    data = tmp_path / "data"

    def read_only(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    code = main(["run", "--landing", str(tmp_path), "--data-dir", str(data)])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("noegletal: stopped: Read-only file system: ")


def test_a_full_disk_during_a_step_is_named_as_a_storage_fault():
    from pipeline.cli import storage_fault

    failed = "build run r1 failed: step dbt: OSError: [Errno 28] No space left on device"
    assert storage_fault([failed]) == "No space left on device"
    assert storage_fault(["ingestion run r2 failed: step deliveries: KeyError"]) is None


def test_the_console_script_keeps_main_s_exit_code_and_output(tmp_path):
    """`entry` leaves without the interpreter's teardown (os._exit): what `main` printed must
    still reach the pipes, and its exit code be kept."""

    def entry(*argv: str) -> subprocess.CompletedProcess[str]:
        return run_python("from pipeline.cli import entry; entry()", *argv, NOEGLETAL_ENV="demo")

    # "§ 52" has no law: one JSON line on stdout, exit code 1.
    unknown = entry("classify-reference", "BL § 32", "§ 52", "--date", "2020-01-01")
    assert unknown.returncode == 1
    assert [json.loads(line)["category"] is None for line in unknown.stdout.splitlines()] == [
        False,
        True,
    ]
    refused = entry("run", "--landing", str(tmp_path / "none"), "--data-dir", str(tmp_path))
    assert refused.returncode == 2
    assert "no deliveries found in" in refused.stderr
