"""`newswh evaluate GOLD`: score the annotate pipeline against gold (JSONL or a PolNeAR folder)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ingest.cli._app import app, console
from ingest.evaluate import EvaluationReport, evaluate


@app.command("evaluate")
def evaluate_cli(
    gold: Annotated[Path, typer.Argument(exists=True, help="Gold JSONL file, or a PolNeAR folder")],
    fmt: Annotated[str, typer.Option("--format", help="auto | jsonl | polnear")] = "auto",
    split: Annotated[str, typer.Option("--split", help="PolNeAR split when GOLD is the corpus root")] = "dev",
    limit: Annotated[int | None, typer.Option("--limit", help="Score only the first N articles")] = None,
    show_diff: Annotated[int, typer.Option("--show-diff", help="Diff items to print (0: none)")] = 30,
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the scores as JSON")] = None,
) -> None:
    """Print P/R/F1 per category (actors, statements, speakers, events) with missed/spurious items."""
    if gold.is_dir() and (gold / split / "text").is_dir():
        gold = gold / split
    report = evaluate(gold, fmt=fmt, limit=limit)
    show_report(report, show_diff)
    if json_out:
        json_out.write_text(json.dumps(report.as_dict(), indent=2), encoding="utf-8")


def show_report(report: EvaluationReport, show_diff: int) -> None:
    table = Table(title=f"{report.gold_path} ({report.fmt}, {report.documents} articles)")
    for col in ("category", "P", "R", "F1", "tp", "fp", "fn"):
        table.add_column(col, justify="right" if col != "category" else "left")
    for name, c in sorted(report.scores.items()):
        if name == "speaker_on_matched":
            continue
        table.add_row(name, f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}", str(c.tp), str(c.fp), str(c.fn))
    console.print(table)
    if report.speaker_accuracy is not None:
        console.print(f"speaker accuracy on matched statements: {report.speaker_accuracy:.3f}")
    if show_diff:
        diff = Table(title=f"diff (first {show_diff} of {len(report.diff)})")
        for col in ("doc", "category", "kind", "text", "gold speaker", "system speaker"):
            diff.add_column(col, overflow="fold")
        for item in report.diff[:show_diff]:
            diff.add_row(item.doc_id[:30], item.category, item.kind, item.text[:120], item.gold_speaker or "",
                         item.system_speaker or "")
        console.print(diff)
