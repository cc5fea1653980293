"""Suites -> validation definitions -> checkpoints, built in code on every run (GX 1.x).

The data context is ephemeral: suites, validation definitions and checkpoints live in memory and
are rebuilt from expectations/suites/*.py each run, so the Python modules are the only source of
truth. The one thing written to disk is the Data Docs site (HTML), by default under
expectations/gx/uncommitted/data_docs/local_site/ (git-ignored).

Data reaches GX through a pandas datasource fed from DuckDB (GX 1.24's SQL datasource over
duckdb-engine returns empty metrics: great_expectations #10738, #11579): one dataframe asset and
whole-dataframe batch definition per suite, the frame passed at run time as
batch_parameters={"dataframe": frame}. A Checkpoint hands the *same* batch_parameters to all of
its validation definitions, so each suite gets its own one-definition Checkpoint; gate.check runs
them in SUITE_MODULES order, one frame in memory at a time, and each one's UpdateDataDocsAction
adds its pages to the one site.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.checkpoint import UpdateDataDocsAction, ValidationAction
from great_expectations.core import ExpectationSuiteValidationResult
from great_expectations.data_context import AbstractDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

DATASOURCE = "duckdb_frames"
SITE_NAME = "local_site"
CHECKPOINT_PREFIX = "newswh_gate"
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": 10}


def site_dir(data_docs_dir: Path) -> Path:
    return data_docs_dir / SITE_NAME


def build_context(data_docs_dir: Path | None) -> AbstractDataContext:
    """An in-memory context whose only output is a Data Docs site in data_docs_dir/local_site
    (none when data_docs_dir is None: rendering costs ~0.4 s per suite)."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    sites: dict[str, Any] = {}
    if data_docs_dir is not None:
        site = site_dir(data_docs_dir)
        if site.exists():  # the site shows the latest run; audit.quality_* keeps the history
            shutil.rmtree(site)
        sites[SITE_NAME] = {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites=sites,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def build_checkpoints(
    context: AbstractDataContext, suites: list[gx.ExpectationSuite], *, data_docs: bool = True
) -> dict[str, gx.Checkpoint]:
    """One dataframe asset, validation definition and checkpoint per suite, keyed by suite name."""
    actions: list[ValidationAction] = (
        [UpdateDataDocsAction(name="update_data_docs", site_names=[SITE_NAME])] if data_docs else []
    )
    datasource = context.data_sources.add_pandas(DATASOURCE)
    checkpoints: dict[str, gx.Checkpoint] = {}
    for suite in suites:
        batch_definition = datasource.add_dataframe_asset(name=suite.name).add_batch_definition_whole_dataframe(
            "whole_frame"
        )
        stored_suite = context.suites.add_or_update(suite)
        validation_definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=f"{suite.name}__whole_frame", data=batch_definition, suite=stored_suite)
        )
        checkpoints[suite.name] = context.checkpoints.add_or_update(
            gx.Checkpoint(
                name=f"{CHECKPOINT_PREFIX}.{suite.name}",
                validation_definitions=[validation_definition],
                actions=actions,
                result_format=RESULT_FORMAT,
            )
        )
    return checkpoints


def run(
    checkpoint: gx.Checkpoint, frame: pd.DataFrame, expectation_parameters: dict[str, Any]
) -> ExpectationSuiteValidationResult:
    """Run one suite's checkpoint on its frame; its UpdateDataDocsAction adds the suite's pages."""
    checkpoint_result = checkpoint.run(
        batch_parameters={"dataframe": frame},
        expectation_parameters=expectation_parameters,
    )
    (validation_result,) = checkpoint_result.run_results.values()
    return validation_result


def index_path(data_docs_dir: Path) -> Path:
    return site_dir(data_docs_dir) / "index.html"
