"""Rewrite the example questions in README.md with what they print on a published warehouse.

    .venv/bin/newswh run                      # builds and publishes ./warehouse.duckdb from seeds/articles
    .venv/bin/python docs/render_examples.py  # [--db PATH]

Compiles dbt_project/analyses/ with the read-only `published` target, runs each analysis on the
published file over a read-only connection, and replaces the block between the `examples` markers.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingest.settings import settings

DOC = Path(__file__).resolve().parent.parent / "README.md"
ANALYSES = settings.dbt_project_dir / "analyses"
COMPILED = settings.dbt_project_dir / "target" / "compiled" / "news_warehouse" / "analyses"
START, END = "<!-- examples:start -->", "<!-- examples:end -->"

QUESTIONS = [
    (
        'Who said "We will do everything necessary to ensure that Russia cannot win this war"?',
        "who_said_russia_cannot_win",
    ),
    ("Which NATO members attended the Paris meeting?", "nato_members_at_paris_meeting"),
    ("What did Trump say about NATO members?", "what_trump_said_about_nato_members"),
    ("Who said what about whom?", "who_said_what_about_whom"),
    ("What did one speaker say, month by month? (var `speaker`)", "statements_by_speaker_over_time"),
    ("Which events happened between two actors? (vars `actor_a`, `actor_b`)", "events_between_two_actors"),
    (
        "Who were the members of an alliance on a given day? (vars `alliance_code`, `on_date`)",
        "alliance_members_on_date",
    ),
    ("Which actors are mentioned together with NATO?", "actors_co_mentioned_with_nato"),
    ("Who are the most-quoted people of each publisher?", "most_quoted_people_per_source"),
    ("Which coalitions were announced in the news, and who is in them?", "coalitions_announced_in_text"),
]
MAX_ROWS = 8
MAX_CHARS = 90


def _cell(value: object) -> str:
    text = "" if value is None else (", ".join(map(str, value)) if isinstance(value, list) else str(value))
    text = " ".join(text.split())
    if len(text) > MAX_CHARS:
        text = text[: MAX_CHARS - 1] + "…"
    return text.replace("|", "\\|")


def markdown_table(columns: list[str], rows: list[tuple[object, ...]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows[:MAX_ROWS]]
    if len(rows) > MAX_ROWS:
        lines.append(f"\n*… {len(rows)} rows in all.*")
    return "\n".join(lines)


def compile_analyses(db: Path) -> None:
    from ingest.dbt import run_dbt

    os.environ["NEWSWH_PUBLISHED_DB"] = str(db.resolve())
    result = run_dbt(["compile", "--select", "resource_type:analysis", "--target", "published"])
    if not result.success:
        raise SystemExit(f"dbt compile failed: {result.failures}")


def render(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    try:
        ((published_at,),) = con.execute("select max(published_at) from audit.publications").fetchall()
        parts = [
            f"*Printed by `docs/render_examples.py` on the warehouse `newswh run` builds from "
            f"`seeds/articles` (published {published_at:%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
            f"rendered {datetime.now(UTC):%Y-%m-%d}). Long texts are cut at {MAX_CHARS} characters.*"
        ]
        for number, (question, name) in enumerate(QUESTIONS, start=1):
            source = (ANALYSES / f"{name}.sql").read_text().strip()
            cursor = con.execute((COMPILED / f"{name}.sql").read_text())
            columns = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
            parts.append(
                f"#### {number}. {question}\n\n`dbt_project/analyses/{name}.sql`:\n\n"
                f"<details><summary>SQL</summary>\n\n```sql\n{source}\n```\n\n</details>\n\n"
                f"{markdown_table(columns, rows)}"
            )
    finally:
        con.close()
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=settings.published_path, help="published warehouse")
    args = parser.parse_args()
    compile_analyses(args.db)
    doc = DOC.read_text()
    block = f"{START}\n{render(args.db)}\n{END}"
    new, n = re.subn(re.escape(START) + ".*?" + re.escape(END), lambda _: block, doc, flags=re.S)
    if n != 1:
        raise SystemExit(f"{DOC} has no {START} … {END} block")
    DOC.write_text(new)
    print(f"wrote {len(QUESTIONS)} examples to {DOC}")


if __name__ == "__main__":
    main()
