"""marts.bridge_event_actors: the actors taking part in each event."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites._common import WARNING, meta, row_count_expectations, suite
from expectations.thresholds import Thresholds

NAME = "bridge_event_actors"
TABLE = "marts.bridge_event_actors"
QUERY = """
select bridge_event_actors.num_articles
from marts.bridge_event_actors
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    return suite(
        NAME,
        [
            *row_count_expectations(NAME, thresholds),
            gxe.ExpectColumnValuesToBeBetween(
                column="num_articles",
                min_value=1,
                meta=meta(WARNING),
                notes="An actor takes part in an event because some article said so: at least one article.",
            ),
        ],
    )
