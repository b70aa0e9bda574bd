"""The switch of write-audit-publish, on files a test makes (no pipeline run): `serving` is one
link to a whole release, a new release replaces every file at once, a process killed at any
point of the switch leaves one whole publication, readers of the old file are undisturbed, and
a `serving` folder of the old file-by-file layout is taken over."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from pipeline.publish import release
from pipeline.publish.release import (
    LEGACY_SWAP_MARKER,
    STAGING_PREFIX,
    current_release,
    publication_folder,
    releases_folder,
    remove_leftovers,
    switch_to,
)
from pipeline.settings import Settings


def _serving_file(path: Path, run_id: str) -> None:
    with duckdb.connect(str(path)) as conn:
        conn.execute("create table publication as select ? as run_id", [run_id])
        conn.execute("checkpoint")


def _stage(target: Path, run_id: str, files: dict[str, str]) -> Path:
    releases = releases_folder(target)
    releases.mkdir(exist_ok=True)
    staging = releases / f"{STAGING_PREFIX}{run_id}"
    staging.mkdir()
    for name, text in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_text(text, encoding="utf-8")
    _serving_file(staging / "noegletal.duckdb", run_id)
    return staging


def _published_run(target: Path) -> str:
    with duckdb.connect(str(target / "noegletal.duckdb"), read_only=True) as conn:
        return conn.execute("select run_id from publication").fetchall()[0][0]


def test_serving_is_a_relative_link_to_one_whole_release(tmp_path):
    serving = tmp_path / "serving"
    first = _stage(serving, "one", {"parquet/a.parquet": "a1", "excel/x.xlsx": "x1"})
    assert switch_to(first, serving, "20240101T000000Z-one") == 3
    second = _stage(serving, "two", {"parquet/a.parquet": "a2", "report/r.html": "r2"})
    switch_to(second, serving, "20240102T000000Z-two")
    assert serving.is_symlink()
    # Relative, so the data directory can be moved or mounted elsewhere.
    assert serving.readlink() == Path("serving.releases/20240102T000000Z-two")
    assert (serving / "parquet/a.parquet").read_text() == "a2"
    assert (serving / "report/r.html").read_text() == "r2"
    assert not (serving / "excel/x.xlsx").exists()  # the new release has no such file
    assert _published_run(serving) == "two"
    assert not first.exists() and not second.exists()  # renamed into their releases


def test_the_release_before_is_kept_for_its_readers_and_older_ones_removed(tmp_path):
    serving = tmp_path / "serving"
    for day, run in enumerate(("one", "two", "three"), start=1):
        switch_to(_stage(serving, run, {}), serving, f"2024010{day}T000000Z-{run}")
    assert sorted(p.name for p in releases_folder(serving).iterdir()) == [
        "20240102T000000Z-two",
        "20240103T000000Z-three",
    ]


def test_a_file_carried_over_as_a_hard_link_survives_the_switch(tmp_path, monkeypatch):
    # carry_over.CarryOver links an unchanged file from the current release into staging. The
    # two releases share the file's data; removing the older release removes one name only.
    serving = tmp_path / "serving"
    first = _stage(serving, "one", {"excel/same.xlsx": "same", "excel/old.xlsx": "old"})
    switch_to(first, serving, "1-one")
    second = _stage(serving, "two", {"excel/new.xlsx": "new"})
    os.link(serving / "excel/same.xlsx", second / "excel/same.xlsx")
    synced: list[str] = []
    original = release._fsync
    monkeypatch.setattr(release, "_fsync", lambda path: synced.append(path.name) or original(path))
    switch_to(second, serving, "2-two")
    # The files this run wrote are synced; the linked one was synced when it was published.
    assert sorted(synced) == ["new.xlsx", "noegletal.duckdb"]
    switch_to(_stage(serving, "three", {}), serving, "3-three")  # removes release "1-one"
    assert not (releases_folder(serving) / "1-one").exists()
    assert (releases_folder(serving) / "2-two/excel/same.xlsx").read_text() == "same"


# A run killed at each point of the switch: before each of its renames and the link's creation
# (in the order the switch makes them), the test stops it as SIGKILL would and looks at what BI
# would open.
SWITCH_STEPS = ("rename", "symlink_to", "replace")


@pytest.mark.parametrize("kill_at", range(len(SWITCH_STEPS)))
def test_a_switch_killed_at_any_point_leaves_one_whole_publication(tmp_path, monkeypatch, kill_at):
    serving = tmp_path / "serving"
    switch_to(
        _stage(serving, "one", {"parquet/a.parquet": "a1", "parquet/b.parquet": "b1"}),
        serving,
        "1-one",
    )
    staged = _stage(serving, "two", {"parquet/a.parquet": "a2", "parquet/b.parquet": "b2"})
    calls = {"n": 0}

    class Killed(BaseException):
        pass

    for step in SWITCH_STEPS:
        original = getattr(Path, step)

        def counting(self: Path, *args: object, _original=original) -> object:
            if calls["n"] == kill_at:
                raise Killed
            calls["n"] += 1
            return _original(self, *args)

        monkeypatch.setattr(Path, step, counting)
    with pytest.raises(Killed):
        switch_to(staged, serving, "2-two")
    monkeypatch.undo()
    # Whatever the instant, the three files BI reads come from one run: all "1" or all "2".
    seen = {
        (serving / "parquet/a.parquet").read_text()[1],
        (serving / "parquet/b.parquet").read_text()[1],
        {"one": "1", "two": "2"}[_published_run(serving)],
    }
    assert seen in ({"1"}, {"2"})
    # The switch is its last step: killed before it, BI still sees the old release.
    assert seen == {"1"}
    # The next publication removes what the killed one left and publishes whole.
    notes: list[str] = []
    remove_leftovers(serving, notes.append)
    switch_to(
        _stage(serving, "three", {"parquet/a.parquet": "a3", "parquet/b.parquet": "b3"}),
        serving,
        "3-three",
    )
    assert (serving / "parquet/a.parquet").read_text() == "a3"
    assert (serving / "parquet/b.parquet").read_text() == "b3"
    assert not list(tmp_path.glob(".serving-*"))  # no half-made link left behind
    assert len(list(releases_folder(serving).iterdir())) <= 2


def test_a_serving_folder_of_the_old_layout_becomes_a_release(tmp_path):
    serving = tmp_path / "serving"
    serving.mkdir()
    (serving / "parquet").mkdir()
    (serving / "parquet/a.parquet").write_text("old", encoding="utf-8")
    assert current_release(serving) == serving  # carried over from, before the switch
    switch_to(_stage(serving, "two", {"parquet/a.parquet": "a2"}), serving, "2-two")
    assert serving.is_symlink()
    assert (serving / "parquet/a.parquet").read_text() == "a2"
    kept = releases_folder(serving) / "2-two-previous-layout"
    assert (kept / "parquet/a.parquet").read_text() == "old"  # its readers keep their files


def test_an_old_layout_folder_whose_swap_was_killed_is_not_carried_over_from(tmp_path):
    serving = tmp_path / "serving"
    serving.mkdir()
    (serving / LEGACY_SWAP_MARKER).write_text("killed-run", encoding="utf-8")
    assert current_release(serving) is None  # it may mix two runs: every file is written anew
    switch_to(_stage(serving, "two", {}), serving, "2-two")
    assert sorted(p.name for p in releases_folder(serving).iterdir()) == ["2-two"]


READER = textwrap.dedent(
    """
    import sys, duckdb
    path = sys.argv[1]
    conn = duckdb.connect(path, read_only=True)
    print(conn.execute("select run_id from publication").fetchall()[0][0], flush=True)
    sys.stdin.readline()  # the test switches to a new release meanwhile
    print(conn.execute("select run_id from publication").fetchall()[0][0], flush=True)
    conn.close()  # a reconnect sees the new file
    conn = duckdb.connect(path, read_only=True)
    print(conn.execute("select run_id from publication").fetchall()[0][0], flush=True)
    """
)


def test_a_reader_holding_the_old_file_keeps_it_until_it_reconnects(tmp_path):
    serving = tmp_path / "serving"
    switch_to(_stage(serving, "old", {}), serving, "1-old")
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(serving / "noegletal.duckdb")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout is not None and reader.stdin is not None
        assert reader.stdout.readline().strip() == "old"
        switch_to(_stage(serving, "new", {}), serving, "2-new")  # must not fail: no lock taken
        reader.stdin.write("go\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "old"
        assert reader.stdout.readline().strip() == "new"
    finally:
        reader.kill()
        reader.wait()


def test_without_suppression_the_release_goes_to_an_internal_folder(tmp_path):
    env = {"NOEGLETAL_DATA_DIR": str(tmp_path), "NOEGLETAL_ENV": "demo"}
    suppressed = Settings.from_env(env)
    audit = Settings.from_env({**env, "NOEGLETAL_SUPPRESSION_THRESHOLD": "0"})
    assert publication_folder(suppressed) == tmp_path / "serving"
    assert publication_folder(audit) == tmp_path / "internal" / "audit-copy"
    assert "serving" not in publication_folder(audit).parts
    assert "serving" not in releases_folder(publication_folder(audit)).name


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
    assert list(releases_folder(serving).iterdir()) == []
