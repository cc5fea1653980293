"""A BI tool in a separate process, reading the published warehouse while the pipeline rebuilds.

    python tests/e2e/reader.py PUBLISHED OUT.jsonl STOP_FILE fresh|held

`fresh` opens a read-only connection per observation (a dashboard refresh); `held` keeps one
read-only connection open the whole time (a BI tool left running). Each observation reads two
marts in one connection, then writes one JSON line; exceptions are recorded, never raised.
The loop ends when STOP_FILE exists.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb


def observe(con: duckdb.DuckDBPyConnection) -> dict[str, object]:
    statements = con.execute("select count(*) from marts.fct_statements").fetchall()[0][0]
    time.sleep(0.005)  # widen the window between the two reads
    articles = con.execute("select count(*) from marts.dim_articles").fetchall()[0][0]
    publication = con.execute(
        "select publication_id from audit.publications order by published_at desc limit 1"
    ).fetchall()[0][0]
    return {"statements": statements, "articles": articles, "publication": publication}


def main(published: str, out: str, stop: str, mode: str) -> None:
    held = duckdb.connect(published, read_only=True) if mode == "held" else None
    with Path(out).open("w") as sink:
        while not Path(stop).exists():
            started = time.time()
            try:
                if held is not None:
                    record = observe(held)
                else:
                    con = duckdb.connect(published, read_only=True)
                    try:
                        record = observe(con)
                    finally:
                        con.close()
            except Exception as exc:  # recorded: the test asserts there are none
                record = {"error": f"{type(exc).__name__}: {exc}"}
            record.update(t=started, t_end=time.time())
            sink.write(json.dumps(record) + "\n")
            sink.flush()
            time.sleep(0.02)
    if held is not None:
        held.close()


if __name__ == "__main__":
    main(*sys.argv[1:5])
