"""The dbt project on the hand-annotated fixture: analyst answers, dedup rules, incremental runs."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest import dbt as ingest_dbt
from ingest.dbt import build, forget_build_state, last_build_fingerprint, project_fingerprint
from tests.dbt.conftest import PROJECT_DIR, DbtProject
from tests.dbt.fixtures import (
    DUDA_V1_ARTICLE_ID,
    DUDA_V2_ARTICLE_ID,
    DUDA_V3_ARTICLE_ID,
    OLD_EXTRACTOR,
    SCHOLZ_ARTICLE_ID,
    SEED_ARTICLE_ID,
    add_corrected_version,
    add_incremental_article,
)

INCREMENTAL_FACTS = ("fct_statements", "fct_event_mentions", "fct_actor_mentions")


# -- the analyst questions about the seed article -------------------------------------------------


def test_who_said_russia_cannot_win(dbt_project: DbtProject) -> None:
    rows = dbt_project.analysis("who_said_russia_cannot_win")
    assert [row["speaker"] for row in rows] == ["Emmanuel Macron"]
    assert rows[0]["statement_type"] == "direct"
    assert rows[0]["article_id"] == SEED_ARTICLE_ID


def test_nato_members_at_paris_meeting(dbt_project: DbtProject) -> None:
    rows = dbt_project.analysis("nato_members_at_paris_meeting")
    assert {row["member_country"] for row in rows} == {"France", "Germany", "Poland"}
    assert {row["represented_by"] for row in rows} == {"Emmanuel Macron", "Olaf Scholz", "Andrzej Duda"}


def test_what_trump_said_about_nato_members(dbt_project: DbtProject) -> None:
    rows = dbt_project.analysis("what_trump_said_about_nato_members")
    texts = {row["statement_text"] for row in rows}
    assert "whatever the hell they want" in texts
    assert "he would encourage Russian aggression against NATO allies" in texts
    assert all("Trump" not in str(row["nato_actors_mentioned"]) for row in rows)


def test_every_analysis_compiles_and_runs(dbt_project: DbtProject) -> None:
    compiled = dbt_project.work_dir / "target" / "compiled" / "news_warehouse" / "analyses"
    names = sorted(path.stem for path in compiled.glob("*.sql"))
    assert len(names) >= 8
    for name in names:
        dbt_project.analysis(name)  # raises on a broken query


# -- counting rules --------------------------------------------------------------------------------


def test_old_extractor_version_is_not_counted(dbt_project: DbtProject) -> None:
    rows = dbt_project.query(
        f"""
        select count(*) filter (where extractor_version = '{OLD_EXTRACTOR}'), count(*)
        from marts.fct_statements
        where article_id = '{SEED_ARTICLE_ID}'
        """
    )
    assert rows == [(0, 7)]


def test_superseded_version_is_not_counted(dbt_project: DbtProject) -> None:
    counts = dict(
        dbt_project.query(
            f"""
            select article_id, count(*) from marts.fct_actor_mentions
            where article_id in ('{DUDA_V1_ARTICLE_ID}', '{DUDA_V2_ARTICLE_ID}') group by all
            """
        )
    )
    assert DUDA_V1_ARTICLE_ID not in counts
    assert counts[DUDA_V2_ARTICLE_ID] > 0


def test_syndicated_copy_is_one_event_with_two_sources(dbt_project: DbtProject) -> None:
    rows = dbt_project.query(
        """
        select events.num_mentions, events.num_articles, events.num_sources, events.num_reports, events.event_date
        from marts.fct_events as events
        inner join marts.dim_actors as actors on events.source_actor_id = actors.actor_id
        where actors.actor_name = 'Emmanuel Macron' and events.cameo_root_code = '04'
        """
    )
    assert len(rows) == 1
    num_mentions, num_articles, num_sources, num_reports, event_date = rows[0]
    assert (num_mentions, num_articles, num_sources, num_reports) == (1, 1, 2, 2)
    assert str(event_date) == "2024-02-27"  # the undated original takes its copy's date


def test_negated_clause_is_no_event(dbt_project: DbtProject) -> None:
    assert dbt_project.query("select count(*) from marts.fct_event_mentions where trigger_lemma = 'reach'") == [(0,)]


def test_extracted_coalition_has_the_leaders_as_members(dbt_project: DbtProject) -> None:
    rows = dbt_project.analysis("coalitions_announced_in_text")
    assert len(rows) == 1
    assert "missiles to Ukraine" in str(rows[0]["alliance_name"])
    assert rows[0]["members"] == "Andrzej Duda, Olaf Scholz"


def test_unattributed_statement_points_to_unknown_actor(dbt_project: DbtProject) -> None:
    rows = dbt_project.query(
        "select speaker_actor_id from marts.fct_statements where statement_text like 'Allies are moving%'"
    )
    assert rows == [("unknown",)]


# -- incremental -----------------------------------------------------------------------------------


def _counts(project: DbtProject, db_path: Path) -> dict[str, int]:
    return {table: project.query(f"select count(*) from marts.{table}", db_path)[0][0] for table in INCREMENTAL_FACTS}


def test_incremental_run_adds_exactly_the_new_article(
    dbt_project: DbtProject, warehouse_copy: Callable[[str], Path]
) -> None:
    incremental_db = warehouse_copy("incremental")
    before = _counts(dbt_project, incremental_db)
    add_incremental_article(incremental_db)
    dbt_project.dbt("run", db_path=incremental_db)  # facts incremental, the rest rebuilt
    after = _counts(dbt_project, incremental_db)
    for table in INCREMENTAL_FACTS:
        new_rows = dbt_project.query(
            f"select count(*) from marts.{table} where article_id = '{SCHOLZ_ARTICLE_ID}'", incremental_db
        )[0][0]
        assert new_rows > 0, table
        assert after[table] - before[table] == new_rows, table


def test_incremental_run_equals_full_refresh_after_new_article_and_correction(
    dbt_project: DbtProject, warehouse_copy: Callable[[str], Path]
) -> None:
    incremental_db, full_db = warehouse_copy("incremental"), warehouse_copy("full")
    for db in (incremental_db, full_db):
        add_incremental_article(db)
        add_corrected_version(db)
    dbt_project.dbt("run", db_path=incremental_db)
    dbt_project.dbt("run", "--full-refresh", db_path=full_db)
    for table in INCREMENTAL_FACTS:
        by_article = dict(
            dbt_project.query(f"select article_id, count(*) from marts.{table} group by all", incremental_db)
        )
        assert DUDA_V2_ARTICLE_ID not in by_article, table  # replaced by its correction
        assert by_article[DUDA_V3_ARTICLE_ID] > 0, table
        differences = dbt_project.query(
            f"""
            attach '{full_db}' as full_build (read_only);
            select count(*) from (
                (select * from marts.{table} except all select * from full_build.marts.{table})
                union all
                (select * from full_build.marts.{table} except all select * from marts.{table})
            )
            """,
            incremental_db,
        )
        assert differences == [(0,)], table


# -- the pipeline's build (ingest.dbt.build): incremental after new articles, full refresh on demand --


def _tables(project: DbtProject, db_path: Path) -> list[str]:
    rows = project.query(
        "select schema_name || '.' || table_name from duckdb_tables() "
        "where schema_name in ('intermediate', 'marts') order by all",
        db_path,
    )
    return [str(row[0]) for row in rows]


def _differences(project: DbtProject, db_path: Path, other: Path, table: str) -> int:
    rows = project.query(
        f"""
        attach '{other}' as other_build (read_only);
        select count(*) from (
            (select * from {table} except all select * from other_build.{table})
            union all
            (select * from other_build.{table} except all select * from {table})
        )
        """,
        db_path,
    )
    return int(rows[0][0])  # type: ignore[call-overload]


def _build(project: DbtProject, db_path: Path, *, full_refresh: bool = False) -> str:
    result = build(db_path, full_refresh=full_refresh, project_dir=PROJECT_DIR, work_dir=project.work_dir)
    assert result.success, result.failures
    return result.mode


def test_pipeline_build_is_incremental_and_equals_full_refresh(
    dbt_project: DbtProject, warehouse_copy: Callable[[str], Path]
) -> None:
    """Every intermediate and mart table after the cheap path (new articles, a corrected version)
    equals a full refresh of the same raw data, row for row. Both builds of `incremental_db` run
    on the manifest its `dbt parse` left in this process (run_dbt reuses it), the full refresh
    of `full_db` parses for itself."""
    incremental_db, full_db = warehouse_copy("pipeline_incremental"), warehouse_copy("pipeline_full")
    dbt_project.dbt("parse", db_path=incremental_db)
    cached = ingest_dbt._manifest_cache
    assert cached is not None and str(incremental_db.resolve()) in cached[0]
    # the session build ran plain `dbt build`, which records nothing: the first build() is full
    assert last_build_fingerprint(incremental_db) is None
    assert _build(dbt_project, incremental_db) == "full"
    assert last_build_fingerprint(incremental_db) == project_fingerprint(PROJECT_DIR)
    before = _counts(dbt_project, incremental_db)
    for db in (incremental_db, full_db):
        add_incremental_article(db)
        add_corrected_version(db)
    assert _build(dbt_project, incremental_db) == "incremental"
    assert _build(dbt_project, full_db, full_refresh=True) == "full"
    after = _counts(dbt_project, incremental_db)
    assert all(after[table] > before[table] for table in INCREMENTAL_FACTS)
    tables = _tables(dbt_project, incremental_db)
    assert tables == _tables(dbt_project, full_db)
    assert "intermediate.int_actor_mentions_resolved" in tables
    assert {table: _differences(dbt_project, incremental_db, full_db, table) for table in tables} == dict.fromkeys(
        tables, 0
    )


def test_pipeline_build_without_new_articles_changes_nothing(
    dbt_project: DbtProject, warehouse_copy: Callable[[str], Path]
) -> None:
    db, reference = warehouse_copy("pipeline_rerun"), warehouse_copy("pipeline_reference")
    assert _build(dbt_project, db) == "full"
    assert _build(dbt_project, db) == "incremental"
    for table in _tables(dbt_project, db):
        assert _differences(dbt_project, db, reference, table) == 0, table


def test_dbt_run_by_hand_makes_the_next_pipeline_build_full(
    dbt_project: DbtProject, warehouse_copy: Callable[[str], Path]
) -> None:
    db = warehouse_copy("pipeline_by_hand")
    assert _build(dbt_project, db) == "full"
    forget_build_state(db)  # what `newswh dbt run ...` does before running dbt by hand
    assert last_build_fingerprint(db) is None
    assert _build(dbt_project, db) == "full"
