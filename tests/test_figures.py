"""Figures, measures, timelines and due dates through the CLI, on both engines."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert

import claims
from claims.figures.due import due_claims, parse_due
from claims.figures.timeline import timeline
from claims.schema.tables import claims as claims_table
from claims.schema.tables import entities, entity_names, measures, sources, utcnow
from tests.conftest import Cli, snapshot

PROGRESS = "Bushehr 2-3 progress"
SEEDED_17 = "20"  # the seed claim "... Units 2 and 3 reported to be 17% complete"


def progress_measure(cli: Cli, tolerance: str = "5") -> None:
    cli.ok("measure", "add", PROGRESS, "--entity", "Bushehr", "--unit", "%", "--only-grows",
           "--tolerance", tolerance, "--alias", "Bushehr units 2-3 construction progress",
           "--alias", "پیشرفت واحدهای ۲ و ۳ بوشهر")


def source(cli: Cli, key: str, published: str) -> None:
    cli.ok("source", "add", key, "--title", f"Report {key}", "--outlet", f"Outlet {key}",
           "--published", published)


def claim(cli: Cli, text: str, key: str, *extra: str) -> str:
    return cli.ok("add", text, "--source", key, "--about", "Bushehr", "--force", *extra
                  ).stdout.strip()


def figures_json(cli: Cli, *args: str) -> list[dict]:
    return json.loads(cli.ok("figure", "list", *args, "--format", "json").stdout)


def test_a_figure_is_stored_in_the_measures_unit_dated_by_its_source(seeded: Cli) -> None:
    progress_measure(seeded)
    figure_id = seeded.ok("figure", "add", SEEDED_17, "17%", "--measure",
                          "BUSHEHR UNITS 2-3 CONSTRUCTION PROGRESS").stdout.strip()
    (figure,) = figures_json(seeded, "--measure", "پیشرفت واحدهای ۲ و ۳ بوشهر")
    assert figure == {"id": int(figure_id), "claim": 20, "measure": PROGRESS,
                      "entity": "Bushehr nuclear power plant", "value": 17.0, "unit": "%",
                      "qualifier": None, "lower": None, "upper": None,
                      "as_of": "2025-04-21", "written": "17%"}
    shown = json.loads(seeded.ok("show", SEEDED_17, "--format", "json").stdout)
    assert [f["written"] for f in shown["figures"]] == ["17%"]
    assert shown["due"] is None


def test_physical_units_convert_and_bounds_follow(seeded: Cli) -> None:
    seeded.ok("measure", "add", "Bushehr capacity", "--entity", "Bushehr", "--unit", "MW")
    seeded.ok("figure", "add", SEEDED_17, "up to 1.2 GW", "--measure", "Bushehr capacity",
              "--as-of", "2024-05-01")
    (figure,) = figures_json(seeded, "--measure", "bushehr capacity")
    assert figure["value"] == pytest.approx(1200.0)
    assert (figure["qualifier"], figure["upper"], figure["lower"]) == ("up-to",
                                                                       pytest.approx(1200.0), None)
    assert figure["as_of"] == "2024-05-01"


def test_suggest_finds_the_figures_and_the_measures_they_fit(seeded: Cli) -> None:
    progress_measure(seeded)
    seeded.ok("measure", "add", "Bushehr staff", "--entity", "Bushehr")
    found = json.loads(seeded.ok("figure", "suggest", SEEDED_17, "--format", "json").stdout)
    assert [(s["in"], s["written"], s["measures"]) for s in found] == [
        ("text", "17%", [PROGRESS]), ("quote", "17%", [PROGRESS])]


def test_add_with_figure_auto_takes_the_one_fitting_figure(seeded: Cli) -> None:
    progress_measure(seeded)
    source(seeded, "wire-2019", "2019-11-10")
    claim_id = claim(seeded, "About 700 Russian specialists work there; units 2 and 3 are "
                     "30 percent complete.", "wire-2019", "--figure", "auto",
                     "--measure", PROGRESS)
    (figure,) = figures_json(seeded, "--measure", PROGRESS)
    assert (figure["claim"], figure["value"], figure["as_of"]) == (int(claim_id), 30.0,
                                                                   "2019-11-10")
    listed = json.loads(seeded.ok("list", "--measure", PROGRESS, "--format", "json").stdout)
    assert [c["id"] for c in listed] == [int(claim_id)]
    with_figures = json.loads(seeded.ok("list", "--has-figure", "--format", "json").stdout)
    assert [c["id"] for c in with_figures] == [int(claim_id)]


def build_series(cli: Cli) -> dict[str, str]:
    """30% (2019), 20% and 28% from two outlets three weeks apart (2021), a retracted 90%,
    and the seed's 17% (2025)."""
    progress_measure(cli)
    ids = {}
    for key, day, text, figure in [
        ("wire-2019", "2019-11-10", "Units 2 and 3 are 30 percent complete.", "30%"),
        ("wire-2021a", "2021-03-01", "Units 2 and 3 are 20 percent complete.", "20%"),
        ("wire-2021b", "2021-03-20", "Units 2 and 3 are 28 percent complete.", "28%"),
        ("wire-2022", "2022-06-01", "Units 2 and 3 are 90 percent complete.", "90%"),
    ]:
        source(cli, key, day)
        ids[key] = claim(cli, text, key, "--figure", figure, "--measure", PROGRESS)
    cli.ok("status", ids["wire-2022"], "retracted")
    cli.ok("figure", "add", SEEDED_17, "17%", "--measure", PROGRESS)
    return ids


def test_the_timeline_flags_backwards_disagreeing_and_discounted_figures(seeded: Cli) -> None:
    ids = build_series(seeded)
    series = json.loads(seeded.ok("timeline", PROGRESS, "--format", "json").stdout)
    rows = [(f["as_of"], f["value"], f["source"], f["flags"]) for f in series["figures"]]
    assert rows == [
        ("2019-11-10", 30.0, "wire-2019", []),
        ("2021-03-01", 20.0, "wire-2021a", ["backwards", "disagrees"]),
        ("2021-03-20", 28.0, "wire-2021b", ["backwards", "disagrees"]),
        ("2022-06-01", 90.0, "wire-2022", ["discounted"]),
        ("2025-04-21", 17.0, "menafn-putin-iran-treaty", ["backwards"]),
    ]
    assert series["figures"][3]["claim"] == int(ids["wire-2022"])
    assert series["flags"] == {"backwards": 3, "disagrees": 2, "discounted": 1, "undated": 0}
    assert series["last"] == "2025-04-21"
    # A tolerance wider than the gap, and dates before the retraction: fewer flags.
    window = json.loads(seeded.ok("timeline", PROGRESS, "--until", "2021-12-31",
                                  "--format", "json").stdout)
    assert [f["as_of"] for f in window["figures"]] == ["2019-11-10", "2021-03-01", "2021-03-20"]


def test_a_series_is_stale_after_the_period_chosen(seeded: Cli) -> None:
    build_series(seeded)
    database = claims.open_database(seeded.url)
    with database.connect() as conn:
        fresh = timeline(conn, PROGRESS, today=date(2025, 12, 1))
        stale = timeline(conn, PROGRESS, today=date(2026, 6, 1))
        patient = timeline(conn, PROGRESS, today=date(2026, 6, 1), stale_after_days=600)
    database.close()
    assert (fresh["stale"], stale["stale"], patient["stale"]) == (False, True, False)


def test_the_timeline_as_csv_table_and_charts(seeded: Cli, tmp_path: Path) -> None:
    build_series(seeded)
    csv_lines = seeded.ok("timeline", PROGRESS, "--format", "csv").stdout.splitlines()
    assert csv_lines[0].startswith("id,claim,as_of,value")
    assert len(csv_lines) == 6
    table = seeded.ok("timeline", PROGRESS, "--format", "table").stdout
    assert "backwards" in table and "●" in table and "x" in table
    assert max(len(line) for line in table.splitlines()) <= 80
    svg, png = tmp_path / "t.svg", tmp_path / "t.png"
    seeded.ok("timeline", PROGRESS, "--format", "svg", "--output", str(svg))
    seeded.ok("timeline", PROGRESS, "--format", "png", "--output", str(png))
    assert "<svg" in svg.read_text() and "wire-2021b" in svg.read_text()
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_promise_comes_due_and_is_resolved_by_an_update(seeded: Cli) -> None:
    source(seeded, "wire-2019", "2019-11-10")
    source(seeded, "wire-2025", "2025-01-15")
    promise = claim(seeded, "Start-up of unit 2 is planned for October 2024.", "wire-2019",
                    "--due", "October 2024")
    overdue = json.loads(seeded.ok("due", "--overdue", "--format", "json").stdout)
    assert [(d["claim"], d["due"], d["state"]) for d in overdue] == [
        (int(promise), "2024-10-31", "overdue")]
    assert json.loads(seeded.ok("show", promise, "--format", "json").stdout)["due"] == \
        "2024-10-31"
    later = claim(seeded, "Unit 2 has still not started up.", "wire-2025")
    seeded.ok("link", later, "updates", promise)
    seeded.ok("status", promise, "false", "--note", "not started by the end of October 2024")
    assert json.loads(seeded.ok("due", "--overdue", "--format", "json").stdout) == []
    every = json.loads(seeded.ok("due", "--all", "--format", "json").stdout)
    assert [(d["claim"], d["state"], d["status"]) for d in every] == [
        (int(promise), "resolved", "false")]


def test_an_update_alone_resolves_and_edit_moves_or_clears_a_due_date(db: claims.Database,
                                                                      cli: Cli) -> None:
    source(cli, "s", "2020-01-01")
    cli.ok("entity", "add", "Bushehr", "--kind", "facility")
    first = claim(cli, "Unit 2 will be finished in 2026.", "s", "--due", "2026")
    second = claim(cli, "Unit 3 will be finished in 2030.", "s", "--due", "2030-06")
    with db.connect() as conn:
        soon = due_claims(conn, today=date(2026, 11, 1), within_days=90)
        assert [(d["claim"], d["state"]) for d in soon] == [(int(first), "due-soon")]
    cli.ok("edit", second, "--due", "2026-12-15")
    cli.ok("edit", first, "--due", "")
    with db.connect() as conn:
        assert [d["claim"] for d in due_claims(conn, today=date(2026, 11, 1))] == [int(second)]
    cli.ok("link", first, "updates", second)
    with db.connect() as conn:
        assert due_claims(conn, today=date(2027, 1, 1), overdue_only=True) == []


@pytest.mark.parametrize(("text", "due"), [
    ("2024-10-31", date(2024, 10, 31)), ("2024-10", date(2024, 10, 31)),
    ("2024", date(2024, 12, 31)), ("October 2024", date(2024, 10, 31)),
    ("Oct. 2024", date(2024, 10, 31)), ("end of 2026", date(2026, 12, 31)),
    ("Q1 2025", date(2025, 3, 31)), ("2024-02", date(2024, 2, 29)),
])
def test_due_dates_name_the_end_of_the_period(text: str, due: date) -> None:
    assert parse_due(text) == due


def test_measure_names_are_per_entity_and_ambiguity_asks_for_one(seeded: Cli) -> None:
    seeded.ok("measure", "add", "progress", "--entity", "Bushehr", "--unit", "%")
    seeded.ok("measure", "add", "Progress", "--entity", "Iran", "--unit", "%")
    taken = seeded("measure", "add", "PROGRESS", "--entity", "Bushehr NPP")
    assert taken.exit_code == 1 and "already has a measure" in taken.stderr
    ambiguous = seeded("figure", "list", "--measure", "progress")
    assert ambiguous.exit_code == 1 and "--entity" in ambiguous.stderr
    assert figures_json(seeded, "--measure", "progress", "--entity", "Iran") == []
    # The claim is about Bushehr, so its figure goes to Bushehr's measure.
    seeded.ok("figure", "add", SEEDED_17, "17%", "--measure", "progress")
    (figure,) = figures_json(seeded, "--measure", "progress", "--entity", "Bushehr")
    assert figure["entity"] == "Bushehr nuclear power plant"


BAD = [
    (["figure", "add", SEEDED_17, "a lot", "--measure", PROGRESS], "cannot read figure"),
    (["figure", "add", SEEDED_17, "17", "--measure", PROGRESS, "--unit", "florps"],
     "unknown unit 'florps'"),
    (["figure", "add", SEEDED_17, "17 MW", "--measure", PROGRESS], "cannot be a value of"),
    (["figure", "add", SEEDED_17, "3,000", "--measure", PROGRESS], "cannot be a value of"),
    (["figure", "add", SEEDED_17, "17%", "--measure", "no such"], "no measure named"),
    (["figure", "add", "999", "17%", "--measure", PROGRESS], "no claim with id 999"),
    (["measure", "add", "Bushehr power", "--entity", "Bushehr", "--unit", "florps"],
     "unknown unit"),
    (["measure", "add", "Bushehr power", "--entity", "Nowhere"], "no entity named"),
    (["add", "Units are 17% done.", "--source", "menafn-putin-iran-treaty", "--figure",
      "17 MW", "--measure", PROGRESS], "cannot be a value of"),
    (["add", "Units are 17% done.", "--source", "menafn-putin-iran-treaty", "--figure",
      "17%"], "--figure and --measure go together"),
    (["add", "Units are nearly done.", "--source", "menafn-putin-iran-treaty", "--figure",
      "auto", "--measure", PROGRESS], "no figures in the claim fit"),
]


@pytest.mark.parametrize(("args", "message"), BAD, ids=[" ".join(a[:3]) + m for a, m in BAD])
def test_bad_input_is_one_line_and_writes_nothing(seeded: Cli, args: list[str],
                                                  message: str) -> None:
    progress_measure(seeded)
    before = snapshot(seeded.url)
    run = seeded(*args)
    assert run.exit_code == 1, run.stdout
    assert run.stderr.startswith("Error: ") and message in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert snapshot(seeded.url) == before


def test_merging_entities_moves_their_measures_or_refuses_a_clash(seeded: Cli) -> None:
    seeded.ok("entity", "add", "Bushehr units", "--kind", "facility")
    seeded.ok("measure", "add", "Staff", "--entity", "Bushehr units")
    seeded.ok("entity", "merge", "Bushehr units", "Bushehr")
    (moved,) = json.loads(seeded.ok("measure", "list", "--format", "json").stdout)
    assert (moved["name"], moved["entity"]) == ("Staff", "Bushehr nuclear power plant")
    seeded.ok("measure", "add", "staff", "--entity", "Iran")
    before = snapshot(seeded.url)
    clash = seeded("entity", "merge", "Iran", "Bushehr")
    assert clash.exit_code == 1 and "both entities have a measure named" in clash.stderr
    assert snapshot(seeded.url) == before


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=40) | st.sampled_from(
    ["17%", "about $10 billion", "1.2 GW", "\u06f1\u06f7\u066a", "3,000", "up to 20%",
     "9" * 400, "", " "]))
def test_any_typed_figure_is_stored_or_refused_in_one_line(db: claims.Database,
                                                           text: str) -> None:
    from claims.errors import InvalidError
    from claims.figures.measures import add_measure, list_figures
    from claims.figures.store import add_figure

    with db.write() as session:
        if not list_figures(session) and not session.execute(
                measures.select()).first():
            session.execute(insert(sources).values(key="s", title="t", outlet="o",
                                                   kind="article", created_at=utcnow()))
            session.execute(insert(entities).values(name="E", kind="other",
                                                    created_at=utcnow()))
            session.execute(insert(entity_names).values(entity_id=1, name="E", key="e"))
            session.execute(insert(claims_table).values(text="c", source_id=1,
                                                        created_at=utcnow(),
                                                        updated_at=utcnow()))
            add_measure(session, "m", entity="E", unit="%")
    try:
        with db.write() as session:
            record = add_figure(session, 1, text, measure="m")
    except InvalidError as exc:
        assert "\n" not in str(exc)
    else:
        assert record["unit"] == "%" and record["written"].strip()
