"""marts.bridge_actor_roles: roles (President, Chancellor ...) an actor held, and when."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites._common import CRITICAL, meta, row_count_expectations, suite
from expectations.thresholds import Thresholds

NAME = "bridge_actor_roles"
TABLE = "marts.bridge_actor_roles"
QUERY = """
select
    bridge_actor_roles.valid_from,
    bridge_actor_roles.valid_to
from marts.bridge_actor_roles
"""


def build(thresholds: Thresholds) -> gx.ExpectationSuite:
    return suite(
        NAME,
        [
            *row_count_expectations(NAME, thresholds),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="valid_to",
                column_B="valid_from",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                meta=meta(CRITICAL),
                notes='A role cannot end before it began; "who was president on D" would miss the row.',
            ),
        ],
    )
