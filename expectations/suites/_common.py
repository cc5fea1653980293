"""What every suite module shares: severities, the unknown-member key and row-count expectations.

A suite module exposes TABLE (what it checks), QUERY (the DuckDB select whose result GX sees:
only the columns and per-row or per-article aggregates its expectations read) and
`build(thresholds) -> gx.ExpectationSuite`. Values only known at run time (the previous run's row
count, "now", the event taxonomy) are suite parameters, `{"$PARAMETER": name}`, that gate.py fills.
"""

from __future__ import annotations

from typing import Any

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.conventions import (
    CRITICAL,
    UNKNOWN_ACTOR_ID,
    WARNING,
    Severity,
    max_rows_parameter,
    min_rows_parameter,
)
from expectations.thresholds import Thresholds

__all__ = ["CRITICAL", "UNKNOWN_ACTOR_ID", "WARNING", "Severity", "meta", "row_count_expectations", "suite"]


def meta(severity: Severity) -> dict[str, Any]:
    return {"severity": severity}


def row_count_expectations(suite: str, thresholds: Thresholds) -> list[gxe.Expectation]:
    """Row count within bounds of the last passed run: a critical floor and a warning ceiling."""
    row_count = thresholds["row_count"]
    drop = float(row_count["max_drop"])
    growth = float(row_count["max_growth"])
    return [
        gxe.ExpectTableRowCountToBeBetween(
            min_value={"$PARAMETER": min_rows_parameter(suite)},
            meta=meta(CRITICAL),
            notes=(
                f"A rebuild that loses more than {drop:.0%} of the rows the last passed run had is a "
                "broken upstream stage (ingest, annotate or a model filter), not news. First run: the "
                "floor is thresholds.yml row_count.min_rows."
            ),
        ),
        gxe.ExpectTableRowCountToBeBetween(
            min_value=0,
            max_value={"$PARAMETER": max_rows_parameter(suite)},
            meta=meta(WARNING),
            notes=(
                f"More than {1 + growth:.0f}x the rows of the last passed run: a fan-out join or a "
                "re-ingest without dedupe is likelier than that much news. No ceiling on the first run."
            ),
        ),
    ]


def suite(name: str, expectations: list[gxe.Expectation]) -> gx.ExpectationSuite:
    for expectation in expectations:
        severity = (expectation.meta or {}).get("severity")
        if severity not in (CRITICAL, WARNING):
            raise ValueError(f"{name}: {expectation.expectation_type} has no meta severity")
        if not expectation.notes:
            raise ValueError(f"{name}: {expectation.expectation_type} has no notes saying why")
    # passed to the constructor (not add_expectation) so a suite builds without a data context
    return gx.ExpectationSuite(name=name, expectations=expectations)
