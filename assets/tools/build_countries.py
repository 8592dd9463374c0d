#!/usr/bin/env python3
"""Build assets/countries.tsv from the world-countries npm package.

Usage:
    python3 assets/tools/build_countries.py path/to/world-countries/countries.json [out.tsv]

The default output is assets/countries.tsv next to this tools/ folder.
Python 3 standard library only.

Source data: npm package `world-countries` (https://github.com/mledoze/countries),
licensed under the ODC Open Database License (ODbL) 1.0. See assets/COUNTRIES-NOTICE.md.

Output: UTF-8, tab-separated, one header line, one row per entry in countries.json,
sorted by iso3. Columns:
    iso3  iso2  name  lat  lon  aliases  demonyms  cameo
aliases and demonyms are `|`-separated lists; cameo is the CAMEO/GDELT actor country
code when it differs from iso3, else empty.
"""

import json
import os
import sys
import unicodedata

HEADER = ["iso3", "iso2", "name", "lat", "lon", "aliases", "demonyms", "cameo", "local_names"]

# --- Hand-added data (not from world-countries) ------------------------------

# Extra English aliases that analysts and event data sets use. Keyed by iso3.
EXTRA_ALIASES = {
    "ARE": ["U.A.E."],
    "BIH": ["Bosnia"],
    "BLR": ["Byelorussia", "Belorussia", "White Russia"],
    "CHN": ["PRC", "Mainland China"],
    "CIV": ["Cote d'Ivoire"],
    "COD": ["Zaire", "Congo (Kinshasa)", "Democratic Republic of Congo"],
    "COG": ["Congo Republic", "Congo (Brazzaville)", "Republic of Congo"],
    "CPV": ["Cabo Verde"],
    "CZE": ["Czech Republic"],
    "FLK": ["Falklands", "Malvinas"],
    "GBR": ["UK", "U.K.", "Great Britain", "Britain",
            "United Kingdom of Great Britain and Northern Ireland"],
    "IRL": ["Eire"],
    "IRN": ["Persia", "Islamic Republic of Iran"],
    "KGZ": ["Kirghizia", "Kyrgyz Republic"],
    "KOR": ["Republic of Korea", "ROK", "S. Korea"],
    "LAO": ["Lao PDR"],
    "MDA": ["Moldavia"],
    "MKD": ["Macedonia", "FYROM", "Former Yugoslav Republic of Macedonia"],
    "MMR": ["Burma"],
    "NLD": ["Holland", "The Netherlands"],
    "PRK": ["DPRK", "N. Korea"],
    "PSE": ["Palestinian Territories", "Occupied Palestinian Territory",
            "Occupied Palestinian Territories", "West Bank and Gaza"],
    "RUS": ["Russian Federation"],
    "SAU": ["KSA"],
    "SWZ": ["Swaziland"],
    "TLS": ["East Timor"],
    "TUR": ["Turkey", "Turkiye"],
    "TWN": ["ROC"],
    "UNK": ["Kosova"],
    "USA": ["U.S.", "U.S.A.", "America", "United States of America"],
    "VAT": ["Holy See", "Vatican"],
}

# Names from world-countries (official name or altSpellings) left out of aliases
# because they are ambiguous or are ordinary words / not names.
DROP_ALIASES = {
    "BRN": {"Nation of Brunei", "the Abode of Peace"},  # one name split in two
    "DMA": {"Dominique"},                                # French; a given name
    "GUF": {"Guiana"},                                   # the whole Guiana region
    "IMN": {"Mann"},                                     # common surname
    "ISL": {"Island"},                                   # English word
    "MEX": {"Mexicanos"},                                # not a name
    "PRT": {"Portuguesa"},                               # not a name
    "THA": {"Prathet", "Thai"},                          # "country" / demonym
    "TGO": {"Togolese"},                                 # demonym
    "TLS": {"Timor"},                                    # island shared with Indonesia
    "VGB": {"Virgin Islands"},                           # also the US Virgin Islands
}

# Extra English demonyms. Keyed by iso3.
EXTRA_DEMONYMS = {
    "BFA": ["Burkinabè"],
    "BLR": ["Belarusan", "Belorussian", "Byelorussian"],
    "BWA": ["Batswana", "Botswanan"],
    "COM": ["Comorian"],
    "CPV": ["Cape Verdean"],
    "DJI": ["Djiboutian"],
    "ECU": ["Ecuadorian"],
    "GBR": ["Briton"],
    "GIB": ["Gibraltarian"],
    "GNB": ["Bissau-Guinean"],
    "GRL": ["Greenlander"],
    "ISL": ["Icelandic"],
    "IRN": ["Persian"],
    "KAZ": ["Kazakh"],
    "KGZ": ["Kyrgyz", "Kyrgyzstani"],
    "LAO": ["Lao"],
    "LSO": ["Basotho"],
    "MDV": ["Maldivian"],
    "PHL": ["Filipina", "Philippine"],
    "SAU": ["Saudi"],
    "SUR": ["Surinamese"],
    "SVN": ["Slovenian"],
    "TJK": ["Tajik", "Tajikistani"],
    "UNK": ["Kosovan"],
    "USA": ["American"],
    "UZB": ["Uzbek"],
}

# Demonyms from world-countries left out: a dependent territory borrowing the
# demonym of another row would make that demonym ambiguous.
DROP_DEMONYMS = {
    "ATF": {"French"},
    "BES": {"Dutch"},
    "IOT": {"Indian"},
    "MNP": {"American"},
    "SJM": {"Norwegian"},
}

# CAMEO/GDELT actor country codes that differ from ISO 3166-1 alpha-3,
# from GDELT's CAMEO.country.txt lookup. Keyed by iso3.
CAMEO = {
    "IMN": "IMY",  # Isle of Man
    "MNE": "MTN",  # Montenegro
    "ROU": "ROM",  # Romania
    "TLS": "TMP",  # East Timor
}

# --- Build --------------------------------------------------------------------

# Scripts other than Latin (Cyrillic, Greek, CJK, Hangul, ...) and IPA are
# native-language spellings, not English names.
def is_latin_name(s):
    for ch in s:
        if ch.isascii():
            continue
        if 0x0250 <= ord(ch) <= 0x02AF:  # IPA extensions
            return False
        if ch.isalpha():
            if "LATIN" not in unicodedata.name(ch, ""):
                return False
    return True


def clean(s):
    s = " ".join(s.replace("\t", " ").replace("|", " ").split())
    return s


def dedupe(values, exclude):
    seen = {e.casefold() for e in exclude}
    out = []
    for v in values:
        v = clean(v)
        if not v or v.casefold() in seen:
            continue
        seen.add(v.casefold())
        out.append(v)
    return out


def split_demonym(d):
    # world-countries writes some as "Antiguan, Barbudan" or "Kittitian or Nevisian"
    parts = []
    for p in d.replace(" or ", ",").split(","):
        p = p.strip()
        if p:
            parts.append(p)
    return parts


def fmt_coord(v):
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ValueError("bad coordinate %r" % (v,))
    return repr(v)


def build_rows(countries):
    rows = []
    for c in countries:
        iso3 = c["cca3"]
        iso2 = c["cca2"]
        name = clean(c["name"]["common"])
        lat, lon = c["latlng"]
        drop = DROP_ALIASES.get(iso3, set())
        cands = [c["name"]["official"]]
        for a in c.get("altSpellings", []):
            if len(a) == 2 and a.isupper():
                continue  # the 2-letter code
            if not is_latin_name(a):
                continue
            cands.append(a)
        cands += EXTRA_ALIASES.get(iso3, [])
        cands = [a for a in cands if clean(a) not in drop]
        # Codes are matched through the iso2/iso3/cameo columns, not aliases.
        aliases = dedupe(cands, [name, iso2, iso3, CAMEO.get(iso3, "")])

        eng = (c.get("demonyms") or {}).get("eng") or {}
        dcands = []
        for key in ("m", "f"):
            if eng.get(key):
                dcands += split_demonym(eng[key])
        dcands += EXTRA_DEMONYMS.get(iso3, [])
        ddrop = DROP_DEMONYMS.get(iso3, set())
        dcands = [d for d in dcands if d not in ddrop]
        demonyms = dedupe(dcands, [])

        cameo = CAMEO.get(iso3, "")
        if cameo == iso3:
            cameo = ""
        # Names in other languages: the native names and world-countries' translations, so
        # that a file written in Russian, Persian or Chinese still finds its countries.
        local = []
        for n in (c["name"].get("native") or {}).values():
            local += [n.get("common", ""), n.get("official", "")]
        for n in (c.get("translations") or {}).values():
            local += [n.get("common", ""), n.get("official", "")]
        local = dedupe(local, [name] + aliases + demonyms)
        rows.append([iso3, iso2, name, fmt_coord(lat), fmt_coord(lon),
                     "|".join(aliases), "|".join(demonyms), cameo, local])
    # A local name shared by two countries, or equal to another country's English name or
    # alias, would be ambiguous: leave it out everywhere.
    english = {}
    for r in rows:
        for key in [r[0], r[1], r[2], r[7]] + r[5].split("|") + r[6].split("|"):
            if key:
                english.setdefault(key.casefold(), set()).add(r[0])
    owners = {}
    for r in rows:
        for n in r[8]:
            owners.setdefault(n.casefold(), set()).add(r[0])
    for r in rows:
        keep = [n for n in r[8]
                if len(owners[n.casefold()]) == 1
                and english.get(n.casefold(), {r[0]}) == {r[0]}]
        r[8] = "|".join(keep)
    rows.sort(key=lambda r: r[0])
    return rows


def check(rows):
    iso3s = [r[0] for r in rows]
    assert len(set(iso3s)) == len(iso3s), "duplicate iso3"
    for k in list(EXTRA_ALIASES) + list(EXTRA_DEMONYMS) + list(CAMEO) \
            + list(DROP_ALIASES) + list(DROP_DEMONYMS):
        assert k in iso3s, "hand data for unknown iso3 %s" % k
    for r in rows:
        assert len(r) == len(HEADER)
        for v in r:
            assert "\t" not in v and "\n" not in v
        float(r[3]), float(r[4])
    # An alias must point at one row only, and never at another row's name or code.
    owner = {}
    for r in rows:
        for key in [r[0], r[1], r[2]] + ([r[7]] if r[7] else []):
            owner.setdefault(key.casefold(), set()).add(r[0])
    for r in rows:
        for a in filter(None, r[5].split("|")):
            owner.setdefault(a.casefold(), set()).add(r[0])
    clashes = {k: v for k, v in owner.items() if len(v) > 1}
    assert not clashes, "ambiguous names/aliases: %r" % clashes


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    src = argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    out = argv[2] if len(argv) > 2 else os.path.join(here, "..", "countries.tsv")
    with open(src, encoding="utf-8") as f:
        countries = json.load(f)
    rows = build_rows(countries)
    check(rows)
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(HEADER) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    sys.stderr.write("wrote %d rows to %s\n" % (len(rows), os.path.normpath(out)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
