"""`newswh export`: every mart of the published file as Parquet, facts split by month (hive style)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from ingest.cli import app
from ingest.export import PARTITION_DATES, export_marts
from tests.published_warehouse import PublishedWarehouse


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def exported(published_warehouse: PublishedWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export")
    before = _sha256(published_warehouse.published)
    export_marts(published_warehouse.published, out)
    assert _sha256(published_warehouse.published) == before, "export changed the published file"
    return out


def _marts(wh: PublishedWarehouse) -> list[str]:
    return [
        r[0]
        for r in wh.query("select table_name from information_schema.tables where table_schema = 'marts' order by 1")
    ]  # type: ignore[misc]


def test_every_mart_is_exported_with_its_row_count(published_warehouse: PublishedWarehouse, exported: Path) -> None:
    marts = _marts(published_warehouse)
    assert len(marts) >= 10 and set(PARTITION_DATES) <= set(marts)
    assert sorted(p.name for p in exported.iterdir() if not p.name.startswith(".")) == marts
    for mart in marts:
        ((expected,),) = published_warehouse.query(f"select count(*) from marts.{mart}")
        dataset = ds.dataset(exported / mart, format="parquet", partitioning="hive")
        assert dataset.count_rows() == expected, mart


def test_facts_are_partitioned_by_month_of_their_date(published_warehouse: PublishedWarehouse, exported: Path) -> None:
    for mart, date_column in PARTITION_DATES.items():
        months = {p.name for p in (exported / mart).iterdir()}
        assert months and all(m.startswith("month=") for m in months), (mart, months)
        expected = dict(
            published_warehouse.query(  # type: ignore[arg-type]
                f"select strftime({date_column}, '%Y-%m'), count(*) from marts.{mart} group by 1"
            )
        )
        con = duckdb.connect()
        try:
            got = dict(
                con.execute(
                    "select month, count(*) from read_parquet(?, hive_partitioning = true) group by 1",
                    [str(exported / mart / "*" / "*.parquet")],
                ).fetchall()
            )
        finally:
            con.close()
        assert got == expected, mart  # rows without a date come back with a NULL month
        # the files hold every column of the mart; `month` comes from the path
        ((columns,),) = published_warehouse.query(
            "select count(*) from information_schema.columns where table_schema = 'marts' and table_name = ?", [mart]
        )
        one_file = next((exported / mart).rglob("*.parquet"))
        assert len(ds.dataset(one_file, format="parquet").schema) == columns


def test_export_cli_writes_the_published_file(published_warehouse: PublishedWarehouse, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "export",
            "--db",
            str(published_warehouse.published),
            "--out",
            str(tmp_path),
            "--table",
            "dim_sources",
            "--table",
            "fct_events",
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dim_sources", "fct_events"]
    assert (tmp_path / "dim_sources" / "dim_sources.parquet").is_file()
    # a second export replaces the first (no stale month directories, no leftovers)
    result = CliRunner().invoke(
        app, ["export", "--db", str(published_warehouse.published), "--out", str(tmp_path), "--table", "fct_events"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dim_sources", "fct_events"]


def test_export_of_a_missing_warehouse_or_mart_fails_cleanly(
    published_warehouse: PublishedWarehouse, tmp_path: Path
) -> None:
    result = CliRunner().invoke(app, ["export", "--db", str(tmp_path / "nope.duckdb"), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "no warehouse here" in " ".join(result.output.split())
    assert not (tmp_path / "nope.duckdb").exists()  # read-only: nothing created
    result = CliRunner().invoke(
        app, ["export", "--db", str(published_warehouse.published), "--out", str(tmp_path), "--table", "raw_articles"]
    )
    assert result.exit_code == 2 and "not a mart: raw_articles" in " ".join(result.output.split())
