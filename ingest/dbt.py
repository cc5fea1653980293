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


def run_dbt(args: list[str], db: Path | None = None, *, project_dir: Path | None = None,
            quiet: bool = True) -> DbtResult:
    """`dbt <args>` on the given warehouse file (the profile reads NEWSWH_DB)."""
    from dbt.cli.main import dbtRunner  # heavy import: only when dbt actually runs

    project_dir = project_dir or settings.dbt_project_dir
    db = (db or settings.db_path).resolve()
    cli = [*args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    if quiet:
        cli = ["--quiet", *cli]
    with _env("NEWSWH_DB", str(db)):
        res = dbtRunner().invoke(cli)
    result = DbtResult(command=" ".join(args), success=bool(res.success))
    for node in getattr(res.result, "results", None) or []:
        status = str(getattr(node, "status", "unknown"))
        result.statuses[status] += 1
        if status in ("error", "fail", "runtime error"):
            name = getattr(getattr(node, "node", None), "unique_id", "?")
            result.failures.append(f"{status}: {name}: {(getattr(node, 'message', '') or '').strip()[:200]}")
    if res.exception is not None:
        result.failures.append(f"exception: {res.exception}")
    return result
