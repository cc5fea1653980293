"""marts.bridge_statement_actors: actors mentioned in (or speaking) each statement."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites._common import WARNING, meta, row_count_expectations, suite
from expectations.thresholds import Thresholds

NAME = "bridge_statement_actors"
TABLE = "marts.bridge_statement_actors"
QUERY = """
select bridge_statement_actors.mention_count
from marts.bridge_statement_actors
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    return suite(
        NAME,
        [
            *row_count_expectations(NAME, thresholds),
            gxe.ExpectColumnValuesToBeBetween(
                column="mention_count",
                min_value=1,
                meta=meta(WARNING),
                notes="A bridge row exists because the actor is mentioned at least once in the statement.",
            ),
        ],
    )
