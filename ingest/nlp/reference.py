"""Reference data the rules read: cue verbs, event triggers, actor aliases, country aliases.

The CSVs in seeds/reference/ are the same files dbt seeds, so the extractor and the marts agree
on what a cue or a trigger is. A small built-in list is used only while a file does not exist
yet (the seeds are written in parallel); the content hash of whatever was read goes into
EXTRACTOR_VERSION, so editing a CSV re-annotates.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from ingest.settings import REPO_ROOT

log = logging.getLogger(__name__)

REFERENCE_DIR = REPO_ROOT / "seeds" / "reference"
# Which complement of a cue holds the content (ccomp, xcomp, dobj, prep:about ...): grammar the
# extractor needs and the warehouse does not, so it lives beside the code, not in the seeds.
CUE_FRAMES = Path(__file__).parent / "patterns" / "cue_frames.csv"

_DEFAULT_CUES: tuple[tuple[str, str, str, str], ...] = (
    # cue, pos, statement_type, also_event_code
    ("say", "VERB", "speech", ""), ("state", "VERB", "speech", ""), ("tell", "VERB", "speech", ""),
    ("add", "VERB", "speech", ""), ("warn", "VERB", "speech", "130"), ("claim", "VERB", "speech", ""),
    ("announce", "VERB", "speech", ""), ("declare", "VERB", "speech", ""), ("emphasise", "VERB", "speech", ""),
    ("emphasize", "VERB", "speech", ""), ("insist", "VERB", "speech", ""), ("argue", "VERB", "speech", ""),
    ("believe", "VERB", "belief", ""), ("think", "VERB", "belief", ""), ("report", "VERB", "speech", ""),
    ("according to", "ADP", "speech", ""), ("comment", "NOUN", "speech", ""), ("statement", "NOUN", "speech", ""),
    ("threaten", "VERB", "speech", "130"), ("deny", "VERB", "speech", ""), ("suggest", "VERB", "speech", ""),
    ("write", "VERB", "speech", ""), ("explain", "VERB", "speech", ""), ("note", "VERB", "speech", ""),
    ("ask", "VERB", "speech", ""), ("promise", "VERB", "speech", "057"), ("accuse", "VERB", "speech", "112"),
)
_DEFAULT_TRIGGERS: tuple[tuple[str, str, str], ...] = (
    ("meet", "VERB", "040"), ("meeting", "NOUN", "040"), ("summit", "NOUN", "043"), ("visit", "VERB", "042"),
    ("send", "VERB", "070"), ("supply", "VERB", "070"), ("attack", "VERB", "190"), ("invade", "VERB", "190"),
    ("sanction", "VERB", "163"), ("warning", "NOUN", "130"), ("threaten", "VERB", "130"),
    ("sign", "VERB", "057"), ("agree", "VERB", "030"), ("deploy", "VERB", "150"), ("form", "VERB", "030"),
    ("encourage", "VERB", "010"), ("abandon", "VERB", "160"), ("deter", "VERB", "150"),
    ("condemn", "VERB", "122"), ("criticise", "VERB", "111"), ("criticize", "VERB", "111"),
)
_DEFAULT_PERSON_ALIASES: tuple[str, ...] = (
    "Donald Trump", "Trump", "Emmanuel Macron", "Macron", "Olaf Scholz", "Scholz", "Joe Biden", "Biden",
    "Vladimir Putin", "Putin", "Hillary Clinton", "Andrzej Duda", "Volodymyr Zelensky", "Zelensky",
)
_DEFAULT_DEMONYMS: tuple[tuple[str, str], ...] = (
    ("French", "FRA"), ("German", "DEU"), ("US", "USA"), ("U.S.", "USA"), ("American", "USA"),
    ("Polish", "POL"), ("British", "GBR"), ("UK", "GBR"), ("Russian", "RUS"), ("Ukrainian", "UKR"),
    ("Chinese", "CHN"), ("Italian", "ITA"), ("Spanish", "ESP"), ("Canadian", "CAN"), ("Israeli", "ISR"),
)


@dataclass(frozen=True)
class Cue:
    cue: str  # lemma, or a phrase such as "according to"
    pos: str  # VERB | NOUN | ADP (phrase)
    statement_type: str
    also_event_code: str


@dataclass(frozen=True)
class Trigger:
    lemma: str
    pos: str
    cameo_code: str


@dataclass(frozen=True)
class ReferenceData:
    cues: tuple[Cue, ...]
    triggers: tuple[Trigger, ...]
    person_aliases: tuple[str, ...]  # names that are always PERSON
    org_aliases: tuple[str, ...]  # names that are always ORG (NATO, the Kremlin ...)
    country_terms: tuple[tuple[str, str, str], ...]  # (alias, iso3, alias_kind)
    cue_frames: dict[tuple[str, str], frozenset[str]]  # (lemma, VERB|NOUN) -> complement kinds
    content_hash: str
    sources: tuple[str, ...] = field(default=())

    @property
    def cue_lemmas(self) -> frozenset[str]:
        seeded = {c.cue.lower() for c in self.cues if c.pos != "NOUN" and " " not in c.cue}
        return frozenset(seeded | {lemma for lemma, pos in self.cue_frames if pos == "VERB"})

    @property
    def cue_nouns(self) -> frozenset[str]:
        seeded = {c.cue.lower() for c in self.cues if c.pos == "NOUN"}
        return frozenset(seeded | {lemma for lemma, pos in self.cue_frames if pos == "NOUN"})

    def complements(self, lemma: str, pos: str) -> frozenset[str]:
        """Where a cue's content is; a seeded cue without a frame takes a that-clause (ccomp)."""
        default = frozenset({"ccomp", "acl"}) if pos == "NOUN" else frozenset({"ccomp"})
        return self.cue_frames.get((lemma, pos), default)

    @property
    def belief_lemmas(self) -> frozenset[str]:
        return frozenset(c.cue.lower() for c in self.cues if c.statement_type.lower() == "belief")

    @property
    def trigger_map(self) -> dict[tuple[str, str], str]:
        """(lemma, pos) -> CAMEO code, including cue verbs that double as events."""
        out = {(t.lemma.lower(), t.pos.upper()): t.cameo_code for t in self.triggers}
        for c in self.cues:
            if c.also_event_code and " " not in c.cue:
                out.setdefault((c.cue.lower(), c.pos.upper()), c.also_event_code)
        return out


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [{k.strip(): (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]


@functools.lru_cache(maxsize=4)
def load_reference(directory: Path = REFERENCE_DIR) -> ReferenceData:
    """Read the reference CSVs (or built-in defaults for those not there yet)."""
    digest = hashlib.sha256()
    used: list[str] = []

    def rows(name: str) -> list[dict[str, str]] | None:
        path = directory / name
        if not path.exists():
            log.warning("reference file %s missing: using built-in defaults", path)
            digest.update(f"default:{name}".encode())
            return None
        digest.update(name.encode())
        digest.update(path.read_bytes())
        used.append(name)
        return _read_csv(path)

    cue_rows = rows("cue_verbs.csv")
    if cue_rows is None:
        cues = tuple(Cue(*row) for row in _DEFAULT_CUES)
    else:
        cues = tuple(
            Cue(r.get("cue", ""), (r.get("pos") or "VERB").upper(), r.get("statement_type", ""),
                r.get("also_event_code", ""))
            for r in cue_rows if r.get("cue")
        )
    trigger_rows = rows("event_triggers.csv")
    if trigger_rows is None:
        triggers = tuple(Trigger(*row) for row in _DEFAULT_TRIGGERS)
    else:
        triggers = tuple(
            Trigger(r.get("lemma", ""), (r.get("pos") or "VERB").upper(), r.get("cameo_code", ""))
            for r in trigger_rows if r.get("lemma")
        )
    actor_rows = rows("actor_aliases.csv")
    # actor_aliases.csv names the actor; actors.csv says what kind of actor it is
    kinds = {r.get("actor_id", ""): (r.get("actor_type") or "").lower() for r in (rows("actors.csv") or [])}
    persons: list[str] = []
    orgs: list[str] = []
    if actor_rows is None:
        persons = list(_DEFAULT_PERSON_ALIASES)
        orgs = ["NATO", "the Kremlin", "Kremlin", "European Union", "EU", "United Nations"]
    else:
        for r in actor_rows:
            alias = r.get("alias") or r.get("name") or ""
            kind = kinds.get(r.get("actor_id", ""), "") or (r.get("actor_type") or "").lower()
            if not alias:
                continue
            if kind in {"person", "per", "individual"}:
                persons.append(alias)
            elif kind in {"org", "organisation", "organization", "igo", "institution", "alliance", "group"}:
                orgs.append(alias)
    country_rows = rows("country_aliases.csv")
    if country_rows is None:
        terms = tuple((a, iso, "demonym") for a, iso in _DEFAULT_DEMONYMS)
    else:
        terms = tuple(
            (r.get("alias", ""), r.get("iso3", ""), r.get("alias_kind", "")) for r in country_rows if r.get("alias")
        )
    digest.update(CUE_FRAMES.read_bytes())
    frames = {
        (r["lemma"].lower(), (r.get("pos") or "VERB").upper()): frozenset(r["complements"].split("|"))
        for r in _read_csv(CUE_FRAMES) if r.get("lemma")
    }
    return ReferenceData(
        cues=cues,
        triggers=triggers,
        person_aliases=tuple(dict.fromkeys(persons)),
        org_aliases=tuple(dict.fromkeys(orgs)),
        country_terms=terms,
        cue_frames=frames,
        content_hash=digest.hexdigest()[:12],
        sources=tuple(used),
    )
