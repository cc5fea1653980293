"""`newswh check`: run the Great Expectations gate on a built warehouse (expectations/gate.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from expectations import DEFAULT_DATA_DOCS_DIR
from expectations.gate import ExpectationOutcome, GateResult
from ingest.cli._app import app, console
from ingest.errors import WarehouseLockedError
from ingest.settings import settings


@app.command("check")
def check_cli(
    db: Annotated[Path, typer.Option("--db", help="Warehouse file (after dbt build)")] = settings.db_path,
    data_docs: Annotated[
        Path, typer.Option("--data-docs", help="Data Docs directory (site written to <dir>/local_site)")
    ] = DEFAULT_DATA_DOCS_DIR,
    no_data_docs: Annotated[bool, typer.Option("--no-data-docs", help="Skip rendering Data Docs")] = False,
) -> None:
    """Validate the marts; exit 1 if a critical expectation fails (2: no file, or it is locked).

    Every run is recorded in the checked file's audit.quality_runs / audit.quality_results.
    """
    if not db.exists():
        console.print(f"[red]no warehouse at {escape(str(db))}[/red]: run ingest, annotate and dbt build first")
        raise typer.Exit(2)
    from expectations.gate import check  # imports Great Expectations: seconds, so only when checking

    try:
        result = check(db, data_docs_dir=None if no_data_docs else data_docs)
    except WarehouseLockedError as exc:
        console.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    raise typer.Exit(show_result(result))


def _line(outcome: ExpectationOutcome) -> str:
    column = f" [{outcome.column}]" if outcome.column else ""
    return (
        f"  {escape(outcome.table)}: {escape(outcome.expectation_type)}{escape(column)}\n"
        f"      observed {escape(outcome.observed)}\n"
        f"      expected {escape(outcome.expected)}"
    )


def show_result(result: GateResult) -> int:
    """Print failures and warnings; return the exit code (1 when a critical expectation failed)."""
    if result.failures:
        console.print(f"[bold red]FAILED[/bold red] ({len(result.failures)} critical):")
        for outcome in result.failures:
            console.print(_line(outcome), highlight=False, soft_wrap=True)
    if result.warnings:
        console.print(f"[yellow]warnings[/yellow] ({len(result.warnings)}):")
        for outcome in result.warnings:
            console.print(_line(outcome), highlight=False, soft_wrap=True)
    verdict = "[bold green]passed[/bold green]" if result.passed else "[bold red]failed[/bold red]"
    console.print(
        f"quality gate {verdict}: {result.n_expectations} expectations, {len(result.failures)} critical "
        f"failures, {len(result.warnings)} warnings (run {result.run_id}, recorded in audit.quality_runs)",
        highlight=False,
        soft_wrap=True,
    )
    if result.data_docs_path:
        console.print(f"Data Docs: {result.data_docs_path}", highlight=False, soft_wrap=True)
    return 0 if result.passed else 1
