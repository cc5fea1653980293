"""One nlp per test session (the model takes a second to load); warehouses only in tmp_path."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest
from spacy.language import Language
from spacy.tokens import Doc

from ingest.annotate import _nlp
from ingest.db import connect, transaction
from ingest.nlp.pipeline import make_doc, paragraphs_from_text
from ingest.settings import REPO_ROOT

SEED_ARTICLE = REPO_ROOT / "seeds" / "articles" / "seed" / "000_ad70f5b0aec4cc1d.txt"
SHARED = REPO_ROOT.parent / "shared"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return _nlp()  # the same instance annotate_batch (and so evaluate) uses


@pytest.fixture(scope="session")
def annotate_text(nlp: Language) -> Callable[[str], Doc]:
    def run(text: str) -> Doc:
        return nlp(make_doc(nlp, text, None))

    return run


@pytest.fixture(scope="session")
def seed_text() -> str:
    path = SEED_ARTICLE if SEED_ARTICLE.exists() else SHARED / "seed" / SEED_ARTICLE.name
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_doc(annotate_text: Callable[[str], Doc], seed_text: str) -> Doc:
    return annotate_text(seed_text)


InsertArticles = Callable[[Path, Iterable[tuple[str, str]]], None]


@pytest.fixture(scope="session")
def insert_articles() -> InsertArticles:
    return _insert_articles


def _insert_articles(db_path: Path, texts: Iterable[tuple[str, str]]) -> None:
    """Rows shaped like ingest's raw.articles (until tests can call ingest.load.ingest)."""
    now = datetime.now(UTC)
    rows = []
    for article_id, body in texts:
        paras = [{"paragraph_index": i, "char_start": p.char_start, "char_end": p.char_end,
                  "is_heading": p.is_heading} for i, p in enumerate(paragraphs_from_text(body))]
        rows.append({"article_id": article_id, "version": 1, "content_sha256": article_id, "body": body,
                     "paragraphs": paras, "language": "en", "raw_path": f"test/{article_id}.txt",
                     "record_locator": "", "ingest_run_id": "test", "ingested_at": now})
    con = connect(db_path)
    try:
        df = pl.DataFrame(rows)  # noqa: F841
        with transaction(con):
            con.execute("insert into raw.articles by name select * from df").fetchall()
    finally:
        con.close()
