"""annotate against a real DuckDB file: incremental, version bump, workers=2 == workers=1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.annotate import annotate
from ingest.db import connect, scalar
from ingest.nlp.rows import TABLES

ARTICLES = [
    ("a1", "Merkel meets Macron\nAngela Merkel met Emmanuel Macron in Paris on Monday.\n"
           "\"We agree on the essentials,\" Merkel said. She added that talks would continue."),
    ("a2", "The Kremlin has warned that any deployment of NATO troops would lead to a clash.\n"
           "According to officials, Russia could send more troops to the border."),
    ("a3", "Nothing here is said by anyone. It rained in Berlin."),
]


def _snapshot(db: Path, version: str) -> dict[str, list[tuple[object, ...]]]:
    con = connect(db, read_only=True)
    try:
        out = {}
        for table in TABLES:
            cols = [r[0] for r in con.execute(f"describe raw.{table}").fetchall()
                    if r[0] not in {"annotation_run_id"}]
            out[table] = con.execute(
                f"select {', '.join(cols)} from raw.{table} where extractor_version = ? order by all", [version]
            ).fetchall()
        return out
    finally:
        con.close()


@pytest.fixture()
def warehouse(tmp_path: Path, insert_articles: Callable[[Path, list[tuple[str, str]]], None]) -> Path:
    db = tmp_path / "wh.duckdb"
    insert_articles(db, ARTICLES)
    return db


def test_annotate_is_incremental_and_versioned(
    warehouse: Path, nlp: object, insert_articles: Callable[[Path, list[tuple[str, str]]], None]
) -> None:
    first = annotate(warehouse, batch_size=2)
    assert (first.articles, first.status) == (3, "succeeded")
    assert first.quotes >= 3 and first.sentences >= 6 and first.mentions >= 5
    assert annotate(warehouse).articles == 0  # nothing new
    insert_articles(warehouse, [("a4", "Scholz said the summit in Berlin was a success.")])
    assert annotate(warehouse).articles == 1
    bumped = annotate(warehouse, version=first.extractor_version + ".bump")
    assert bumped.articles == 4  # a new extractor version re-annotates everything
    con = connect(warehouse, read_only=True)
    try:
        versions = con.execute("select distinct extractor_version from raw.quotes").fetchall()
        assert len(versions) == 2  # old rows stay; dbt picks the latest version
        runs = con.execute("select status, articles from raw.annotation_runs order by started_at").fetchall()
        assert [r[0] for r in runs] == ["succeeded"] * 4
        assert scalar(con, "select count(*) from raw.annotated_articles") == 8
        body, start, end, text = con.execute(
            "select a.body, q.char_start, q.char_end, q.text from raw.quotes as q"
            " inner join raw.articles as a using (article_id) limit 1"
        ).fetchall()[0]
        assert body[start:end] == text  # offsets point into the stored body
        heading = con.execute("select is_heading, text from raw.sentences where article_id = 'a1'"
                              " and sentence_index = 0").fetchall()[0]
        assert heading == (True, "Merkel meets Macron")
    finally:
        con.close()


def test_two_workers_write_the_same_rows_as_one(
    tmp_path: Path, nlp: object, insert_articles: Callable[[Path, list[tuple[str, str]]], None]
) -> None:
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    insert_articles(one, ARTICLES)
    insert_articles(two, ARTICLES)
    s1 = annotate(one, workers=1, batch_size=1)
    s2 = annotate(two, workers=2, batch_size=1)
    assert s1.articles == s2.articles == 3
    assert _snapshot(one, s1.extractor_version) == _snapshot(two, s2.extractor_version)


def test_dask_executor_writes_the_same_rows_as_local(
    tmp_path: Path, nlp: object, insert_articles: Callable[[Path, list[tuple[str, str]]], None]
) -> None:
    """A real 2-worker Dask LocalCluster: workers return Arrow tables, this process writes them."""
    local, dask = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    insert_articles(local, ARTICLES)
    insert_articles(dask, ARTICLES)
    s1 = annotate(local, workers=1, batch_size=1)
    s2 = annotate(dask, workers=2, batch_size=1, executor="dask")
    assert (s2.articles, s2.status) == (3, "succeeded")
    assert _snapshot(local, s1.extractor_version) == _snapshot(dask, s2.extractor_version)
    assert annotate(dask, executor="dask", workers=2).articles == 0  # incremental on this path too


def test_unknown_executor_is_refused(warehouse: Path) -> None:
    with pytest.raises(ValueError, match="executor"):
        annotate(warehouse, executor="spark")
