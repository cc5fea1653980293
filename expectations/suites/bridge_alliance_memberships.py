"""marts.bridge_alliance_memberships: which actor belonged to which alliance, and when."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites._common import CRITICAL, meta, row_count_expectations, suite
from expectations.thresholds import Thresholds

NAME = "bridge_alliance_memberships"
TABLE = "marts.bridge_alliance_memberships"
QUERY = """
select
    bridge_alliance_memberships.joined_on,
    bridge_alliance_memberships.left_on
from marts.bridge_alliance_memberships
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    return suite(
        NAME,
        [
            *row_count_expectations(NAME, thresholds),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="left_on",
                column_B="joined_on",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                meta=meta(CRITICAL),
                notes=(
                    'A member cannot leave before it joined: "was X in NATO on date D" filters on '
                    "joined_on <= D < left_on and would silently drop such a row. Open memberships (no left_on) "
                    "are not compared."
                ),
            ),
        ],
    )
