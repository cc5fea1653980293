"""marts.fct_actor_mentions: one row per entity mention resolved to an actor (two flags per row)."""

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

NAME = "fct_actor_mentions"
TABLE = "marts.fct_actor_mentions"
QUERY = f"""
select
    (fct_actor_mentions.actor_id = '{UNKNOWN_ACTOR_ID}')::tinyint as is_unresolved,
    (fct_actor_mentions.resolution_method = 'new_actor')::tinyint as is_new_actor
from marts.fct_actor_mentions
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    mentions = thresholds["actor_mentions"]
    return suite(
        NAME,
        [
            *row_count_expectations(NAME, thresholds),
            gxe.ExpectColumnMeanToBeBetween(
                column="is_unresolved",
                max_value=mentions["max_unknown_share"],
                meta=meta(CRITICAL),
                notes=(
                    "Share of mentions that resolved to no actor (the 'unknown' member): these drop out of "
                    "every actor count, so a rise silently shrinks who-is-mentioned answers."
                ),
            ),
            gxe.ExpectColumnMeanToBeBetween(
                column="is_new_actor",
                max_value=mentions["max_new_actor_share"],
                meta=meta(WARNING),
                notes=(
                    "Share of mentions that matched no seed alias and became a new actor keyed by name: a "
                    "jump means the aliases seeds did not load or the name normalisation changed."
                ),
            ),
        ],
    )
