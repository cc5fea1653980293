"""A static HTML dashboard of the published marts: one self-contained file that works offline.

Plotly's JavaScript is inlined once in the page (no CDN), every chart is drawn from data queried
read-only from the published warehouse, and the page links the dbt docs and the Great
Expectations Data Docs of the gate run that let this build through, when they exist on disk.
"""

from __future__ import annotations

import html
import logging
import math
import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb
import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from expectations import DEFAULT_DATA_DOCS_DIR
from ingest.db import connect
from ingest.errors import MartsUnavailableError
from ingest.settings import settings

log = logging.getLogger(__name__)

DBT_DOCS_INDEX = settings.dbt_project_dir / "target" / "index.html"
GX_DATA_DOCS_INDEX = DEFAULT_DATA_DOCS_DIR / "local_site" / "index.html"

QUAD_CLASSES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
QUAD_COLOURS = {1: "#4c9be8", 2: "#1f5fa8", 3: "#f0a04b", 4: "#c8312b"}
TYPE_COLOURS = {
    "person": "#1f77b4",
    "country": "#2ca02c",
    "organisation": "#9467bd",
    "alliance": "#d62728",
    "group": "#8c564b",
    "location": "#7f7f7f",
}


@dataclass(frozen=True)
class ReportSummary:
    path: Path
    bytes: int
    database: Path
    figures: tuple[str, ...]
    links: dict[str, str | None] = field(default_factory=dict)  # name -> relative href, None if missing


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return con.execute(sql, params or []).fetchall()


# ---------------------------------------------------------------------------------------------
# Data: each function returns plain rows; the SQL reads marts only (never raw or staging).
# ---------------------------------------------------------------------------------------------


def _kpis(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    ((articles, sources, first, last),) = _rows(
        con,
        """
        select count(*) filter (where is_counted), count(distinct source_id) filter (where is_counted),
               min(story_published_on), max(story_published_on)
        from marts.dim_articles""",
    )
    ((statements,),) = _rows(con, "select count(*) from marts.fct_statements where not is_duplicate_copy")
    ((events,),) = _rows(con, "select count(*) from marts.fct_events")
    ((actors,),) = _rows(con, "select count(*) from marts.dim_actors where mention_count > 0")
    return {
        "articles": articles,
        "sources": sources,
        "statements": statements,
        "events": events,
        "actors mentioned": actors,
        "first story": first,
        "last story": last,
    }


def _publication(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The gate run and publication recorded in the file (absent in a build never published)."""
    info: dict[str, Any] = {}
    tables = {r[0] for r in _rows(con, "select table_name from duckdb_tables() where schema_name = 'audit'")}
    if "quality_runs" in tables:
        rows = _rows(
            con,
            """select run_id, started_at, data_docs_path from audit.quality_runs
                             where status = 'passed' order by started_at desc limit 1""",
        )
        if rows:
            info["quality_run_id"], info["checked_at"], info["data_docs_path"] = rows[0]
    if "publications" in tables:
        rows = _rows(
            con, "select publication_id, published_at from audit.publications order by published_at desc limit 1"
        )
        if rows:
            info["publication_id"], info["published_at"] = rows[0]
    return info


def _top_speakers(con: duckdb.DuckDBPyConnection, n: int) -> list[tuple[str, str, int]]:
    return [
        (str(a), str(b), int(c))
        for a, b, c in _rows(
            con,
            """
        select actors.actor_name, actors.actor_type, count(*) as statement_count
        from marts.fct_statements as statements
        inner join marts.dim_actors as actors on statements.speaker_actor_id = actors.actor_id
        where not statements.is_duplicate_copy and actors.actor_type != 'unknown'
        group by all order by statement_count desc, actors.actor_name limit ?""",
            [n],
        )
    ]


def _speaker_months(con: duckdb.DuckDBPyConnection, speakers: list[str]) -> list[tuple[str, date, int]]:
    if not speakers:
        return []
    return _rows(
        con,
        """
        select actors.actor_name, date_trunc('month', statements.story_published_on)::date as month,
               count(*) as statement_count
        from marts.fct_statements as statements
        inner join marts.dim_actors as actors on statements.speaker_actor_id = actors.actor_id
        where not statements.is_duplicate_copy and statements.story_published_on is not null
          and list_contains(?, actors.actor_name)
        group by all order by month""",
        [speakers],
    )


def _event_months(con: duckdb.DuckDBPyConnection) -> list[tuple[date, str, str, int, int]]:
    return _rows(
        con,
        """
        select date_trunc('month', events.event_date)::date as month, events.cameo_root_code,
               coalesce(roots.event_type_name, 'root ' || events.cameo_root_code) as root_name,
               events.quad_class, count(*) as event_count
        from marts.fct_events as events
        left join marts.dim_event_types as roots on events.cameo_root_code = roots.cameo_code
        where events.event_date is not null
        group by all order by month, events.cameo_root_code""",
    )


def _co_mentions(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int, int]]:
    """Actor pairs: articles naming both, and statements where one speaks about the other."""
    return _rows(
        con,
        """
        with
        article_actors as (
            select distinct article_id, actor_id from marts.fct_actor_mentions
            where not coalesce(is_duplicate_copy, false) and actor_id != 'unknown'
        ),
        article_pairs as (
            select a.actor_id as actor_a, b.actor_id as actor_b, count(*) as articles
            from article_actors as a
            inner join article_actors as b on a.article_id = b.article_id and a.actor_id < b.actor_id
            group by all
        ),
        statement_pairs as (
            select least(statements.speaker_actor_id, subjects.actor_id) as actor_a,
                   greatest(statements.speaker_actor_id, subjects.actor_id) as actor_b,
                   count(distinct statements.statement_id) as statements
            from marts.fct_statements as statements
            inner join marts.bridge_statement_actors as subjects on statements.statement_id = subjects.statement_id
            where not statements.is_duplicate_copy and statements.speaker_actor_id != 'unknown'
              and subjects.actor_id != 'unknown' and subjects.actor_id != statements.speaker_actor_id
            group by all
        )
        select actor_a, actor_b, coalesce(article_pairs.articles, 0), coalesce(statement_pairs.statements, 0)
        from article_pairs full outer join statement_pairs using (actor_a, actor_b)""",
    )


def _actor_names(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, tuple[str, str]]:
    rows = _rows(
        con, "select actor_id, actor_name, actor_type from marts.dim_actors where list_contains(?, actor_id)", [ids]
    )
    return {r[0]: (r[1], r[2]) for r in rows}


def _memberships_today(con: duckdb.DuckDBPyConnection, today: date) -> list[tuple[str, str, str]]:
    """(alliance code, alliance name, member country) effective today, for countries in the news."""
    return _rows(
        con,
        """
        select case when alliances.is_extracted then alliances.alliance_name else alliances.alliance_code end,
               alliances.alliance_name, members.actor_name
        from marts.bridge_alliance_memberships as memberships
        inner join marts.dim_alliances as alliances on memberships.alliance_id = alliances.alliance_id
        inner join marts.dim_actors as members on memberships.member_actor_id = members.actor_id
        where memberships.joined_on <= ? and (memberships.left_on is null or memberships.left_on > ?)
          and members.actor_type = 'country' and members.mention_count > 0
        order by alliances.alliance_code, members.actor_name""",
        [today, today],
    )


# ---------------------------------------------------------------------------------------------
# Figures
# ---------------------------------------------------------------------------------------------


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01},
        height=height,
        template="plotly_white",
        margin={"l": 60, "r": 20, "t": 60, "b": 60},
        legend={"orientation": "v"},
    )
    return fig


def _empty(title: str, why: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=why, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper", font={"size": 16})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, height=220)


def top_speakers_figure(rows: list[tuple[str, str, int]]) -> go.Figure:
    title = "Top speakers (statements, syndicated copies left out)"
    if not rows:
        return _empty(title, "no attributed statements")
    rows = list(reversed(rows))
    fig = go.Figure(
        go.Bar(
            x=[r[2] for r in rows],
            y=[r[0] for r in rows],
            orientation="h",
            marker_color=[TYPE_COLOURS.get(r[1], "#999999") for r in rows],
            customdata=[r[1] for r in rows],
            hovertemplate="%{y} (%{customdata}): %{x} statements<extra></extra>",
        )
    )
    fig.update_xaxes(title="statements")
    return _layout(fig, title, height=max(320, 26 * len(rows) + 120))


def speaker_timeline_figure(rows: list[tuple[str, date, int]], speakers: list[str]) -> go.Figure:
    title = "Statements per month of the top speakers"
    if not rows:
        return _empty(title, "no dated statements")
    first, last = min(r[1] for r in rows), max(r[1] for r in rows)
    months = [
        date(y, m, 1) for y in range(first.year, last.year + 1) for m in range(1, 13) if first <= date(y, m, 1) <= last
    ]
    counts = {(r[0], r[1]): r[2] for r in rows}
    fig = go.Figure()
    for speaker in speakers:  # months without a statement are zeros, not gaps the line bridges
        fig.add_trace(
            go.Scatter(x=months, y=[counts.get((speaker, m), 0) for m in months], name=speaker, mode="lines+markers")
        )
    fig.update_xaxes(title="month of the story", dtick="M1", tickformat="%Y-%m")
    fig.update_yaxes(title="statements", rangemode="tozero")
    return _layout(fig, title)


def event_mix_figures(rows: list[tuple[date, str, str, int, int]]) -> list[tuple[str, go.Figure]]:
    titles = ("Events per month by QuadClass", "Events per month by CAMEO root")
    if not rows:
        return [(t, _empty(t, "no dated events")) for t in titles]
    months = sorted({r[0] for r in rows})
    quad: dict[int, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    roots: dict[str, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for month, root_code, root_name, quad_class, n in rows:
        quad[int(quad_class or 0)][month] += n
        roots[f"{root_code} {str(root_name).lower()}"][month] += n
    by_quad = go.Figure(
        [
            go.Bar(
                x=months,
                y=[quad[q][m] for m in months],
                name=QUAD_CLASSES.get(q, f"class {q}"),
                marker_color=QUAD_COLOURS.get(q, "#999999"),
            )
            for q in sorted(quad)
        ]
    )
    by_root = go.Figure([go.Bar(x=months, y=[roots[r][m] for m in months], name=r) for r in sorted(roots)])
    for fig in (by_quad, by_root):
        fig.update_layout(barmode="stack")
        fig.update_xaxes(title="month of the event", dtick="M1", tickformat="%Y-%m")
        fig.update_yaxes(title="events")
    return [(titles[0], _layout(by_quad, titles[0])), (titles[1], _layout(by_root, titles[1], height=480))]


def spring_layout(
    nodes: list[str], edges: list[tuple[str, str, float]], *, iterations: int = 300, seed: int = 7
) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold: edges pull like springs (weighted), all nodes repel; deterministic."""
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    rng = np.random.default_rng(seed)
    pos = rng.uniform(-1.0, 1.0, size=(n, 2))
    k = math.sqrt(4.0 / n)  # ideal distance for a 2 x 2 box
    src = np.array([index[a] for a, _, _ in edges], dtype=int)
    dst = np.array([index[b] for _, b, _ in edges], dtype=int)
    weight = np.array([w for _, _, w in edges], dtype=float)
    if len(weight):
        weight = weight / weight.max()
    temperature = 0.2
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=2), 1e-3)
        disp = ((k * k / dist**2)[:, :, None] * delta).sum(axis=1)  # repulsion
        if len(src):
            d = pos[src] - pos[dst]
            length = np.maximum(np.linalg.norm(d, axis=1), 1e-3)
            pull = (length / k * (0.5 + weight))[:, None] * d
            np.add.at(disp, src, -pull)
            np.add.at(disp, dst, pull)
        disp -= 0.05 * pos  # gravity keeps components from drifting apart
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature = max(temperature * 0.985, 0.005)
    pos -= pos.mean(axis=0)
    pos /= max(float(np.abs(pos).max()), 1e-9)
    return {node: (float(pos[i, 0]), float(pos[i, 1])) for node, i in index.items()}


def network_figure(
    pairs: list[tuple[str, str, int, int]], names: dict[str, tuple[str, str]], max_nodes: int, max_ties: int = 4
) -> go.Figure:
    title = (
        f"Actor co-mention network: the {max_nodes} most connected actors and their strongest ties "
        "(articles naming both + statements by one about the other)"
    )
    strength: dict[str, int] = defaultdict(int)
    for a, b, articles, statements in pairs:
        strength[a] += articles + statements
        strength[b] += articles + statements
    nodes = [a for a, _ in sorted(strength.items(), key=lambda kv: (-kv[1], kv[0]))[:max_nodes]]
    keep = set(nodes)
    candidates = sorted(
        ((a, b, float(arts + stmts)) for a, b, arts, stmts in pairs if a in keep and b in keep and arts + stmts >= 2),
        key=lambda e: (-e[2], e[0], e[1]),
    )
    # a backbone, not a hairball: each actor keeps its strongest few ties
    degree: dict[str, int] = defaultdict(int)
    edges = []
    for a, b, w in candidates:
        if degree[a] < max_ties or degree[b] < max_ties:
            edges.append((a, b, w))
            degree[a] += 1
            degree[b] += 1
    if not edges:
        return _empty(title, "no actors mentioned together")
    pos = spring_layout(nodes, edges)
    fig = go.Figure()
    max_w = max(w for _, _, w in edges)
    for bucket in (1, 2, 3):  # three line widths, one trace each (a trace has one width)
        lo, hi = max_w * (bucket - 1) / 3, max_w * bucket / 3
        xs: list[float | None] = []
        ys: list[float | None] = []
        for a, b, w in edges:
            if lo < w <= hi or (bucket == 1 and w <= lo):
                xs += [pos[a][0], pos[b][0], None]
                ys += [pos[a][1], pos[b][1], None]
        if xs:
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    hoverinfo="skip",
                    showlegend=False,
                    line={"width": 0.8 + 2.2 * bucket, "color": "rgba(120,120,140,0.35)"},
                )
            )
    for actor_type in sorted({names.get(n, ("?", "other"))[1] for n in nodes}):
        members = [n for n in nodes if names.get(n, ("?", "other"))[1] == actor_type]
        fig.add_trace(
            go.Scatter(
                x=[pos[n][0] for n in members],
                y=[pos[n][1] for n in members],
                mode="markers+text",
                name=actor_type,
                text=[names.get(n, (n, ""))[0] for n in members],
                textposition="top center",
                marker={
                    "size": [10 + 2.5 * math.sqrt(strength[n]) for n in members],
                    "color": TYPE_COLOURS.get(actor_type, "#999999"),
                    "line": {"width": 1, "color": "white"},
                },
                customdata=[strength[n] for n in members],
                hovertemplate="%{text}: co-mention weight %{customdata}<extra></extra>",
            )
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    return _layout(fig, title, height=760)


def alliance_matrix_figure(rows: list[tuple[str, str, str]], today: date) -> go.Figure:
    title = f"Alliance membership on {today.isoformat()} (countries mentioned in the news)"
    if not rows:
        return _empty(title, "no alliance memberships")
    alliances = sorted({r[0] for r in rows})
    countries = sorted({r[2] for r in rows})
    member = {(r[0], r[2]) for r in rows}
    names = {r[0]: r[1] for r in rows}
    z = [[1 if (a, c) in member else 0 for c in countries] for a in alliances]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=countries,
            y=alliances,
            colorscale=[[0, "#f4f4f6"], [1, "#2b6cb0"]],
            showscale=False,
            xgap=1,
            ygap=1,
            customdata=[[names[a]] * len(countries) for a in alliances],
            hovertemplate="%{x} in %{customdata}: %{z}<extra></extra>",
        )
    )
    fig.update_xaxes(tickangle=-50)
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, height=max(360, 24 * len(alliances) + 200))


# ---------------------------------------------------------------------------------------------
# Page
# ---------------------------------------------------------------------------------------------


def _href(target: Path, out: Path) -> str | None:
    if not target.is_file():
        return None
    return quote(Path(os.path.relpath(target.resolve(), out.resolve().parent)).as_posix())


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>news-warehouse report</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 1320px;
       padding: 16px 24px; color: #1d2733; background: #fff; }}
h1 {{ font-size: 26px; margin: 8px 0 4px; }} .meta {{ color: #5b6877; font-size: 13px; }}
.kpis {{ display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }}
.kpi {{ border: 1px solid #dde3ea; border-radius: 8px; padding: 10px 16px; min-width: 120px; }}
.kpi b {{ display: block; font-size: 22px; }} .kpi span {{ color: #5b6877; font-size: 12px; }}
.links a {{ margin-right: 18px; }} .missing {{ color: #8a94a0; margin-right: 18px; }}
section {{ border-top: 1px solid #eef1f4; padding-top: 8px; margin-top: 8px; }}
.grid {{ display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }}
</style>
<script>{plotlyjs}</script>
</head><body>
<h1>news-warehouse</h1>
<div class="meta">{meta}</div>
<div class="kpis">{kpis}</div>
<div class="links">{links}</div>
{sections}
</body></html>
"""


def render_report(
    database: Path,
    out: Path,
    *,
    top_speakers: int = 15,
    timeline_speakers: int = 6,
    network_nodes: int = 28,
    today: date | None = None,
    dbt_docs: Path = DBT_DOCS_INDEX,
    data_docs: Path | None = None,
) -> ReportSummary:
    """Query the marts of `database` read-only and write the dashboard to `out` (one HTML file)."""
    if not database.exists():
        raise MartsUnavailableError(database, "no warehouse here: run `newswh run` (or publish) first")
    today = today or datetime.now(UTC).date()
    con = connect(database, read_only=True)
    try:
        kpis = _kpis(con)
        publication = _publication(con)
        speakers = _top_speakers(con, top_speakers)
        timeline_names = [s[0] for s in speakers if s[1] == "person"][:timeline_speakers]
        speaker_months = _speaker_months(con, timeline_names)
        event_months = _event_months(con)
        pairs = _co_mentions(con)
        names = _actor_names(con, sorted({a for p in pairs for a in p[:2]}))
        memberships = _memberships_today(con, today)
    finally:
        con.close()

    figures: list[tuple[str, go.Figure]] = [
        ("Top speakers", top_speakers_figure(speakers)),
        ("Speaker timeline", speaker_timeline_figure(speaker_months, timeline_names)),
        *event_mix_figures(event_months),
        ("Co-mention network", network_figure(pairs, names, network_nodes)),
        ("Alliance membership", alliance_matrix_figure(memberships, today)),
    ]
    if data_docs is None:
        recorded = publication.get("data_docs_path")
        data_docs = Path(recorded) if recorded else GX_DATA_DOCS_INDEX
    links = {"dbt docs": _href(dbt_docs, out), "Data Docs (quality gate)": _href(data_docs, out)}
    hints = {"dbt docs": "newswh dbt docs generate", "Data Docs (quality gate)": "newswh check"}
    link_html = " ".join(
        f'<a href="{html.escape(href)}">{html.escape(name)}</a>'
        if href
        else f'<span class="missing">{html.escape(name)}: not generated (run <code>{hints[name]}</code>)</span>'
        for name, href in links.items()
    )
    kpi_html = "".join(
        f'<div class="kpi"><b>{html.escape(str(v))}</b><span>{html.escape(k)}</span></div>' for k, v in kpis.items()
    )
    meta = [f"warehouse <code>{html.escape(str(database))}</code>"]
    if "publication_id" in publication:
        meta.append(
            f"published {publication['published_at']:%Y-%m-%d %H:%M} UTC "
            f"(publication {html.escape(publication['publication_id'])})"
        )
    if "quality_run_id" in publication:
        meta.append(f"quality gate run {html.escape(str(publication['quality_run_id']))}")
    meta.append(f"report rendered {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    config = {"displaylogo": False, "responsive": True}
    divs = [
        pio.to_html(
            fig, full_html=False, include_plotlyjs=False, config=config, div_id=f"fig-{i}", default_width="100%"
        )
        for i, (_, fig) in enumerate(figures)
    ]
    # the two event-mix charts side by side; everything else full width
    sections = [
        f"<section>{divs[0]}</section>",
        f"<section>{divs[1]}</section>",
        f'<section class="grid"><div>{divs[2]}</div><div>{divs[3]}</div></section>',
        *(f"<section>{d}</section>" for d in divs[4:]),
    ]
    page = PAGE.format(
        plotlyjs=get_plotlyjs(), meta=" · ".join(meta), kpis=kpi_html, links=link_html, sections="\n".join(sections)
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, out)
    log.info("report written to %s", out)
    return ReportSummary(
        path=out, bytes=out.stat().st_size, database=database, figures=tuple(name for name, _ in figures), links=links
    )
