"""news-warehouse ingest: the Python side of the warehouse (the only writer of raw.* and audit.*)."""

import os

__version__ = "0.1.0"

# polars' allocator (jemalloc) hands freed pages back to the kernel within half a second by
# default; ingest frees and re-allocates a piece's frames every few hundred ms, so each piece
# paid again in page faults (≈ 0.4 CPU-s of 9 at 100k articles; benchmarks/ingest.py). Read
# when polars is first imported: in worker processes always, here when ingest comes first. A
# value set by the user wins.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:5000,muzzy_decay_ms:5000")
