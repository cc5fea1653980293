"""One real `newswh run` over the sample articles per test session, published to tmp paths.

The analyst tests (tests/analyst/) read the published file the way analysts do, read-only; the
concurrent-reader test (tests/e2e/) copies the build and the published file and runs a second
`newswh run` on the copies. Both files are named warehouse.duckdb (in build/ and published/), as
by default, so SQL that dbt compiles against the build names the same catalog as the published
file (dbt-duckdb writes `"warehouse"."marts"."fct_statements"`).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "seeds" / "articles"
DBT_PROJECT = REPO / "dbt_project"


@dataclass(frozen=True)
class PublishedWarehouse:
    root: Path
    build: Path
    published: Path

    def env(self, **extra: str) -> dict[str, str]:
        return newswh_env(self.build, self.published, **extra)

    def query(self, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
        con = duckdb.connect(str(self.published), read_only=True)
        try:
            return con.execute(sql, params or []).fetchall()
        finally:
            con.close()


def newswh_env(build: Path, published: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "NEWSWH_DB": str(build),
        "NEWSWH_PUBLISHED_DB": str(published),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "NO_COLOR": "1",
        "COLUMNS": "160",
        **extra,
    }


def newswh(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a child process, as a user would (`python -m ingest` is `newswh`)."""
    return subprocess.run(
        [sys.executable, "-m", "ingest", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def newswh_run(paths: list[Path], build: Path, published: Path) -> subprocess.CompletedProcess[str]:
    proc = newswh(
        "run", *map(str, paths), "--db", str(build), "--published", str(published), env=newswh_env(build, published)
    )
    if proc.returncode != 0:
        pytest.fail(
            f"newswh run {' '.join(map(str, paths))} failed ({proc.returncode}):\n"
            f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}",
            pytrace=False,
        )
    return proc


@pytest.fixture(scope="session")
def published_warehouse(tmp_path_factory: pytest.TempPathFactory) -> PublishedWarehouse:
    # NEWSWH_TEST_RUN_DIR=<dir> keeps the run between sessions (developing tests): the first
    # session runs into <dir>, later ones reuse what it published there.
    keep = os.environ.get("NEWSWH_TEST_RUN_DIR")
    root = Path(keep) if keep else tmp_path_factory.mktemp("newswh_run")
    build = root / "build" / "warehouse.duckdb"
    published = root / "published" / "warehouse.duckdb"
    if not (keep and published.exists()):
        newswh_run([SAMPLES], build, published)
    assert published.exists(), "newswh run exited 0 but published nothing"
    return PublishedWarehouse(root=root, build=build, published=published)
