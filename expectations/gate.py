"""The quality gate: run every suite against a built warehouse and record the verdict in it.

    result = check(Path("warehouse.duckdb"))   # plain function; `newswh check` only prints it
    result.passed, result.failures, result.warnings, result.data_docs_path

The gate reads marts.*, raw.* and reference.* and writes only audit.quality_runs and
audit.quality_results, in the same file, in one transaction. It never touches the marts: a failed
gate leaves the build as it is and `newswh publish` (which calls `last_gate_passed`) refuses it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from expectations import DEFAULT_DATA_DOCS_DIR, THRESHOLDS_PATH
from expectations.conventions import CRITICAL, WARNING, max_rows_parameter, min_rows_parameter
from expectations.thresholds import Thresholds, load_thresholds, min_rows
from ingest.db import connect, transaction

log = logging.getLogger(__name__)

ROW_COUNT_EXPECTATION = "expect_table_row_count_to_be_between"


@dataclass(frozen=True)
class ExpectationOutcome:
    """One expectation's verdict, as printed by `newswh check` and stored in audit.quality_results."""

    suite: str
    table: str
    expectation_type: str
    column: str | None
    severity: str
    success: bool
    observed: str  # short, human-readable
    observed_value: str  # JSON
    expected: str
    notes: str

    @property
    def failed_critical(self) -> bool:
        return not self.success and self.severity == CRITICAL

    @property
    def is_warning(self) -> bool:
        return not self.success and self.severity != CRITICAL


@dataclass(frozen=True)
class GateResult:
    run_id: str
    db_path: Path
    started_at: datetime
    ended_at: datetime
    data_docs_path: Path | None
    outcomes: tuple[ExpectationOutcome, ...] = field(default_factory=tuple)

    @property
    def failures(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if o.failed_critical]

    @property
    def warnings(self) -> list[ExpectationOutcome]:
        return [o for o in self.outcomes if o.is_warning]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def status(self) -> str:
        return "passed" if self.passed else "failed"

    @property
    def n_expectations(self) -> int:
        return len(self.outcomes)


def check(
    db_path: Path,
    *,
    data_docs_dir: Path | None = DEFAULT_DATA_DOCS_DIR,
    thresholds_path: Path = THRESHOLDS_PATH,
    now: datetime | None = None,
) -> GateResult:
    """Validate the warehouse at db_path, record the run in its audit schema, return the verdict.

    Data Docs go to data_docs_dir/local_site/index.html (expectations/gx/uncommitted/data_docs by
    default); None skips rendering them (the verdict and audit rows are the same).
    """
    # GX imports take seconds: only a check pays them (not `newswh --help`, not last_gate_passed)
    from expectations import checkpoint
    from expectations.suites import SUITE_MODULES

    if not db_path.exists():
        raise FileNotFoundError(f"no warehouse at {db_path}: run ingest, annotate and dbt build first")
    thresholds = load_thresholds(thresholds_path)
    started_at = datetime.now(UTC)
    now = now or started_at
    run_id = f"quality-{started_at:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
    outcomes: list[ExpectationOutcome] = []

    con = connect(db_path)  # one writer: nobody rebuilds the marts between our reads and our verdict
    try:
        fingerprint = marts_fingerprint(con)
        previous = previous_row_counts(con)
        parameters = _expectation_parameters(con, thresholds, now, previous)
        context = checkpoint.build_context(data_docs_dir)
        suites = [module.build(thresholds) for module in SUITE_MODULES]
        checkpoints = checkpoint.build_checkpoints(context, suites, data_docs=data_docs_dir is not None)
        for module in SUITE_MODULES:  # one frame in memory at a time
            try:
                frame = con.execute(module.QUERY).fetchdf()
            except duckdb.Error as exc:
                log.info("suite %s: cannot read %s: %s", module.NAME, module.TABLE, exc)
                outcomes.append(_unreadable(module.NAME, module.TABLE, exc))
                continue
            validation = checkpoint.run(checkpoints[module.NAME], frame, parameters)
            del frame
            outcomes.extend(
                _outcome(module.NAME, module.TABLE, r, previous.get(module.NAME)) for r in validation.results
            )

        if marts_fingerprint(con) != fingerprint:  # cannot happen unless this module grows a bug
            raise RuntimeError("the marts changed while the gate ran")
        result = GateResult(
            run_id=run_id,
            db_path=db_path,
            started_at=started_at,
            ended_at=datetime.now(UTC),
            data_docs_path=checkpoint.index_path(data_docs_dir) if data_docs_dir else None,
            outcomes=tuple(outcomes),
        )
        _record(con, result, fingerprint)
    finally:
        con.close()
    log.info("quality gate %s: %s (%d expectations)", run_id, result.status, result.n_expectations)
    return result


def last_gate_passed(con: duckdb.DuckDBPyConnection) -> bool:
    """True when the latest gate run on this file passed and the marts are still what it checked.

    For `newswh publish`: a dbt build after the gate changes the marts' fingerprint, so the build
    must be checked again before it can be published.
    """
    try:
        rows = con.execute(
            "select status, marts_fingerprint from audit.quality_runs order by started_at desc limit 1"
        ).fetchall()
    except duckdb.CatalogException:
        return False
    if not rows:
        return False
    status, fingerprint = rows[0]
    return status == "passed" and fingerprint == marts_fingerprint(con)


def marts_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """Order-independent hash of every row of every marts.* table."""
    tables = [
        row[0]
        for row in con.execute(
            "select table_name from duckdb_tables() "
            "where schema_name = 'marts' and database_name = current_database() order by table_name"
        ).fetchall()
    ]
    digest = hashlib.sha256()
    for table in tables:  # names come from the catalog, not from input
        count, total = con.execute(
            f'select count(*), coalesce(sum(hash(t)::hugeint), 0) from marts."{table}" as t'
        ).fetchall()[0]
        digest.update(f"{table}:{count}:{total};".encode())
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# run-time parameters: the previous passed run's row counts, "now", the event taxonomy


def previous_row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count per suite observed by the most recent passed gate run on this file."""
    rows = con.execute(
        f"""
        with last_passed as (
            select run_id from audit.quality_runs
            where status = 'passed'
            order by started_at desc
            limit 1
        )
        select quality_results.suite, max(try_cast(quality_results.observed_value as bigint))
        from audit.quality_results
        inner join last_passed on quality_results.run_id = last_passed.run_id
        where quality_results.expectation_type = '{ROW_COUNT_EXPECTATION}'
        group by quality_results.suite
        """
    ).fetchall()
    return {suite: int(count) for suite, count in rows if count is not None}


def _event_type_codes(con: duckdb.DuckDBPyConnection) -> list[str]:
    for sql in (
        "select distinct cameo_code from reference.event_types where cameo_code is not null",
        "select distinct cameo_code from marts.dim_event_types where cameo_code is not null",
    ):
        try:
            return sorted(str(row[0]) for row in con.execute(sql).fetchall())
        except duckdb.CatalogException:
            continue
    return []


def _expectation_parameters(
    con: duckdb.DuckDBPyConnection, thresholds: Thresholds, now: datetime, previous: dict[str, int]
) -> dict[str, Any]:
    from expectations.suites import SUITE_MODULES

    row_count = thresholds["row_count"]
    parameters: dict[str, Any] = {
        "latest_published_at": now + timedelta(hours=float(thresholds["published_at"]["max_future_hours"])),
        "earliest_date": datetime.fromisoformat(thresholds["published_at"]["earliest"]),
        "latest_date": (now + timedelta(days=1)).replace(tzinfo=None),
        "event_type_codes": _event_type_codes(con),
    }
    for module in SUITE_MODULES:
        before = previous.get(module.NAME)
        if before is None:
            parameters[min_rows_parameter(module.NAME)] = min_rows(thresholds, module.NAME)
            parameters[max_rows_parameter(module.NAME)] = None
        else:
            parameters[min_rows_parameter(module.NAME)] = math.ceil(before * (1 - float(row_count["max_drop"])))
            parameters[max_rows_parameter(module.NAME)] = math.floor(
                max(before, 1) * (1 + float(row_count["max_growth"]))
            )
    return parameters


# ---------------------------------------------------------------------------------------------
# GX results -> outcomes -> audit rows


def _exception_message(info: dict[str, Any] | None) -> str | None:
    """GX reports an expectation that raised either flat or keyed by metric."""
    if not info:
        return None
    if "raised_exception" in info:
        return str(info.get("exception_message")) if info["raised_exception"] else None
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def _column(kwargs: dict[str, Any]) -> str | None:
    if kwargs.get("column"):
        return str(kwargs["column"])
    if kwargs.get("column_A"):
        return f"{kwargs['column_A']},{kwargs['column_B']}"
    if kwargs.get("column_list"):
        return ",".join(kwargs["column_list"])
    return None


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def _short(value: Any) -> str:
    if isinstance(value, str):
        return _printable(value)
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, list) and len(value) > 8:
        return "[" + ", ".join(_short(v) for v in value[:8]) + f", … ({len(value)} values)]"
    if isinstance(value, list):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dict):
        return "(" + ", ".join(f"{k}={_short(v)}" for k, v in value.items()) + ")"
    return str(value)


def _expected(expectation_type: str, kwargs: dict[str, Any]) -> str:
    """What the expectation wanted, in words a reader of `newswh check` output can act on."""
    parts: list[str] = []
    if kwargs.get("column_A"):
        relation = ">=" if kwargs.get("or_equal") else ">"
        parts.append(f"{kwargs['column_A']} {relation} {kwargs['column_B']}")
    elif expectation_type == "expect_compound_columns_to_be_unique":
        parts.append("unique (" + ", ".join(kwargs.get("column_list", [])) + ")")
    elif expectation_type == "expect_column_values_to_be_null":
        parts.append("all NULL")
    shown = ("min_value", "max_value", "value_set", "regex_list", "mostly")
    parts.extend(f"{key}={_short(kwargs[key])}" for key in shown if kwargs.get(key) is not None)
    return ", ".join(parts)


def _observed(result: dict[str, Any]) -> tuple[str, Any]:
    if "observed_value" in result:
        return _short(result["observed_value"]), result["observed_value"]
    if "unexpected_count" in result:
        sample: list[Any] = []
        for v in result.get("partial_unexpected_list", []):  # distinct, a few: a duplicate shows twice
            if v not in sample:
                sample.append(v)
        sample = sample[:3]
        text = f"{result['unexpected_count']} of {result.get('element_count')} rows unexpected"
        if sample:
            text += ", e.g. " + _short(sample)
        keep = ("element_count", "unexpected_count", "unexpected_percent", "missing_count")
        return text, {**{k: result.get(k) for k in keep}, "partial_unexpected_list": sample}
    return "", result


def _outcome(suite: str, table: str, validation: Any, previous_rows: int | None = None) -> ExpectationOutcome:
    config = validation.expectation_config
    kwargs = dict(config.kwargs)
    error = _exception_message(validation.exception_info)
    if error:
        observed, value = f"error: {error[:300]}", {"error": error}
    else:
        observed, value = _observed(dict(validation.result or {}))
    expected = _expected(config.type, kwargs)
    if config.type == ROW_COUNT_EXPECTATION:
        expected += f" (last passed run: {previous_rows} rows)" if previous_rows is not None else " (first run)"
    return ExpectationOutcome(
        suite=suite,
        table=table,
        expectation_type=config.type,
        column=_column(kwargs),
        severity=(config.meta or {}).get("severity", CRITICAL),
        success=bool(validation.success) and not error,
        observed=observed,
        observed_value=json.dumps(value, default=str),
        expected=expected,
        notes=config.notes or "",
    )


def _unreadable(suite: str, table: str, exc: Exception) -> ExpectationOutcome:
    message = str(exc).splitlines()[0]
    return ExpectationOutcome(
        suite=suite,
        table=table,
        expectation_type="table_is_readable",
        column=None,
        severity=CRITICAL,
        success=False,
        observed=f"error: {message}",
        observed_value=json.dumps({"error": str(exc)}),
        expected="the suite's query runs (dbt build completed)",
        notes="Every mart the suites check must exist with the columns they read.",
    )


def _record(con: duckdb.DuckDBPyConnection, result: GateResult, fingerprint: str) -> None:
    runs = pd.DataFrame(
        [
            {
                "run_id": result.run_id,
                "started_at": result.started_at,
                "ended_at": result.ended_at,
                "db_path": str(result.db_path.resolve()),
                "status": result.status,
                "n_expectations": result.n_expectations,
                "n_failed_critical": len(result.failures),
                "n_warnings": len(result.warnings),
                "data_docs_path": str(result.data_docs_path) if result.data_docs_path else None,
                "marts_fingerprint": fingerprint,
            }
        ]
    )
    results = pd.DataFrame(
        list(_result_rows(result)),
        columns=[
            "run_id",
            "suite",
            "expectation_type",
            "column",
            "severity",
            "success",
            "observed_value",
            "expected",
            "notes",
        ],
    )
    con.register("quality_runs_batch", runs)
    con.register("quality_results_batch", results)
    try:
        with transaction(con):
            con.execute("insert into audit.quality_runs by name select * from quality_runs_batch").fetchall()
            con.execute("insert into audit.quality_results by name select * from quality_results_batch").fetchall()
    finally:
        con.unregister("quality_runs_batch")
        con.unregister("quality_results_batch")


def _result_rows(result: GateResult) -> Iterable[dict[str, Any]]:
    for o in result.outcomes:
        yield {
            "run_id": result.run_id,
            "suite": o.suite,
            "expectation_type": o.expectation_type,
            "column": o.column,
            "severity": o.severity if o.severity in (CRITICAL, WARNING) else CRITICAL,
            "success": o.success,
            "observed_value": o.observed_value,
            "expected": o.expected,
            "notes": o.notes,
        }
