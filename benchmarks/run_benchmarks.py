"""Benchmarks of nøgletal at municipal and national scale (not part of the test suite).

    .venv/bin/python benchmarks/run_benchmarks.py [--scale municipal|national|both] [--keep]

For each scale it generates the synthetic deliveries (municipal: one large municipality,
København at full size; national: all 98 municipalities, about 1.15 million 0-17-year-olds,
ten years of history), then measures, each in a fresh process:

1. `duckdb_floor`  - a bare DuckDB load of the same CSV files (read_csv into one table per
                     file kind): the floor any pipeline reading these files pays;
2. `full_run`      - `noegletal run` on an empty data directory (ingest, build, publish);
3. `nightly`       - one municipality delivers again: `noegletal run --municipality <code>`
                     (ingest that delivery, rebuild that municipality, publish); three nights
                     in a row, each with a new delivery, reported as the median night;
4. `backfill_10`   - `noegletal backfill --cutoff <the ten latest cut-off dates>` for every
                     municipality.

Wall time, and peak memory of the whole process tree (dbt runs as a subprocess) sampled from
/proc every 100 ms. Results go to benchmarks/results/<scale>.json and are printed as the
Markdown table that benchmarks/README.md keeps.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results"
PYTHON = Path(sys.executable)
NOEGLETAL = PYTHON.parent / "noegletal"
LARGE_MUNICIPALITY = 101
NIGHTS = ("2026-02-01", "2026-02-02", "2026-02-03")


@dataclass(frozen=True)
class Measurement:
    scale: str
    scenario: str
    seconds: float
    peak_mib: float
    exit_code: int
    note: str = ""


def _tree_rss_kib(root: int) -> int:
    """Resident memory of `root` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid, ppid = int(entry.name), int(fields.get("PPid", "0").strip())
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def measure(scale: str, scenario: str, command: list[str], env: dict[str, str]) -> Measurement:
    log = WORK / scale / f"{scenario}.log"
    started = time.perf_counter()
    with log.open("w") as handle:
        process = subprocess.Popen(command, env=env, stdout=handle, stderr=subprocess.STDOUT)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss_kib(process.pid))
            time.sleep(0.1)
    seconds = time.perf_counter() - started
    result = Measurement(
        scale, scenario, round(seconds, 1), round(peak / 1024, 0), process.returncode
    )
    print(
        f"{scale:9} {scenario:13} {result.seconds:8.1f} s {result.peak_mib:8.0f} MiB "
        f"exit {result.exit_code}  (log: {log.relative_to(ROOT)})",
        flush=True,
    )
    return result


def median_night(nights: list[Measurement]) -> Measurement:
    """The `nightly` row: the median night's time, the highest peak, every night in the note."""
    ordered = sorted(nights, key=lambda m: m.seconds)
    middle = ordered[len(ordered) // 2]
    return Measurement(
        middle.scale,
        "nightly",
        middle.seconds,
        max(m.peak_mib for m in nights),
        max(m.exit_code for m in nights),
        note="nights: " + ", ".join(f"{m.seconds:.1f} s" for m in nights),
    )


def floor_script(landing: Path, database: Path) -> str:
    """Python run in its own process: DuckDB reads every delivered CSV file into a table of its
    own (the deliveries' headers differ: Danish aliases, case), nothing else."""
    return f"""
import duckdb, pathlib
con = duckdb.connect({str(database)!r})
rows = 0
paths = sorted(pathlib.Path({str(landing)!r}).glob("[0-9][0-9][0-9]/*/*.csv"))
for number, path in enumerate(paths):
    raw = path.read_bytes()
    encoding = "utf-8"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        encoding = "latin-1"  # DuckDB's built-in stand-in for Windows-1252
    con.execute(
        f"create table file_{{number}} as select * from "
        f"read_csv('{{path}}', header=true, all_varchar=true, encoding='{{encoding}}')"
    )
    rows += con.execute(f"select count(*) from file_{{number}}").fetchone()[0]
con.execute("checkpoint")
print(f"{{len(paths)}} files, {{rows}} rows")
"""


def latest_cutoffs(n: int) -> list[str]:
    sys.path.insert(0, str(ROOT))
    from pipeline.scope import cutoff_dates

    return [d.isoformat() for d in cutoff_dates()][-n:]


def run_scale(scale: str, keep: bool) -> list[Measurement]:
    base = WORK / scale
    if base.exists():
        shutil.rmtree(base)
    landing, data = base / "landing", base / "data"
    base.mkdir(parents=True)
    env = {
        **os.environ,
        "NOEGLETAL_ENV": "demo",
        "NOEGLETAL_LANDING": str(landing),
        "NOEGLETAL_DATA_DIR": str(data),
        "DAGSTER_HOME": str(data / "dagster"),
    }
    # Municipal scale: one large municipality (the demo generator's København at full size).
    restrict = f", municipalities=[{LARGE_MUNICIPALITY}]" if scale == "municipal" else ""
    demo_scale = "national" if scale == "national" else "municipal"
    generate = [
        str(PYTHON),
        "-c",
        "from pathlib import Path; from demo import write_demo_data; "
        f"write_demo_data(Path({str(landing)!r}), {demo_scale!r}{restrict})",
    ]
    results = [measure(scale, "generate", generate, env)]
    results.append(
        measure(
            scale,
            "duckdb_floor",
            [str(PYTHON), "-c", floor_script(landing, base / "floor.duckdb")],
            env,
        )
    )
    results.append(measure(scale, "full_run", [str(NOEGLETAL), "run"], env))

    # One municipality delivers again: the same files under a later date, marked complete.
    # Three nights in a row, each with a new delivery: the machine's noise is as large as some
    # effects, so the row is the median night, and the note lists all three.
    code = f"{LARGE_MUNICIPALITY:03d}"
    nights = []
    for night in NIGHTS:
        newest = sorted((landing / code).iterdir())[-1]
        again = landing / code / night
        shutil.copytree(newest, again)
        (again / "_SUCCESS").touch()
        command = [str(NOEGLETAL), "run", "--municipality", code]
        nights.append(measure(scale, f"nightly_{night}", command, env))
    results.append(median_night(nights))

    dates = latest_cutoffs(10)
    results.append(
        measure(scale, "backfill_10", [str(NOEGLETAL), "backfill", "--cutoff", *dates], env)
    )

    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{scale}.json").write_text(
        json.dumps([asdict(r) for r in results], indent=2) + "\n", encoding="utf-8"
    )
    if not keep:
        shutil.rmtree(base)
    return results


def markdown(results: list[Measurement]) -> str:
    lines = [
        "| scale | scenario | wall time (s) | peak memory (MiB) | note |",
        "|---|---|---:|---:|---|",
    ]
    lines += [
        f"| {r.scale} | {r.scenario} | {r.seconds:.1f} | {r.peak_mib:.0f} | {r.note} |"
        for r in results
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["municipal", "national", "both"], default="both")
    parser.add_argument("--keep", action="store_true", help="keep benchmarks/work/<scale>")
    args = parser.parse_args()
    scales = ["municipal", "national"] if args.scale == "both" else [args.scale]
    results = [r for scale in scales for r in run_scale(scale, args.keep)]
    print()
    print(markdown(results))
    return 0 if all(r.exit_code == 0 for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
