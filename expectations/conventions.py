"""Names shared by the suites and the gate, importable without loading Great Expectations
(`newswh --help` and `newswh publish` should not pay GX's import time)."""

from __future__ import annotations

from typing import Literal

Severity = Literal["critical", "warning"]
CRITICAL: Severity = "critical"  # fails the gate: `newswh check` exits 1, publish refuses the file
WARNING: Severity = "warning"  # printed and recorded, the build still passes

# dbt_project.yml `vars: unknown_actor_id`: the unknown member facts point at when unresolved.
UNKNOWN_ACTOR_ID = "unknown"


def min_rows_parameter(suite: str) -> str:
    """Suite parameter holding a suite's row-count floor (from the last passed run)."""
    return f"{suite}__min_rows"


def max_rows_parameter(suite: str) -> str:
    """Suite parameter holding a suite's row-count ceiling (None on the first run)."""
    return f"{suite}__max_rows"
