"""marts.fct_events: one row per real-world event (deduplicated reports)."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites._common import (
    CRITICAL,
    UNKNOWN_ACTOR_ID,
    WARNING,
    meta,
    row_count_expectations,
    suite,
)
from expectations.thresholds import Thresholds

NAME = "fct_events"
TABLE = "marts.fct_events"
# Natural key of an event: CAMEO code, source, target and story date. Undated events and events
# with neither actor known never merge across stories (int_event_mentions_coded), so for those
# the story (its first article) is part of the key.
QUERY = f"""
select
    fct_events.cameo_code,
    fct_events.source_actor_id,
    fct_events.target_actor_id,
    fct_events.event_date,
    case
        when
            fct_events.event_date is null
            or (fct_events.source_actor_id = '{UNKNOWN_ACTOR_ID}' and fct_events.target_actor_id = '{UNKNOWN_ACTOR_ID}')
            then fct_events.first_article_id
        else ''
    end as story_scope,
    fct_events.num_mentions,
    fct_events.num_articles
from marts.fct_events
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    return suite(
        NAME,
        [
            *row_count_expectations(NAME, thresholds),
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["cameo_code", "source_actor_id", "target_actor_id", "event_date", "story_scope"],
                meta=meta(CRITICAL),
                notes=(
                    "Two rows with the same natural key are one event counted twice (GDELT-style dedup "
                    "failed, or a partial rebuild appended instead of replacing): event counts would double."
                ),
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="cameo_code",
                value_set={"$PARAMETER": "event_type_codes"},
                meta=meta(CRITICAL),
                notes=(
                    "Every event code must exist in the taxonomy seed (reference.event_types); a code from "
                    "event_triggers.csv that is not in it has no name, quad class or Goldstein score."
                ),
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="num_mentions",
                column_B="num_articles",
                or_equal=True,
                meta=meta(WARNING),
                notes="Every reporting article mentions the event at least once; fewer mentions is a counting bug.",
            ),
        ],
    )
