"""Publish: replace the analysts' file with the gated build, atomically.

DuckDB lets one process write a file, and a BI tool holding the file open makes a rebuild fail
with a lock error. So nothing ever writes the published file: the pipeline builds and checks a
working file, and publishing copies it beside the published path and renames it over. A reader
that has the old file open keeps reading the old inode, undisturbed; new connections see the new
build. A rename within one directory is atomic on POSIX, so no reader sees half a file."""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingest.db import connect, scalar
from ingest.errors import NewsWarehouseError

log = logging.getLogger(__name__)

PUBLISH_DDL = """
create table if not exists audit.publications (
    publication_id varchar primary key,
    published_at timestamptz not null,
    quality_run_id varchar not null,
    build_path varchar not null,
    published_path varchar not null,
    bytes bigint
);
"""


class NotPublishableError(NewsWarehouseError):
    """The build has not passed the quality gate since its data last changed."""

    def __init__(self, build: Path, reason: str) -> None:
        self.build = build
        self.reason = reason
        super().__init__(f"{build} is not published: {reason}. The published warehouse is unchanged.")


@dataclass(frozen=True)
class Publication:
    publication_id: str
    quality_run_id: str
    published_path: Path
    bytes: int


def _passed_gate_run(con: duckdb.DuckDBPyConnection, build: Path) -> str:
    """The id of the passed quality run that checked exactly these marts, or raise."""
    from expectations.gate import last_gate_passed  # the gate owns what "passed" means

    if not last_gate_passed(con):
        rows = (con.execute("select run_id, status from audit.quality_runs order by started_at desc limit 1")
                .fetchall() if scalar(con, "select count(*) from duckdb_tables() where schema_name = 'audit' "
                                           "and table_name = 'quality_runs'") else [])
        if not rows:
            raise NotPublishableError(build, "the quality gate has never run on it (newswh check)")
        run_id, status = rows[0]
        if status != "passed":
            raise NotPublishableError(build, f"the last quality run {run_id} {status}")
        raise NotPublishableError(build, f"the marts changed after the last passed quality run {run_id}")
    return str(scalar(con, "select run_id from audit.quality_runs order by started_at desc limit 1"))


def publish(build: Path, published: Path) -> Publication:
    build, published = build.resolve(), published.resolve()
    if build == published:
        raise NotPublishableError(build, "the build and the published path are the same file")
    con = connect(build)
    try:
        quality_run_id = _passed_gate_run(con, build)
        publication_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}"
        con.execute(PUBLISH_DDL).fetchall()
        con.execute(
            "insert into audit.publications values (?, ?, ?, ?, ?, ?)",
            [publication_id, datetime.now(UTC), quality_run_id, str(build), str(published),
             build.stat().st_size]).fetchall()
        # Fold the WAL into the file so one file is the whole database.
        con.execute("checkpoint").fetchall()
    finally:
        con.close()
    published.parent.mkdir(parents=True, exist_ok=True)
    staging = published.with_name(f".{published.name}.{publication_id}.tmp")
    try:
        shutil.copyfile(build, staging)
        with staging.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(staging, 0o444)  # analysts' copy: nothing in the read path should write it
        os.replace(staging, published)
    finally:
        staging.unlink(missing_ok=True)
    _fsync_dir(published.parent)
    log.info("published %s -> %s", build, published)
    return Publication(publication_id, quality_run_id, published, published.stat().st_size)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
