"""marts.dim_date: one row per calendar day from the first to the last dated article or event."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites._common import CRITICAL, meta, row_count_expectations, suite
from expectations.thresholds import Thresholds

NAME = "dim_date"
TABLE = "marts.dim_date"
QUERY = """
select
    cast(dim_date.date_day - lag(dim_date.date_day) over (order by dim_date.date_day) as double)
        as days_since_previous_row
from marts.dim_date
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    return suite(
        NAME,
        [
            *row_count_expectations(NAME, thresholds),
            gxe.ExpectColumnValuesToBeBetween(
                column="days_since_previous_row",
                min_value=1,
                max_value=1,
                meta=meta(CRITICAL),
                notes=(
                    "A calendar has no gaps and no repeated days: BI tools fill time axes from dim_date, and a "
                    "missing day silently drops that day's facts from date joins. (The first row has no predecessor.)"
                ),
            ),
        ],
    )
