"""Paths and limits, in one place. Environment variables override the defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# DuckDB 2.x writes storage v2 by default, which 1.x clients (most BI drivers) cannot open.
# Every file we create is attached with this storage version so DuckDB >= 1.2 can read it.
STORAGE_VERSION = "v1.2.0"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else default


@dataclass(frozen=True)
class Settings:
    # The working database every stage writes (ingest, annotate, dbt build, the gate's audit rows).
    db_path: Path = field(
        default_factory=lambda: _env_path("NEWSWH_DB", REPO_ROOT / "build" / "warehouse.duckdb"))
    # What analysts and BI tools open, read-only. Only `newswh publish` replaces it, atomically,
    # and only with a build that passed the quality gate.
    published_path: Path = field(
        default_factory=lambda: _env_path("NEWSWH_PUBLISHED_DB", REPO_ROOT / "warehouse.duckdb"))
    dbt_project_dir: Path = REPO_ROOT / "dbt_project"
    sample_articles: Path = REPO_ROOT / "seeds" / "articles"
    # Records are shaped and loaded in batches; one batch is one transaction.
    batch_size: int = 2_000
    # JSON Lines on the columnar path: per-batch costs are per query, not per row, so batches
    # are larger (see ingest/columnar.py).
    columnar_batch_size: int = 25_000
    # Processes that parse, normalise and fingerprint large JSON Lines files while the main
    # process loads (it stays the only writer).
    ingest_workers: int = field(default_factory=lambda: max(1, min(2, os.cpu_count() or 1)))
    # Ingest writes no WAL: a commit makes a batch visible, a checkpoint makes it durable (see
    # ingest.load). It checkpoints after this many records read and at the end, so a killed run
    # loses at most this much work, never consistency; each checkpoint rewrites the table's last,
    # partly filled row group, so more often costs more.
    ingest_checkpoint_records: int = field(
        default_factory=lambda: int(os.environ.get("NEWSWH_INGEST_CHECKPOINT_RECORDS", "250000")))
    # A news article is a few KB; anything above this is a scrape gone wrong, not a story.
    max_document_chars: int = 1_000_000
    # Files larger than this are not read into memory (JSONL and CSV are streamed instead).
    max_file_bytes: int = 64 * 1024 * 1024
    # Near-duplicate detection: MinHash over clause shingles, LSH banding for candidates.
    minhash_permutations: int = 64
    minhash_bands: int = 16
    # Estimated Jaccard similarity of clause sets. Unrelated stories share almost no clause
    # verbatim, so 0.6 still means "a copy"; it leaves room for the estimate's spread (a
    # 64-bin signature over ~40 clauses: sd ≈ 0.05), e.g. the sample copy: true 0.78, estimate 0.72.
    near_duplicate_threshold: float = 0.6
    # Candidates of a new article: the first this many articles of each LSH bucket it falls in
    # (see dedupe.RunIndex); more only repeat the same story's root.
    near_duplicate_bucket_members: int = 5
    raw_snippet_chars: int = 300


settings = Settings()
