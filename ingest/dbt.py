"""Run dbt against a warehouse file, in-process (dbt's programmatic runner)."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from ingest.errors import NewsWarehouseError
from ingest.settings import settings

if TYPE_CHECKING:
    from dbt.contracts.graph.manifest import Manifest  # heavy import: only when dbt actually runs

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
    # set by build(): "full" or "incremental"
    mode: str = ""


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


# dbt options that change what a parse produces: a manifest parsed without them cannot serve them
_PARSE_OPTIONS = frozenset({"--target", "-t", "--vars", "--profile", "--project-dir", "--profiles-dir"})
# The last manifest `dbt parse` produced in this process, and what it was parsed from.
_manifest_cache: tuple[tuple[object, ...], Manifest] | None = None


def _manifest_key(project_dir: Path, db: Path, work_dir: Path | None, fingerprint: str | None) -> tuple[object, ...]:
    """What a parsed manifest depends on: every project file (project_fingerprint, plus profiles
    and analyses), the warehouse path (dbt-duckdb names the database after the file) and the
    environment the profile and project read."""
    digest = hashlib.sha256((fingerprint or project_fingerprint(project_dir)).encode())
    extra = [project_dir / "profiles.yml", *sorted((project_dir / "analyses").rglob("*"))]
    for path in extra:
        if path.is_file():
            digest.update(f"{path.name}\n".encode())
            digest.update(path.read_bytes())
    env = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith(("NEWSWH_", "DBT_"))))
    return (digest.hexdigest(), str(project_dir.resolve()), str(db), str(work_dir), env)


def run_dbt(args: list[str], db: Path | None = None, *, project_dir: Path | None = None,
            work_dir: Path | None = None, quiet: bool = True, fingerprint: str | None = None) -> DbtResult:
    """`dbt <args>` on the given warehouse file (the profile reads NEWSWH_DB, made absolute
    because dbt resolves relative paths from the project directory). work_dir takes dbt's
    target/ and logs/ elsewhere, so parallel runs (tests) do not share them.

    Partial parsing (~0.2 s instead of a ~5 s full parse) needs the same target/ and the same
    warehouse path as the previous run: dbt hashes the connection info, path included, into its
    parse state, so alternating warehouses in one target/ reparses the project every time.

    Within one process it does better: `dbt parse` keeps its manifest, and later commands on the
    same project files, warehouse path, target/ and environment run on it without parsing at all
    (dbtRunner(manifest=...)); any change to those parses again. `fingerprint`: the project's
    project_fingerprint() when the caller has it already."""
    global _manifest_cache
    from dbt.cli.main import dbtRunner  # heavy import: only when dbt actually runs

    project_dir = project_dir or settings.dbt_project_dir
    db = (db or settings.db_path).resolve()
    cli = [*args, "--project-dir", str(project_dir), "--profiles-dir", str(project_dir)]
    if work_dir is not None:
        cli += ["--target-path", str(work_dir / "target"), "--log-path", str(work_dir / "logs")]
    if quiet:
        cli.append("--quiet")
    reusable = bool(args) and not _PARSE_OPTIONS.intersection(arg.split("=")[0] for arg in args)
    with _env("NEWSWH_DB", str(db)):
        key = _manifest_key(project_dir, db, work_dir, fingerprint) if reusable else None
        manifest = _manifest_cache[1] if key is not None and _manifest_cache and _manifest_cache[0] == key else None
        try:
            res = dbtRunner(manifest=None if args[:1] == ["parse"] else manifest).invoke(cli)
        finally:
            release_duckdb()
        if args[:1] == ["parse"] and res.success and key is not None:
            from dbt.contracts.graph.manifest import Manifest

            if isinstance(res.result, Manifest):
                _manifest_cache = (key, res.result)
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


# Where build() records what it built (one row per successful build). It lives in the warehouse
# itself so that the record travels with the file (copies, restores) and cannot describe another one.
BUILD_STATE_TABLE = "dbt_state.builds"
# dbt commands that change the warehouse: after one of them run by hand, build() no longer
# knows which project built the tables, so the next build is a full refresh.
_MUTATING_COMMANDS = frozenset({"build", "run", "seed", "snapshot", "clone", "run-operation"})


def project_fingerprint(project_dir: Path | None = None) -> str:
    """Hash of everything that decides what a build writes: models, macros, tests, seeds, project
    files and the dbt versions. Documentation-only edits count too (persist_docs writes them)."""
    from importlib.metadata import version

    import yaml

    project_dir = (project_dir or settings.dbt_project_dir).resolve()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~10x faster, same result
    config = yaml.load((project_dir / "dbt_project.yml").read_text(), Loader=loader)
    roots = [project_dir / "dbt_project.yml", project_dir / "selectors.yml"]
    for key, default in (("model-paths", ["models"]), ("macro-paths", ["macros"]), ("test-paths", ["tests"]),
                         ("seed-paths", ["seeds"]), ("snapshot-paths", ["snapshots"])):
        roots += [(project_dir / path).resolve() for path in config.get(key, default)]
    digest = hashlib.sha256(f"dbt-core {version('dbt-core')} dbt-duckdb {version('dbt-duckdb')}\n".encode())
    for root in roots:
        files = sorted(root.rglob("*")) if root.is_dir() else [root] if root.exists() else []
        for path in files:
            if path.is_file():
                digest.update(f"{path.relative_to(project_dir.parent)}\n".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def last_build_fingerprint(db: Path) -> str | None:
    """The project fingerprint of the last successful build() of this warehouse, if any."""
    if not db.exists():
        return None
    con = duckdb.connect(str(db), read_only=True)
    try:
        found = con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'dbt_state' and table_name = 'builds'"
        ).fetchall()[0][0]
        if not found:
            return None
        rows = con.execute(
            f"select project_fingerprint from {BUILD_STATE_TABLE} order by finished_at desc limit 1"
        ).fetchall()
    finally:
        con.close()
    return str(rows[0][0]) if rows and rows[0][0] is not None else None


def _record_build(db: Path, fingerprint: str | None, mode: str, seconds: float) -> None:
    con = duckdb.connect(str(db))
    try:
        con.execute("create schema if not exists dbt_state").fetchall()
        con.execute(
            f"create table if not exists {BUILD_STATE_TABLE} (finished_at timestamptz, mode varchar, "
            "project_fingerprint varchar, seconds double)"
        ).fetchall()
        con.execute(
            f"insert into {BUILD_STATE_TABLE} values (current_timestamp, ?, ?, ?)", [mode, fingerprint, seconds]
        ).fetchall()
    finally:
        con.close()


def forget_build_state(db: Path) -> None:
    """Make the next build() a full refresh (after dbt was run on the warehouse by other means)."""
    if last_build_fingerprint(db) is None:
        return
    _record_build(db, None, "unknown", 0.0)


def is_mutating(args: list[str]) -> bool:
    return bool(args) and args[0] in _MUTATING_COMMANDS


def build(db: Path | None = None, *, full_refresh: bool = False, project_dir: Path | None = None,
          work_dir: Path | None = None, quiet: bool = True) -> DbtResult:
    """The pipeline's dbt stage. A full refresh (seeds, every model rebuilt, all data and unit
    tests) when asked, on a warehouse never built, or when the project changed since the last
    build; otherwise only what new articles can change (selector `new_data`: the per-article
    incremental models take the new articles, the models aggregating across articles are
    rebuilt, and the data tests tagged `new_data` run: what new rows can break, where the rest
    only a project change can break). The result is the same either way
    (tests/dbt/test_dbt_build.py compares them table by table)."""
    db = (db or settings.db_path).resolve()
    fingerprint = project_fingerprint(project_dir)
    incremental = not full_refresh and last_build_fingerprint(db) == fingerprint
    # --no-write-json on the incremental path: writing manifest.json twice and run_results.json
    # costs ~0.5 s, more than all the per-article models of a small increment. The manifest left
    # in target/ describes the same project (same fingerprint); results come back in-process.
    # --log-level-file info: the debug file log (every statement's SQL) costs ~10 % of a small
    # incremental build; node results and errors are still logged, and the SQL each node ran is in
    # target/run/.
    args = (["build", "--selector", "new_data", "--no-write-json", "--log-level-file", "info"] if incremental
            else ["build", "--full-refresh"])
    started = time.perf_counter()
    result = run_dbt(args, db, project_dir=project_dir, work_dir=work_dir, quiet=quiet, fingerprint=fingerprint)
    result.mode = "incremental" if incremental else "full"
    if result.success:
        _record_build(db, fingerprint, result.mode, time.perf_counter() - started)
    return result
