"""Analysts keep reading while the warehouse rebuilds (issue 6).

After a first `newswh run` (the session's published warehouse, copied here), two reader
processes loop over the published file for the whole of a second `newswh run` (ingest of three
new articles, annotate, dbt build, quality gate, publish): one opens a fresh read-only connection
per observation, one holds a single connection open throughout. Each observation reads two marts
in one connection. The test proves: no reader ever got an error (no lock error), every observation
is exactly the old or the new published state (never a mix or a half-built file), fresh
connections see the new state once published and never the old one again, and a connection held
open keeps its consistent old snapshot.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from tests.published_warehouse import PublishedWarehouse, newswh_run

READER = Path(__file__).with_name("reader.py")

# Three new stories (one paragraph per line, as the readers expect), for the second run.
EXTRA_ARTICLES = {
    "201_stoltenberg_vilnius.md": "\n".join(
        [
            "---",
            "title: Stoltenberg says NATO door remains open to Ukraine",
            "date: 2025-01-14",
            "url: https://sample-wire.example/europe/stoltenberg-vilnius-door-open",
            "author: Sample Wire staff",
            "source: Sample Wire",
            "---",
            "",
            "# Stoltenberg says NATO door remains open to Ukraine",
            "",
            (
                "VILNIUS (Sample Wire) — NATO Secretary General Jens Stoltenberg said on Tuesday that the alliance's "
                "door remained open to Ukraine and that allies would keep sending air defence systems to Kyiv."
            ),
            "",
            (
                '"Ukraine will become a member of NATO, and we will support Ukraine for as long as it takes," '
                "Stoltenberg told reporters in Vilnius."
            ),
            "",
            (
                "Lithuanian President Gitanas Nauseda said his country would spend more than three percent of its "
                "economic output on defence this year."
            ),
            "",
        ]
    ),
    "202_scholz_berlin_air_defence.md": "\n".join(
        [
            "---",
            "title: Scholz pledges more air defence for Ukraine",
            "date: 2025-01-15",
            "url: https://demo-daily.example/europe/scholz-air-defence-pledge",
            "author: Priya Raman",
            "source: Demo Daily",
            "---",
            "",
            "# Scholz pledges more air defence for Ukraine",
            "",
            (
                "BERLIN — German Chancellor Olaf Scholz promised on Wednesday to send another Patriot air defence "
                "system to Ukraine, saying Germany would remain the largest supporter of Kyiv in Europe."
            ),
            "",
            '"We will not let up in our support for Ukraine," Scholz said at a press conference in Berlin.',
            "",
            (
                "Ukrainian President Volodymyr Zelenskyy thanked Germany and said the system would protect cities "
                "from Russian missile attacks."
            ),
            "",
        ]
    ),
    "203_macron_brussels_defence.md": "\n".join(
        [
            "---",
            "title: Macron calls for a European defence bond",
            "date: 2025-01-16",
            "url: https://example-herald.example/europe/macron-defence-bond",
            "author: Marta Kowalska",
            "source: Example Herald",
            "---",
            "",
            "# Macron calls for a European defence bond",
            "",
            (
                "BRUSSELS — French President Emmanuel Macron called on Thursday for the European Union to borrow "
                "jointly to pay for weapons, arguing that Europe must be able to defend itself."
            ),
            "",
            (
                '"Europe must take its security into its own hands," Macron said before a summit of EU leaders '
                "in Brussels."
            ),
            "",
            "Dutch Prime Minister Mark Rutte said the proposal deserved a serious discussion among member states.",
            "",
        ]
    ),
}


def _state(published: Path) -> tuple[int, int, str]:
    con = duckdb.connect(str(published), read_only=True)
    try:
        ((statements,),) = con.execute("select count(*) from marts.fct_statements").fetchall()
        ((articles,),) = con.execute("select count(*) from marts.dim_articles").fetchall()
        ((publication,),) = con.execute(
            "select publication_id from audit.publications order by published_at desc limit 1"
        ).fetchall()
    finally:
        con.close()
    return statements, articles, publication


def _observations(path: Path) -> list[dict[str, Any]]:
    complete = path.read_text().split("\n")[:-1]  # the last piece may be a line still being written
    return [json.loads(line) for line in complete if line.strip()]


def _key(obs: dict[str, Any]) -> tuple[int, int, str]:
    return obs["statements"], obs["articles"], obs["publication"]


def test_readers_see_old_or_new_never_an_error_or_a_mix(
    published_warehouse: PublishedWarehouse, tmp_path: Path
) -> None:
    build = tmp_path / "build" / "warehouse.duckdb"
    published = tmp_path / "published" / "warehouse.duckdb"
    for source, target in ((published_warehouse.build, build), (published_warehouse.published, published)):
        target.parent.mkdir(parents=True)
        shutil.copyfile(source, target)
    extra = tmp_path / "extra"
    extra.mkdir()
    for name, text in EXTRA_ARTICLES.items():
        (extra / name).write_text(text)
    old = _state(published)

    stop = tmp_path / "stop"
    readers = {mode: (tmp_path / f"{mode}.jsonl") for mode in ("fresh", "held")}
    procs = {
        mode: subprocess.Popen([sys.executable, str(READER), str(published), str(out), str(stop), mode])
        for mode, out in readers.items()
    }
    try:
        deadline = time.time() + 30
        while not all(p.exists() and p.read_text().count("\n") >= 3 for p in readers.values()):
            assert time.time() < deadline, "the readers did not start"
            assert all(p.poll() is None for p in procs.values()), "a reader died"
            time.sleep(0.1)
        run_started = time.time()
        newswh_run([extra], build, published)
        run_ended = time.time()
        deadline = time.time() + 30  # a few more observations after the publish
        while not all(sum(o["t"] > run_ended for o in _observations(p)) >= 5 for p in readers.values()):
            assert time.time() < deadline, "the readers stopped observing"
            time.sleep(0.1)
    finally:
        stop.touch()
        for proc in procs.values():
            proc.wait(timeout=60)
    new = _state(published)

    assert new[0] > old[0] and new[1] == old[1] + len(EXTRA_ARTICLES) and new[2] != old[2]
    for mode, path in readers.items():
        observations = _observations(path)
        errors = [o["error"] for o in observations if "error" in o]
        assert not errors, f"{mode} reader: {errors[:3]}"
        assert observations[0]["t_end"] < run_started and observations[-1]["t"] > run_ended, mode
        assert len([o for o in observations if run_started <= o["t"] <= run_ended]) >= 20, mode
        states = [_key(o) for o in observations]
        assert set(states) <= {old, new}, f"{mode} reader saw a state that was never published: {set(states)}"
        if mode == "held":
            assert set(states) == {old}, "a connection held open must keep its snapshot of the old file"
        else:
            first_new = states.index(new)  # raises if the new state was never seen
            assert set(states[:first_new]) == {old} and set(states[first_new:]) == {new}, (
                "fresh connections went back to the old state after the new one was published"
            )
            assert observations[first_new]["t_end"] > run_started
