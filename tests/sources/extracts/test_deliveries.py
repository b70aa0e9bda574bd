"""Finding deliveries in the landing area: folders that cannot be deliveries are refused by name,
never skipped without a word (issue 14)."""

import datetime as dt

from pipeline.sources.extracts.deliveries import (
    RefusedFolder,
    newest_deliveries,
    refused_folders,
    scan_landing,
)


def _landing(tmp_path, folders):
    for folder in folders:
        (tmp_path / folder).mkdir(parents=True)
    return tmp_path


def test_folders_that_cannot_be_deliveries_are_refused_with_the_reason(tmp_path):
    landing = _landing(
        tmp_path,
        [
            "101/2026-01-05",
            "101/08-01-2026",  # the newest, but not written as YYYY-MM-DD
            "101/2099-01-01",  # after today
            "999/2026-01-01",  # no such municipality
            "kbh/2026-01-01",
            "statbank",  # the StatBank snapshots: not a municipality, not refused either
            ".trash/2026-01-01",
        ],
    )
    (landing / "330").mkdir()
    (landing / "330" / "README.txt").write_text("not a folder")

    deliveries, refused = scan_landing(landing, today=dt.date(2026, 1, 10))

    assert [d.key for d in deliveries] == ["101/2026-01-05"]
    assert refused == [
        RefusedFolder("101/08-01-2026", "its name is not a date as YYYY-MM-DD"),
        RefusedFolder("101/2099-01-01", "it is dated after today (2026-01-10)"),
        RefusedFolder("999", "not the code of one of the 98 municipalities (e.g. 101)"),
        RefusedFolder("kbh", "not the code of one of the 98 municipalities (e.g. 101)"),
    ]
    assert refused[0].describe() == (
        "folder 101/08-01-2026 is not read: its name is not a date as YYYY-MM-DD"
    )


def test_the_newest_readable_delivery_is_chosen_and_the_refused_one_is_named(tmp_path):
    landing = _landing(tmp_path, ["101/2026-01-05", "101/08-01-2026", "330/2026-01-02"])
    [newest] = newest_deliveries(landing, ["101"])
    assert newest.key == "101/2026-01-05"
    assert [f.path for f in refused_folders(landing, ["101"])] == ["101/08-01-2026"]
    assert refused_folders(landing, ["330"]) == []
