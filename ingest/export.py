"""Export the marts of the published warehouse as Parquet, for tools that read files, not DuckDB.

Every table in the `marts` schema is written under `<out>/<table>/`; the large facts are split by
month of their date in hive style (`<out>/fct_statements/month=2024-03/data_0.parquet`), so a
reader that filters on `month` opens only those files. Rows without a date land in
`month=__HIVE_DEFAULT_PARTITION__`, which hive readers (DuckDB, pyarrow, Spark) give back as NULL.
The published file is opened read-only, so an export can run while the pipeline rebuilds and
publishes.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.db import connect
from ingest.errors import MartsUnavailableError

log = logging.getLogger(__name__)

# dbt writes every mart to this schema (dbt_project.yml `marts: +schema: marts`, used as-is by
# macros/generate_schema_name.sql).
MARTS_SCHEMA = "marts"

# Facts that grow with the news, split by month of the date an analyst filters on. The story's
# date falls back from the article's own date to its syndicated original's.
PARTITION_DATES: dict[str, str] = {
    "fct_statements": "story_published_on",
    "fct_actor_mentions": "story_published_on",
    "fct_events": "event_date",
    "fct_event_mentions": "event_date",
}
PARTITION_COLUMN = "month"


@dataclass(frozen=True)
class TableExport:
    table: str
    rows: int
    path: Path
    partitioned_by: str | None  # the date column behind `month`, or None for one file
    files: int


@dataclass(frozen=True)
class ExportSummary:
    database: Path
    out_dir: Path
    tables: tuple[TableExport, ...]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The marts as the database lists them (base tables only; dbt builds marts as tables)."""
    rows = con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = ? and table_type = 'BASE TABLE' and table_catalog = current_database() "
        "order by table_name",
        [MARTS_SCHEMA],
    ).fetchall()
    return [str(r[0]) for r in rows]


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def export_marts(database: Path, out_dir: Path, *, tables: list[str] | None = None) -> ExportSummary:
    """Write each mart of `database` (opened read-only) as Parquet under `out_dir`.

    A table's directory is written beside its old one and swapped in, so an export that fails
    half-way leaves the previous export of that table whole."""
    if not database.exists():
        raise MartsUnavailableError(database, "no warehouse here: run `newswh run` (or publish) first")
    out_dir.mkdir(parents=True, exist_ok=True)
    con = connect(database, read_only=True)
    try:
        available = mart_tables(con)
        if not available:
            raise MartsUnavailableError(database, f"no tables in schema {MARTS_SCHEMA!r}: was `dbt build` run on it?")
        unknown = sorted(set(tables or []) - set(available))
        if unknown:
            raise MartsUnavailableError(database, f"not a mart: {', '.join(unknown)} (marts: {', '.join(available)})")
        exports = [_export_table(con, table, out_dir) for table in (tables or available)]
    finally:
        con.close()
    return ExportSummary(database=database, out_dir=out_dir, tables=tuple(exports))


def _export_table(con: duckdb.DuckDBPyConnection, table: str, out_dir: Path) -> TableExport:
    final = out_dir / table
    staging = out_dir / f".{table}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    relation = f"{MARTS_SCHEMA}.{_quote_ident(table)}"
    date_column = PARTITION_DATES.get(table)
    if date_column is not None:
        query = f"select *, strftime({_quote_ident(date_column)}, '%Y-%m') as {PARTITION_COLUMN} from {relation}"
        con.execute(
            f"copy ({query}) to {_sql_string(str(staging))} "
            f"(format parquet, compression zstd, partition_by ({PARTITION_COLUMN}))"
        ).fetchall()
    else:
        staging.mkdir(parents=True)
        con.execute(
            f"copy {relation} to {_sql_string(str(staging / f'{table}.parquet'))} (format parquet, compression zstd)"
        ).fetchall()
    rows = int(con.execute(f"select count(*) from {relation}").fetchall()[0][0])
    if not staging.exists():  # a partitioned copy of an empty table writes no directory
        staging.mkdir(parents=True)
    old = out_dir / f".{table}.old"
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    files = sum(1 for _ in final.rglob("*.parquet"))
    log.info("exported %s: %d rows in %d files", table, rows, files)
    return TableExport(table=table, rows=rows, path=final, partitioned_by=date_column, files=files)
