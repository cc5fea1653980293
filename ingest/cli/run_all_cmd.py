"""`newswh run`: every stage in order, as `make run` does it."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ingest.cli._app import app, console
from ingest.errors import NewsWarehouseError
from ingest.settings import settings


@app.command("run")
def run_cli(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or directories (default: the sample articles)")]
    = None,
    db: Annotated[Path, typer.Option("--db", help="Build database (env NEWSWH_DB)")] = settings.db_path,
    published: Annotated[Path, typer.Option("--published", help="Analysts' file (env NEWSWH_PUBLISHED_DB)")] = (
        settings.published_path),
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Annotation processes")] = 1,
    full_refresh: Annotated[bool, typer.Option(
        "--full-refresh", help="Rebuild every dbt model (otherwise only what new articles change)")] = False,
) -> None:
    """Ingest → annotate → dbt build → quality gate → publish. Stops at the first failing stage;
    the published warehouse changes only when every stage passed. The dbt build is incremental
    when the warehouse was built before by the same dbt project (ingest.dbt.build)."""
    from ingest.annotate import annotate
    from ingest.cli.annotate_cmd import show_summary as show_annotate
    from ingest.cli.check_cmd import show_result
    from ingest.cli.ingest_cmd import run_ingest, show_summary
    from ingest.dbt import build
    from ingest.publish import publish

    try:
        console.rule("1/5 ingest")
        show_summary(run_ingest(paths or [settings.sample_articles], db, settings.batch_size))
        console.rule("2/5 annotate")
        show_annotate(annotate(db, workers=workers))
        console.rule("3/5 dbt build")
        result = build(db, full_refresh=full_refresh)
        console.print(f"{result.mode} build: "
                      + (", ".join(f"{n} {s}" for s, n in sorted(result.statuses.items())) or "nothing to build"))
        if not result.success:
            for line in result.failures[:20]:
                console.print(f"[red]{line}[/red]")
            console.print("[red]dbt build failed: nothing published[/red]")
            raise typer.Exit(1)
        console.rule("4/5 quality gate")
        from expectations.gate import check

        gate = check(db)
        show_result(gate)
        if not gate.passed:
            console.print(f"[red]quality gate failed: nothing published; {published} is unchanged[/red]")
            raise typer.Exit(1)
        console.rule("5/5 publish")
        pub = publish(db, published)
    except NewsWarehouseError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    console.print(f"\nwarehouse: [bold]{pub.published_path}[/bold] ({pub.bytes / 1e6:.1f} MB, read-only for "
                  f"analysts)\nbuild:     {db.resolve()}\nquery it:  duckdb -readonly {pub.published_path}")
