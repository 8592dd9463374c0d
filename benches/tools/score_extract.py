#!/usr/bin/env python3
"""Scores `relmap extract` against hand-labelled events.

    python3 benches/tools/score_extract.py [--relmap PATH] [--set dev|heldout|seed|all]

Articles live in tests/fixtures/articles/: `NAME.{txt,md,html}` with its gold events in
`NAME.gold.csv` (native CSV columns: date, actor1, actor1_kind, actor1_country, actor2, …,
class). The seed article (../shared/data/seed-article.txt, or tests/fixtures/articles/seed)
is scored against the bundled sample assets/sample/belarus-iran.csv.

Matching, one to one (a maximum bipartite matching per level):
  * actor: the same name (case and spacing ignored), the same surname for two people, or the
    same country (a country itself, or the country a person or institution belongs to), so
    that "Iranian delegation" matches "Armed Forces of Iran" and "Belarus" matches
    "Ministry of Defence of Belarus": the country level a relation map is read at;
  * pair: both actors match, in either order;
  * pair + date: and the predicted date, cut to the gold date's precision, equals it (a
    prediction coarser than the gold date does not match);
  * pair + date + class: and the QuadClass is the same.

The baseline is every pair of countries named in one sentence, dated on the publication day
(`relmap extract --baseline`). Standard library only.
"""

import argparse
import csv
import io
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ARTICLES = os.path.join(ROOT, "tests", "fixtures", "articles")
SEED = os.path.join(os.path.dirname(ROOT), "shared", "data", "seed-article.txt")
SEED_GOLD = os.path.join(ROOT, "assets", "sample", "belarus-iran.csv")


def norm(name):
    return " ".join(name.lower().split())


def load_countries():
    """Every name, alternative name and demonym of the bundled table → ISO3, so that gold
    written "Turkey" and a prediction named "Türkiye" are one country."""
    names = {}
    with open(os.path.join(ROOT, "assets", "countries.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            cols = line.rstrip("\n").split("\t")
            for column in (2, 5, 6):
                if column < len(cols):
                    for name in cols[column].split("|"):
                        if name.strip():
                            names.setdefault(norm(name), cols[0])
    return names


COUNTRIES = load_countries()


def country_key(name):
    return COUNTRIES.get(norm(name), norm(name))


MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]


def parse_date(text):
    """`2024`, `2024-05`, `2024-05-13`, `May 2024`, `13 May 2024` → (year, month, day) prefix."""
    text = text.strip()
    words = text.replace(",", " ").split()
    if len(words) > 1:
        month = next(MONTHS.index(w.lower()) + 1 for w in words if w.lower() in MONTHS)
        year = next(int(w) for w in words if len(w) == 4 and w.isdigit())
        day = [int(w) for w in words if w.isdigit() and len(w) <= 2]
        return (year, month, day[0]) if day else (year, month)
    return tuple(int(p) for p in text.split("-"))


class Actor:
    def __init__(self, name, kind, country):
        self.name = norm(name)
        self.kind = (kind or "").strip().lower()
        if country:
            self.country = country_key(country)
        else:
            self.country = country_key(name) if self.kind == "country" else ""
        if self.kind == "country":
            self.name = self.country

    def matches(self, other):
        if self.name == other.name:
            return True
        if self.kind == "person" and other.kind == "person":
            if self.name.split()[-1:] == other.name.split()[-1:]:
                return True
        return bool(self.country) and self.country == other.country


class Event:
    def __init__(self, row):
        self.a1 = Actor(row.get("actor1", ""), row.get("actor1_kind"), row.get("actor1_country"))
        self.a2 = Actor(row.get("actor2", ""), row.get("actor2_kind"), row.get("actor2_country"))
        self.date = parse_date(row["date"])
        self.klass = norm(row.get("class", ""))

    def pair(self, gold):
        return (self.a1.matches(gold.a1) and self.a2.matches(gold.a2)) or (
            self.a1.matches(gold.a2) and self.a2.matches(gold.a1)
        )

    def date_ok(self, gold):
        return len(self.date) >= len(gold.date) and self.date[: len(gold.date)] == gold.date


LEVELS = {
    "pair": lambda p, g: p.pair(g),
    "pair+date": lambda p, g: p.pair(g) and p.date_ok(g),
    "pair+date+class": lambda p, g: p.pair(g) and p.date_ok(g) and p.klass == g.klass,
}


def max_matching(pred, gold, ok):
    """Size of a maximum one-to-one matching (augmenting paths; the sets are small)."""
    edges = [[j for j, g in enumerate(gold) if ok(p, g)] for p in pred]
    owner = [-1] * len(gold)

    def augment(i, seen):
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if owner[j] == -1 or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(1 for i in range(len(pred)) if augment(i, set()))


def read_events(text):
    return [Event(row) for row in csv.DictReader(io.StringIO(text)) if row.get("date", "").strip()]


def run_relmap(relmap, article, baseline):
    cmd = [relmap, "extract", article, "--format", "csv"]
    if baseline:
        cmd.append("--baseline")
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return read_events(out.stdout)


def articles(which):
    found = []
    if which in ("seed", "all") and os.path.exists(SEED):
        found.append(("seed", SEED, SEED_GOLD))
    for name in sorted(os.listdir(ARTICLES)):
        stem, ext = os.path.splitext(name)
        if ext not in (".txt", ".md", ".html") or stem.endswith(".gold") or stem == "README":
            continue
        kind = "heldout" if stem.startswith("heldout") else "dev"
        if which in (kind, "all"):
            found.append((kind, os.path.join(ARTICLES, name), os.path.join(ARTICLES, stem + ".gold.csv")))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--relmap", default=os.path.join(ROOT, "target", "release", "relmap"))
    ap.add_argument("--set", default="all", choices=["all", "dev", "heldout", "seed"])
    ap.add_argument("--verbose", action="store_true", help="per article figures")
    args = ap.parse_args()
    if not os.path.exists(args.relmap):
        sys.exit(f"no relmap binary at {args.relmap}: cargo build --release, or give --relmap")

    totals = {}
    for kind, path, gold_path in articles(args.set):
        with open(gold_path, encoding="utf-8") as f:
            gold = read_events(f.read())
        for system, baseline in (("extractor", False), ("baseline", True)):
            pred = run_relmap(args.relmap, path, baseline)
            t = totals.setdefault((kind, system), {"pred": 0, "gold": 0, **{l: 0 for l in LEVELS}})
            t["pred"] += len(pred)
            t["gold"] += len(gold)
            for level, ok in LEVELS.items():
                t[level] += max_matching(pred, gold, ok)
            if args.verbose:
                hits = {l: max_matching(pred, gold, ok) for l, ok in LEVELS.items()}
                print(f"  {os.path.basename(path)} {system}: {len(pred)} predicted, {len(gold)} gold, {hits}")

    print("| set | system | predicted | gold | level | precision | recall | F1 |")
    print("|---|---|---:|---:|---|---:|---:|---:|")
    for (kind, system), t in totals.items():
        for level in LEVELS:
            hit = t[level]
            p = hit / t["pred"] if t["pred"] else 0.0
            r = hit / t["gold"] if t["gold"] else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            print(f"| {kind} | {system} | {t['pred']} | {t['gold']} | {level} | {p:.2f} | {r:.2f} | {f:.2f} |")


if __name__ == "__main__":
    main()
