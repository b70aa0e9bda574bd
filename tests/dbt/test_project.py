"""The manifest is parsed again whenever the dbt project's files differ from those it came
from: a content key, so a deleted model or a data directory copied with new file times counts."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from pipeline.dbt import project as dbt_project
from pipeline.dbt.project import (
    PARTIAL_PARSE,
    PARTIAL_PARSE_KEY,
    PROJECT_KEY,
    ensure_manifest,
    keep_partial_parse,
    parsed_key,
    partial_parse_path,
    project_key,
)


def _project(root: Path) -> Path:
    (root / "models" / "staging").mkdir(parents=True)
    (root / "models" / "staging" / "stg_a.sql").write_text("select 1 as a\n")
    (root / "models" / "staging" / "stg_b.sql").write_text("select 2 as b\n")
    (root / "dbt_project.yml").write_text("name: p\n")
    (root / "README.md").write_text("not parsed by dbt\n")
    return root


def test_the_key_changes_with_a_file_s_content_name_or_removal(tmp_path: Path):
    project = _project(tmp_path)
    first = project_key(project)
    model = project / "models" / "staging" / "stg_a.sql"

    model.write_text("select 3 as a\n")
    edited = project_key(project)
    assert edited != first

    model.rename(project / "models" / "staging" / "stg_c.sql")
    renamed = project_key(project)
    assert renamed not in {first, edited}

    (project / "models" / "staging" / "stg_b.sql").unlink()
    assert project_key(project) not in {first, edited, renamed}


def test_the_key_ignores_file_times_and_files_dbt_does_not_read(tmp_path: Path):
    project = _project(tmp_path)
    first = project_key(project)
    model = project / "models" / "staging" / "stg_a.sql"
    os.utime(model, (1_000_000_000, 1_000_000_000))
    (project / "README.md").write_text("changed\n")
    assert project_key(project) == first


def test_a_manifest_without_its_key_counts_as_unparsed(tmp_path: Path):
    manifest = tmp_path / "manifest.json"
    assert parsed_key(manifest) is None
    manifest.write_text("{}")
    assert parsed_key(manifest) is None
    (tmp_path / PROJECT_KEY).write_text("abc\n")
    assert parsed_key(manifest) == "abc"


def test_a_build_starts_from_the_last_build_s_parse_only_of_the_same_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    manifest_dir = tmp_path / "manifest"
    manifest_dir.mkdir()
    monkeypatch.setattr(dbt_project, "manifest_dir", lambda: manifest_dir)
    (manifest_dir / "manifest.json").write_text("{}")
    (manifest_dir / PROJECT_KEY).write_text("key-1\n")
    data_dir = tmp_path / "data"
    (data_dir / "dbt").mkdir(parents=True)
    fresh = manifest_dir / PARTIAL_PARSE
    # No build yet: the manifest's parse.
    assert partial_parse_path(data_dir) == fresh

    build = tmp_path / "invocation"
    build.mkdir()
    (build / PARTIAL_PARSE).write_bytes(b"parse of key-1")
    keep_partial_parse(build, data_dir)
    kept = data_dir / "dbt" / PARTIAL_PARSE
    assert kept.read_bytes() == b"parse of key-1"
    assert partial_parse_path(data_dir) == kept

    # The project changed and its manifest was parsed again: the old build's parse is not used.
    (manifest_dir / PROJECT_KEY).write_text("key-2\n")
    assert partial_parse_path(data_dir) == fresh
    # A kept parse whose key is lost counts as another project's.
    (manifest_dir / PROJECT_KEY).write_text("key-1\n")
    (kept.parent / PARTIAL_PARSE_KEY).unlink()
    assert partial_parse_path(data_dir) == fresh


# Stands in for `dbt parse`: says whether it found a parse to start from, and writes a manifest.
FAKE_DBT = """#!{python}
import sys
from pathlib import Path
target = Path(sys.argv[sys.argv.index("--target-path") + 1])
found = (target / "partial_parse.msgpack").is_file()
(target / "started_from.txt").write_text("a parse" if found else "scratch")
(target / "manifest.json").write_text("{{}}")
(target / "partial_parse.msgpack").write_bytes(b"new parse")
"""


def test_a_changed_project_is_parsed_from_scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    project = _project(tmp_path / "project")
    manifest_dir = tmp_path / "manifest"
    manifest_dir.mkdir()
    monkeypatch.setattr(dbt_project, "manifest_dir", lambda: manifest_dir)
    fake = tmp_path / "dbt"
    fake.write_text(FAKE_DBT.format(python=sys.executable))
    fake.chmod(0o755)
    monkeypatch.setattr(dbt_project, "DBT_EXECUTABLE", fake)
    # The parse of another version of the project, left beside its manifest.
    (manifest_dir / "manifest.json").write_text("{}")
    (manifest_dir / PROJECT_KEY).write_text("another project\n")
    (manifest_dir / PARTIAL_PARSE).write_bytes(b"old parse")

    ensure_manifest(project)

    assert (manifest_dir / "started_from.txt").read_text() == "scratch"
    assert parsed_key(manifest_dir / "manifest.json") == project_key(project)
    # Unchanged since: no parse at all.
    (manifest_dir / "started_from.txt").unlink()
    ensure_manifest(project)
    assert not (manifest_dir / "started_from.txt").exists()
