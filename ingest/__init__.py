"""news-warehouse ingest: the Python side of the warehouse (the only writer of raw.* and audit.*)."""

__version__ = "0.1.0"
