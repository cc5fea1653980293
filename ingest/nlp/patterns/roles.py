"""Role words and modifiers for actor descriptors ("former US President", "Foreign Minister")."""

from __future__ import annotations

ROLE_HEADS = frozenset(
    {
        "adviser", "advisor", "aide", "ambassador", "attorney", "candidate", "ceo", "chair", "chairman",
        "chairwoman", "chancellor", "chief", "commander", "commissioner", "congressman", "congresswoman",
        "deputy", "dictator", "diplomat", "director", "emir", "envoy", "founder", "general", "gov.",
        "governor", "head", "judge", "justice", "king", "lawmaker", "leader", "mayor", "minister",
        "nominee", "official", "pope", "premier", "president", "prince", "prosecutor", "queen", "rep.",
        "representative", "secretary", "sen.", "senator", "speaker", "spokesman", "spokesperson",
        "spokeswoman", "sultan", "vice-president"
    }
)
# Words that may stand between a role and a name or before a role ("Foreign Minister",
# "Prime Minister", "Vice President", "Defence Secretary").
ROLE_MODIFIERS = frozenset(
    {
        "acting", "chief", "defence", "defense", "democratic", "deputy", "federal", "finance", "foreign",
        "foreign-affairs", "former", "general", "health", "home", "house", "incoming", "interior", "late",
        "national", "outgoing", "prime", "republican", "secretary-general", "security", "state", "supreme",
        "then", "then-president", "vice", "white"
    }
)
FORMER_WORDS = frozenset({"former", "ex", "ex-", "then", "late", "outgoing"})
