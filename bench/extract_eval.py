"""Measure ``claims extract`` on the labelled stories of bench/extract/ (run by hand).

Per story and overall: recall of labelled claims, junk share of the proposals, speaker
accuracy on the found claims, and milliseconds per 1,000 words. See bench/extract/README.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extract.extractor import extract_claims  # noqa: E402
from claims.extract.lexicon import Lexicon  # noqa: E402
from claims.extract.model import Candidate  # noqa: E402
from claims.names import name_key  # noqa: E402

HERE = ROOT / "bench" / "extract"
SEED_TOML = ROOT / "seeds" / "seed-article.toml"
SEED_TEXT = Path("/work/shared/seed-article.txt")


@dataclass
class Label:
    match: str
    speakers: list[str]
    ref: str = ""


@dataclass
class Story:
    name: str
    text: str
    labels: list[Label]
    optional: list[str] = field(default_factory=list)
    must_not: list[str] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)


def seed_entities() -> list[dict[str, Any]]:
    return tomllib.loads(SEED_TOML.read_text())["entities"]


def load_seed_story(text_path: Path) -> Story | None:
    if not text_path.exists():
        return None
    seed = tomllib.loads(SEED_TOML.read_text())
    overlay = tomllib.loads((HERE / "seed.toml").read_text())
    extra = overlay.get("extra_speakers", {})
    labels = [Label(c["quote"], [c.get("speaker", ""), *extra.get(c["ref"], [])], c["ref"])
              for c in seed["claims"]]
    return Story("seed-article", text_path.read_text(), labels, overlay.get("optional", []),
                 overlay.get("must_not", []))


def load_story(path: Path) -> Story:
    data = tomllib.loads(path.read_text())
    labels = [Label(c["match"], c["speakers"]) for c in data["claims"]]
    return Story(path.stem, data["text"], labels, data.get("optional", []),
                 data.get("must_not", []), data.get("entities", []))


def lexicon_for(story: Story) -> Lexicon:
    lexicon = Lexicon()
    for entity in seed_entities() + story.entities:
        for written in [entity["name"], *entity.get("aliases", [])]:
            lexicon.add(written, entity["name"], entity.get("kind", "other"))
    return lexicon


def locate(text: str, fragment: str, story: str) -> tuple[int, int]:
    start = text.find(fragment)
    if start < 0:
        raise SystemExit(f"{story}: label not in the text: {fragment!r}")
    return start, start + len(fragment)


def covers(candidate: Candidate, where: tuple[int, int]) -> bool:
    return candidate.span.start <= where[0] and where[1] <= candidate.span.end


def overlaps(candidate: Candidate, where: tuple[int, int]) -> bool:
    return candidate.span.start < where[1] and where[0] < candidate.span.end


def same_speaker(found: str | None, acceptable: list[str], lexicon: Lexicon) -> bool:
    def key(name: str | None) -> str:
        if not name:
            return ""
        entry = lexicon.lookup(name)
        return name_key(entry.name if entry else name)

    return key(found) in {key(a) for a in acceptable}


def evaluate(story: Story, runs: int) -> dict[str, Any]:
    lexicon = lexicon_for(story)
    proposals = extract_claims(story.text, lexicon)
    timings = []
    for _ in range(runs):
        began = time.process_time()
        extract_claims(story.text, lexicon)
        timings.append(time.process_time() - began)
    words = len(story.text.split())
    places = [locate(story.text, label.match, story.name) for label in story.labels]
    optional = [locate(story.text, o, story.name) for o in story.optional]
    must_not = [locate(story.text, m, story.name) for m in story.must_not]
    found = right = 0
    misses, wrong = [], []
    for label, where in zip(story.labels, places, strict=True):
        covering = [c for c in proposals if covers(c, where)]
        if not covering:
            misses.append(label.match)
            continue
        found += 1
        narrowest = min(covering, key=lambda c: c.span.end - c.span.start)
        if same_speaker(narrowest.speaker, label.speakers, lexicon):
            right += 1
        else:
            wrong.append(f"{label.match[:50]!r}: got {narrowest.speaker!r}, "
                         f"want one of {label.speakers}")
    junk = [c for c in proposals
            if not (any(covers(c, w) for w in places) or any(overlaps(c, w) for w in optional))
            or any(overlaps(c, w) for w in must_not)]
    return {
        "story": story.name, "labels": len(story.labels), "proposals": len(proposals),
        "found": found, "speaker_right": right, "junk": len(junk), "words": words,
        "recall": found / len(story.labels),
        "junk_share": len(junk) / len(proposals) if proposals else 0.0,
        "speaker_accuracy": right / found if found else 0.0,
        "ms_per_1000_words": statistics.median(timings) * 1000 / words * 1000,
        "misses": misses, "wrong_speakers": wrong,
        "junk_texts": [c.text[:80] for c in junk],
    }


def overall(rows: list[dict[str, Any]]) -> dict[str, Any]:
    labels = sum(r["labels"] for r in rows)
    found = sum(r["found"] for r in rows)
    proposals = sum(r["proposals"] for r in rows)
    words = sum(r["words"] for r in rows)
    return {
        "story": "OVERALL", "labels": labels, "proposals": proposals, "found": found,
        "recall": found / labels if labels else 0.0,
        "junk_share": sum(r["junk"] for r in rows) / proposals if proposals else 0.0,
        "speaker_accuracy": sum(r["speaker_right"] for r in rows) / found if found else 0.0,
        "ms_per_1000_words": sum(r["ms_per_1000_words"] * r["words"] for r in rows) / words,
    }


def show(title: str, rows: list[dict[str, Any]], verbose: bool) -> dict[str, Any]:
    total = overall(rows)
    print(f"\n{title}")
    print(f"{'story':24} {'labels':>6} {'props':>5} {'recall':>6} {'junk':>5} "
          f"{'speaker':>7} {'ms/1k':>6}")
    for row in [*rows, total]:
        print(f"{row['story']:24} {row['labels']:>6} {row['proposals']:>5} "
              f"{row['recall']:>6.2f} {row['junk_share']:>5.2f} "
              f"{row['speaker_accuracy']:>7.2f} {row['ms_per_1000_words']:>6.1f}")
        if verbose and row["story"] != "OVERALL":
            for miss in row["misses"]:
                print(f"    missed: {miss!r}")
            for line in row["wrong_speakers"]:
                print(f"    speaker: {line}")
            for line in row["junk_texts"]:
                print(f"    junk: {line!r}")
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed-text", type=Path, default=SEED_TEXT)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", type=Path)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    tuned = [load_story(p) for p in sorted((HERE / "stories").glob("*.toml"))]
    seed = load_seed_story(args.seed_text)
    if seed is None:
        print(f"(seed story left out: no {args.seed_text})")
    else:
        tuned.insert(0, seed)
    unseen = [load_story(p) for p in sorted((HERE / "unseen").glob("*.toml"))]
    tuned_rows = [evaluate(s, args.runs) for s in tuned]
    unseen_rows = [evaluate(s, args.runs) for s in unseen]
    results = {"tuned": show("Tuned set", tuned_rows, args.verbose)}
    if unseen_rows:
        results["unseen"] = show("Unseen set (never tuned on)", unseen_rows, args.verbose)
    if args.json:
        args.json.write_text(json.dumps({"tuned_stories": tuned_rows,
                                         "unseen_stories": unseen_rows, **results}, indent=2))


if __name__ == "__main__":
    main()
