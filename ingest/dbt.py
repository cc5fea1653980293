"""Run dbt against a warehouse file, in-process (dbt's programmatic runner)."""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import NewsWarehouseError
from ingest.settings import settings

log = logging.getLogger(__name__)


class DbtFailedError(NewsWarehouseError):
    def __init__(self, command: str, failures: list[str]) -> None:
        self.command = command
        self.failures = failures
        shown = "\n  ".join(failures[:10]) or "(see dbt_project/logs/dbt.log)"
        super().__init__(f"dbt {command} failed:\n  {shown}")


@dataclass
class DbtResult:
    command: str
    success: bool
    statuses: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


@contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def release_duckdb() -> None:
    """dbt-duckdb keeps one database instance open per process after a run (its connection
    manager's _ENV); close it so later connections in this process can open the file."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


def run_dbt(args: list[str], db: Path | None = None, *, project_dir: Path | None = None,
            work_dir: Path | None = None, quiet: bool = True) -> DbtResult:
    """`dbt <args>` on the given warehouse file (the profile reads NEWSWH_DB, made absolute
    because dbt resolves relative paths from the project directory). work_dir takes dbt's
    target/ and logs/ elsewhere, so parallel runs (tests) do not share them."""
    from dbt.cli.main import dbtRunner  # heavy import: only when dbt actually runs

    project_dir = project_dir or settings.dbt_project_dir
    db = (db or settings.db_path).resolve()
    cli = [*args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    if work_dir is not None:
        cli += ["--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs")]
    if quiet:
        cli.append("--quiet")
    with _env("NEWSWH_DB", str(db)):
        try:
            res = dbtRunner().invoke(cli)
        finally:
            release_duckdb()
    result = DbtResult(command=" ".join(args), success=bool(res.success))
    for node in getattr(res.result, "results", None) or []:
        status = str(getattr(node, "status", "unknown"))
        result.statuses[status] += 1
        if status not in ("success", "pass", "warn", "skipped", "no-op"):
            name = getattr(getattr(node, "node", None), "unique_id", "?")
            result.failures.append(f"{status}: {name}: {(getattr(node, 'message', '') or '').strip()[:200]}")
    if res.exception is not None:
        result.failures.append(f"exception: {res.exception}")
    return result
