"""The gate passes a clean build and fails each corrupted copy on exactly the expectation meant to
catch it, without touching the marts. Every test runs on its own copy (conftest.warehouse)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from expectations.gate import GateResult, check, last_gate_passed
from expectations.suites import SUITE_MODULES
from expectations.thresholds import load_thresholds
from ingest.cli import app
from ingest.db import connect
from tests.gate.conftest import marts_checksum

Sql = Callable[..., list[tuple[object, ...]]]


def _gate(db: Path, tmp_path: Path, *, data_docs: bool = False) -> GateResult:
    """Run the gate and assert it left every mart exactly as it found it. (Data Docs cost ~0.4 s
    per suite to render and change no verdict, so only the tests about them render them.)"""
    before = marts_checksum(db)
    result = check(db, data_docs_dir=tmp_path / "data_docs" if data_docs else None)
    assert marts_checksum(db) == before
    return result


def _failed(result: GateResult) -> set[tuple[str, str, str | None]]:
    return {(o.suite, o.expectation_type, o.column) for o in result.failures}


def _runs(db: Path) -> list[tuple[object, ...]]:
    con = connect(db, read_only=True)
    try:
        return con.execute(
            "select status, n_expectations, n_failed_critical from audit.quality_runs order by started_at"
        ).fetchall()
    finally:
        con.close()


def test_clean_build_passes_and_is_recorded(warehouse: Path, tmp_path: Path) -> None:
    result = _gate(warehouse, tmp_path, data_docs=True)

    assert result.failures == [], [f"{o.table} {o.expectation_type} {o.column}: {o.observed}" for o in result.failures]
    expected_count = sum(len(m.build(load_thresholds()).expectations) for m in SUITE_MODULES)
    assert result.n_expectations == expected_count > 20
    assert {o.suite for o in result.outcomes} == {m.NAME for m in SUITE_MODULES}  # every suite ran
    assert all(o.severity in ("critical", "warning") and o.notes for o in result.outcomes)
    assert result.data_docs_path is not None and result.data_docs_path.is_file()
    site = result.data_docs_path.parent
    assert len(list((site / "validations").rglob("*.html"))) == len(SUITE_MODULES)  # a page per suite
    assert _runs(warehouse) == [("passed", expected_count, 0)]
    con = connect(warehouse, read_only=True)
    try:
        stored = con.execute("select count(*) from audit.quality_results where run_id = ?", [result.run_id]).fetchall()
        assert stored == [(expected_count,)]
        assert last_gate_passed(con)
    finally:
        con.close()


def test_unresolved_speakers_fail_the_resolved_share(warehouse: Path, tmp_path: Path, sql: Sql) -> None:
    sql("update marts.fct_statements set speaker_actor_id = 'unknown' where hash(statement_id) % 10 <> 0")

    result = _gate(warehouse, tmp_path)

    assert _failed(result) == {("fct_statements", "expect_column_mean_to_be_between", "has_resolved_speaker")}
    (failure,) = result.failures
    assert float(failure.observed) < load_thresholds()["statements"]["min_resolved_speaker_share"]
    assert _runs(warehouse)[-1][0] == "failed"


def test_future_published_at_fails(warehouse: Path, tmp_path: Path, sql: Sql) -> None:
    sql(
        "update marts.dim_articles set published_at = now() + interval 30 day "
        "where article_id = (select min(article_id) from marts.dim_articles)"
    )

    result = _gate(warehouse, tmp_path)

    assert _failed(result) == {("dim_articles", "expect_column_values_to_be_between", "published_at")}
    assert result.failures[0].observed.startswith("1 of ")


def test_duplicate_event_row_fails_the_natural_key(warehouse: Path, tmp_path: Path, sql: Sql) -> None:
    sql("insert into marts.fct_events select * from marts.fct_events order by event_id limit 1")

    result = _gate(warehouse, tmp_path)

    assert _failed(result) == {
        (
            "fct_events",
            "expect_compound_columns_to_be_unique",
            "cameo_code,source_actor_id,target_actor_id,event_date,story_scope",
        )
    }


def test_losing_most_statements_since_the_last_passed_run_fails(warehouse: Path, tmp_path: Path, sql: Sql) -> None:
    first = _gate(warehouse, tmp_path)
    assert first.passed
    before = sql("select count(*) from marts.fct_statements")[0][0]
    # keep every third statement (the resolved-speaker share stays where it was, roughly)
    sql("delete from marts.fct_statements where hash(statement_id) % 3 <> 0")
    after = sql("select count(*) from marts.fct_statements")[0][0]
    assert after < before * 0.6

    second = _gate(warehouse, tmp_path)
    third = _gate(warehouse, tmp_path)  # compares with the last *passed* run, not the failed one

    row_count = ("fct_statements", "expect_table_row_count_to_be_between", None)
    assert _failed(second) == {row_count}
    assert _failed(third) == {row_count}
    assert second.failures[0].observed == str(after)
    assert f"min_value={-(-before * 8 // 10)}" in second.failures[0].expected  # ceil(80 % of before)
    assert [status for status, *_ in _runs(warehouse)] == ["passed", "failed", "failed"]


def test_mojibake_in_a_quote_fails(warehouse: Path, tmp_path: Path, sql: Sql) -> None:
    sql(
        "update marts.fct_statements set statement_text = 'We donâ€™t accept that' "
        "where statement_id = (select min(statement_id) from marts.fct_statements)"
    )

    result = _gate(warehouse, tmp_path)

    assert _failed(result) == {
        ("fct_statements", "expect_column_values_to_not_match_regex_list", "suspect_statement_text")
    }
    assert "donâ€™t" in result.failures[0].observed


def test_article_both_loaded_and_rejected_fails(warehouse: Path, tmp_path: Path, sql: Sql) -> None:
    sql(
        "insert into raw.rejected_documents "
        "select 'test-reject', raw_path, record_locator, 'invalid_record', 'test', null, 'test-run', now() "
        "from marts.dim_articles order by article_id limit 1"
    )

    result = _gate(warehouse, tmp_path)

    assert _failed(result) == {("dim_articles", "expect_column_values_to_be_null", "also_rejected_locator")}


def test_membership_ending_before_it_began_fails(warehouse: Path, tmp_path: Path, sql: Sql) -> None:
    sql(
        "update marts.bridge_alliance_memberships set left_on = joined_on - interval 1 day "
        "where alliance_membership_id = (select min(alliance_membership_id) from marts.bridge_alliance_memberships "
        "where joined_on is not null)"
    )

    result = _gate(warehouse, tmp_path)

    assert _failed(result) == {
        ("bridge_alliance_memberships", "expect_column_pair_values_a_to_be_greater_than_b", "left_on,joined_on")
    }


def test_last_gate_passed_needs_a_passed_run_on_the_current_marts(warehouse: Path, tmp_path: Path, sql: Sql) -> None:
    con = connect(warehouse, read_only=True)
    try:
        assert not last_gate_passed(con)  # never checked
    finally:
        con.close()
    assert _gate(warehouse, tmp_path).passed
    sql("update marts.dim_sources set source_name = source_name || ' (rebuilt)'")  # a later dbt build
    con = connect(warehouse, read_only=True)
    try:
        assert not last_gate_passed(con)
    finally:
        con.close()


def test_check_command_prints_failures_and_exits_non_zero(warehouse: Path, tmp_path: Path, sql: Sql) -> None:
    sql("update marts.fct_statements set speaker_actor_id = 'unknown'")
    docs = tmp_path / "docs"

    out = CliRunner().invoke(app, ["check", "--db", str(warehouse), "--data-docs", str(docs)])

    assert out.exit_code == 1, out.output
    assert "FAILED (1 critical)" in out.output
    assert "marts.fct_statements: expect_column_mean_to_be_between [has_resolved_speaker]" in out.output
    assert "observed 0.000" in out.output
    assert f"Data Docs: {docs / 'local_site' / 'index.html'}" in out.output


def test_check_command_refuses_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.duckdb"
    out = CliRunner().invoke(app, ["check", "--db", str(missing)])
    assert out.exit_code == 2
    assert not missing.exists()  # the gate never creates a warehouse
