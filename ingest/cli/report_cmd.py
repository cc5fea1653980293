"""`newswh report`: a static HTML dashboard of the published marts (ingest/report.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from ingest.cli._app import app, console
from ingest.errors import NewsWarehouseError
from ingest.settings import REPO_ROOT, settings


@app.command("report")
def report_cli(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write")] = (
        REPO_ROOT / "build" / "report" / "index.html"
    ),
    db: Annotated[Path, typer.Option("--db", help="Warehouse to read, read-only (env NEWSWH_PUBLISHED_DB)")] = (
        settings.published_path
    ),
) -> None:
    """Render one self-contained HTML page (works offline) of charts over the published marts."""
    from ingest.report import render_report  # plotly is imported only by this command

    try:
        summary = render_report(db, out)
    except NewsWarehouseError as exc:
        console.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    for name, href in summary.links.items():
        if href is None:
            console.print(f"[yellow]{escape(name)} not found[/yellow]: the report shows it as not generated")
    console.print(
        f"report: [bold]{escape(str(summary.path))}[/bold] ({summary.bytes / 1e6:.1f} MB, "
        f"{len(summary.figures)} charts)"
    )
