#!/usr/bin/env python3
"""Generate a synthetic GDELT 2.0 events export for load benchmarks.

    python3 gen_gdelt.py --rows N --out PATH [--seed S] [--sample REAL.CSV] [--avg-bytes B]

Writes N rows the way GDELT ships its 15-minute event exports: tab-separated, no
header, exactly 61 columns, LF line ends, UTF-8. The values are built from a real
export (default: /work/shared/data/gdelt2_20191024143000.export.CSV, 2,111 rows) so
that field widths, empty-field rates and value distributions look like real data:

* GLOBALEVENTID increases; rows are ordered by DATEADDED (15-minute slots over ~2
  years ending 2019-10-24 14:30, recent days up to 3x denser than old ones).
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

Output is deterministic for a given --seed and sample file. --avg-bytes steers the
slug lengths so the mean line length (newline included) approaches B; by default
no steering is done and lines come out near the real sample's mean. Prints the
number of bytes written.
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
    """Re-draws slug words, ids and dates of real URLs."""

    DATE_RE = re.compile(r"(?<!\d)(20[0-2]\d)([/-])([01]\d)(?:\2([0-3]\d))?(?!\d)")
    DATE8_RE = re.compile(r"(?<!\d)20[0-2]\d[01]\d[0-3]\d(?!\d)")
    TOKEN_RE = re.compile(r"[A-Za-z]+|\d+|[^A-Za-z\d]+")

    def __init__(self, urls, rng):
        self.rng = rng
        vocab = []
        self.templates = []
        for u in sorted(set(urls)):
            m = re.match(r"(https?://[^/]+)(.*)$", u)
            if not m:
                continue
            head, path = m.groups()
            parts = []  # list of segments; each segment: (kind, tokens)
            for seg in re.split(r"(/|\?|&|=)", path):
                toks = self.TOKEN_RE.findall(seg)
                words = [t for t in toks if t.isalpha()]
                slug = len(words) >= 3 and ("-" in seg or "_" in seg or "+" in seg)
                if slug:
                    vocab.extend(w.lower() for w in words)
                parts.append((slug, seg, toks))
            self.templates.append((head, parts))
        self.vocab = vocab or ["news"]

    def _word(self, like):
        w = self.vocab[int(self.rng.random() * len(self.vocab))]
        if like[:1].isupper():
            w = w.upper() if like.isupper() and len(like) > 1 else w.capitalize()
        return w

    def _digits(self, n):
        r = self.rng
        return str(r.randint(1, 9)) + "".join(str(int(r.random() * 10)) for _ in range(n - 1))

    def _num(self, m):
        t = m.group()
        if re.fullmatch(r"20[0-2]\d", t) or self.DATE8_RE.fullmatch(t):
            return t  # a year or a date: DATE_RE / DATE8_RE handle it
        return self._digits(len(t))

    def make(self, day, delta):
        """A URL for an article published on `day`; `delta` asks for about that many more (or fewer) chars."""
        head, parts = self.templates[int(self.rng.random() * len(self.templates))]
        out = []
        first_slug = None
        for slug, seg, toks in parts:
            if not slug:
                out.append(seg)
                continue
            new = [self._word(t) if t.isalpha() else t for t in toks]
            if first_slug is None:
                first_slug = new
            out.append(new)
        if delta and first_slug is not None:
            toks = first_slug
            sep = "_" if "_" in toks and "-" not in toks else "-"
            if delta > 0:
                added = 0
                while added < delta:
                    w = self._word("a")
                    toks.extend([sep, w])
                    added += len(w) + 1
            else:
                removed = 0
                while removed < -delta and len(toks) > 5 and toks[-2] == sep and toks[-1].isalpha():
                    removed += len(toks[-1]) + 1
                    del toks[-2:]
        path = "".join(x if isinstance(x, str) else "".join(x) for x in out)
        path = re.sub(r"\d{3,}", self._num, path)  # article ids, numeric slugs
        path = self.DATE_RE.sub(
            lambda m: f"{day.year}{m.group(2)}{day.month:02d}"
            + (f"{m.group(2)}{day.day:02d}" if m.group(4) else ""), path)
        path = self.DATE8_RE.sub(day.strftime("%Y%m%d"), path)
        return head + path


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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sample", default=os.environ.get("GDELT2_SAMPLE", DEFAULT_SAMPLE))
    ap.add_argument("--avg-bytes", type=float, default=0.0,
                    help="steer mean line length (bytes incl. LF) towards this; 0 = no steering")
    a = ap.parse_args()
    if a.rows < 0:
        sys.exit("--rows must be >= 0")
    t0 = time.time()
    rng = random.Random(a.seed)
    rnd = rng.random
    rows = read_sample(a.sample)

    real_actors, synth_actors = build_actor_pools(rows, rng)
    events = ["\t".join(r[26:31]) for r in rows]  # EventCode, Base, Root, QuadClass, Goldstein
    mentions = ["\t".join(r[31:34]) for r in rows]
    geos = [g for r in rows for g in ("\t".join(r[35:43]), "\t".join(r[43:51]), "\t".join(r[51:59]))
            if not g.startswith("0\t")]
    urls = UrlMaker([r[60] for r in rows], rng)

    n = a.rows
    end_ts = (END_SLOT - EPOCH).total_seconds()
    span_s = SPAN_DAYS * 86400.0
    start_id = END_EVENT_ID - int(span_s * IDS_PER_SECOND)
    bias = RECENT_BIAS
    norm = 1.0 + bias / 2.0

    date_cache = {}

    def date_fields(d):
        s = date_cache.get(d)
        if s is None:
            s = f"{d:%Y%m%d}\t{d:%Y%m}\t{d.year}\t{d.year + ((d.month - 1) * 30 + d.day) / 365:.4f}"
            date_cache[d] = s
        return s

    def sql_day(day):
        u = rnd()
        if u < 0.955:
            return day
        if u < 0.965:
            return day - dt.timedelta(days=1)
        if u < 0.970:
            return day - dt.timedelta(days=7)
        if u < 0.980:  # "last month": same day a month earlier
            y, m = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
            return dt.date(y, m, min(day.day, 28))
        if u < 0.991:  # "last year"
            return dt.date(day.year - 1, day.month, min(day.day, 28))
        return day - dt.timedelta(days=rng.randint(2, 400))

    def actor():
        if rnd() < 0.62:
            return real_actors[int(rnd() * len(real_actors))]
        return synth_actors[int(rnd() * len(synth_actors))]

    def geo():
        return geos[int(rnd() * len(geos))]

    class Article:
        __slots__ = ("url", "tone", "left", "cast", "loc")

    def new_article(day, bytes_done, rows_done):
        art = Article()
        delta = 0
        if a.avg_bytes and rows_done:
            err = a.avg_bytes * rows_done - bytes_done  # > 0: lines so far too short
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
    cur_slot = None
    open_arts = []
    chunk = []
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        for i in range(n):
            # time of row i: inverse CDF of a linearly rising density over the span
            u = (i + 0.5) / n
            x = (-1.0 + math.sqrt(1.0 + 2.0 * bias * u * norm)) / bias
            ts = end_ts - span_s * (1.0 - x)
            slot = int(ts // 900)
            if slot != cur_slot:
                cur_slot = slot
                when = EPOCH + dt.timedelta(seconds=slot * 900)
                day = when.date()
                added = when.strftime("%Y%m%d%H%M%S")
                open_arts = []
                id_floor = start_id + int((slot * 900 - (end_ts - span_s)) * IDS_PER_SECOND)
                last_id = max(last_id, id_floor)
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
                str(last_id), date_fields(sql_day(day)), a1, a2,
                "1" if rnd() < 0.6 else "0",
                events[int(rnd() * len(events))],
                mentions[int(rnd() * len(mentions))],
                art.tone, g1, g2, ga, added, art.url))
            chunk.append(line)
            bytes_done += len(line.encode("utf-8")) + 1 if a.avg_bytes else 0
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


if __name__ == "__main__":
    main()
