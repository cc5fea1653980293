"""Load expectations/thresholds.yml: the one place the gate's numbers live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from expectations import THRESHOLDS_PATH

Thresholds = dict[str, Any]


def load_thresholds(path: Path = THRESHOLDS_PATH) -> Thresholds:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of threshold groups")
    return data


def min_rows(thresholds: Thresholds, table: str) -> int:
    """Floor for a table's row count when there is no previous passed run to compare with."""
    row_count = thresholds["row_count"]
    return int(row_count.get("min_rows_by_table", {}).get(table, row_count["min_rows"]))
