"""One suite per mart, and one for the raw layer. Each module: NAME, TABLE, QUERY, build(thresholds).

Order here is the order suites run and are reported in; raw first, then dimensions, bridges, facts.
"""

from __future__ import annotations

from types import ModuleType

from expectations.suites import (
    bridge_actor_roles,
    bridge_alliance_memberships,
    bridge_event_actors,
    bridge_statement_actors,
    dim_actors,
    dim_alliances,
    dim_articles,
    dim_date,
    dim_event_types,
    dim_sources,
    fct_actor_mentions,
    fct_event_mentions,
    fct_events,
    fct_statements,
    raw,
)

SUITE_MODULES: tuple[ModuleType, ...] = (
    raw,
    dim_articles,
    dim_actors,
    dim_alliances,
    dim_date,
    dim_event_types,
    dim_sources,
    bridge_actor_roles,
    bridge_alliance_memberships,
    bridge_event_actors,
    bridge_statement_actors,
    fct_statements,
    fct_events,
    fct_event_mentions,
    fct_actor_mentions,
)

__all__ = ["SUITE_MODULES"]
