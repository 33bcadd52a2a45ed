"""Peak memory of importing an N-row asset CSV vs reading the same file with csv alone.

Each side runs in its own subprocess, so its peak resident set size
(resource.getrusage ru_maxrss) is its own: the baseline only iterates the
rows with the csv module; the import runs `inventory.interchange.importer.
import_file` (validate every row, then write them all, audited) into a fresh
SQLite database. The target (issue 12): 200,000 rows under 400 MB.

    .venv/bin/python bench/import_memory.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_MB = 400


def write_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["asset_tag", "serial_number", "name", "vendor", "model", "location", "purpose"]
        )
        for n in range(rows):
            writer.writerow(
                [f"T{n:07d}", f"SN-{n:09d}", f"srv-{n}", "Huawei", "RH2288 V3", "三楼", "bench"]
            )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def baseline(path: Path) -> dict[str, float]:
    started = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as handle:
        count = sum(1 for _ in csv.reader(handle))
    return {"rows": count - 1, "seconds": time.perf_counter() - started, "peak_mb": peak_mb()}


def service(path: Path, workdir: Path) -> dict[str, float]:
    from inventory.db.engine import make_engine, session_scope
    from inventory.db.migrate import upgrade
    from inventory.interchange.importer import import_file
    from inventory.services.context import Actor

    engine = make_engine(f"sqlite:///{workdir / 'bench.sqlite3'}")
    upgrade(engine)
    started = time.perf_counter()
    with session_scope(engine) as session:
        report = import_file(session, Actor("system:bench"), path, "assets")
    if report.errors:
        raise SystemExit(f"bench file has errors: {report.errors[:3]}")
    seconds = time.perf_counter() - started
    return {"rows": report.valid, "seconds": seconds, "peak_mb": peak_mb()}


def run_side(side: str, path: Path, workdir: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--side", side, "--file", str(path), "--workdir", str(workdir)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(output.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--side", choices=["baseline", "service"])
    parser.add_argument("--file", type=Path)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()
    if args.side == "baseline":
        print(json.dumps(baseline(args.file)))
        return
    if args.side == "service":
        print(json.dumps(service(args.file, args.workdir)))
        return
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        path = workdir / "assets.csv"
        write_csv(path, args.rows)
        size_mb = path.stat().st_size / 2**20
        raw = run_side("baseline", path, workdir)
        ours = run_side("service", path, workdir)
    print(f"{args.rows} rows, {size_mb:.1f} MB CSV")
    print(f"csv module alone: peak {raw['peak_mb']:.0f} MB, {raw['seconds']:.1f} s")
    print(f"import_file:      peak {ours['peak_mb']:.0f} MB, {ours['seconds']:.1f} s")
    print(f"ratio (peak RSS): {ours['peak_mb'] / raw['peak_mb']:.1f}x")
    if args.rows >= 200_000:
        verdict = "met" if ours["peak_mb"] < TARGET_MB else "NOT met"
        print(f"target: under {TARGET_MB} MB at 200,000 rows: {verdict}")


if __name__ == "__main__":
    main()
