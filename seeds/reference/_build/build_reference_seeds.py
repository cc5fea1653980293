#!/usr/bin/env python3
"""Regenerate the extracted reference seeds in seeds/reference/ (stdlib only).

Inputs
  ../shared/reference/          read-only source data, located next to the repository root
                                (override with --shared PATH or $NEWS_WAREHOUSE_SHARED)
  seeds/reference/_build/hand/  hand-entered fragments merged into the generated seeds
  seeds/reference/actors.csv    hand-maintained; read to derive actor_aliases.csv

Outputs (written to seeds/reference/, byte-for-byte reproducible)
  countries.csv              datahub country-codes + hand/country_overrides.csv + hand/countries_extra.csv
  country_aliases.csv        names/official names/capitals from datahub + hand/country_aliases.csv
                             - hand/country_alias_drops.csv
  alliance_memberships.csv   EU from EUMS (Fjelstul 2021) + hand/alliance_memberships.csv,
                             NATO rows annotated with the ATOP v4 (atopid 3180) entry date
  event_types.csv            CAMEO codebook (cameo_tenthe.csv) + CAMEO2PLOVER-2021 + hand/goldstein.csv
  actor_roles.csv            hand/actor_roles.csv, heads of state/government checked against REIGN 2021
  actor_aliases.csv          full and short names from actors.csv (short names only when unambiguous)
                             + hand/actor_aliases.csv

The hand-only seeds (alliances.csv, actors.csv, event_triggers.csv, cue_verbs.csv) are edited
directly and only validated here.

Usage
  python3 seeds/reference/_build/build_reference_seeds.py          # rewrite the generated seeds
  python3 seeds/reference/_build/build_reference_seeds.py --check  # exit 1 if a committed seed differs
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

BUILD_DIR = Path(__file__).resolve().parent
SEED_DIR = BUILD_DIR.parent
HAND_DIR = BUILD_DIR / "hand"


def find_repo_root() -> Path:
    """seeds/reference/_build -> repository root (three levels up); prefer a marker if present."""
    for cand in BUILD_DIR.parents:
        if (cand / ".git").exists() or (cand / "pyproject.toml").exists():
            return cand
    return BUILD_DIR.parents[2]


# --------------------------------------------------------------------------- constants

CONTINENTS = {"AF": "Africa", "AN": "Antarctica", "AS": "Asia", "EU": "Europe",
              "NA": "North America", "OC": "Oceania", "SA": "South America"}

# Correlates of War state codes -> ISO 3166 alpha-3, for the states that ATOP (NATO) and REIGN
# rows are looked up for. 260 is the German Federal Republic (1955-1990), 255 unified Germany.
COW_TO_ISO3 = {
    2: "USA", 20: "CAN", 200: "GBR", 205: "IRL", 210: "NLD", 211: "BEL", 212: "LUX", 220: "FRA",
    221: "MCO", 230: "ESP", 235: "PRT", 255: "DEU", 260: "DEU", 290: "POL", 305: "AUT",
    310: "HUN", 316: "CZE", 317: "SVK", 325: "ITA", 338: "MLT", 339: "ALB", 341: "MNE",
    343: "MKD", 344: "HRV", 345: "SRB", 346: "BIH", 347: "XKX", 349: "SVN", 350: "GRC",
    352: "CYP", 355: "BGR", 359: "MDA", 360: "ROU", 365: "RUS", 366: "EST", 367: "LVA",
    368: "LTU", 369: "UKR", 370: "BLR", 371: "ARM", 372: "GEO", 373: "AZE", 375: "FIN",
    380: "SWE", 385: "NOR", 390: "DNK", 395: "ISL", 70: "MEX", 90: "GTM", 100: "COL",
    101: "VEN", 140: "BRA", 155: "CHL", 160: "ARG", 475: "NGA", 530: "ETH", 501: "KEN",
    560: "ZAF", 625: "SDN", 630: "IRN", 640: "TUR", 645: "IRQ", 651: "EGY", 652: "SYR",
    660: "LBN", 663: "JOR", 666: "ISR", 670: "SAU", 694: "QAT", 696: "ARE", 700: "AFG",
    705: "KAZ", 710: "CHN", 713: "TWN", 731: "PRK", 732: "KOR", 740: "JPN", 750: "IND",
    770: "PAK", 800: "THA", 816: "VNM", 820: "MYS", 830: "SGP", 840: "PHL", 850: "IDN",
    900: "AUS", 920: "NZL",
}

NATO_ATOPID = "3180"

# Short names (surnames) that are NOT turned into actor aliases although only one seed person
# carries them: English words, common first names or surnames, companies, better-known namesakes.
# Short names shared by two or more seed persons are excluded automatically (e.g. Kim, Li, Park,
# Cho, Lee, Wong, Harris, Khan, Aoun, Niinistö) and so are short names that equal a country alias
# (e.g. Montenegro, or the ASCII form "Turk" of Türk).
SURNAME_STOPLIST = {
    "May": "English word/month",
    "Hunt": "English word",
    "Cleverly": "English adverb",
    "Champagne": "English word",
    "Blair": "usually Tony Blair (not in seed)",
    "Bishop": "English word",
    "Carter": "usually Jimmy Carter (not in seed)",
    "Johnson": "very common surname (e.g. Mike Johnson, not in seed)",
    "Martin": "common first name",
    "Michel": "common first name",
    "Philippe": "common first name",
    "Gabriel": "common first name",
    "Costa": "common surname; also Costa Rica",
    "Pavel": "common first name",
    "Kenny": "common first name",
    "Dion": "usually Celine Dion",
    "Austin": "city / first name",
    "Meta": "company name",
    "Linde": "company name",
    "Sandvik": "company name",
    "Dar": "also Dar es Salaam",
    "Anand": "common first name",
    "Melo": "common surname",
    "Cooper": "common surname",
    "Wallace": "common surname",
    "Williamson": "common surname",
    "Sullivan": "common surname",
    "Reynolds": "common surname",
    "Bennett": "common surname",
    "Cohen": "common surname",
    "Lieberman": "also Joe Lieberman (not in seed)",
    "Abbott": "common surname / company",
    "Tanner": "common surname / English word",
    "Andersson": "very common Swedish surname",
    "Ivanov": "very common Russian/Bulgarian surname",
    "Marković": "very common Serbo-Croatian surname",
    "Mukherjee": "very common Bengali surname",
    "Singh": "very common Indian surname",
    "Sharif": "also Nawaz Sharif (not in seed)",
    "Zardari": "father and son (Bilawal Bhutto Zardari) both in the news",
    "Koizumi": "also Junichiro Koizumi (father)",
    "Marcos": "also Ferdinand Marcos Sr. (father)",
    "McGuinty": "also Dalton McGuinty (brother)",
    "Mustafa": "common first name",
    "Salam": "greeting / common name",
    "Ban": "English word",
    "Moon": "English word",
    "Han": "also the Han Chinese",
    "Wang": "very common Chinese surname",
    "Wei": "very common Chinese surname",
    "Dong": "very common Chinese surname",
    "Chang": "very common Chinese surname",
    "Choi": "very common Korean surname",
    "Kang": "very common Korean surname",
    "Chung": "very common Korean surname",
    "Ahn": "common Korean surname",
    "Choe": "common Korean surname",
    "Fernández": "very common Spanish surname",
    "Sánchez": "very common Spanish surname",
    "Robles": "common Spanish surname",
    "Sandoval": "common Spanish surname",
    "Vieira": "common Portuguese surname",
    "Araújo": "common Portuguese surname",
    "Türk": "Turkish for 'Turk' (ASCII form equals a demonym)",
}

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_FOLD_EXTRA = str.maketrans({"Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o",
                             "Æ": "AE", "æ": "ae", "ß": "ss", "ı": "i", "Þ": "Th", "þ": "th",
                             "Ð": "D", "ð": "d", "’": "'", "‘": "'"})


def fold(text: str) -> str:
    """ASCII-fold: strip diacritics (Erdoğan -> Erdogan, Đukanović -> Dukanovic)."""
    text = text.translate(_FOLD_EXTRA)
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# --------------------------------------------------------------------------- io helpers

def read_csv(path: Path, errors: str = "strict") -> list[dict]:
    with open(path, encoding="utf-8", errors=errors, newline="") as fh:
        return list(csv.DictReader(fh))


def render_csv(header: list[str], rows: list[dict]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(col, "") for col in header])
    return buf.getvalue()


class BuildError(Exception):
    pass


# --------------------------------------------------------------------------- countries

def parse_dependency(raw: str, iso2_to_iso3: dict) -> tuple[str, str]:
    raw = raw.strip()
    if raw == "Yes":
        return "sovereign", ""
    if raw == "In contention":
        return "disputed", ""
    if raw == "International":
        return "international", ""
    m = re.search(r"\b([A-Z]{2})$", raw)
    return "dependency", iso2_to_iso3.get(m.group(1), "") if m else ""


def build_countries(shared: Path) -> list[dict]:
    src = read_csv(shared / "country_codes" / "country-codes.csv")
    src = [r for r in src if r["ISO3166-1-Alpha-3"].strip()]
    iso2_to_iso3 = {r["ISO3166-1-Alpha-2"].strip(): r["ISO3166-1-Alpha-3"].strip() for r in src}
    overrides = defaultdict(dict)
    for o in read_csv(HAND_DIR / "country_overrides.csv"):
        overrides[o["iso3"]][o["column"]] = (o["value"], o["note"])
    rows = []
    for r in src:
        iso3 = r["ISO3166-1-Alpha-3"].strip()
        name = r["CLDR display name"].strip().replace(" & ", " and ")
        name = re.sub(r"^St\. ", "Saint ", name)
        official = r["UNTERM English Formal"].strip().rstrip("*").strip()
        official = re.sub(r"^the ", "", official) or r["official_name_en"].strip()
        status, dep = parse_dependency(r["is_independent"], iso2_to_iso3)
        numeric = r["ISO3166-1-numeric"].strip()
        row = {
            "iso2": r["ISO3166-1-Alpha-2"].strip(),
            "iso3": iso3,
            "iso_numeric": numeric.zfill(3) if numeric else "",
            "name": name,
            "official_name": official,
            "capital": r["Capital"].strip(),
            "continent": CONTINENTS.get(r["Continent"].strip(), ""),
            "region": r["Region Name"].strip(),
            "subregion": r["Sub-region Name"].strip(),
            "status": status,
            "dependency_of": dep,
        }
        notes = []
        for col, (value, note) in sorted(overrides.get(iso3, {}).items()):
            if col not in row:
                raise BuildError(f"country_overrides: unknown column {col}")
            row[col] = value
            notes.append(f"{col}: {note}")
        row["source"] = "datahub country-codes" + (
            "; hand-entered: " + "; ".join(notes) if notes else "")
        rows.append(row)
    unknown = set(overrides) - {r["iso3"] for r in rows}
    if unknown:
        raise BuildError(f"country_overrides: unknown iso3 {sorted(unknown)}")
    rows.extend(read_csv(HAND_DIR / "countries_extra.csv"))
    rows.sort(key=lambda r: r["iso3"])
    return rows


COUNTRY_COLUMNS = ["iso2", "iso3", "iso_numeric", "name", "official_name", "capital",
                   "continent", "region", "subregion", "status", "dependency_of", "source"]

# --------------------------------------------------------------------------- country aliases

ALIAS_KIND_ORDER = ["name", "abbreviation", "alias", "demonym", "capital", "seat_of_government"]


def build_country_aliases(shared: Path, countries: list[dict]) -> list[dict]:
    src = {r["ISO3166-1-Alpha-3"].strip(): r
           for r in read_csv(shared / "country_codes" / "country-codes.csv")}
    drops = {d["alias"]: d["reason"] for d in read_csv(HAND_DIR / "country_alias_drops.csv")}
    candidates: list[dict] = []

    def add(alias, iso3, kind, source):
        alias = alias.strip().replace("’", "'")
        if alias:
            candidates.append({"alias": alias, "iso3": iso3, "alias_kind": kind, "source": source})

    def overridden(c, col):
        return re.search(rf"(?:hand-entered: |; ){col}:", c["source"]) is not None

    for c in countries:
        iso3 = c["iso3"]
        base = "datahub country-codes" if iso3 in src else "hand-entered: countries_extra"
        add(c["name"], iso3, "name", base if not overridden(c, "name") else
            "hand-entered: common short name (see countries.csv)")
        add(c["official_name"], iso3, "name", base if not overridden(c, "official_name")
            else "hand-entered: official name (see countries.csv)")
        if iso3 in src:
            raw = src[iso3]
            for col in ("official_name_en", "CLDR display name"):
                val = raw[col].strip()
                if not val or "(" in val or "," in val or " - " in val or "&" in val:
                    continue
                kind = "abbreviation" if re.fullmatch(r"[A-Z.]{2,6}", val) else "alias"
                add(val, iso3, kind, f"datahub country-codes ({col})")
        if c["status"] in ("sovereign", "disputed") and c["capital"]:
            add(c["capital"], iso3, "capital", base if not overridden(c, "capital") else
                "hand-entered: capital (see countries.csv)")
    for h in read_csv(HAND_DIR / "country_aliases.csv"):
        if h["alias"] in drops:
            raise BuildError(f"hand country alias {h['alias']!r} is also in country_alias_drops")
        add(h["alias"], h["iso3"], h["alias_kind"], h["source"])
    # ASCII variants of every alias carrying diacritics
    for cand in list(candidates):
        folded = fold(cand["alias"])
        if folded != cand["alias"]:
            add(folded, cand["iso3"], cand["alias_kind"], cand["source"] + " (ASCII variant)")

    iso3s = {c["iso3"] for c in countries}
    owners: dict[str, set] = defaultdict(set)
    best: dict[str, dict] = {}
    for cand in candidates:
        if cand["alias"] in drops:
            continue
        if cand["iso3"] not in iso3s:
            raise BuildError(f"country alias {cand['alias']!r}: unknown iso3 {cand['iso3']}")
        if cand["alias_kind"] not in ALIAS_KIND_ORDER:
            raise BuildError(f"country alias {cand['alias']!r}: bad kind {cand['alias_kind']}")
        owners[cand["alias"].casefold()].add(cand["iso3"])
        prev = best.get(cand["alias"])
        if prev is None or (ALIAS_KIND_ORDER.index(cand["alias_kind"])
                            < ALIAS_KIND_ORDER.index(prev["alias_kind"])):
            best[cand["alias"]] = cand
    conflicts = [f"{k!r}: {sorted(v)}" for k, v in owners.items() if len(v) > 1]
    if conflicts:
        raise BuildError("ambiguous country aliases (add to hand/country_alias_drops.csv): "
                         + "; ".join(conflicts))
    return sorted(best.values(), key=lambda r: (
        r["iso3"], ALIAS_KIND_ORDER.index(r["alias_kind"]), r["alias"].casefold(), r["alias"]))


COUNTRY_ALIAS_COLUMNS = ["alias", "iso3", "alias_kind", "source"]

# --------------------------------------------------------------------------- memberships


def atop_nato_entries(shared: Path) -> dict[str, str]:
    """iso3 -> earliest ATOP v4 entry date into NATO (atopid 3180)."""
    out: dict[str, str] = {}
    for r in read_csv(shared / "atop_alliances" / "atop4_member_level.csv"):
        if r["atopid"] != NATO_ATOPID:
            continue
        iso3 = COW_TO_ISO3.get(int(r["member"]))
        if iso3 is None:
            raise BuildError(f"ATOP NATO member with unmapped COW code {r['member']}")
        d = f"{int(r['yrent']):04d}-{int(r['moent']):02d}-{int(r['dayent']):02d}"
        if iso3 not in out or d < out[iso3]:
            out[iso3] = d
    return out


def build_memberships(shared: Path) -> list[dict]:
    rows: list[dict] = []
    for r in read_csv(shared / "eu_membership" / "eums_member_states.csv"):
        joined = r["accession_date"]
        source = "EUMS (Fjelstul 2021)"
        if joined == "1952-07-23":
            joined = "1958-01-01"
            source += ("; hand-entered: EEC founding member, Treaty of Rome in force 1958-01-01 "
                       "(EUMS gives the ECSC date 1952-07-23)")
        left = "" if r["exit_date"] in ("", "NA") else r["exit_date"]
        rows.append({"alliance_code": "EU", "iso3": r["iso_alpha_3_code"], "joined_on": joined,
                     "joined_on_precision": "day", "left_on": left, "source": source})
    atop = atop_nato_entries(shared)
    hand = read_csv(HAND_DIR / "alliance_memberships.csv")
    nato_iso = set()
    for h in hand:
        if h["alliance_code"] == "EU":
            raise BuildError("EU memberships come from EUMS, not from hand/alliance_memberships.csv")
        row = dict(h)
        # partial dates in the hand file ("1961", "2011-07") become the first day of the
        # period, with joined_on_precision saying how much of the date is known
        joined = h["joined_on"]
        if re.fullmatch(r"\d{4}", joined):
            row["joined_on"], row["joined_on_precision"] = f"{joined}-01-01", "year"
        elif re.fullmatch(r"\d{4}-\d{2}", joined):
            row["joined_on"], row["joined_on_precision"] = f"{joined}-01", "month"
        elif DATE_RE.match(joined):
            row["joined_on_precision"] = "day"
        else:
            raise BuildError(f"hand membership {h['alliance_code']}/{h['iso3']}: bad joined_on {joined!r}")
        if h["alliance_code"] == "NATO":
            nato_iso.add(h["iso3"])
            a = atop.get(h["iso3"])
            if a and a != h["joined_on"]:
                kind = "signature" if a == "1949-04-04" else "protocol"
                row["source"] = f"{h['source']}; ATOP v4 {kind} date {a}"
            elif a:
                row["source"] = f"{h['source']}; ATOP v4 agrees"
        rows.append(row)
    missing = set(atop) - nato_iso
    if missing:
        raise BuildError(f"ATOP NATO members missing from hand memberships: {sorted(missing)}")
    rows.sort(key=lambda r: (r["alliance_code"], r["iso3"], r["joined_on"]))
    return rows


MEMBERSHIP_COLUMNS = ["alliance_code", "iso3", "joined_on", "joined_on_precision", "left_on",
                      "source"]

# --------------------------------------------------------------------------- event types


def quad_class(root: str) -> str:
    """GDELT QuadClass: 1 verbal cooperation (01-05), 2 material cooperation (06-08),
    3 verbal conflict (09-13), 4 material conflict (14-20) - Schrodt's CAMEO quad grouping."""
    n = int(root)
    return "1" if n <= 5 else "2" if n <= 8 else "3" if n <= 13 else "4"


def parse_plover(path: Path) -> dict[str, tuple[str, str, str]]:
    out: dict[str, tuple[str, str, str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d{3,4}):\s*([^#]*)", line)
        if not m:
            continue
        parts = [p.strip() for p in m.group(2).split(",")]
        parts += [""] * (3 - len(parts))
        out[m.group(1)] = (parts[0], re.sub(r"\s+", " ", parts[1]), re.sub(r"\s+", " ", parts[2]))
    return out


def build_event_types(shared: Path) -> list[dict]:
    tax = shared / "cameo_taxonomy"
    plover = parse_plover(tax / "CAMEO2PLOVER-2021.txt")
    goldstein = {g["cameo_code"]: g["goldstein"] for g in read_csv(HAND_DIR / "goldstein.csv")}
    rows = []
    for line in (tax / "cameo_tenthe.csv").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        code, name = line.split(",", 1)
        code, name = code.strip(), name.strip()
        fixed = name.replace("”", '"').replace("“", '"')
        level = len(code) - 1
        parent = "" if level == 1 else code[: len(code) - 1]
        src = ["CAMEO codebook" + (" (quote characters normalised)" if fixed != name else "")]
        pl = plover.get(code)
        if pl is None:
            donor = code + "0" if level == 1 else parent
            if donor in plover:
                pl = plover[donor]
                src.append(f"PLOVER inherited from {donor} (CAMEO2PLOVER-2021)")
            else:
                pl = ("", "", "")
        else:
            src.append("CAMEO2PLOVER-2021")
        if code in goldstein:
            src.append("Goldstein: hand-entered from the GDELT CAMEO Goldstein table")
        rows.append({"cameo_code": code, "name": fixed, "root_code": code[:2],
                     "parent_code": parent, "level": str(level), "quad_class": quad_class(code[:2]),
                     "goldstein": goldstein.get(code, ""), "plover_category": pl[0],
                     "plover_mode": pl[1], "plover_context": pl[2], "source": "; ".join(src)})
    unknown = set(goldstein) - {r["cameo_code"] for r in rows}
    if unknown:
        raise BuildError(f"goldstein.csv codes not in CAMEO: {sorted(unknown)}")
    return rows


EVENT_TYPE_COLUMNS = ["cameo_code", "name", "root_code", "parent_code", "level", "quad_class",
                      "goldstein", "plover_category", "plover_mode", "plover_context", "source"]

# --------------------------------------------------------------------------- actor roles


def reign_index(shared: Path) -> dict[str, list[tuple[str, str]]]:
    idx: dict[str, list[tuple[str, str]]] = defaultdict(list)
    # the REIGN file is UTF-8 with one stray cp1252 byte in a notes column
    for r in read_csv(shared / "reign_leaders" / "leaderlist_3_21.csv", errors="replace"):
        iso3 = COW_TO_ISO3.get(int(r["ccode"]))
        if not iso3:
            continue
        start = f"{int(r['syear']):04d}-{int(r['smonth']):02d}-{int(r['sdate']):02d}"
        idx[iso3].append((r["leader"], start))
    return idx


def build_actor_roles(shared: Path, actors: dict[str, dict]) -> list[dict]:
    reign = reign_index(shared)
    rows = []
    for h in read_csv(HAND_DIR / "actor_roles.csv"):
        row = dict(h)
        a = actors.get(h["actor_id"])
        if (a and h["role_kind"] in ("head_of_state", "head_of_government")
                and h["valid_from"] and "1945" <= h["valid_from"] <= "2021-12-31"):
            names = {t for t in re.findall(r"[a-z]+", fold(a["canonical_name"]).lower()) if len(t) >= 4}
            best = None
            for leader, start in reign.get(h["org_or_country"], []):
                tokens = set(re.findall(r"[a-z]{4,}", fold(leader).lower()))
                short = fold(a["short_name"]).lower()
                if (short and short in fold(leader).lower()) or tokens & names:
                    gap = abs((date.fromisoformat(start) - date.fromisoformat(h["valid_from"])).days)
                    if gap <= 400 and (best is None or gap < best[0]):
                        best = (gap, leader, start)
            if best:
                if best[2] == h["valid_from"]:
                    row["source"] = f"REIGN 2021 (start date agrees); {h['source']}"
                else:
                    row["source"] = f"{h['source']}; REIGN 2021 start {best[2]} ({best[1]})"
        rows.append(row)
    rows.sort(key=lambda r: (r["actor_id"], r["valid_from"] or "0000", r["role"], r["org_or_country"]))
    return rows


ACTOR_ROLE_COLUMNS = ["actor_id", "role", "role_kind", "org_or_country", "valid_from",
                      "valid_to", "source"]

# --------------------------------------------------------------------------- actor aliases


def build_actor_aliases(actors: list[dict], country_aliases: list[dict],
                        alliances: list[dict]) -> tuple[list[dict], list[str]]:
    reserved = {r["alias"].casefold(): f"country alias ({r['iso3']})" for r in country_aliases}
    for a in alliances:
        for al in filter(None, a["aliases"].split("|")):
            reserved.setdefault(al.casefold(), f"alliance alias ({a['alliance_code']})")
    persons = [a for a in actors if a["actor_type"] == "person"]
    short_count = Counter(a["short_name"] for a in persons if a["short_name"])
    candidates: list[dict] = []
    excluded: list[str] = []

    def add(alias, actor_id, kind, source, auto=True):
        alias = alias.strip()
        if not alias:
            return
        hit = reserved.get(alias.casefold())
        if hit:
            if auto:
                excluded.append(f"{alias} ({actor_id}): equals {hit}")
                return
            raise BuildError(f"hand actor alias {alias!r} equals {hit}")
        candidates.append({"alias": alias, "actor_id": actor_id, "alias_kind": kind,
                           "source": source})
        folded = fold(alias)
        if folded != alias:
            add(folded, actor_id, "ascii_variant", source + " (ASCII variant)", auto)

    for a in actors:
        add(a["canonical_name"], a["actor_id"], "full_name", "actors.csv canonical_name")
        short = a["short_name"]
        if not short or short == a["canonical_name"]:
            continue
        if a["actor_type"] != "person":
            add(short, a["actor_id"], "acronym" if short.isupper() else "short_name",
                "actors.csv short_name")
        elif short_count[short] > 1:
            excluded.append(f"{short} ({a['actor_id']}): shared by {short_count[short]} seed persons")
        elif short in SURNAME_STOPLIST:
            excluded.append(f"{short} ({a['actor_id']}): stoplist - {SURNAME_STOPLIST[short]}")
        else:
            add(short, a["actor_id"], "short_name", "actors.csv short_name (unique among seed persons)")
    for h in read_csv(HAND_DIR / "actor_aliases.csv"):
        add(h["alias"], h["actor_id"], h["alias_kind"], h["source"], auto=False)

    ids = {a["actor_id"] for a in actors}
    by_alias: dict[str, dict] = {}
    owner: dict[str, str] = {}
    for c in candidates:
        if c["actor_id"] not in ids:
            raise BuildError(f"actor alias {c['alias']!r}: unknown actor_id {c['actor_id']}")
        key = c["alias"].casefold()
        if key in owner and owner[key] != c["actor_id"]:
            raise BuildError(f"actor alias {c['alias']!r} maps to {owner[key]} and {c['actor_id']}")
        owner[key] = c["actor_id"]
        by_alias.setdefault(c["alias"], c)
    rows = sorted(by_alias.values(), key=lambda r: (r["actor_id"], r["alias"].casefold(), r["alias"]))
    return rows, excluded


ACTOR_ALIAS_COLUMNS = ["alias", "actor_id", "alias_kind", "source"]

# --------------------------------------------------------------------------- validation


def validate(seeds: dict[str, list[dict]]) -> list[str]:
    errors: list[str] = []

    def check_date(ctx, value):
        if value and not DATE_RE.match(value):
            errors.append(f"{ctx}: bad date {value!r}")
        elif value:
            try:
                date.fromisoformat(value)
            except ValueError:
                errors.append(f"{ctx}: impossible date {value!r}")

    countries = seeds["countries"]
    iso3s = [c["iso3"] for c in countries]
    for dup in [k for k, n in Counter(iso3s).items() if n > 1]:
        errors.append(f"countries: duplicate iso3 {dup}")
    iso3set = set(iso3s)
    for c in countries:
        if c["dependency_of"] and c["dependency_of"] not in iso3set:
            errors.append(f"countries {c['iso3']}: unknown dependency_of {c['dependency_of']}")
    for r in seeds["country_aliases"]:
        if r["iso3"] not in iso3set:
            errors.append(f"country_aliases {r['alias']}: unknown iso3 {r['iso3']}")
    for dup in [k for k, n in Counter(r["alias"] for r in seeds["country_aliases"]).items() if n > 1]:
        errors.append(f"country_aliases: duplicate alias {dup}")

    alliances = seeds["alliances"]
    codes = [a["alliance_code"] for a in alliances]
    for dup in [k for k, n in Counter(codes).items() if n > 1]:
        errors.append(f"alliances: duplicate code {dup}")
    for a in alliances:
        check_date(f"alliances {a['alliance_code']}", a["founded_on"])
        if a["alliance_type"] not in ("military", "political", "economic", "intelligence"):
            errors.append(f"alliances {a['alliance_code']}: bad type {a['alliance_type']}")
    codeset = set(codes)
    keys = Counter()
    for m in seeds["alliance_memberships"]:
        ctx = f"alliance_memberships {m['alliance_code']}/{m['iso3']}/{m['joined_on']}"
        keys[(m["alliance_code"], m["iso3"], m["joined_on"])] += 1
        if m["alliance_code"] not in codeset:
            errors.append(f"{ctx}: unknown alliance")
        if m["iso3"] not in iso3set:
            errors.append(f"{ctx}: unknown iso3")
        if not m["joined_on"]:
            errors.append(f"{ctx}: empty joined_on")
        check_date(ctx, m["joined_on"])
        check_date(ctx, m["left_on"])
        if m["joined_on"] and m["left_on"] and m["joined_on"] > m["left_on"]:
            errors.append(f"{ctx}: joined_on after left_on")
        if not m["source"]:
            errors.append(f"{ctx}: empty source")
    for k, n in keys.items():
        if n > 1:
            errors.append(f"alliance_memberships: duplicate key {k}")
    current = Counter(m["alliance_code"] for m in seeds["alliance_memberships"] if not m["left_on"])
    if current["NATO"] != 32:
        errors.append(f"NATO has {current['NATO']} current members, expected 32")
    if current["EU"] != 27:
        errors.append(f"EU has {current['EU']} current members, expected 27")

    actors = seeds["actors"]
    ids = [a["actor_id"] for a in actors]
    for dup in [k for k, n in Counter(ids).items() if n > 1]:
        errors.append(f"actors: duplicate actor_id {dup}")
    idset = set(ids)
    for a in actors:
        if not re.fullmatch(r"[a-z0-9_]+", a["actor_id"]):
            errors.append(f"actors {a['actor_id']}: actor_id is not a lowercase slug")
        if a["actor_type"] not in ("person", "organisation", "group"):
            errors.append(f"actors {a['actor_id']}: bad actor_type {a['actor_type']}")
        if a["iso3"] and a["iso3"] not in iso3set:
            errors.append(f"actors {a['actor_id']}: unknown iso3 {a['iso3']}")
    org_ids = {a["actor_id"] for a in actors if a["actor_type"] != "person"}
    for r in seeds["actor_aliases"]:
        if r["actor_id"] not in idset:
            errors.append(f"actor_aliases {r['alias']}: unknown actor {r['actor_id']}")
    for r in seeds["actor_roles"]:
        ctx = f"actor_roles {r['actor_id']}/{r['role']}/{r['valid_from']}"
        if r["actor_id"] not in idset:
            errors.append(f"{ctx}: unknown actor")
        target = r["org_or_country"]
        if target and target not in iso3set and target not in codeset and target not in org_ids:
            errors.append(f"{ctx}: unknown org_or_country {target}")
        if r["role_kind"] not in ("head_of_state", "head_of_government", "foreign_minister",
                                  "defence_minister", "org_leader", "other"):
            errors.append(f"{ctx}: bad role_kind {r['role_kind']}")
        check_date(ctx, r["valid_from"])
        check_date(ctx, r["valid_to"])
        if r["valid_from"] and r["valid_to"] and r["valid_from"] > r["valid_to"]:
            errors.append(f"{ctx}: valid_from after valid_to")

    ev = seeds["event_types"]
    evcodes = [e["cameo_code"] for e in ev]
    for dup in [k for k, n in Counter(evcodes).items() if n > 1]:
        errors.append(f"event_types: duplicate code {dup}")
    evset = set(evcodes)
    for e in ev:
        if e["parent_code"] and e["parent_code"] not in evset:
            errors.append(f"event_types {e['cameo_code']}: parent {e['parent_code']} missing")
    for t in seeds["event_triggers"]:
        if t["cameo_code"] not in evset:
            errors.append(f"event_triggers {t['lemma']}: unknown code {t['cameo_code']}")
        if t["pos"] not in ("VERB", "NOUN"):
            errors.append(f"event_triggers {t['lemma']}: bad pos {t['pos']}")
    for dup in [k for k, n in Counter((t["lemma"], t["pos"], t["cameo_code"])
                                      for t in seeds["event_triggers"]).items() if n > 1]:
        errors.append(f"event_triggers: duplicate {dup}")
    for c in seeds["cue_verbs"]:
        if c["also_event_code"] and c["also_event_code"] not in evset:
            errors.append(f"cue_verbs {c['cue']}: unknown event code {c['also_event_code']}")
        if c["statement_type"] not in ("speech", "belief", "writing", "according_to"):
            errors.append(f"cue_verbs {c['cue']}: bad statement_type {c['statement_type']}")
    for dup in [k for k, n in Counter((c["cue"], c["pos"]) for c in seeds["cue_verbs"]).items()
                if n > 1]:
        errors.append(f"cue_verbs: duplicate {dup}")
    for name, rows in seeds.items():
        for r in rows:
            if not r.get("source"):
                errors.append(f"{name}: row without source: {r}")
                break
    return errors


# --------------------------------------------------------------------------- main


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare instead of writing")
    ap.add_argument("--shared", help="path to the shared data folder (default: ../shared)")
    ap.add_argument("-v", "--verbose", action="store_true", help="list excluded actor aliases")
    args = ap.parse_args(argv)
    shared_root = Path(args.shared or os.environ.get("NEWS_WAREHOUSE_SHARED")
                       or find_repo_root().parent / "shared")
    shared = shared_root / "reference"
    if not shared.is_dir():
        print(f"shared reference data not found at {shared}", file=sys.stderr)
        return 2
    try:
        countries = build_countries(shared)
        country_aliases = build_country_aliases(shared, countries)
        memberships = build_memberships(shared)
        event_types = build_event_types(shared)
        actors = read_csv(SEED_DIR / "actors.csv")
        alliances = read_csv(SEED_DIR / "alliances.csv")
        actor_roles = build_actor_roles(shared, {a["actor_id"]: a for a in actors})
        actor_aliases, excluded = build_actor_aliases(actors, country_aliases, alliances)
    except BuildError as exc:
        print(f"build error: {exc}", file=sys.stderr)
        return 1
    generated = {
        "countries.csv": render_csv(COUNTRY_COLUMNS, countries),
        "country_aliases.csv": render_csv(COUNTRY_ALIAS_COLUMNS, country_aliases),
        "alliance_memberships.csv": render_csv(MEMBERSHIP_COLUMNS, memberships),
        "event_types.csv": render_csv(EVENT_TYPE_COLUMNS, event_types),
        "actor_roles.csv": render_csv(ACTOR_ROLE_COLUMNS, actor_roles),
        "actor_aliases.csv": render_csv(ACTOR_ALIAS_COLUMNS, actor_aliases),
    }
    seeds = {
        "countries": countries, "country_aliases": country_aliases, "alliances": alliances,
        "alliance_memberships": memberships, "actors": actors, "actor_roles": actor_roles,
        "actor_aliases": actor_aliases, "event_types": event_types,
        "event_triggers": read_csv(SEED_DIR / "event_triggers.csv"),
        "cue_verbs": read_csv(SEED_DIR / "cue_verbs.csv"),
    }
    errors = validate(seeds)
    if errors:
        print("validation failed:\n  " + "\n  ".join(errors), file=sys.stderr)
        return 1
    if args.verbose:
        print("short names not used as aliases:\n  " + "\n  ".join(excluded))
    status = 0
    for name, text in generated.items():
        path = SEED_DIR / name
        old = path.read_text(encoding="utf-8") if path.exists() else None
        if args.check:
            if old != text:
                print(f"{name}: differs from generated output", file=sys.stderr)
                status = 1
        elif old != text:
            path.write_text(text, encoding="utf-8", newline="")
            print(f"wrote {name} ({text.count(chr(10)) - 1} rows)")
    if args.check and status == 0:
        print("all generated seeds are up to date")
    return status


if __name__ == "__main__":
    sys.exit(main())
