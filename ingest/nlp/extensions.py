"""Doc._ extensions shared by the newswh components, registered once per process."""

from __future__ import annotations

from spacy.tokens import Doc

_DOC_EXTENSIONS = (
    "newswh_paragraphs",  # tuple[ParagraphInfo, ...] given with the text
    "newswh_mentions",  # list[Mention]
    "newswh_descriptors",  # list[Descriptor]
    "newswh_statements",  # list[Statement]
    "newswh_events",  # list[EventCandidate]
)


def register_extensions() -> None:
    for name in _DOC_EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
