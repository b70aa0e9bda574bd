"""The swap of write-audit-publish, on files a test makes (no pipeline run): every file
replaced, stale files removed, the serving file last, readers of the old file undisturbed, and
an interrupted swap repaired by the next one."""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from pipeline.publish import release
from pipeline.publish.release import (
    STAGING_PREFIX,
    SWAP_MARKER,
    publication_folder,
    remove_leftovers,
    swap_in,
)
from pipeline.settings import Settings


def _serving_file(path: Path, run_id: str) -> None:
    with duckdb.connect(str(path)) as conn:
        conn.execute("create table publication as select ? as run_id", [run_id])
        conn.execute("checkpoint")


def _stage(target: Path, run_id: str, files: dict[str, str]) -> Path:
    staging = target / f"{STAGING_PREFIX}{run_id}"
    staging.mkdir()
    for name, text in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_text(text, encoding="utf-8")
    _serving_file(staging / "noegletal.duckdb", run_id)
    return staging


def test_swap_replaces_every_file_and_removes_what_the_new_release_lacks(tmp_path):
    first = _stage(tmp_path, "one", {"parquet/a.parquet": "a1", "excel/x.xlsx": "x1"})
    assert swap_in(first, tmp_path, "one") == 3
    second = _stage(tmp_path, "two", {"parquet/a.parquet": "a2", "report/r.html": "r2"})
    swap_in(second, tmp_path, "two")
    assert (tmp_path / "parquet/a.parquet").read_text() == "a2"
    assert (tmp_path / "report/r.html").read_text() == "r2"
    assert not (tmp_path / "excel/x.xlsx").exists()
    assert not (tmp_path / SWAP_MARKER).exists()
    with duckdb.connect(str(tmp_path / "noegletal.duckdb"), read_only=True) as conn:
        assert conn.execute("select run_id from publication").fetchall() == [("two",)]


def test_a_file_carried_over_as_a_hard_link_survives_the_swap(tmp_path, monkeypatch):
    # carry_over.CarryOver links an unchanged file from the published folder into staging.
    # Renaming a link over another name of the same file does nothing (POSIX rename), so the
    # published file must still be there, whole, after the swap and the staging folder's removal.
    first = _stage(tmp_path, "one", {"excel/same.xlsx": "same", "excel/old.xlsx": "old"})
    swap_in(first, tmp_path, "one")
    second = _stage(tmp_path, "two", {"excel/new.xlsx": "new"})
    os.link(tmp_path / "excel/same.xlsx", second / "excel/same.xlsx")
    synced: list[str] = []
    original = release._fsync
    monkeypatch.setattr(release, "_fsync", lambda path: synced.append(path.name) or original(path))
    swap_in(second, tmp_path, "two")
    # The files this run wrote are synced; the linked one was synced when it was published.
    assert sorted(synced) == ["new.xlsx", "noegletal.duckdb"]
    shutil.rmtree(second)
    assert sorted(p.name for p in (tmp_path / "excel").iterdir()) == ["new.xlsx", "same.xlsx"]
    assert (tmp_path / "excel/same.xlsx").read_text() == "same"
    assert not (tmp_path / SWAP_MARKER).exists()


def test_the_serving_file_is_swapped_last(tmp_path, monkeypatch):
    order: list[str] = []
    original = Path.replace

    def recording(self: Path, target: Path) -> Path:
        order.append(Path(target).name)
        return original(self, target)

    monkeypatch.setattr(Path, "replace", recording)
    staged = _stage(tmp_path, "one", {"parquet/a.parquet": "a", "report/z.html": "z"})
    swap_in(staged, tmp_path, "one")
    assert order[-1] == "noegletal.duckdb"
    assert sorted(order[:-1]) == ["a.parquet", "z.html"]


READER = textwrap.dedent(
    """
    import sys, duckdb
    path = sys.argv[1]
    conn = duckdb.connect(path, read_only=True)
    print(conn.execute("select run_id from publication").fetchall()[0][0], flush=True)
    sys.stdin.readline()  # the test swaps a new file in meanwhile
    print(conn.execute("select run_id from publication").fetchall()[0][0], flush=True)
    conn.close()  # a reconnect sees the new file
    conn = duckdb.connect(path, read_only=True)
    print(conn.execute("select run_id from publication").fetchall()[0][0], flush=True)
    """
)


def test_a_reader_holding_the_old_file_keeps_it_until_it_reconnects(tmp_path):
    swap_in(_stage(tmp_path, "old", {}), tmp_path, "old")
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(tmp_path / "noegletal.duckdb")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "old"
        swap_in(_stage(tmp_path, "new", {}), tmp_path, "new")  # must not fail: no lock taken
        reader.stdin.write("go\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "old"
        assert reader.stdout.readline().strip() == "new"
    finally:
        reader.kill()
        reader.wait()


def test_an_interrupted_swap_is_noticed_and_repaired_by_the_next_one(tmp_path, monkeypatch):
    swap_in(
        _stage(tmp_path, "one", {"parquet/a.parquet": "a1", "parquet/b.parquet": "b1"}),
        tmp_path,
        "one",
    )
    original = Path.replace
    calls = {"n": 0}

    def dying(self: Path, target: Path) -> Path:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("killed mid-swap")
        return original(self, target)

    monkeypatch.setattr(Path, "replace", dying)
    staged = _stage(tmp_path, "two", {"parquet/a.parquet": "a2", "parquet/b.parquet": "b2"})
    with pytest.raises(OSError):
        swap_in(staged, tmp_path, "two")
    monkeypatch.setattr(Path, "replace", original)
    # The serving file (swapped last) still says "one": the release never completed.
    with duckdb.connect(str(tmp_path / "noegletal.duckdb"), read_only=True) as conn:
        assert conn.execute("select run_id from publication").fetchall() == [("one",)]
    notes: list[str] = []
    remove_leftovers(tmp_path, notes.append)
    assert any("interrupted" in note for note in notes)
    assert not staged.exists()
    swap_in(
        _stage(tmp_path, "three", {"parquet/a.parquet": "a3", "parquet/b.parquet": "b3"}),
        tmp_path,
        "three",
    )
    assert (tmp_path / "parquet/a.parquet").read_text() == "a3"
    assert (tmp_path / "parquet/b.parquet").read_text() == "b3"
    assert not (tmp_path / SWAP_MARKER).exists()


def test_without_suppression_the_release_goes_to_an_internal_folder(tmp_path):
    env = {"NOEGLETAL_DATA_DIR": str(tmp_path), "NOEGLETAL_ENV": "demo"}
    suppressed = Settings.from_env(env)
    audit = Settings.from_env({**env, "NOEGLETAL_SUPPRESSION_THRESHOLD": "0"})
    assert publication_folder(suppressed) == tmp_path / "serving"
    assert publication_folder(audit) == tmp_path / "internal" / "audit-copy"
    assert "serving" not in publication_folder(audit).parts


def test_a_failed_step_removes_its_staging_and_touches_nothing(tmp_path, monkeypatch):
    settings = Settings.from_env({"NOEGLETAL_DATA_DIR": str(tmp_path), "NOEGLETAL_ENV": "demo"})
    serving = settings.serving_dir
    serving.mkdir(parents=True)
    (serving / "noegletal.duckdb").write_bytes(b"the last publication")

    def failing_docs(_settings: Settings, folder: Path, _previous: Path | None = None) -> Path:
        folder.mkdir(parents=True)
        (folder / "index.html").write_text("half", encoding="utf-8")
        raise RuntimeError("dbt docs failed")

    monkeypatch.setattr(release, "write_docs", failing_docs)
    with pytest.raises(RuntimeError, match="dbt docs failed"):
        release.publish(settings, "run-x", lambda: pytest.fail("not reached"), lambda _m: None)
    assert [p.name for p in serving.iterdir()] == ["noegletal.duckdb"]
    assert (serving / "noegletal.duckdb").read_bytes() == b"the last publication"
