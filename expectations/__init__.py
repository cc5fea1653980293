"""The Great Expectations quality gate: suites per mart (expectations/suites/), thresholds in
expectations/thresholds.yml, a checkpoint built in code (checkpoint.py) and the runner that
`newswh check` calls (gate.py). GX writes only Data Docs, under gx/uncommitted/data_docs/."""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_DATA_DOCS_DIR = PACKAGE_DIR / "gx" / "uncommitted" / "data_docs"
THRESHOLDS_PATH = PACKAGE_DIR / "thresholds.yml"
