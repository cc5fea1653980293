"""marts.dim_actors: one row per actor, plus the 'unknown' member."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites._common import CRITICAL, UNKNOWN_ACTOR_ID, meta, row_count_expectations, suite
from expectations.thresholds import Thresholds

NAME = "dim_actors"
TABLE = "marts.dim_actors"
QUERY = f"""
select (dim_actors.actor_id = '{UNKNOWN_ACTOR_ID}')::tinyint as is_unknown_member
from marts.dim_actors
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    return suite(
        NAME,
        [
            *row_count_expectations(NAME, thresholds),
            gxe.ExpectColumnSumToBeBetween(
                column="is_unknown_member",
                min_value=1,
                max_value=1,
                meta=meta(CRITICAL),
                notes=(
                    "Facts never hold NULL actor keys: unresolved speakers and participants point at exactly "
                    "one 'unknown' row. Without it, joins from fct_statements lose every unattributed quote."
                ),
            ),
        ],
    )
