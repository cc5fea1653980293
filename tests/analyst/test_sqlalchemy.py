"""A BI tool's path: SQLAlchemy + duckdb-engine on the published file, read-only.

URL: duckdb:////abs/path/warehouse.duckdb?access_mode=read_only (query parameters are DuckDB
config options); connect_args={"read_only": True} does the same."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import duckdb
import pytest
import sqlalchemy as sa

from tests.published_warehouse import PublishedWarehouse


@pytest.fixture(scope="module")
def mart_counts(published_warehouse: PublishedWarehouse) -> dict[str, int]:
    """Row count per mart, read with the duckdb module before any engine opens the file (one process
    cannot hold the same file with two configurations at once)."""
    con = duckdb.connect(str(published_warehouse.published), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        return {n: con.execute(f"select count(*) from marts.{n}").fetchall()[0][0] for n in names}
    finally:
        con.close()


@pytest.fixture(params=["url", "connect_args"])
def engine(
    request: pytest.FixtureRequest, published_warehouse: PublishedWarehouse, mart_counts: dict[str, int]
) -> Iterator[sa.Engine]:
    path = published_warehouse.published
    kwargs: dict[str, Any] = {}
    if request.param == "url":
        url = f"duckdb:///{path}?access_mode=read_only"
    else:
        url, kwargs = f"duckdb:///{path}", {"connect_args": {"read_only": True}}
    eng = sa.create_engine(url, **kwargs)
    yield eng
    eng.dispose()


def test_reflects_and_reads_every_mart(engine: sa.Engine, mart_counts: dict[str, int]) -> None:
    inspector = sa.inspect(engine)
    assert "marts" in {s.split(".")[-1] for s in inspector.get_schema_names()}
    tables = inspector.get_table_names(schema="marts")
    assert sorted(tables) == sorted(mart_counts) and len(tables) >= 10
    with engine.connect() as con:
        for name in tables:
            columns = inspector.get_columns(name, schema="marts")
            assert columns and all(c["type"] is not None for c in columns), name
            table = sa.table(name, *(sa.column(c["name"]) for c in columns), schema="marts")
            count = con.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            assert count == mart_counts[name], name
            row = con.execute(sa.select(table).limit(1)).mappings().first()
            assert row is None or set(row) == {c["name"] for c in columns}


def test_a_query_a_bi_tool_would_send(engine: sa.Engine) -> None:
    statements = sa.table(
        "fct_statements", sa.column("speaker_actor_id"), sa.column("is_duplicate_copy"), schema="marts"
    )
    actors = sa.table("dim_actors", sa.column("actor_id"), sa.column("actor_name"), schema="marts")
    query = (
        sa.select(actors.c.actor_name, sa.func.count().label("n"))
        .select_from(statements.join(actors, statements.c.speaker_actor_id == actors.c.actor_id))
        .where(sa.not_(statements.c.is_duplicate_copy))
        .group_by(actors.c.actor_name)
        .order_by(sa.desc("n"))
        .limit(5)
    )
    with engine.connect() as con:
        rows = con.execute(query).all()
    assert rows and "Emmanuel Macron" in {r.actor_name for r in rows}


def test_writes_through_the_engine_fail(engine: sa.Engine) -> None:
    for statement in (
        "create table marts.scratch (a integer)",
        "insert into marts.dim_sources (source_id, source_name) values ('x', 'x')",
    ):
        with engine.connect() as con, pytest.raises(sa.exc.DBAPIError, match="read-only"):
            con.execute(sa.text(statement))
            con.commit()


@pytest.mark.xfail(
    strict=True,
    raises=sa.exc.ProgrammingError,
    reason="duckdb-engine 0.17 reflects constraints through a CAST(... AS REGCLASS) DuckDB 2.0 "
    "lacks (Mause/duckdb_engine#1128): use inspect().get_columns, not autoload",
)
def test_full_table_reflection(engine: sa.Engine) -> None:
    sa.Table("dim_sources", sa.MetaData(), schema="marts", autoload_with=engine)
