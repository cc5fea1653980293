"""DuckDB access: connections, transactions and the raw/audit DDL.

The DDL below is the contract between the Python stages (the only writers of raw.*) and the
dbt project (the only reader). Columns may be added; renaming or dropping one is a breaking
change for `dbt_project/models/staging`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from ingest.errors import WarehouseLockedError
from ingest.settings import STORAGE_VERSION

log = logging.getLogger(__name__)

RAW_DDL = """
create schema if not exists raw;
create schema if not exists audit;

create table if not exists raw.ingest_runs (
    run_id varchar primary key,
    started_at timestamptz not null,
    ended_at timestamptz,
    status varchar not null,              -- running | succeeded | failed | interrupted
    inputs varchar[],
    files integer default 0,
    records integer default 0,
    loaded integer default 0,
    already_present integer default 0,
    duplicates integer default 0,
    new_versions integer default 0,
    near_duplicates integer default 0,
    rejected integer default 0,
    warnings integer default 0,
    tool_version varchar
);

create table if not exists raw.articles (
    article_id varchar primary key,       -- hash of canonical URL, else of normalised content
    version integer not null,             -- 1, or n for the n-th text seen under one URL
    previous_version_id varchar,          -- article_id of the version this one replaces
    content_sha256 varchar not null,
    source varchar,                       -- publisher
    url varchar,
    canonical_url varchar,
    external_id varchar,
    title varchar,
    authors varchar[],
    byline varchar,
    dateline varchar,
    dateline_place varchar,
    published_at timestamptz,             -- UTC; NULL when unknown, never invented
    published_at_raw varchar,
    language varchar,
    body varchar not null,                -- NFC, tidied whitespace, quote characters preserved
    paragraphs struct(paragraph_index integer, char_start integer, char_end integer, is_heading boolean)[],
    char_count integer,
    word_count integer,
    duplicate_of varchar,                 -- near-duplicate (syndicated copy) of this article_id
    duplicate_similarity double,
    format varchar,
    raw_path varchar not null,
    record_locator varchar not null,
    warnings varchar[],
    ingest_run_id varchar not null,
    ingested_at timestamptz not null
);

-- MinHash signature and LSH band keys of every article, so near-duplicates of new articles
-- are found with a join instead of a scan.
create table if not exists raw.article_fingerprints (
    article_id varchar primary key,
    minhash ubigint[] not null,
    fingerprint_version varchar not null,  -- signatures are comparable only within one version
    ingest_run_id varchar not null
);
create table if not exists raw.article_lsh_bands (
    band integer not null,
    band_hash ubigint not null,
    article_id varchar not null
);

-- Exact duplicates are not loaded again, but where they were seen is kept (nothing is lost).
create table if not exists raw.duplicate_documents (
    raw_path varchar not null,
    record_locator varchar not null,
    content_sha256 varchar not null,
    duplicate_of varchar not null,
    ingest_run_id varchar not null,
    seen_at timestamptz not null,
    primary key (raw_path, record_locator, content_sha256)
);

create table if not exists raw.rejected_documents (
    reject_id varchar primary key,        -- hash(file bytes sha, locator, reason): stable across runs
    raw_path varchar not null,
    record_locator varchar not null,
    reason_code varchar not null,
    message varchar not null,
    raw_snippet varchar,
    ingest_run_id varchar not null,
    rejected_at timestamptz not null
);

-- Annotation (newswh annotate). Every row: article_id, sentence_index, character offsets into
-- raw.articles.body, extractor_version.
create table if not exists raw.annotation_runs (
    run_id varchar primary key,
    extractor_version varchar not null,
    started_at timestamptz not null,
    ended_at timestamptz,
    status varchar not null,
    workers integer,
    articles integer default 0,
    sentences integer default 0,
    mentions integer default 0,
    quotes integer default 0,
    event_candidates integer default 0
);

-- One row per (article, extractor version) annotated, also when nothing was found in it.
create table if not exists raw.annotated_articles (
    article_id varchar not null,
    extractor_version varchar not null,
    annotation_run_id varchar not null,
    annotated_at timestamptz not null,
    primary key (article_id, extractor_version)
);

create table if not exists raw.sentences (
    article_id varchar not null,
    extractor_version varchar not null,
    sentence_index integer not null,
    paragraph_index integer not null,
    char_start integer not null,
    char_end integer not null,
    is_heading boolean not null,
    text varchar not null,
    annotation_run_id varchar not null,
    primary key (article_id, extractor_version, sentence_index)
);

create table if not exists raw.entity_mentions (
    mention_id varchar not null,
    article_id varchar not null,
    extractor_version varchar not null,
    sentence_index integer not null,
    char_start integer not null,
    char_end integer not null,
    text varchar not null,
    label varchar not null,               -- PERSON ORG GPE LOC NORP (after our corrections)
    model_label varchar,                  -- what the statistical model said (NULL if added by rules)
    mention_source varchar not null,      -- ner | ruler | corrected | coref
    antecedent_mention_id varchar,        -- in-document coreference (pronoun/surname -> full name)
    annotation_run_id varchar not null,
    primary key (mention_id, extractor_version)
);

create table if not exists raw.actor_descriptors (
    descriptor_id varchar not null,
    article_id varchar not null,
    extractor_version varchar not null,
    sentence_index integer not null,
    char_start integer not null,          -- the whole descriptor + name span
    char_end integer not null,
    mention_id varchar,                   -- the name it describes
    name_text varchar not null,
    role varchar,                         -- President, Chancellor, Foreign Minister ...
    country_text varchar,                 -- "French", "US", "Poland" as written
    is_former boolean not null,
    pattern varchar not null,             -- premodifier | apposition
    annotation_run_id varchar not null,
    primary key (descriptor_id, extractor_version)
);

create table if not exists raw.quotes (
    quote_id varchar not null,
    article_id varchar not null,
    extractor_version varchar not null,
    sentence_index integer not null,      -- first sentence of the content
    sentence_index_end integer not null,
    char_start integer not null,          -- the content span (without quotation marks)
    char_end integer not null,
    text varchar not null,
    quote_type varchar not null,          -- direct | indirect | partial
    cue_text varchar,
    cue_lemma varchar,
    cue_char_start integer,
    cue_char_end integer,
    speaker_text varchar,
    speaker_mention_id varchar,
    speaker_char_start integer,
    speaker_char_end integer,
    -- subject | appositive | possessive | according_to | coref_pronoun | coref_description |
    -- previous_speaker | none
    speaker_method varchar not null,
    confidence double not null,
    annotation_run_id varchar not null,
    -- added by annotate: the full-name mention the speaker resolves to ("he" -> Donald Trump)
    speaker_resolved_mention_id varchar,
    speaker_resolved_text varchar,
    primary key (quote_id, extractor_version)
);

create table if not exists raw.event_candidates (
    event_candidate_id varchar not null,
    article_id varchar not null,
    extractor_version varchar not null,
    sentence_index integer not null,
    char_start integer not null,          -- the clause
    char_end integer not null,
    trigger_text varchar not null,
    trigger_lemma varchar not null,
    trigger_pos varchar not null,         -- VERB | NOUN
    trigger_char_start integer not null,
    trigger_char_end integer not null,
    subject_text varchar,
    subject_char_start integer,
    subject_char_end integer,
    subject_mention_id varchar,
    object_text varchar,
    object_char_start integer,
    object_char_end integer,
    object_mention_id varchar,
    prep_args struct(prep varchar, text varchar, char_start integer, char_end integer, mention_id varchar)[],
    is_negated boolean not null,
    modality varchar not null,            -- actual | hypothetical | future | intended
    confidence double not null,
    annotation_run_id varchar not null,
    cameo_code varchar,                   -- added by annotate: code of the trigger in event_triggers.csv
    primary key (event_candidate_id, extractor_version)
);

-- Quality gate (`newswh check`, expectations/gate.py): one row per gate run and one per
-- expectation evaluated. `newswh publish` publishes a file only if its latest run passed.
create table if not exists audit.quality_runs (
    run_id varchar primary key,
    started_at timestamptz not null,
    ended_at timestamptz,
    db_path varchar not null,
    status varchar not null,              -- passed | failed
    n_expectations integer not null,
    n_failed_critical integer not null,
    n_warnings integer not null,
    data_docs_path varchar,
    marts_fingerprint varchar             -- hash of every marts.* row when checked
);

create table if not exists audit.quality_results (
    run_id varchar not null,
    suite varchar not null,               -- expectations/suites/<suite>.py: a mart, or raw
    expectation_type varchar not null,
    "column" varchar,                     -- column(s) checked; NULL for table-level expectations
    severity varchar not null,            -- critical | warning
    success boolean not null,
    observed_value varchar,               -- JSON
    expected varchar,
    notes varchar
);

-- Columns added after the first release of a table: files created earlier get them here.
alter table raw.quotes add column if not exists speaker_resolved_mention_id varchar;
alter table raw.quotes add column if not exists speaker_resolved_text varchar;
alter table raw.event_candidates add column if not exists cameo_code varchar;
"""


def _create_file(path: Path) -> None:
    """Create an empty warehouse file in a storage format DuckDB >= 1.2 clients can open."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"attach '{_sql_path(path)}' as wh (storage_version '{STORAGE_VERSION}')").fetchall()
        con.execute("detach wh").fetchall()
    finally:
        con.close()


def _sql_path(path: Path) -> str:
    # A path is the one identifier that cannot be a bound parameter in ATTACH.
    return str(path).replace("'", "''")


# How ingest's WAL-less connection stores articles. DuckDB compresses a row group's strings
# with zstd only when they average 4,096 characters or more; news bodies are often shorter (the
# benchmark's edited 100k corpus averages 3,079), and its row groups of them were stored
# uncompressed: 547 MB of warehouse instead of 225 MB. And one row group is compressed on one
# thread: a run's articles in one 122,880-row group left the final checkpoint to one core, where
# groups of 16,384 rows are compressed in parallel, and as they fill. Measured in the README.
ZSTD_MIN_STRING_LENGTH = 1024
INGEST_ROW_GROUP_ROWS = 16_384


def connect(path: Path, *, read_only: bool = False, wal: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; create it (with the raw schema) when writing to a new path. Without
    `wal`, commits are not logged: they reach the file at the next checkpoint (see ingest.load)."""
    if not read_only and not path.exists():
        _create_file(path)
    try:
        con = duckdb.connect(str(path) if wal or read_only else ":memory:", read_only=read_only)
    except duckdb.IOException as exc:
        _raise_if_locked(path, exc)
        raise
    if not (wal or read_only):
        try:
            # A WAL left by an earlier writer is still replayed. The alias is fixed: a file's stem
            # may be a name DuckDB keeps for itself ("memory", "system", "temp").
            con.execute(f"attach '{_sql_path(path)}' as warehouse (recovery_mode no_wal_writes, "
                        f"row_group_size {INGEST_ROW_GROUP_ROWS})").fetchall()
        except duckdb.IOException as exc:
            con.close()
            _raise_if_locked(path, exc)
            raise
        con.execute("use warehouse").fetchall()
        con.execute(f"set zstd_min_string_length = {ZSTD_MIN_STRING_LENGTH}").fetchall()
    if not read_only:
        con.execute(RAW_DDL).fetchall()
    return con


def _raise_if_locked(path: Path, exc: duckdb.IOException) -> None:
    """Another process holding the file is the user's to resolve; any other IOException is ours."""
    if "lock" in str(exc).lower():
        raise WarehouseLockedError(path, str(exc)) from exc


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All-or-nothing: a batch either lands whole or not at all (also under SIGKILL)."""
    con.execute("begin transaction").fetchall()
    try:
        yield con
    except BaseException:
        con.execute("rollback").fetchall()
        raise
    con.execute("commit").fetchall()


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: object, *, or_ignore: bool = False) -> None:
    """Bulk insert a polars/Arrow frame by column name (`table` comes from code, never from input)."""
    con.register("_newswh_frame", frame)
    try:
        verb = "insert or ignore" if or_ignore else "insert"
        con.execute(f"{verb} into {table} by name select * from _newswh_frame").fetchall()
    finally:
        con.unregister("_newswh_frame")


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> object:
    """First column of the first row (DuckDB 2.0 relations have no fetchone)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def frame(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> pl.DataFrame:
    """A query's whole result as a polars frame, through Arrow."""
    result = pl.from_arrow(con.sql(sql, params=params or None).to_arrow_table())
    assert isinstance(result, pl.DataFrame)
    return result
