"""Benchmarks at scale: every stage at several corpus sizes, ratios against baselines measured in
the same run, peak RSS per stage, warehouse size; a markdown table and a PNG plot.

    .venv/bin/python -m benchmarks.run_all --sizes 1000 10000 100000 --annotate-max 100000 --out docs/benchmarks

Corpora are built from ../shared/corpora (repeat-with-variation, unique ids; ingest is also run on
the same corpus with every copy edited, so no body repeats exactly). Every stage runs in
its own process (benchmarks/_stage.py) so its peak RSS is its own. Baselines:
  ingest    vs DuckDB read_json of the same JSONL file
  annotate  vs bare spaCy nlp.pipe of the same bodies (pinned model), on the same sample
Annotation costs ~1 ms per 5 words on one core, so above --annotate-max articles only a sample
of --annotate-sample articles is annotated and the stages that need annotations are skipped."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.corpus import write_corpus
from benchmarks.workdir import workdir

ROOT = Path(__file__).resolve().parent.parent


def stage(name: str, db: Path, **kw: Any) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks._stage", name, "--db", str(db)]
    for key, value in kw.items():
        if value is True:
            cmd.append(f"--{key.replace('_', '-')}")
        elif value not in (None, False):
            cmd += [f"--{key.replace('_', '-')}", str(value)]
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"stage {name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def bench_size(n: int, work: Path, args: argparse.Namespace) -> list[dict[str, Any]]:
    work.mkdir(parents=True, exist_ok=True)
    src = write_corpus(work / "corpus.jsonl", n)
    delta = write_corpus(work / "delta.jsonl", max(1, n // 100), start=n)
    db, published = work / "build.duckdb", work / "published.duckdb"
    rows: list[dict[str, Any]] = []

    def add(stage_name: str, result: dict[str, Any], baseline: str = "", ratio: float | None = None) -> None:
        rows.append({"n": n, "stage": stage_name, "seconds": round(result["seconds"], 2),
                     "rss_mb": round(result["rss_mb"]), "baseline": baseline,
                     "ratio": None if ratio is None else round(ratio, 2), "detail": result})
        print(f"  n={n:>7} {stage_name:<34} {result['seconds']:8.2f}s {result['rss_mb']:7.0f} MB"
              + (f"  {baseline} {ratio:.2f}" if ratio is not None else ""), flush=True)

    native = stage("native_read", work / "native.duckdb", src=src)
    add("DuckDB read_json (baseline)", native)
    ingest = stage("ingest", db, src=src)
    add("ingest", ingest, "speed vs read_json", native["seconds"] / ingest["seconds"])
    # The same corpus with every copy edited: no exact duplicates to skip, every row loaded.
    edited = write_corpus(work / "corpus_edited.jsonl", n, edited=True)
    native_edited = stage("native_read", work / "native_edited.duckdb", src=edited)
    add("DuckDB read_json, edited copies", native_edited)
    ingest_edited = stage("ingest", work / "edited.duckdb", src=edited)
    add("ingest, edited copies", ingest_edited, "speed vs read_json",
        native_edited["seconds"] / ingest_edited["seconds"])
    for scratch in (work / "native_edited.duckdb", work / "edited.duckdb", edited):
        scratch.unlink(missing_ok=True)

    sample = min(n, args.annotate_sample)
    bare = stage("spacy_bare", db, limit=sample)
    add(f"bare spaCy nlp.pipe ({sample} articles)", bare)
    timings = {}
    for workers in (1, 2):
        copy = work / f"annotate_w{workers}.duckdb"
        shutil.copyfile(db, copy)
        timings[workers] = stage("annotate", copy, workers=workers, limit=sample)
        add(f"annotate, {workers} worker(s) ({sample} articles)", timings[workers],
            "time vs bare spaCy", timings[workers]["seconds"] / bare["seconds"])
        copy.unlink()
    rows[-1]["speedup_2_workers"] = round(timings[1]["seconds"] / timings[2]["seconds"], 2)
    print(f"  n={n:>7} annotate speed-up 2 workers over 1: {rows[-1]['speedup_2_workers']:.2f}x", flush=True)

    if n > args.annotate_max:
        print(f"  n={n}: above --annotate-max {args.annotate_max}; dbt/gate/end-to-end skipped", flush=True)
        return rows
    annotate = stage("annotate", db, workers=2)
    add("annotate all, 2 workers", annotate)
    dbt_full = stage("dbt_build", db, full_refresh=True)
    add("dbt build (full refresh)", dbt_full)
    gate = stage("gate", db)
    add("quality gate", gate, "share of dbt build", gate["seconds"] / dbt_full["seconds"])
    pub = stage("publish", db, published=published)
    add("publish", pub)
    e2e = sum(r["seconds"] for r in (ingest, annotate, dbt_full, gate, pub))
    add("end to end (ingest→publish)", {"seconds": e2e, "rss_mb": max(
        r["rss_mb"] for r in (ingest, annotate, dbt_full, gate, pub))})

    inc = [stage("ingest", db, src=delta), stage("annotate", db, workers=2), stage("dbt_build", db),
           stage("gate", db), stage("publish", db, published=published)]
    inc_seconds = sum(r["seconds"] for r in inc)
    add(f"+1% articles ({max(1, n // 100)}), end to end", {"seconds": inc_seconds,
        "rss_mb": max(r["rss_mb"] for r in inc)}, "share of full end to end", inc_seconds / e2e)
    add("  of which incremental dbt build", inc[2], "share of full dbt build", inc[2]["seconds"] / dbt_full["seconds"])
    rows.append({"n": n, "stage": "warehouse size on disk", "seconds": None, "rss_mb": None, "baseline": "MB",
                 "ratio": round(db.stat().st_size / 1e6, 1), "detail": {}})
    return rows


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    stages = ["ingest", "annotate all, 2 workers", "dbt build (full refresh)", "quality gate", "publish",
              "end to end (ingest→publish)"]
    fig, ax = plt.subplots(figsize=(8, 5))
    for name in stages:
        points = sorted((r["n"], r["seconds"]) for r in rows if r["stage"] == name and r["seconds"])
        if points:
            ax.plot(*zip(*points, strict=True), marker="o", label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("articles")
    ax.set_ylabel("seconds")
    ax.set_title("news-warehouse: time per stage vs corpus size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| articles | stage | seconds | peak RSS MB | vs baseline |", "|---:|---|---:|---:|---|"]
    for r in rows:
        ratio = f"{r['baseline']} {r['ratio']}" if r["ratio"] is not None else ""
        if "speedup_2_workers" in r:
            ratio += f"; 2-worker speed-up {r['speedup_2_workers']}×"
        lines.append(f"| {r['n']} | {r['stage']} | {r['seconds'] if r['seconds'] is not None else ''} | "
                     f"{r['rss_mb'] if r['rss_mb'] is not None else ''} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--annotate-sample", type=int, default=1000)
    parser.add_argument("--annotate-max", type=int, default=10000)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    with workdir(args.workdir, "newswh-bench-") as work:
        rows: list[dict[str, Any]] = []
        args.out.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            rows += bench_size(n, work / str(n), args)
            write_results(rows, args.out)  # after every size: a long run that dies keeps what it measured
        print("\n" + (args.out / "results.md").read_text())
        print(f"written: {args.out}/results.md, results.json, stages.png")


def write_results(rows: list[dict[str, Any]], out: Path) -> None:
    header = (f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
              f"Python {platform.python_version()}, {len(os.sched_getaffinity(0))} cores")
    (out / "results.md").write_text(header + "\n\n" + markdown(rows) + "\n")
    (out / "results.json").write_text(json.dumps(rows, indent=1, default=str))
    plot(rows, out / "stages.png")


if __name__ == "__main__":
    main()
