"""One dbt build of the hand-annotated fixture warehouse per test session.

`dbt build` runs in-process through dbtRunner against a DuckDB file in a temporary directory;
target/ and logs/ go there too, so the repo's dbt_project/ stays untouched.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from ingest import dbt as ingest_dbt
from ingest.dbt import DbtResult
from tests.conftest import rows_as_dicts
from tests.dbt.fixtures import build_fixture

REPO = Path(__file__).resolve().parents[2]
# NEWSWH_DBT_PROJECT_DIR points the tests at another copy of the project (e.g. with other seeds)
PROJECT_DIR = Path(os.environ.get("NEWSWH_DBT_PROJECT_DIR", REPO / "dbt_project"))


@dataclass(frozen=True)
class DbtProject:
    """A built warehouse plus a way to run dbt and SQL against it."""

    db_path: Path
    work_dir: Path

    def dbt(self, *args: str, db_path: Path | None = None) -> object:
        return run_dbt(list(args), db_path or self.db_path, self.work_dir)

    def query(self, sql: str, db_path: Path | None = None) -> list[tuple[object, ...]]:
        con = duckdb.connect(str(db_path or self.db_path), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def analysis(self, name: str) -> list[dict[str, object]]:
        """Rows of a compiled analysis (analyses/<name>.sql) as dicts."""
        sql = (self.work_dir / "target" / "compiled" / "news_warehouse" / "analyses" / f"{name}.sql").read_text()
        return rows_as_dicts(self.db_path, sql)


def run_dbt(args: list[str], db_path: Path, work_dir: Path) -> DbtResult:
    result = ingest_dbt.run_dbt(args, db_path, project_dir=PROJECT_DIR, work_dir=work_dir)
    if not result.success:
        raise AssertionError(f"dbt {' '.join(args)} failed: {result.failures}")
    return result


@pytest.fixture(scope="session")
def dbt_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DbtProject]:
    work_dir = tmp_path_factory.mktemp("dbt")
    db_path = build_fixture(work_dir / "warehouse.duckdb")
    project = DbtProject(db_path=db_path, work_dir=work_dir)
    project.dbt("build")
    project.dbt("compile", "--select", "resource_type:analysis")
    yield project


@pytest.fixture
def warehouse_copy(dbt_project: DbtProject, tmp_path: Path) -> Callable[[str], Path]:
    """Copy the built warehouse, so a test can change it without disturbing the others."""

    def copy(name: str) -> Path:
        target = tmp_path / f"{name}.duckdb"
        shutil.copyfile(dbt_project.db_path, target)
        return target

    return copy
