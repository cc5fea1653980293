"""Suites are code a reviewer reads: every expectation says why and how severe, every number comes
from thresholds.yml, every run-time parameter is one the gate fills. No warehouse needed."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import yaml

from expectations import THRESHOLDS_PATH
from expectations.gate import _expectation_parameters
from expectations.suites import SUITE_MODULES
from expectations.thresholds import load_thresholds
from ingest.db import connect


def test_every_suite_builds_with_severity_and_notes() -> None:
    thresholds = load_thresholds()
    names = [m.NAME for m in SUITE_MODULES]
    assert len(names) == len(set(names))
    for module in SUITE_MODULES:
        suite = module.build(thresholds)
        assert suite.name == module.NAME
        kinds = {e.expectation_type for e in suite.expectations}
        assert "expect_table_row_count_to_be_between" in kinds, module.NAME
        assert len(kinds) > 1, f"{module.NAME} checks nothing beyond its row count"
        for expectation in suite.expectations:
            assert expectation.meta["severity"] in ("critical", "warning")
            assert len(expectation.notes or "") > 30


def test_suite_queries_read_columns_not_whole_rows() -> None:
    for module in SUITE_MODULES:
        assert not re.search(r"select\s+\*|\.\*", module.QUERY), f"{module.NAME} selects whole rows"
        assert module.TABLE in module.QUERY


def test_thresholds_drive_the_suites(tmp_path: Path) -> None:
    data = yaml.safe_load(THRESHOLDS_PATH.read_text(encoding="utf-8"))
    data["statements"]["min_resolved_speaker_share"] = 0.123
    changed = tmp_path / "thresholds.yml"
    changed.write_text(yaml.safe_dump(data), encoding="utf-8")
    from expectations.suites import fct_statements

    suite = fct_statements.build(load_thresholds(changed))
    shares = [e for e in suite.expectations if getattr(e, "column", None) == "has_resolved_speaker"]
    assert [e.min_value for e in shares] == [0.123]


def test_every_suite_parameter_is_filled_by_the_gate(tmp_path: Path) -> None:
    thresholds = load_thresholds()
    con = connect(tmp_path / "empty.duckdb")  # audit tables exist, no runs yet
    try:
        parameters = _expectation_parameters(con, thresholds, datetime.now(UTC), {})
    finally:
        con.close()
    wanted = set()
    for module in SUITE_MODULES:
        for expectation in module.build(thresholds).expectations:
            for value in expectation.configuration.kwargs.values():
                if isinstance(value, dict) and "$PARAMETER" in value:
                    wanted.add(value["$PARAMETER"])
    assert wanted <= set(parameters)
    assert parameters["fct_statements__min_rows"] == thresholds["row_count"]["min_rows"]  # first run
