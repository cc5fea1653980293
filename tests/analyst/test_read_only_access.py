"""The documented ways analysts open the published file cannot change it (README "Query the warehouse").

Each path opens the file read-only and tries to create a table and insert a row; every attempt
must fail with DuckDB's read-only error, and the file's bytes must not change."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from tests.published_warehouse import PublishedWarehouse

WRITES = [
    "create table marts.analyst_scratch (a integer)",
    "insert into marts.dim_sources (source_id, source_name) values ('x', 'x')",
    "update marts.dim_actors set actor_name = 'x'",
    "drop table marts.fct_statements",
]


def duckdb_cli() -> str:
    """The DuckDB CLI from the duckdb-cli package (requirements.lock), beside this Python."""
    beside = Path(sys.executable).parent / "duckdb"
    found = str(beside) if beside.exists() else shutil.which("duckdb")
    if found is None:
        pytest.fail("the DuckDB CLI is missing: pip install -r requirements.lock (package duckdb-cli)")
    return found


@pytest.fixture
def published(published_warehouse: PublishedWarehouse) -> Iterator[Path]:
    before = hashlib.sha256(published_warehouse.published.read_bytes()).hexdigest()
    yield published_warehouse.published
    after = hashlib.sha256(published_warehouse.published.read_bytes()).hexdigest()
    assert after == before, "the published file changed"
    assert not Path(f"{published_warehouse.published}.wal").exists()


@pytest.mark.parametrize("statement", WRITES)
def test_python_read_only_connection_cannot_write(published: Path, statement: str) -> None:
    con = duckdb.connect(str(published), read_only=True)
    try:
        assert con.execute("select count(*) from marts.fct_statements").fetchall()[0][0] > 0
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute(statement)
    finally:
        con.close()


@pytest.mark.parametrize("statement", WRITES)
def test_duckdb_cli_readonly_cannot_write(published: Path, statement: str) -> None:
    cli = duckdb_cli()
    ok = subprocess.run(
        [cli, "-readonly", str(published), "-csv", "-c", "select count(*) from marts.dim_articles"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0 and int(ok.stdout.split()[-1]) > 0, ok.stderr
    bad = subprocess.run(
        [cli, "-readonly", str(published), "-c", statement], capture_output=True, text=True, timeout=60, check=False
    )
    assert bad.returncode != 0
    assert "read-only" in bad.stdout + bad.stderr


@pytest.mark.parametrize("statement", WRITES)
def test_sqlalchemy_read_only_url_cannot_write(published: Path, statement: str) -> None:
    engine = sa.create_engine(f"duckdb:///{published}?access_mode=read_only")
    try:
        with engine.connect() as con:
            assert con.execute(sa.text("select count(*) from marts.dim_articles")).scalar_one() > 0
            with pytest.raises(sa.exc.DBAPIError, match="read-only"):
                con.execute(sa.text(statement))
                con.commit()
    finally:
        engine.dispose()


def test_attach_read_only_cannot_write(published: Path) -> None:
    con = duckdb.connect()
    try:
        con.execute(f"attach '{published}' as wh (read_only)")
        with pytest.raises(duckdb.Error, match="read-only"):
            con.execute("create table wh.marts.analyst_scratch (a integer)")
        # scratch work goes to the in-memory database instead
        con.execute("create table scratch as select * from wh.marts.dim_sources")
        assert con.execute("select count(*) from scratch").fetchall()[0][0] > 0
    finally:
        con.close()
