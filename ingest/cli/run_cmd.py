"""`newswh run` (every stage in order) and `newswh publish`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ingest.cli._app import app, console
from ingest.errors import NewsWarehouseError
from ingest.publish import publish
from ingest.settings import settings


@app.command("publish")
def publish_cli(
    db: Annotated[Path, typer.Option("--db", help="Build database (env NEWSWH_DB)")] = settings.db_path,
    to: Annotated[Path, typer.Option("--to", help="Published path (env NEWSWH_PUBLISHED_DB)")] = (
        settings.published_path),
) -> None:
    """Atomically replace the analysts' warehouse with the build, if it passed the quality gate."""
    try:
        pub = publish(db, to)
    except NewsWarehouseError as exc:
        console.print(f"[red]not published:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(f"published [bold]{pub.published_path}[/bold] ({pub.bytes / 1e6:.1f} MB, "
                  f"gate run {pub.quality_run_id})")


@app.command("dbt")
def dbt_cli(
    args: Annotated[list[str], typer.Argument(help="dbt arguments, e.g. build or 'docs generate'")],
    db: Annotated[Path, typer.Option("--db", help="Build database (env NEWSWH_DB)")] = settings.db_path,
) -> None:
    """Run dbt on the build database with the project's profile. `newswh run` builds; this is for
    everything else (docs, ls, a model by hand). A command that writes the warehouse makes the
    next `newswh run` a full refresh: its incremental path cannot know what was built by hand."""
    from ingest.dbt import forget_build_state, is_mutating, run_dbt

    if is_mutating(args):
        forget_build_state(db)
    result = run_dbt(args, db, quiet=False)
    raise typer.Exit(0 if result.success else 1)
