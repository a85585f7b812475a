#!/usr/bin/env python
"""Run every benchmarks/bench_*.py and print one JSON line per benchmark on stdout.

    .venv/bin/python benchmarks/run.py [--no-fail] [--only TEXT] [--requests N] [--warmup N]

The database is DATABASE_URL; unset, it is `tatulyq_bench` on the local PostgreSQL
(created if needed), or, when that is not reachable, a throwaway SQLite file
var/bench.sqlite3. The schema is migrated here. var/tatulyq.sqlite3 is never used.

Each module exposes `run(args) -> list[dict]`; a dict holds name, n, p50_ms, p95_ms,
queries, optionally target_ms and whatever else it reports, and a `problems` list
(kept off stdout). A benchmark is ok when p95_ms <= target_ms and it has no problems.
The exit status is 1 when one is not (unless --no-fail), 2 when a module crashed.
Everything but the JSON lines goes to stderr.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._lib import ROOT, log, setup_django  # noqa: E402

BENCH_DIR = ROOT / "benchmarks"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-fail", action="store_true",
                        help="exit 0 even when a benchmark misses its target")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="run only the bench_*.py modules whose name contains TEXT")
    parser.add_argument("--requests", type=int, default=50, metavar="N",
                        help="timed requests per benchmark (default 50)")
    parser.add_argument("--warmup", type=int, default=5, metavar="N",
                        help="untimed requests before timing (default 5)")
    return parser.parse_args(argv)


def discover(only: list[str]) -> list[str]:
    names = sorted(path.stem for path in BENCH_DIR.glob("bench_*.py"))
    if only:
        names = [name for name in names if any(text in name for text in only)]
        if not names:
            raise SystemExit(f"bench: no benchmarks/bench_*.py module matches {only}")
    return [f"benchmarks.{name}" for name in names]


def judge(result: dict) -> list[str]:
    """Why the result is not ok (empty when it is); sets result["ok"]."""
    problems = list(result.pop("problems", []))
    target = result.get("target_ms")
    if target is not None and result["p95_ms"] > target:
        problems.insert(0, f"p95 {result['p95_ms']} ms > target {target} ms")
    result["ok"] = not problems
    return problems


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    setup_django()
    failed, crashed = [], []
    for module_name in discover(args.only):
        started = time.perf_counter()
        try:
            results = importlib.import_module(module_name).run(args)
        except Exception:  # noqa: BLE001 - report it and carry on with the others
            traceback.print_exc()
            crashed.append(module_name)
            continue
        for result in results:
            problems = judge(result)
            print(json.dumps(result, ensure_ascii=False), flush=True)
            if problems:
                failed.append(result["name"])
                log(f"FAIL {result['name']}: " + "; ".join(problems))
        log(f"bench: {module_name} done in {time.perf_counter() - started:.1f} s")
    if crashed:
        log("CRASHED: " + ", ".join(crashed))
        return 2
    if failed:
        log(("missed (ignored, --no-fail): " if args.no_fail else "missed: ") + ", ".join(failed))
        return 0 if args.no_fail else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
