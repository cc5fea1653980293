"""Ingest throughput against DuckDB's own read_json of the same file, in the same run.

    .venv/bin/python -m benchmarks.ingest --n 50000 --repeat 3

Each side runs in its own process so peak RSS is measured per side. With --repeat the two sides
alternate (ours, DuckDB's, ours, ...), so a machine that speeds up or slows down during the run
moves both, and the table shows each side's median with its range: DuckDB's own time at 100k
varies by 1.5x from one run to the next, so one pair of runs says little. Prints a markdown table."""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import duckdb  # noqa: F401  imported before timing, as our side imports ingest before its clock starts

from benchmarks._stage import native_read
from benchmarks.corpus import write_corpus
from benchmarks.workdir import workdir


class Side(NamedTuple):
    """One run of one side."""

    seconds: float
    rows: int
    rss_mb: float
    cpu_s: float  # user + system, all threads


def cpu_seconds() -> float:
    """CPU seconds this process has used, user and system, all its threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def put_side(out: mp.Queue, run: Callable[[], int]) -> None:  # type: ignore[type-arg]
    """Time `run` (it returns the records it read) and put the Side on the queue. Peak RSS is the
    process's, its threads included."""
    t0, cpu0 = time.perf_counter(), cpu_seconds()
    rows = run()
    elapsed, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    out.put(Side(elapsed, rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, cpu))


def duckdb_read(src: Path, out: mp.Queue) -> None:  # type: ignore[type-arg]
    # timed like our ingest and like run_all: opening the new file and closing it (the checkpoint) count
    put_side(out, lambda: int(native_read(src, src.with_suffix(".native.duckdb"))["rows"]))


def our_ingest(src: Path, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from ingest.load import ingest  # imported before the clock starts, as duckdb is

    # records read, as read_json counts them
    put_side(out, lambda: ingest([src], src.with_suffix(".ours.duckdb")).records)


def run_side(target: Callable[..., None], src: Path) -> Side:
    for suffix in (".native.duckdb", ".ours.duckdb"):  # a rerun in the same workdir starts empty
        for stale in (src.with_suffix(suffix), src.with_suffix(suffix + ".wal")):
            stale.unlink(missing_ok=True)
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(src, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each side, alternating; medians reported")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--edited", action="store_true",
                        help="every copy edited: no exact duplicates (see benchmarks.corpus.write_corpus)")
    args = parser.parse_args()
    with workdir(args.workdir, "newswh-bench-") as work:
        name = f"corpus_{args.n}{'_edited' if args.edited else ''}.jsonl"
        src = write_corpus(work / name, args.n, edited=args.edited)
        mb = src.stat().st_size / 1e6
        runs: dict[str, list[Side]] = {"native": [], "ours": []}
        for _ in range(args.repeat):
            runs["native"].append(run_side(duckdb_read, src))
            runs["ours"].append(run_side(our_ingest, src))
        kept = src if args.workdir else f"{src.name}, removed at the end"  # see benchmarks/workdir.py
        print(f"corpus: {args.n} articles, {mb:.1f} MB JSONL ({kept}); {args.repeat} run(s) of each side\n")
        print("| reader | articles | seconds (median) | range | articles/s | MB/s | CPU s (median) | peak RSS MB |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        medians, cpus = {}, {}
        for side, label in (("native", "DuckDB read_json (baseline)"), ("ours", "newswh ingest")):
            seconds = [r.seconds for r in runs[side]]
            rows, rss = runs[side][0].rows, max(r.rss_mb for r in runs[side])
            medians[side], cpus[side] = statistics.median(seconds), statistics.median(r.cpu_s for r in runs[side])
            print(f"| {label} | {rows} | {medians[side]:.2f} | {min(seconds):.2f}–{max(seconds):.2f} "
                  f"| {rows / medians[side]:,.0f} | {mb / medians[side]:.1f} | {cpus[side]:.2f} | {rss:.0f} |")
        pairs = [n.seconds / o.seconds for n, o in zip(runs["native"], runs["ours"], strict=True)]
        print(f"\nratio (our speed / DuckDB native), medians: {medians['native'] / medians['ours']:.2f}×  "
              f"(each pair: {', '.join(f'{p:.2f}' for p in pairs)}; target ≥ 0.5×)")
        # CPU time moves much less than wall time when the machine is busy: it says whether a change
        # made less work, where one pair of wall times may not
        print(f"CPU (user + system, all threads), medians: ours {cpus['ours']:.2f} s against {cpus['native']:.2f} s "
              f"({cpus['native'] / cpus['ours']:.2f}×)")


if __name__ == "__main__":
    main()
