"""A deterministic generator of realistic claims data for the benchmarks.

Every figure comes from one seeded ``random.Random``, so a size always yields the same
database. The schema is made by ``claims.open_database`` (the Alembic head); rows go in
through plain ``sqlite3.executemany``, which is the fastest way in and keeps the bench
independent of the library code it measures.

Shape (matching what users keep): 5k entities with aliases in several scripts, 20k
sources of which some came via another, 1 to 4 entities per claim chosen with a skewed
(Zipf-like) popularity so a few entities ("Iran") are in a large share of claims, a fifth
of claims linked to an earlier one, 1 to 3 status events per claim over the whole
vocabulary, tags, quotes and dates.

Run by hand: ``python bench/generate.py 100k`` prints where the cached file is.
"""

from __future__ import annotations

import itertools
import random
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from claims.parse import text_hash

# Bump whenever the data a seed produces changes: cached files are keyed by it.
GENERATOR_VERSION = 2  # 2: repeated texts within a source made unique
SEED = 20250421
CLAIM_INSERT = (
    "INSERT INTO claims (id, text, quote, speaker_id, source_id, said_on, external_id, "
    "status_event_id, created_at, updated_at, text_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
OUT_DIR = Path(__file__).resolve().parent / "out"
SIZES = {"0": 0, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}

N_ENTITIES = 5_000
N_SOURCES = 20_000
CHUNK = 20_000
EPOCH = datetime(2024, 1, 1, 12, 0, 0)

# The entities the benchmarks ask about: the most popular one, and a middling one.
HOT_ENTITY = "Iran"
TYPICAL_RANK = 500
# A word placed in about 1% of claim texts, for the search benchmark.
SEARCH_WORD = "centrifuge"

WELL_KNOWN: list[tuple[str, str, list[str]]] = [
    ("Iran", "country", ["Tehran", "ایران", "Иран", "Islamic Republic of Iran"]),
    ("Russia", "country", ["Moscow", "Россия", "روسیه", "Russian Federation"]),
    ("United States", "country", ["Washington", "USA", "США", "ایالات متحده"]),
    ("Vladimir Putin", "person", ["Putin", "Владимир Путин", "پوتین"]),
    ("Masoud Pezeshkian", "person", ["Pezeshkian", "مسعود پزشکیان", "Пезешкиан"]),
    ("IAEA", "organization", ["International Atomic Energy Agency", "МАГАТЭ"]),
    ("Bushehr", "facility", ["Bushehr nuclear plant", "بوشهر", "Бушер"]),
    ("Comprehensive Strategic Partnership Treaty", "agreement", ["the treaty", "CSPT"]),
]

GIVEN = ["José", "María", "Zoë", "Łukasz", "Søren", "Ángel", "François", "Çağan", "Nuño",
         "Владимир", "Сергей", "Анна", "Ольга", "Дмитрий", "Мария",
         "محمد", "علی", "زهرا", "مریم", "حسین", "فاطمه",
         "John", "Sarah", "Ahmed", "Li", "Priya", "Kwame", "Elena", "Omar", "Hiroshi"]
FAMILY = ["Álvarez", "Müller", "Nørgaard", "Ibáñez", "Dvořák", "Kovačević", "Özdemir",
          "Петров", "Иванов", "Смирнова", "Лавров", "Кузнецов",
          "رضایی", "حسینی", "احمدی", "کریمی", "موسوی",
          "Smith", "Khan", "Okafor", "Nakamura", "Rossi", "Haddad", "Chen", "Garcia"]
ORG_WORDS = ["Institute", "Ministry", "Council", "Agency", "Bureau", "Foundation", "Office",
             "Комитет", "Союз", "سازمان", "Centre", "Forum", "Group", "Committee"]
PLACE_WORDS = ["Isfahan", "Natanz", "Qom", "Тула", "Казань", "Mashhad", "Tabriz", "Kherson",
               "Sevastopol", "Caspian", "Shiraz", "Омск", "Ahvaz", "Kerman", "Yazd"]
ENTITY_KINDS = ["person", "person", "person", "organization", "organization", "place",
                "facility", "agreement", "event", "country", "other"]
OUTLETS = ["Reuters", "AP", "AFP", "TASS", "RIA Novosti", "IRNA", "Tasnim", "Fars", "MENAFN",
           "BBC", "Al Jazeera", "The Guardian", "Le Monde", "El País", "Der Spiegel",
           "Коммерсантъ", "Известия", "همشهری", "ایران اینترنشنال", "Kyiv Independent",
           "Financial Times", "Bloomberg", "NHK", "Anadolu", "Xinhua"]
SOURCE_KINDS = ["article"] * 6 + ["statement", "transcript", "report", "social-post", "other"]
STATUSES = ["true", "mostly-true", "half-true", "mostly-false", "false", "unverified",
            "disputed", "unproven", "retracted", "outdated"]
STATUS_WEIGHTS = [8, 8, 8, 6, 8, 30, 10, 12, 3, 7]
LINK_KINDS = ["supports", "contradicts", "updates", "repeats", "responds-to"]
TAGS = ["nuclear", "sanctions", "treaty", "energy", "military", "trade", "oil", "gas",
        "diplomacy", "elections", "économie", "санкции", "تحریم", "caspian", "grain",
        "drones", "missiles", "banking", "swift", "rouble", "rial", "shipping", "ports",
        "rail", "space", "cyber", "media", "courts", "protests", "health"]
VERBS = ["agreed to", "denied", "announced", "rejected", "signed", "postponed", "expanded",
         "cut", "financed", "criticised", "welcomed", "threatened", "proposed", "доказал",
         "отверг", "اعلام کرد", "confirmed", "questioned", "approved", "blocked"]
OBJECTS = ["a new gas pipeline", "joint military exercises", "the grain corridor",
           "sanctions relief", "a payment system outside SWIFT", "the nuclear talks",
           "drone deliveries", "a free-trade zone", "the North-South transport corridor",
           "uranium enrichment limits", "an oil-for-goods scheme", "satellite launches",
           "a visa waiver", "the rail link to the Caspian", "a defence pact",
           "новый газопровод", "خط لوله گاز", "wheat exports", "port access", "a bank merger"]
QUALIFIERS = ["last year", "in March", "despite objections", "by a wide margin", "for 2026",
              "under pressure", "ahead of the summit", "after talks in Moscow", "in Tehran",
              "without a vote", "according to officials", "in a televised address"]


@dataclass(frozen=True)
class Plan:
    """How many rows of each kind a size produces, for the summary line."""

    claims: int
    history: int
    about: int
    tags: int
    links: int


def cache_stem(size: str) -> str:
    """Cached files are keyed by size, generator version and schema revision."""
    from claims.database.engine import SCHEMA_HEAD

    return f"claims-{size}-g{GENERATOR_VERSION}-s{SCHEMA_HEAD}"


def db_path(size: str) -> Path:
    return OUT_DIR / f"{cache_stem(size)}.db"


def jsonl_path(size: str) -> Path:
    return OUT_DIR / f"{cache_stem(size)}.jsonl"


def ensure_database(size: str, *, quiet: bool = False) -> Path:
    """The cached database for ``size``, generated first if it is missing."""
    path = db_path(size)
    if not path.exists():
        started = time.perf_counter()
        generate(path, SIZES[size])
        if not quiet:
            print(f"generated {path.name} in {time.perf_counter() - started:.1f}s",
                  file=sys.stderr)
    return path


def ensure_jsonl(size: str, *, quiet: bool = False) -> Path:
    """The cached database of ``size`` as ``claims export --format jsonl`` writes it."""
    from claims.database.engine import open_database
    from claims.io.export import export_claims

    path = jsonl_path(size)
    if not path.exists():
        started = time.perf_counter()
        partial = path.with_name(path.name + ".partial")
        database = open_database(ensure_database(size, quiet=quiet))
        try:
            with database.read() as session, partial.open("w", encoding="utf-8") as out:
                export_claims(session, out, "jsonl")
        finally:
            database.close()
        partial.rename(path)
        if not quiet:
            print(f"exported {path.name} in {time.perf_counter() - started:.1f}s",
                  file=sys.stderr)
    return path


def generate(path: Path, n_claims: int) -> Plan:
    """Write a fresh database with ``n_claims`` claims at ``path`` (atomically)."""
    from claims.database.engine import open_database

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    open_database(partial).close()  # the schema, exactly as Alembic's head creates it
    conn = sqlite3.connect(partial, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -400000")  # 400 MB: index pages stay in memory
        conn.execute("BEGIN")
        plan = Writer(conn, random.Random(SEED)).write(n_claims)
        conn.execute("COMMIT")
        # No ANALYZE: claims never runs it, so users' databases plan without statistics.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    partial.rename(path)
    return plan


def stamp(moment: datetime) -> str:
    """How SQLAlchemy's DateTime stores a value on SQLite."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


class Writer:
    """Produces and inserts the rows; all randomness flows from one ``random.Random``."""

    def __init__(self, conn: sqlite3.Connection, rng: random.Random) -> None:
        self.conn = conn
        self.rng = rng
        self.entity_names: list[str] = []
        self.people: list[int] = []
        self.used_keys: set[str] = set()
        self.texts_seen: set[tuple[int, int]] = set()
        self.links_written = 0

    def write(self, n_claims: int) -> Plan:
        self.write_entities()
        self.write_sources()
        return self.write_claims(n_claims)

    # --- entities and their names ---------------------------------------------------------

    def write_entities(self) -> None:
        from claims.names import name_key

        entities: list[tuple[object, ...]] = []
        names: list[tuple[object, ...]] = []
        for entity_id, (name, kind, aliases) in enumerate(self._entity_specs(), start=1):
            entities.append((entity_id, name, kind, None, stamp(EPOCH)))
            self.entity_names.append(name)
            if kind == "person":
                self.people.append(entity_id)
            for spelling in [name, *aliases]:
                key = name_key(spelling)
                if key not in self.used_keys:
                    self.used_keys.add(key)
                    names.append((len(names) + 1, entity_id, spelling, key))
        self.conn.executemany("INSERT INTO entities VALUES (?, ?, ?, ?, ?)", entities)
        self.conn.executemany("INSERT INTO entity_names VALUES (?, ?, ?, ?)", names)

    def _entity_specs(self) -> Iterator[tuple[str, str, list[str]]]:
        from claims.names import name_key

        taken: set[str] = set()
        for name, kind, aliases in WELL_KNOWN:
            taken.add(name_key(name))
            yield name, kind, aliases
        serial = 0
        while len(taken) < N_ENTITIES:
            serial += 1
            kind = self.rng.choice(ENTITY_KINDS)
            name = self._entity_name(kind, serial)
            if name_key(name) in taken:
                continue
            taken.add(name_key(name))
            yield name, kind, self._aliases(name, kind)

    def _entity_name(self, kind: str, serial: int) -> str:
        rng = self.rng
        if kind == "person":
            return f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
        if kind in ("organization", "other"):
            return f"{rng.choice(FAMILY)} {rng.choice(ORG_WORDS)} {serial}"
        if kind in ("place", "facility"):
            return f"{rng.choice(PLACE_WORDS)} {kind} {serial}"
        return f"{rng.choice(PLACE_WORDS)} {kind} of {2000 + serial % 26} ({serial})"

    def _aliases(self, name: str, kind: str) -> list[str]:
        count = self.rng.choices([0, 1, 2, 3], weights=[40, 35, 15, 10])[0]
        words = name.split()
        candidates = [words[-1] if kind == "person" else "".join(w[0] for w in words),
                      name.upper(), f"{name} (alt)", f"{words[0]}-{len(name)}"]
        return candidates[:count]

    # --- sources --------------------------------------------------------------------------

    def write_sources(self) -> None:
        rng = self.rng
        rows = []
        for source_id in range(1, N_SOURCES + 1):
            outlet = rng.choice(OUTLETS)
            published = date(2015, 1, 1) + timedelta(days=rng.randrange(4000))
            # Some sources came through an earlier one (a wire story citing a paper).
            via = rng.randrange(1, source_id) if source_id > 1 and rng.random() < 0.15 else None
            rows.append((
                source_id, f"src-{source_id:05d}",
                f"{rng.choice(OBJECTS).capitalize()}: {rng.choice(QUALIFIERS)}", outlet,
                f"https://news.example/{published:%Y/%m}/{source_id}" if rng.random() < 0.8
                else None,
                published.isoformat(), rng.choice(SOURCE_KINDS), via, None, stamp(EPOCH),
            ))
        self.conn.executemany("INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    # --- claims with their history, entities, tags and links ------------------------------

    def write_claims(self, n_claims: int) -> Plan:
        counts = dict.fromkeys(("history", "about", "tags", "links"), 0)
        weights = list(itertools.accumulate(1 / (rank + 1) ** 0.8 for rank in range(N_ENTITIES)))
        entity_ids = list(range(1, N_ENTITIES + 1))
        next_event = 1
        for start in range(1, n_claims + 1, CHUNK):
            batch = self._claim_batch(start, min(start + CHUNK, n_claims + 1), next_event,
                                      entity_ids, weights)
            next_event += len(batch["history"])
            self.conn.executemany(CLAIM_INSERT, batch["claims"])
            self.conn.executemany(
                "INSERT INTO status_history VALUES (?, ?, ?, ?, ?, ?, ?)", batch["history"])
            self.conn.executemany("INSERT INTO claim_entities VALUES (?, ?)", batch["about"])
            self.conn.executemany("INSERT INTO claim_tags VALUES (?, ?)", batch["tags"])
            self.conn.executemany("INSERT INTO links VALUES (?, ?, ?, ?, ?, ?)", batch["links"])
            for kind in counts:
                counts[kind] += len(batch[kind])
        return Plan(n_claims, counts["history"], counts["about"], counts["tags"], counts["links"])

    def _claim_batch(self, first: int, stop: int, next_event: int, entity_ids: Sequence[int],
                     weights: Sequence[float]) -> dict[str, list[tuple[object, ...]]]:
        rng = self.rng
        batch: dict[str, list[tuple[object, ...]]] = {
            "claims": [], "history": [], "about": [], "tags": [], "links": []}
        for claim_id in range(first, stop):
            created = EPOCH + timedelta(seconds=claim_id * 30)
            about = set(rng.choices(entity_ids, cum_weights=weights, k=rng.randint(1, 4)))
            speaker = rng.choice(self.people) if rng.random() < 0.7 else None
            text = self._claim_text(speaker, sorted(about))
            events = self._history(claim_id, next_event, created)
            next_event += len(events)
            batch["history"].extend(events)
            quoted = rng.random() < 0.3
            source = rng.randrange(1, N_SOURCES + 1)
            text = self._unique_text(text, source, claim_id)
            batch["claims"].append((
                claim_id, text, f"“{text[:60]}”" if quoted else None, speaker, source,
                (created.date() - timedelta(days=rng.randrange(30))).isoformat()
                if rng.random() < 0.8 else None,
                f"bench:{claim_id}" if rng.random() < 0.5 else None,
                events[-1][0], stamp(created), events[-1][6], text_hash(text),
            ))
            batch["about"].extend((claim_id, entity_id) for entity_id in sorted(about))
            batch["tags"].extend(
                (claim_id, tag) for tag in sorted(set(rng.sample(TAGS, rng.randint(0, 3)))))
            if claim_id > 1 and rng.random() < 0.2:
                self.links_written += 1
                batch["links"].append((
                    self.links_written, claim_id, rng.choice(LINK_KINDS),
                    rng.randrange(max(1, claim_id - 5000), claim_id), None, stamp(created)))
        return batch

    def _unique_text(self, text: str, source: int, claim_id: int) -> str:
        """A source states a text once (revision 0006): at a million claims the phrase
        generator repeats itself within a source, and the repeat gets a distinguishing tail
        (no random draw, so every other row stays as the seed made it)."""
        key = (source, text_hash(text))
        if key in self.texts_seen:
            text = f"{text[:-1]} (report {claim_id})."
            key = (source, text_hash(text))
        self.texts_seen.add(key)
        return text

    def _claim_text(self, speaker: int | None, about: Sequence[int]) -> str:
        rng = self.rng
        subject = self.entity_names[about[0] - 1]
        words = [subject, rng.choice(VERBS), rng.choice(OBJECTS)]
        if len(about) > 1:
            words.append(f"with {self.entity_names[about[1] - 1]}")
        if rng.random() < 0.01:
            words.append(f"using a new {SEARCH_WORD} cascade")
        words.append(rng.choice(QUALIFIERS))
        if speaker is not None and rng.random() < 0.3:
            words.insert(0, f"{self.entity_names[speaker - 1]} says")
        return " ".join(words) + "."

    def _history(self, claim_id: int, first_event: int,
                 created: datetime) -> list[tuple[object, ...]]:
        rng = self.rng
        n_events = rng.choices([1, 2, 3], weights=[70, 20, 10])[0]
        events: list[tuple[object, ...]] = []
        previous: str | None = None
        for step in range(n_events):
            status = "unverified" if step == 0 and n_events > 1 else rng.choices(
                STATUSES, weights=STATUS_WEIGHTS)[0]
            evidence = rng.randrange(1, N_SOURCES + 1) if step and rng.random() < 0.5 else None
            events.append((first_event + step, claim_id, previous, status,
                           "checked against the source" if step else None, evidence,
                           stamp(created + timedelta(days=step * 3))))
            previous = status
        return events


def main(argv: Sequence[str]) -> None:
    for size in argv or ["10k"]:
        print(ensure_database(size))


if __name__ == "__main__":
    main(sys.argv[1:])
