"""The dbt docs page is carried over while the manifest is unchanged, and generated again when
it changes (dbt itself is replaced by a stand-in that counts its calls)."""

import json

from pipeline.dbt import docs
from pipeline.settings import Settings


def test_the_docs_page_is_generated_only_when_the_manifest_changed(tmp_path, monkeypatch):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"metadata": {"generated_at": "1"}, "nodes": {"a": 1}}))
    monkeypatch.setattr(docs, "manifest_path", lambda: manifest)
    calls: list[str] = []

    def fake_dbt(_settings, destination):
        calls.append(destination.parent.name)
        destination.write_text(f"page {len(calls)}", encoding="utf-8")

    monkeypatch.setattr(docs, "_generate", fake_dbt)
    settings = Settings.from_env({"NOEGLETAL_ENV": "demo", "NOEGLETAL_DATA_DIR": str(tmp_path)})

    assert docs.write_docs(settings, tmp_path / "one").carried == 0
    # A new parse changes only the metadata: the page is copied, dbt is not called.
    manifest.write_text(json.dumps({"metadata": {"generated_at": "2"}, "nodes": {"a": 1}}))
    assert docs.write_docs(settings, tmp_path / "two", tmp_path / "one").carried == 1
    assert (tmp_path / "two" / "index.html").read_text() == "page 1"
    # A changed model changes the page.
    manifest.write_text(json.dumps({"metadata": {"generated_at": "3"}, "nodes": {"a": 2}}))
    assert docs.write_docs(settings, tmp_path / "three", tmp_path / "two").carried == 0
    assert calls == ["one", "three"]
