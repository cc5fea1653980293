"""One built warehouse per session (raw fixture from tests/dbt/fixtures.py + `dbt build`); every
test checks its own copy in tmp_path, so corrupting one never leaks into another."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.db import connect
from tests.dbt.fixtures import build_fixture

REPO = Path(__file__).resolve().parents[2]
DBT_PROJECT = REPO / "dbt_project"
MARTS = (
    "bridge_actor_roles",
    "bridge_alliance_memberships",
    "bridge_event_actors",
    "bridge_statement_actors",
    "dim_actors",
    "dim_alliances",
    "dim_articles",
    "dim_date",
    "dim_event_types",
    "dim_sources",
    "fct_actor_mentions",
    "fct_event_mentions",
    "fct_events",
    "fct_statements",
)


def _dbt(args: list[str], work: Path) -> bool:
    """Run dbt in a child process: dbt-duckdb keeps its connection open in the calling process,
    which would lock the file and keep committed pages in its WAL while tests copy it."""
    dbt = Path(sys.executable).parent / "dbt"
    # target/ and logs/ in tmp: never race the developer's own `dbt build` in dbt_project/
    common = ["--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT), "--target", "test"]
    paths = ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
    done = subprocess.run([str(dbt), *args, *common, *paths], capture_output=True, text=True, check=False)
    (work / f"dbt_{args[0]}.out").write_text(done.stdout + done.stderr, encoding="utf-8")
    return done.returncode == 0


def _missing_marts(db: Path) -> list[str]:
    con = connect(db, read_only=True)
    try:
        present = {
            r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'marts'").fetchall()
        }
    finally:
        con.close()
    return [m for m in MARTS if m not in present]


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse after ingest, annotate (the dbt fixture's hand-annotated rows) and dbt build."""
    work = tmp_path_factory.mktemp("gate_build")
    db = build_fixture(work / "built.duckdb")
    os.environ["NEWSWH_TEST_DB"] = str(db)  # read by dbt_project/profiles.yml (target test)
    try:
        if not _dbt(["build"], work) and _missing_marts(db):
            # A failing dbt data test skips everything downstream of it; the gate checks what the
            # models produce, so build the models without the tests (tests/dbt/ owns those).
            _dbt(["seed"], work)
            _dbt(["run"], work)
    finally:
        del os.environ["NEWSWH_TEST_DB"]
    missing = _missing_marts(db)
    if missing:
        pytest.fail(f"dbt did not build marts {missing} from the fixture (see {work}/dbt_*.out)")
    return db


@pytest.fixture
def warehouse(built_warehouse: Path, tmp_path: Path) -> Path:
    """This test's own copy of the built warehouse."""
    copy = tmp_path / "warehouse.duckdb"
    shutil.copy(built_warehouse, copy)
    return copy


@pytest.fixture
def sql(warehouse: Path) -> Callable[..., list[tuple[object, ...]]]:
    """sql(statement, *params) -> rows, on a short-lived read-write connection to the copy."""

    def run(statement: str, *params: object) -> list[tuple[object, ...]]:
        con = connect(warehouse)
        try:
            return con.execute(statement, list(params)).fetchall()
        finally:
            con.close()

    return run


def marts_checksum(db: Path) -> dict[str, tuple[int, int]]:
    """(row count, sum of row hashes) per marts table: equal before and after means untouched."""
    con = connect(db, read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        return {
            t: tuple(con.execute(f'select count(*), sum(hash(x))::hugeint from marts."{t}" as x').fetchall()[0])
            for t in tables
        }
    finally:
        con.close()
