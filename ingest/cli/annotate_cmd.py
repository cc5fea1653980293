"""`newswh annotate`: thin wrapper over ingest.annotate.annotate with a rich progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ingest.annotate import AnnotateSummary, annotate
from ingest.cli._app import app, console
from ingest.settings import settings


@app.command("annotate")
def annotate_cli(
    db: Annotated[Path, typer.Option("--db", help="Warehouse file")] = settings.db_path,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Processes running the model")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Articles per transaction")] = 64,
    limit: Annotated[int | None, typer.Option("--limit", help="Annotate at most N articles")] = None,
    executor: Annotated[str, typer.Option("--executor", help="local (processes here) or dask")] = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address, e.g. "
                                                  "tcp://10.0.0.5:8786 (default: a LocalCluster)")] = None,
) -> None:
    """Annotate articles not yet annotated by this extractor version (sentences, mentions, quotes, events)."""
    with Progress(TextColumn("annotating"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("annotate", total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        summary = annotate(db, workers=workers, batch_size=batch_size, limit=limit, progress=report,
                           executor=executor, scheduler=scheduler)
    raise typer.Exit(show_summary(summary))


def show_summary(summary: AnnotateSummary) -> int:
    table = Table(title=f"annotate {summary.run_id} ({summary.extractor_version})")
    for col in ("articles", "sentences", "mentions", "quotes", "events", "seconds", "status"):
        table.add_column(col)
    table.add_row(str(summary.articles), str(summary.sentences), str(summary.mentions), str(summary.quotes),
                  str(summary.event_candidates), str(summary.seconds), summary.status)
    console.print(table)
    return 0 if summary.status == "succeeded" else 1
