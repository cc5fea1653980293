"""Registered pipeline components (importing this package registers the factories)."""

from ingest.nlp.components import (  # noqa: F401
    coref,
    descriptors,
    entity_corrector,
    events,
    heading_guard,
    quotes,
)
