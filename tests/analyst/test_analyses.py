"""The analyst questions in dbt_project/analyses/ answer from the published warehouse.

dbt compiles every analysis with the `published` profile target, which opens the published file
read-only (`newswh dbt -- compile --select <analysis> --target published`, README "Query the warehouse"); the
compiled SQL then runs on the published file over a read-only connection, as an analyst runs it. The seed
article fixes some answers: Macron said "Russia cannot win", France, Germany and Poland met in
Paris, Trump told Russia to do "whatever the hell they want" to NATO members."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import rows_as_dicts
from tests.published_warehouse import DBT_PROJECT, PublishedWarehouse

ANALYSES = sorted(p.stem for p in (DBT_PROJECT / "analyses").glob("*.sql"))
QUESTIONS = {  # the analyst questions of issue 6 -> the analysis answering each
    "who said what about whom": "who_said_what_about_whom",
    "statements by a speaker over time": "statements_by_speaker_over_time",
    "events between two actors": "events_between_two_actors",
    "members of an alliance on a date": "alliance_members_on_date",
    "actors co-mentioned with NATO": "actors_co_mentioned_with_nato",
    "most-quoted people per source": "most_quoted_people_per_source",
    "who said 'Russia cannot win'": "who_said_russia_cannot_win",
    "NATO members at the Paris meeting": "nato_members_at_paris_meeting",
    "what Trump said about NATO members": "what_trump_said_about_nato_members",
}


@pytest.fixture(scope="module")
def compiled(published_warehouse: PublishedWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("dbt_compile")
    before = hashlib.sha256(published_warehouse.published.read_bytes()).hexdigest()
    dbt = Path(sys.executable).parent / "dbt"
    proc = subprocess.run(
        [
            str(dbt),
            "--quiet",
            "compile",
            "--select",
            "resource_type:analysis",
            "--project-dir",
            str(DBT_PROJECT),
            "--profiles-dir",
            str(DBT_PROJECT),
            "--target-path",
            str(work / "target"),
            "--log-path",
            str(work / "logs"),
            "--target",
            "published",
        ],
        env={
            **os.environ,
            "NEWSWH_PUBLISHED_DB": str(published_warehouse.published),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert hashlib.sha256(published_warehouse.published.read_bytes()).hexdigest() == before
    return work / "target" / "compiled" / "news_warehouse" / "analyses"


def run_analysis(compiled: Path, published: Path, name: str) -> list[dict[str, Any]]:
    return rows_as_dicts(published, (compiled / f"{name}.sql").read_text())


def test_every_question_has_an_analysis() -> None:
    missing = {q: a for q, a in QUESTIONS.items() if a not in ANALYSES}
    assert not missing
    assert len(ANALYSES) >= 8


@pytest.mark.parametrize("name", ANALYSES)
def test_analysis_returns_rows(compiled: Path, published_warehouse: PublishedWarehouse, name: str) -> None:
    rows = run_analysis(compiled, published_warehouse.published, name)
    assert rows, f"{name} returned nothing"


def test_macron_said_russia_cannot_win(compiled: Path, published_warehouse: PublishedWarehouse) -> None:
    rows = run_analysis(compiled, published_warehouse.published, "who_said_russia_cannot_win")
    assert {r["speaker"] for r in rows} == {"Emmanuel Macron"}
    assert any(r["statement_type"] == "direct" for r in rows)


def test_france_attended_the_paris_meeting(compiled: Path, published_warehouse: PublishedWarehouse) -> None:
    rows = run_analysis(compiled, published_warehouse.published, "nato_members_at_paris_meeting")
    by_country = {r["member_country"]: r["represented_by"] for r in rows}
    # the seed article: Macron hosted, with Chancellor Scholz and President Duda
    assert "Emmanuel Macron" in by_country.get("France", "")
    assert "Olaf Scholz" in by_country.get("Germany", "")
    assert "Andrzej Duda" in by_country.get("Poland", "")
    assert "China" not in by_country  # Xi's state visit to Paris is no NATO meeting


def test_trump_on_nato_members(compiled: Path, published_warehouse: PublishedWarehouse) -> None:
    rows = run_analysis(compiled, published_warehouse.published, "what_trump_said_about_nato_members")
    seed = [r for r in rows if "whatever the hell they want" in r["statement_text"]]
    assert seed and any("North Atlantic Treaty Organization" in r["nato_actors_mentioned"] for r in seed)


def test_nato_on_the_day_before_sweden_joined(compiled: Path, published_warehouse: PublishedWarehouse) -> None:
    rows = run_analysis(compiled, published_warehouse.published, "alliance_members_on_date")  # NATO, 2024-02-27
    members = {r["member"] for r in rows}
    assert len(members) == 31 and "Finland" in members and "Sweden" not in members


def test_nato_co_mentions_and_quotes_per_source(compiled: Path, published_warehouse: PublishedWarehouse) -> None:
    co = run_analysis(compiled, published_warehouse.published, "actors_co_mentioned_with_nato")
    assert "Russia" in {r["actor_name"] for r in co}
    assert "North Atlantic Treaty Organization" not in {r["actor_name"] for r in co}
    quoted = run_analysis(compiled, published_warehouse.published, "most_quoted_people_per_source")
    sources = {r["source_name"] for r in quoted}
    assert {"Sample Wire", "Demo Daily", "Example Herald"} <= sources
    assert all(r["speaker_rank"] <= 3 for r in quoted)
