"""Shared fixtures. Tests never touch the repo's warehouse.duckdb: every database is in tmp_path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.published_warehouse import published_warehouse  # noqa: F401  (session fixture: one `newswh run`)

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "seeds" / "articles"
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="run the exhaustive variants too")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="exhaustive variant: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated_warehouse(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NEWSWH_DB", str(tmp_path / "default.duckdb"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


def rows(db: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    """A query's rows, on a short-lived read-only connection."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture
def query(db_path: Path) -> Iterator[object]:
    """query(sql, *params) -> rows of the test's warehouse (see rows)."""

    def run(sql: str, *params: object) -> list[tuple[object, ...]]:
        return rows(db_path, sql, *params)

    yield run


def require_corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.fail(f"{CORPORA} is missing: the corpora must sit beside the repo as ../shared")
    return CORPORA


def rows_as_dicts(db: Path, sql: str) -> list[dict[str, Any]]:
    """A query's rows as {column: value}, over a read-only connection (as analysts connect)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()
