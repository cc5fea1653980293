"""`newswh export`: the published marts as Parquet files (ingest/export.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ingest.cli._app import app, console
from ingest.errors import NewsWarehouseError
from ingest.export import ExportSummary, export_marts
from ingest.settings import REPO_ROOT, settings


@app.command("export")
def export_cli(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory")] = REPO_ROOT / "build" / "export",
    db: Annotated[Path, typer.Option("--db", help="Warehouse to read, read-only (env NEWSWH_PUBLISHED_DB)")] = (
        settings.published_path
    ),
    tables: Annotated[list[str] | None, typer.Option("--table", "-t", help="Only this mart (repeatable)")] = None,
) -> None:
    """Write every mart of the published warehouse as Parquet (facts split by month, hive style)."""
    try:
        summary = export_marts(db, out, tables=tables or None)
    except NewsWarehouseError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    show_summary(summary)


def show_summary(summary: ExportSummary) -> None:
    table = Table(title=f"export of {summary.database}")
    for col in ("mart", "rows", "files", "split by month of"):
        table.add_column(col)
    for t in summary.tables:
        table.add_row(t.table, str(t.rows), str(t.files), t.partitioned_by or "")
    console.print(table)
    console.print(f"Parquet under [bold]{escape(str(summary.out_dir))}[/bold] ({summary.rows} rows)")
