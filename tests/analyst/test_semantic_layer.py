"""MetricFlow (dbt-metricflow 0.15) over the published file: `mf query` agrees with plain SQL.

mf reads the semantic manifest from the project's own target/, so the project is copied to
tmp_path and parsed there; the `published` profile target opens the file read-only."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.published_warehouse import DBT_PROJECT, REPO, PublishedWarehouse


@pytest.fixture(scope="module")
def mf_project(published_warehouse: PublishedWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("mf")
    project = root / "dbt_project"
    shutil.copytree(DBT_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    (root / "seeds").symlink_to(REPO / "seeds")  # seed-paths: ../seeds
    proc = _run(["dbt", "--quiet", "parse"], project, published_warehouse)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (project / "target" / "semantic_manifest.json").exists()
    return project


def _run(cmd: list[str], project: Path, wh: PublishedWarehouse) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "NEWSWH_PUBLISHED_DB": str(wh.published),
        "DBT_TARGET": "published",
        "DBT_PROFILES_DIR": str(project),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "NO_COLOR": "1",
    }
    env.pop("NEWSWH_DB", None)
    exe = str(Path(sys.executable).parent / cmd[0])
    return subprocess.run(
        [exe, *cmd[1:]], cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _mf_query(project: Path, wh: PublishedWarehouse, metrics: str, group_by: str, out: Path) -> list[dict[str, str]]:
    proc = _run(["mf", "query", "--metrics", metrics, "--group-by", group_by, "--csv", str(out)], project, wh)
    assert proc.returncode == 0 and out.exists(), proc.stdout[-3000:] + proc.stderr[-3000:]
    with out.open() as fh:
        return list(csv.DictReader(fh))


def test_metrics_by_month_match_sql(mf_project: Path, published_warehouse: PublishedWarehouse, tmp_path: Path) -> None:
    before = hashlib.sha256(published_warehouse.published.read_bytes()).hexdigest()
    rows = _mf_query(
        mf_project, published_warehouse, "statements,events,articles", "metric_time__month", tmp_path / "by_month.csv"
    )
    assert hashlib.sha256(published_warehouse.published.read_bytes()).hexdigest() == before
    totals = {m: sum(float(r[m] or 0) for r in rows) for m in ("statements", "events", "articles")}
    ((statements, events, articles),) = published_warehouse.query("""
        select (select count(*) from marts.fct_statements where not is_duplicate_copy),
               (select count(*) from marts.fct_events),
               (select count(*) from marts.dim_articles where is_counted)""")
    assert totals == {"statements": statements, "events": events, "articles": articles}
    assert len(rows) >= 10  # one row per month (plus one for undated rows)


def test_articles_by_source(mf_project: Path, published_warehouse: PublishedWarehouse, tmp_path: Path) -> None:
    rows = _mf_query(mf_project, published_warehouse, "articles", "source__source_name", tmp_path / "by_source.csv")
    got = {r["source__source_name"]: int(float(r["articles"])) for r in rows}
    expected = dict(
        published_warehouse.query("""
        select sources.source_name, count(*) from marts.dim_articles as articles
        inner join marts.dim_sources as sources on articles.source_id = sources.source_id
        where articles.is_counted group by 1""")
    )
    assert got == expected and "Sample Wire" in got
