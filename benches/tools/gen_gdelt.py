#!/usr/bin/env python3
"""Generate a synthetic GDELT 2.0 events export for load benchmarks.

    python3 gen_gdelt.py --rows N --out PATH [--seed S] [--sample REAL.CSV] [--avg-bytes B]

Writes N rows the way GDELT ships its 15-minute event exports: tab-separated, no
header, exactly 61 columns, LF line ends, UTF-8. The values are built from a real
export (default: /work/shared/data/gdelt2_20191024143000.export.CSV, 2,111 rows) so
that field widths, empty-field rates and value distributions look like real data:

* Rows come in "exports" sharing one DATEADDED (15-minute slots over ~2 years
  ending 2019-10-24, recent days up to 3x denser than old ones), as if 15-minute
  files had been concatenated; GLOBALEVENTID increases throughout.
* SQLDATE is mostly the DATEADDED day, sometimes a day/week/month/year earlier;
  MonthYear, Year and FractionDate (Year + ((month-1)*30+day)/365, as GDELT does)
  follow from it.
* Actors: real Code/Name/CountryCode/.../Type blocks from the sample, plus ~9,500
  synthetic ones (real place names x real role words, synthetic person names), so
  a big file has ~10,000 distinct actor names. ~12 % rows have no Actor2, ~3 % no
  Actor1, never both. An article re-uses a small cast of actors, as real ones do.
* Event codes, QuadClass and GoldsteinScale are copied together from real rows
  (CAMEO codes keep leading zeros); mention counts from real rows; AvgTone is a
  word-count ratio printed like GDELT's (14 decimals, trailing zeros cut).
* Geo blocks are real 8-field blocks; a block is "0" and 7 empties when its actor
  is empty.
* SOURCEURL is a real URL from the sample with its slug words, ids and dates
  re-drawn, so domains, path shapes and lengths match the real file.

Output is deterministic for a given --seed and sample file. Lines average ~421
bytes, 4 % above the sample's 405, because actors are empty less often here than
in the sample (3 %/12 % against 8 %/25 %). --avg-bytes B (or "sample") steers URL
slug lengths so the mean line length (LF included) approaches B; slugs can only
shrink so far (~390 bytes is the floor). Prints the number of bytes written.
"""

import argparse
import datetime as dt
import math
import os
import random
import re
import sys
import time

DEFAULT_SAMPLE = "/work/shared/data/gdelt2_20191024143000.export.CSV"
END_SLOT = dt.datetime(2019, 10, 24, 14, 30)  # DATEADDED of the last rows (UTC)
EPOCH = dt.datetime(1970, 1, 1)
SPAN_DAYS = 730  # ~2 years
RECENT_BIAS = 2.0  # density rises linearly from 1 (oldest) to 1 + RECENT_BIAS (newest)
END_EVENT_ID = 881_990_832  # GLOBALEVENTID of the sample's first row
IDS_PER_SECOND = 2.4  # ~200k events a day, as in real GDELT

EMPTY_ACTOR = "\t" * 9  # 10 empty fields
EMPTY_GEO = "0" + "\t" * 7  # type 0, 7 empty fields

FIRST_NAMES = """JOHN MARY AHMED FATIMA MOHAMMED ALI OMAR AISHA HASSAN LAYLA IVAN OLGA
SERGEI NATALIA DMITRI ELENA VLADIMIR ANNA PIERRE MARIE JEAN SOPHIE LUCA GIULIA MARCO
CARLOS MARIA JOSE ANA LUIS JUAN ROSA PEDRO HANS ANGELA KLAUS PETRA WEI LI MING XIAO
HIROSHI YUKI KENJI AKIRA RAJ PRIYA ARJUN SUNITA RAHUL KWAME AMARA CHIDI NGOZI JOSEPH
SAMUEL DAVID SARAH MICHAEL JAMES ROBERT ELIZABETH WILLIAM EMMA THOMAS LAURA PAUL
GEORGE HELEN YUSUF MARIAM KARIM NADIA TARIQ ZAINAB MUSTAFA LEILA RECEP EMINE MEHMET
AYSE JOAO BEATRIZ PIOTR AGNIESZKA TOMAS JAN ERIK INGRID LARS SVEN KIM MIN JI SUNG""".split()
LAST_NAMES = """SMITH JOHNSON BROWN GARCIA RODRIGUEZ MARTINEZ LOPEZ GONZALEZ MULLER SCHMIDT
SCHNEIDER FISCHER DUBOIS MARTIN BERNARD ROSSI RUSSO FERRARI IVANOV PETROV SMIRNOV
VOLKOV KHAN AHMED HUSSEIN RAHMAN HOSSEINI KARIMI HADDAD NASSER ABDULLAH YILMAZ KAYA
DEMIR SINGH KUMAR SHARMA PATEL GUPTA WANG ZHANG CHEN LIU YANG TANAKA SUZUKI SATO
WATANABE KIM PARK CHOI NGUYEN TRAN OKAFOR MENSAH OKONKWO BANDA MWANGI KAMAU DIALLO
TRAORE SILVA SANTOS OLIVEIRA SOUZA PEREIRA KOWALSKI NOWAK NOVAK HORVAT JENSEN HANSEN
NIELSEN ANDERSSON JOHANSSON OBRIEN MURPHY WALSH TAYLOR WILSON DAVIES EVANS THOMAS""".split()
PERSON_TYPES = ["GOV", "GOV", "GOV", "ELI", "ELI", "LEG", "BUS", "JUD", "MIL", "OPP", "MED", "CVL"]
SYNTH_PLACE_ROLE = 6_000
SYNTH_PERSONS = 3_500


def read_sample(path):
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            r = line.rstrip("\r\n").split("\t")
            if len(r) != 61:
                sys.exit(f"{path}: a row has {len(r)} columns, expected 61")
            rows.append(r)
    if not rows:
        sys.exit(f"{path}: empty")
    return rows


def build_actor_pools(rows, rng):
    """Real actor blocks (with their frequencies) and a synthetic pool."""
    real = ["\t".join(r[5:15]) for r in rows if r[5]] + ["\t".join(r[15:25]) for r in rows if r[15]]
    blocks = [r[5:15] for r in rows if r[5]] + [r[15:25] for r in rows if r[15]]
    names = {b[1] for b in blocks}
    places = sorted({(b[0], b[1]) for b in blocks if b[2] and b[0] == b[2]})
    roles = sorted({tuple(b) for b in blocks if not b[2] and b[7] and not b[0].startswith("IGO")})
    countries = sorted({b[2] for b in blocks if len(b[2]) == 3})
    synth = []
    seen = set(names)
    combos = [(p, r) for p in places for r in roles]
    rng.shuffle(combos)
    for (ccode, pname), role in combos:
        if len(synth) >= SYNTH_PLACE_ROLE:
            break
        name = f"{pname} {role[1]}"
        if name in seen:
            continue
        seen.add(name)
        # code = country + role code; keep the role's Known/Ethnic/Religion/Type fields
        synth.append("\t".join([ccode + role[0], name, ccode] + list(role[3:10])))
    persons = [(a, b) for a in FIRST_NAMES for b in LAST_NAMES]
    rng.shuffle(persons)
    n = 0
    for first, last in persons:
        if n >= SYNTH_PERSONS:
            break
        name = f"{first} {last}"
        if name in seen:
            continue
        seen.add(name)
        cc = rng.choice(countries)
        t = rng.choice(PERSON_TYPES)
        synth.append("\t".join([cc + t, name, cc, "", "", "", "", t, "", ""]))
        n += 1
    return real, synth


class UrlMaker:
    """Re-draws the slug words, ids and dates of real URLs, keeping their shape."""

    DATE_RE = re.compile(r"(?<!\d)(20[0-2]\d)([/-])([01]\d)(?:\2([0-3]\d))?(?!\d)")
    DATE8_RE = re.compile(r"(?<!\d)20[0-2]\d[01]\d[0-3]\d(?!\d)")
    YEAR_RE = re.compile(r"20[0-2]\d")
    PIECE_RE = re.compile(r"[A-Za-z0-9]+|[^A-Za-z0-9]+")
    LOWER = "abcdefghijklmnopqrstuvwxyz"
    UPPER = LOWER.upper()

    def __init__(self, urls, rng):
        self.rng = rng
        vocab = []
        self.templates = []
        for u in sorted(set(urls)):
            m = re.match(r"(https?://[^/?]+)(.*)$", u)
            if not m:
                continue
            head, path = m.groups()
            pieces = self.PIECE_RE.findall(path)
            kinds = []  # per piece: "w" word, "n" number, "x" mixed id, "k" keep
            for j, p in enumerate(pieces):
                prev = pieces[j - 1] if j else ""
                last_in_seg = j + 1 == len(pieces) or pieces[j + 1][0] in "/?&=#"
                if not p.isalnum() or (prev.endswith(".") and last_in_seg):
                    kinds.append("k")  # separators and file extensions
                elif p.isdigit():
                    kinds.append("k" if len(p) < 3 or self.YEAR_RE.fullmatch(p) or self.DATE8_RE.fullmatch(p)
                                 else "n")
                elif p.isalpha():
                    # a word of a slug (next to - _ +) is re-drawn; bare path words (news, en) kept
                    nxt = pieces[j + 1] if j + 1 < len(pieces) else ""
                    in_slug = prev[-1:] in "-_+" or nxt[:1] in "-_+"
                    kinds.append("w" if in_slug else "k")
                    if in_slug:
                        vocab.append(p.lower())
                else:
                    kinds.append("x")
            self.templates.append((head, pieces, kinds))
        self.vocab = vocab or ["news"]

    def _word(self, like):
        w = self.vocab[int(self.rng.random() * len(self.vocab))]
        if like[:1].isupper():
            w = w.upper() if like.isupper() and len(like) > 1 else w.capitalize()
        return w

    def _digits(self, n):
        r = self.rng.random
        return str(1 + int(r() * 9)) + "".join(str(int(r() * 10)) for _ in range(n - 1))

    def _mixed(self, t):
        """Random token shaped like t: hex stays hex (UUIDs, hashes), else digits/letters by position."""
        r = self.rng.random
        if all(c in "0123456789abcdef" for c in t):
            return "".join("0123456789abcdef"[int(r() * 16)] for _ in t)
        return "".join(str(int(r() * 10)) if c.isdigit()
                       else (self.UPPER if c.isupper() else self.LOWER)[int(r() * 26)] for c in t)

    def make(self, day, delta):
        """A URL for an article published on `day`; `delta` asks for about that many more (or fewer) chars."""
        head, pieces, kinds = self.templates[int(self.rng.random() * len(self.templates))]
        out = []
        last_word = -1
        for p, k in zip(pieces, kinds):
            if k == "w":
                last_word = len(out)
                out.append(self._word(p))
            elif k == "n":
                out.append(self._digits(len(p)))
            elif k == "x":
                out.append(self._mixed(p))
            else:
                out.append(p)
        if delta and last_word > 0:
            sep = out[last_word - 1] if out[last_word - 1] in ("-", "_", "+") else "-"
            if delta > 0:
                extra = []
                while len(extra) < delta:
                    extra.append(sep + self._word("a"))
                out[last_word] += "".join(extra)
            else:  # drop slug words before the last one, keep at least two
                j = last_word - 2
                removed = 0
                while removed < -delta and j >= 2 and kinds_is_word(out, j, sep) and kinds_is_word(out, j - 2, sep):
                    removed += len(out[j]) + 1
                    del out[j - 1:j + 1]
                    j -= 2
        path = "".join(out)
        path = self.DATE_RE.sub(
            lambda m: f"{day.year}{m.group(2)}{day.month:02d}"
            + (f"{m.group(2)}{day.day:02d}" if m.group(4) else ""), path)
        path = self.DATE8_RE.sub(day.strftime("%Y%m%d"), path)
        return head + path


def kinds_is_word(out, j, sep):
    """out[j] is a slug word preceded by the slug separator."""
    return out[j].isalpha() and j >= 1 and out[j - 1] == sep


def tone_str(rng):
    """AvgTone as GDELT computes and prints it: 100*(pos-neg)/words, 14 decimals, trailing zeros cut."""
    words = int(rng.lognormvariate(6.4, 0.7)) + 20
    target = rng.gauss(-2.3, 3.6) / 100.0  # real sample: mean -2.3, sd 3.6
    base = rng.uniform(0.02, 0.06)
    pos = max(0, round(words * (base + target / 2)))
    neg = max(0, round(words * (base - target / 2)))
    if pos == neg:
        return "0"
    return ("%.14f" % (100.0 * (pos - neg) / words)).rstrip("0").rstrip(".")


def avg_bytes_arg(v):
    return v if v == "sample" else float(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sample", default=os.environ.get("GDELT2_SAMPLE", DEFAULT_SAMPLE))
    ap.add_argument("--avg-bytes", type=avg_bytes_arg, default=0.0,
                    help="steer the mean line length (bytes incl. LF) towards this by lengthening or "
                         "shortening URL slugs; 0 (default): no steering; 'sample': the sample's mean")
    a = ap.parse_args()
    if a.rows < 0:
        sys.exit("--rows must be >= 0")
    t0 = time.time()
    rng = random.Random(a.seed)
    rnd = rng.random
    rows = read_sample(a.sample)
    if a.avg_bytes == "sample":
        a.avg_bytes = sum(len("\t".join(r).encode("utf-8")) + 1 for r in rows) / len(rows)

    real_actors, synth_actors = build_actor_pools(rows, rng)
    events = ["\t".join(r[26:31]) for r in rows]  # EventCode, Base, Root, QuadClass, Goldstein
    mentions = ["\t".join(r[31:34]) for r in rows]
    geos = [g for r in rows for g in ("\t".join(r[35:43]), "\t".join(r[43:51]), "\t".join(r[51:59]))
            if not g.startswith("0\t")]
    urls = UrlMaker([r[60] for r in rows], rng)

    n = a.rows
    target = a.avg_bytes
    end_ts = (END_SLOT - EPOCH).total_seconds()
    span_s = SPAN_DAYS * 86400.0
    start_ts = end_ts - span_s
    start_id = END_EVENT_ID - int(span_s * IDS_PER_SECOND)
    bias = RECENT_BIAS
    norm = 1.0 + bias / 2.0
    # The file is a run of "exports" (batches sharing one DATEADDED), like concatenated
    # 15-minute files; a real one holds ~2,000 rows, a small file gets smaller ones.
    batch_mean = max(20, min(2000, n // 2000))

    date_cache = {}

    def date_fields(d):
        s = date_cache.get(d)
        if s is None:
            s = f"{d:%Y%m%d}\t{d:%Y%m}\t{d.year}\t{d.year + ((d.month - 1) * 30 + d.day) / 365:.4f}"
            date_cache[d] = s
        return s

    def other_day(day):
        """SQLDATE of an event not dated on its article's day."""
        u = rnd()
        if u < 0.25:
            return day - dt.timedelta(days=1)
        if u < 0.35:
            return day - dt.timedelta(days=7)
        if u < 0.55:  # "last month": same day a month earlier
            y, m = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
            return dt.date(y, m, min(day.day, 28))
        if u < 0.80:  # "last year"
            return dt.date(day.year - 1, day.month, min(day.day, 28))
        return day - dt.timedelta(days=rng.randint(2, 400))

    def actor():
        if rnd() < 0.75:
            return real_actors[int(rnd() * len(real_actors))]
        return synth_actors[int(rnd() * len(synth_actors))]

    def geo():
        return geos[int(rnd() * len(geos))]

    class Article:
        __slots__ = ("url", "tone", "left", "cast", "loc")

    def new_article(day, bytes_done, rows_done):
        art = Article()
        delta = 0
        if target and rows_done:
            err = target * rows_done - bytes_done  # > 0: lines so far too short
            delta = int(max(-70, min(70, err / 20)))
        art.url = urls.make(day, delta)
        art.tone = tone_str(rng)
        art.left = 1 + int(rng.expovariate(1 / 4.0))
        art.cast = [actor() for _ in range(rng.randint(2, 5))]
        art.loc = geo()
        return art

    out_dir = os.path.dirname(os.path.abspath(a.out))
    os.makedirs(out_dir, exist_ok=True)
    tmp = a.out + ".tmp"
    bytes_done = 0
    last_id = start_id
    last_slot = -1
    batch_end = 0
    open_arts = []
    chunk = []
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for i in range(n):
            if i >= batch_end:  # next export: place it by inverse CDF of a rising density
                size = max(1, int(batch_mean * rng.uniform(0.5, 1.5)))
                u = min(1.0, (i + size / 2) / n)
                x = (-1.0 + math.sqrt(1.0 + 2.0 * bias * u * norm)) / bias
                slot = max(last_slot + 1, int((start_ts + span_s * x) // 900))
                last_slot = slot
                batch_end = i + size
                when = EPOCH + dt.timedelta(seconds=slot * 900)
                day = when.date()
                same_day = date_fields(day)
                added = when.strftime("%Y%m%d%H%M%S")
                open_arts = []
                last_id = max(last_id, start_id + int((slot * 900 - start_ts) * IDS_PER_SECOND))
            last_id += 1 + (int(rnd() * 4) if rnd() < 0.2 else 0)

            if len(open_arts) < 3:
                open_arts.append(new_article(day, bytes_done, i))
            k = int(rnd() * len(open_arts))
            art = open_arts[k]
            art.left -= 1
            if art.left <= 0:
                open_arts.pop(k)

            u = rnd()
            has1 = u >= 0.03
            has2 = u < 0.03 or u >= 0.15
            cast = art.cast
            a1 = (cast[int(rnd() * len(cast))] if rnd() < 0.7 else actor()) if has1 else EMPTY_ACTOR
            a2 = (cast[int(rnd() * len(cast))] if rnd() < 0.7 else actor()) if has2 else EMPTY_ACTOR
            if has1 and a2 == a1:
                a2 = actor()

            v = rnd()
            ga = art.loc if v < 0.62 else (EMPTY_GEO if v > 0.98 else geo())
            if has1:
                v = rnd()
                g1 = EMPTY_GEO if v < 0.02 else (ga if v < 0.69 and ga is not EMPTY_GEO else geo())
            else:
                g1 = EMPTY_GEO
            if has2:
                v = rnd()
                g2 = EMPTY_GEO if v < 0.02 else (ga if v < 0.78 and ga is not EMPTY_GEO else geo())
            else:
                g2 = EMPTY_GEO

            line = "\t".join((
                str(last_id), same_day if rnd() < 0.955 else date_fields(other_day(day)), a1, a2,
                "1" if rnd() < 0.6 else "0",
                events[int(rnd() * len(events))],
                mentions[int(rnd() * len(mentions))],
                art.tone, g1, g2, ga, added, art.url))
            chunk.append(line)
            if target:
                bytes_done += len(line.encode("utf-8")) + 1
            if len(chunk) >= 20000:
                chunk.append("")
                f.write("\n".join(chunk))
                chunk = []
        if chunk:
            chunk.append("")
            f.write("\n".join(chunk))
    os.replace(tmp, a.out)
    size = os.path.getsize(a.out)
    secs = time.time() - t0
    avg = size / n if n else 0
    print(f"wrote {size} bytes ({n} rows, {avg:.1f} bytes/row) to {a.out} in {secs:.1f}s")
    if target and n >= 1000 and abs(avg - target) > 0.02 * target:
        print(f"warning: mean line length {avg:.1f} is off the --avg-bytes target {target:.1f} "
              "(URL slugs can only stretch or shrink so far)", file=sys.stderr)


if __name__ == "__main__":
    main()
