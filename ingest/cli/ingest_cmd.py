"""`newswh ingest PATH...`"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.cli._app import app, console
from ingest.db import connect
from ingest.errors import NewsWarehouseError
from ingest.load import ingest
from ingest.readers import iter_files
from ingest.records import IngestSummary
from ingest.settings import settings


@app.command("ingest")
def ingest_cli(
    paths: Annotated[list[Path], typer.Argument(exists=True, help="Files or directories (read recursively)")],
    db: Annotated[Path, typer.Option("--db", help="Warehouse file (env NEWSWH_DB)")] = settings.db_path,
    batch_size: Annotated[int, typer.Option(help="Records per transaction")] = settings.batch_size,
    annotate: Annotated[bool, typer.Option("--annotate/--no-annotate",
                                           help="Annotate the new articles afterwards (newswh annotate)")] = True,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Annotation processes")] = 1,
) -> None:
    """Load articles into raw.articles (bad input goes to raw.rejected_documents), then annotate them."""
    try:
        summary = run_ingest(paths, db, batch_size)
    except NewsWarehouseError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    show_summary(summary)
    if annotate:
        from ingest.annotate import annotate as annotate_articles
        from ingest.cli.annotate_cmd import show_summary as show_annotate

        raise typer.Exit(show_annotate(annotate_articles(db, workers=workers)))


def run_ingest(paths: list[Path], db: Path, batch_size: int) -> IngestSummary:
    total = sum(1 for _ in iter_files(paths))
    columns = (TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("files · {task.fields[records]} "
               "records"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("ingest", total=total, records=0)
        records = 0

        def advance(files: int, new_records: int) -> None:
            nonlocal records
            records += new_records
            bar.update(task, advance=files, records=records)

        return ingest(paths, db, batch_size=batch_size, progress=advance)


def show_summary(summary: IngestSummary, *, max_rejects: int = 10) -> None:
    table = Table(title=f"ingest run {summary.run_id} — {summary.status}", show_header=False)
    for label, value in (
        ("files read", summary.files),
        ("records read", summary.records),
        ("articles loaded", summary.loaded),
        ("  of which new versions of a URL", summary.new_versions),
        ("  of which near-duplicates (flagged)", summary.near_duplicates),
        ("already in the warehouse", summary.already_present),
        ("exact duplicates skipped", summary.duplicates),
        ("rejected", summary.rejected),
        ("warnings", summary.warnings),
    ):
        table.add_row(label, str(value))
    console.print(table)
    if summary.rejected:
        con = connect(summary.db_path, read_only=True)
        try:
            # by id, not by run: a reject seen in an earlier run keeps that run's row
            rows = con.execute(
                "select reason_code, raw_path, record_locator, message from raw.rejected_documents "
                "where reject_id in (select unnest(?::varchar[])) "
                "order by reason_code, raw_path, record_locator limit ?",
                [summary.reject_ids, max_rejects]).fetchall()
        finally:
            con.close()
        rejects = Table(title="rejects (all in raw.rejected_documents)")
        for column in ("reason", "where", "message"):
            rejects.add_column(column, overflow="fold")
        for reason, path, locator, message in rows:
            where = f"{_short(path)}{':' + locator if locator else ''}"
            rejects.add_row(reason, where, message if len(message) <= 70 else message[:69] + "…")
        console.print(rejects)
        if summary.rejected > len(rows):
            console.print(f"… and {summary.rejected - len(rows)} more")
    console.print(f"database: [bold]{summary.db_path.resolve()}[/bold]")


def _short(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path
