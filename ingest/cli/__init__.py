"""`newswh`: thin typer commands over plain functions (each command lives in its own module)."""

from ingest.cli import (
    annotate_cmd,  # noqa: F401
    check_cmd,  # noqa: F401
    evaluate_cmd,  # noqa: F401
    export_cmd,  # noqa: F401
    ingest_cmd,  # noqa: F401  (registers commands on `app`)
    report_cmd,  # noqa: F401
    run_all_cmd,  # noqa: F401
    run_cmd,  # noqa: F401
)
from ingest.cli._app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
