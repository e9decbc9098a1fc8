"""Benchmark the wearables import (issue 17): speed, memory, idempotence, overlapping devices.

    .venv/bin/python bench/bench_wearables.py [--mb 1024] [--keep-file PATH]

1. Writes a made-up Apple Health ``export.xml`` of ``--mb`` megabytes (a watch and a phone, day
   after day, with the record types we do not read, metadata children and HRV beat lists, from
   ``tests/features/wearables/synth.py``; nobody's real data). ``--keep-file`` keeps it (and
   reuses it when it exists).
2. Each reader runs in its own process on the same file, one after another, on one core, and
   prints MB/s and its peak resident memory:
   - ours, reading only (``importers/apple_health.py``), and the full import (read, de-duplicate,
     seal each day and metric, compute the days) into a fresh SQLite database;
   - the **baseline**: a plain ``xml.etree.ElementTree.iterparse`` loop that keeps the same
     records (type in our list, attributes read, elements cleared), and the same with lxml's
     ``iterparse`` (tag-filtered, cleared) when lxml is installed;
   - ``healthkit-to-sqlite`` (a zip of the same file) when it is installed.
3. Re-imports the same export: the rows and samples must not change (0 added).
4. Imports two overlapping exports (a watch, then a ring on the same days with heart rate at the
   same seconds and steps over the same minutes): one value per metric and time must remain.

Targets (issue 17): >= 50 MB/s and <= 300 MB peak for the import of a 1 GB file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from machine import cpu_description

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the made-up exports live with the tests
from tests.features.wearables.synth import (  # noqa: E402
    HEAD,
    TAIL,
    day_records,
    write_apple_export,
)

PASSWORD = "a long and quiet bench walk"
HEALTHKIT = Path(sys.executable).parent / "healthkit-to-sqlite"  # if it installed beside us
WANTED = {
    "HKQuantityTypeIdentifierHeartRate",
    "HKQuantityTypeIdentifierRestingHeartRate",
    "HKQuantityTypeIdentifierHeartRateVariabilitySDNN",
    "HKQuantityTypeIdentifierStepCount",
    "HKQuantityTypeIdentifierActiveEnergyBurned",
    "HKCategoryTypeIdentifierSleepAnalysis",
    "HKCategoryTypeIdentifierMindfulSession",
    "HKDataTypeStateOfMind",
}


# -- the file -----------------------------------------------------------------------------------


def make_export(path: Path, megabytes: int) -> None:
    target = megabytes * 1024 * 1024
    import random
    from datetime import timedelta

    rng = random.Random(17)
    day = date(2008, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        while out.tell() < target - len(TAIL):
            out.write("".join(day_records(day, rng)))
            day += timedelta(days=1)
        out.write(TAIL)


# -- the readers, each in its own process -------------------------------------------------------


def child_ours(path: str) -> dict[str, Any]:
    from steadymind.features.wearables.importers.apple_health import IMPORTER

    t0 = time.perf_counter()
    samples = IMPORTER.read(Path(path), lambda done, total: None)
    return {"seconds": time.perf_counter() - t0, "records": len(samples)}


def child_etree(path: str) -> dict[str, Any]:
    import xml.etree.ElementTree as ET

    t0, kept = time.perf_counter(), 0
    for _, element in ET.iterparse(path, events=("end",)):
        if element.tag == "Record" and element.get("type") in WANTED:
            a = element.attrib
            _ = (a.get("sourceName"), a.get("startDate"), a.get("endDate"), a.get("value"))
            kept += 1
        if element.tag in ("Record", "Workout", "ActivitySummary"):
            element.clear()
    return {"seconds": time.perf_counter() - t0, "records": kept}


def child_lxml(path: str) -> dict[str, Any]:
    from lxml import etree

    t0, kept = time.perf_counter(), 0
    for _, element in etree.iterparse(path, events=("end",), tag="Record", huge_tree=True):
        if element.get("type") in WANTED:
            a = element.attrib
            _ = (a.get("sourceName"), a.get("startDate"), a.get("endDate"), a.get("value"))
            kept += 1
        element.clear()
        while element.getprevious() is not None:
            del element.getparent()[0]
    return {"seconds": time.perf_counter() - t0, "records": kept}


def _runtime(folder: Path) -> tuple[Any, Any]:
    from steadymind.core.clock import FrozenClock
    from steadymind.core.config import Settings
    from steadymind.db.engine import Database, make_engine
    from steadymind.db.migrate import upgrade
    from steadymind.features import build_runtime
    from steadymind.features.accounts.accounts import Accounts
    from steadymind.features.accounts.credentials import Credentials

    url = f"sqlite:///{folder / 'steadymind.db'}"
    engine = make_engine(url)
    upgrade(engine)
    settings = Settings(  # a bench account: its password's cost is not what is measured
        data_dir=folder,
        database_url=url,
        argon2_time_cost=1,
        argon2_memory_kib=8,
        insecure_argon2_for_tests=True,
    )
    clock = FrozenClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    runtime = build_runtime(settings, db=Database(engine), clock=clock)
    if not (folder / "made").exists():
        runtime.get(Accounts).sign_up("bench", PASSWORD, country="GB")
        (folder / "made").touch()
    login = runtime.get(Credentials).log_in_token("bench", PASSWORD, client="bench", name="bench")
    return runtime, login.principal


def _counts(runtime: Any, principal: Any) -> dict[str, int]:
    from sqlalchemy import func, select

    from steadymind.features.wearables.service import WearableService
    from steadymind.features.wearables.tables import DayValue, SampleDay

    with runtime.db.transaction() as tx:
        rows = tx.scalar(select(func.count()).select_from(SampleDay)) or 0
        days = tx.scalar(select(func.count()).select_from(DayValue)) or 0
    samples = runtime.get(WearableService).sample_count(principal.user_id)
    return {"sample_rows": rows, "day_rows": days, "samples": samples}


def child_import(path: str, folder: str) -> dict[str, Any]:
    from steadymind.features.wearables.service import WearableService

    before = _cpu()
    runtime, principal = _runtime(Path(folder))
    setup = _cpu() - before  # migrations and the login: not the import
    t0 = time.perf_counter()
    summary = runtime.get(WearableService).run(principal, "apple-health", Path(path))
    seconds = time.perf_counter() - t0
    return {
        "seconds": seconds,
        "setup_cpu": setup,
        "records": summary.samples_read,
        "added": summary.added,
        "duplicates": summary.duplicates,
        **_counts(runtime, principal),
    }


def child_healthkit(path: str, folder: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    done = subprocess.run(
        [str(HEALTHKIT), path, f"{folder}/hk.db"],
        capture_output=True,
        check=False,
    )
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "seconds": time.perf_counter() - t0,
        "setup_cpu": -(usage.ru_utime + usage.ru_stime),  # its CPU is its own process's
        "child_peak_mb": usage.ru_maxrss / 1024,  # and so is its memory
        "records": -1,
        "ok": done.returncode == 0,
    }


def child_overlap(folder: str) -> dict[str, Any]:
    """A watch, then a ring on the same days: one value per metric and time must remain."""
    import numpy as np

    from steadymind.features.wearables import daily as d
    from steadymind.features.wearables.samples import Metric
    from steadymind.features.wearables.service import WearableService

    work = Path(folder)
    watch, ring = work / "watch.xml", work / "ring.xml"
    with watch.open("w") as out:
        write_apple_export(out, date(2026, 6, 1), 30, seed=5)
    text = watch.read_text()
    ring.write_text(text.replace("Test Person&#x2019;s Apple Watch", "Test Person&#x2019;s Ring"))
    runtime, principal = _runtime(work)
    service = runtime.get(WearableService)
    first = service.run(principal, "apple-health", watch)
    second = service.run(principal, "apple-health", ring)
    with runtime.db.transaction() as tx:
        chunks = service.chunks(tx, principal, 0, 10**6)
    instant_duplicates = 0
    for chunk in chunks:
        if Metric(chunk.metric) in d.INSTANT:
            starts = chunk.columns.start
            instant_duplicates += len(starts) - len(np.unique(starts))
    one = service.days(principal.user_id, date(2026, 6, 2), date(2026, 6, 2))[0].values
    return {
        "seconds": 0,
        "records": first.samples_read + second.samples_read,
        "first_added": first.added,
        "second_added": second.added,
        "second_duplicates": second.duplicates,
        "instant_duplicates": instant_duplicates,
        "steps_day": one.get("activity.steps", 0),
    }


CHILDREN = {
    "ours": child_ours,
    "etree": child_etree,
    "lxml": child_lxml,
    "import": child_import,
    "healthkit": child_healthkit,
    "overlap": child_overlap,
}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_main(kind: str, *args: str) -> None:
    before = _cpu()
    result = CHILDREN[kind](*args)
    # CPU seconds of the work (imports and set-up excluded, as from the wall clock): on a
    # shared machine the wall clock also counts the time other processes had the core.
    result["cpu"] = _cpu() - before - result.pop("setup_cpu", 0.0)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["peak_mb"] = max(own, result.pop("child_peak_mb", 0.0))
    print(json.dumps(result))


def run_child(kind: str, *args: str) -> dict[str, Any]:
    # One core, as the target says: the child is pinned to the first CPU it may use.
    cpu = sorted(os.sched_getaffinity(0))[0]
    done = subprocess.run(
        ["taskset", "-c", str(cpu), sys.executable, "-u", __file__, "--child", kind, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- the report ---------------------------------------------------------------------------------


def line(name: str, size: float, r: dict[str, Any], baseline: float | None) -> str:
    if "error" in r:
        return f"  {name:<36} did not run: {r['error']}"
    speed = size / r["cpu"] if r["cpu"] else 0.0
    wall = size / r["seconds"] if r["seconds"] else 0.0
    ratio = f"  {speed / baseline:4.1f}x" if baseline else "   1.0x"
    return (
        f"  {name:<36} {speed:6.1f} MB/s{ratio}  (wall {wall:5.1f} MB/s, {r['seconds']:5.1f} s)"
        f"  peak {r['peak_mb']:4.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=1024, help="size of the made-up export.xml")
    parser.add_argument("--keep-file", type=Path, help="keep (and reuse) the export here")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(*args.child)
        return
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    with tempfile.TemporaryDirectory(prefix="bench-wearables-") as tmp:
        bench(args, Path(tmp))


def bench(args: argparse.Namespace, tmp: Path) -> None:
    path = args.keep_file or tmp / "export.xml"
    if not path.exists() or path.stat().st_size < args.mb * 1024 * 1024 * 0.95:
        t0 = time.perf_counter()
        make_export(path, args.mb)
        print(f"wrote a made-up export.xml of {path.stat().st_size / 1e6:,.0f} MB in "
              f"{time.perf_counter() - t0:.0f} s")  # fmt: skip
    size = path.stat().st_size / 1e6
    print(f"wearables benchmark: Apple Health export.xml, {size:,.0f} MB (1 MB = 10^6 bytes)")
    print(f"machine: {cpu_description()}; each reader alone in its own process, on one core")

    etree = run_child("etree", str(path))
    base = size / etree["cpu"] if "cpu" in etree else None
    print("MB/s per CPU second (the core's own time; the machine may be shared) and against the")
    print("baseline; then the wall clock; peak resident memory of the process:")
    print(line("xml.etree iterparse (baseline)", size, etree, None))
    if _has("lxml"):
        print(line("lxml iterparse, tag filter + clear", size, run_child("lxml", str(path)), base))
    ours = run_child("ours", str(path))
    print(line("steadymind, reading only", size, ours, base))
    db = tmp / "db"
    db.mkdir()
    full = run_child("import", str(path), str(db))
    print(line("steadymind, full import (SQLite)", size, full, base))
    if "error" not in full:
        speed = size / full["cpu"]
        verdict = "meets" if speed >= 50 and full["peak_mb"] <= 300 else "MISSES"
        print(f"target: >= 50 MB/s and <= 300 MB peak for the full import: {verdict} "
              f"({speed:.0f} MB/s, {full['peak_mb']:.0f} MB); {full['records']:,} records read, "
              f"{full['samples']:,} samples kept in {full['sample_rows']:,} sealed day rows, "
              f"{full['day_rows']:,} daily numbers")  # fmt: skip
        again = run_child("import", str(path), str(db))
        if "error" in again:
            print(f"re-import: did not run: {again['error']}")
        else:
            same = all(again[k] == full[k] for k in ("sample_rows", "day_rows", "samples"))
            print(f"re-import of the same export: {again['added']:,} added, "
                  f"{again['duplicates']:,} already there; rows unchanged: {same} "
                  f"({size / again['cpu']:.0f} MB/s)")  # fmt: skip
    over = tmp / "overlap"
    over.mkdir()
    o = run_child("overlap", str(over))
    if "error" in o:
        print(f"overlapping devices: did not run: {o['error']}")
    else:
        print(f"overlapping devices (a watch, then a ring on the same 30 days): the ring added "
              f"{o['second_added']:,} of {o['second_duplicates'] + o['second_added']:,} samples; "
              f"readings at the same second kept twice: {o['instant_duplicates']}; steps on one "
              f"day {o['steps_day']:,.0f} (one device's count, not the sum)")  # fmt: skip

    # Last: it reads every record type into SQLite, and takes the longest.
    if HEALTHKIT.exists():
        archive = tmp / "export.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as z:
            z.write(path, "apple_health_export/export.xml")
        hk = run_child("healthkit", str(archive), str(tmp))
        print(line("healthkit-to-sqlite (zip, all types)", size, hk, base))
    else:
        print(
            "  healthkit-to-sqlite                 not installed (pip install healthkit-to-sqlite)"
        )


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


if __name__ == "__main__":
    main()
