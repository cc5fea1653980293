"""Benchmark: bare spaCy (the pinned model) vs our full annotate stage (+ DuckDB writes), 1 vs 2 workers.

    .venv/bin/python benchmarks/annotate.py --n 300

Texts are real news (../shared/corpora/bbc, then polnear) so sentence lengths and entity
density are realistic. Prints a markdown table (date, machine) to paste into docs/annotation.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.annotate import annotate
from ingest.load import ingest
from ingest.nlp.pipeline import MODEL
from ingest.settings import REPO_ROOT

CORPORA = REPO_ROOT.parent / "shared" / "corpora"


def load_texts(n: int) -> list[str]:
    """n distinct real articles (the BBC corpus has a few exact duplicates, which ingest would skip)."""
    files = sorted((CORPORA / "bbc").glob("*/*.txt")) + sorted((CORPORA / "polnear").glob("*/text/*.txt"))
    texts = dict.fromkeys(f.read_text(encoding="utf-8", errors="replace").strip() for f in files)
    return list(texts)[:n]


def make_warehouse(path: Path, texts: list[str]) -> None:
    """Load the texts through the real ingest (one JSONL file), as the pipeline would."""
    src = path.with_suffix(".jsonl")
    with src.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            fh.write(json.dumps({"id": f"bench{i:05d}", "text": text}) + "\n")
    ingest([src], path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300, help="articles")
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    texts = load_texts(args.n)
    words = sum(len(t.split()) for t in texts)

    nlp = spacy.load(MODEL)
    list(nlp.pipe(texts[:5]))  # warm-up
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=32):
        pass
    bare = time.perf_counter() - t0
    del nlp

    results: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for workers in (1, 2):
            db = Path(tmp) / f"w{workers}.duckdb"
            make_warehouse(db, texts)
            t0 = time.perf_counter()
            summary = annotate(db, workers=workers, batch_size=args.batch_size)
            results[workers] = time.perf_counter() - t0
            assert summary.articles == len(texts), summary
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    print(f"annotate benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()} "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, spaCy {spacy.__version__}, "
          f"{len(texts)} articles, {words:,} words\n")
    print("| run | seconds | words/s | vs bare spaCy |")
    print("|---|---:|---:|---:|")
    print(f"| bare `nlp.pipe` ({MODEL}) | {bare:.1f} | {words / bare:,.0f} | 1.00x |")
    for workers, secs in results.items():
        print(f"| `annotate --workers {workers}` (+ DuckDB writes) | {secs:.1f} | {words / secs:,.0f} | "
              f"{secs / bare:.2f}x |")
    print(f"\nspeed-up workers 2 over 1: {results[1] / results[2]:.2f}x; peak RSS: parent "
          f"{rss_self:,.0f} MB, largest worker {rss_children:,.0f} MB")


if __name__ == "__main__":
    main()
