"""The graph of links: reach by depth and kind, cycles, contradictions, and drawings that
Graphviz (when installed) and a DOT parser accept."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from claims.database.engine import Database
from claims.writes import store
from claims.writes.entities import add_entity
from tests.conftest import Cli


@pytest.fixture
def chain(db: Database) -> list[int]:
    """Claims 0..5: 0 supports 1, 2 contradicts 1, 3 updates 2, 4 responds-to 3, and a
    cycle 5 supports 0, 1 supports 5. Returns their ids by position."""
    with db.write() as session:
        store.add_source(session, "wire-1", title="Wire", outlet="Wire")
        add_entity(session, "Iran", kind="country", aliases=["Tehran"])
        texts = ["Fordow holds 60% \"enriched\" uranium.", "Fordow is closed.",
                 "Fordow is operating at full capacity.", "Fordow restarted in May.",
                 "Inspectors were refused entry to Fordow.", "Satellite images show trucks."]
        ids = [store.add_claim(session, t, source="wire-1",
                               about=["Iran"] if n == 2 else []).claim.id
               for n, t in enumerate(texts)]
        for a, kind, b in [(0, "supports", 1), (2, "contradicts", 1), (3, "updates", 2),
                           (4, "responds-to", 3), (5, "supports", 0), (1, "supports", 5)]:
            store.link_claims(session, ids[a], kind, ids[b])
    return ids


def related(cli: Cli, claim_id: int, *options: str) -> dict[int, dict]:
    run = cli.ok("related", str(claim_id), "--format", "json", *options)
    return {row["id"]: row for row in json.loads(run.stdout)}


def test_related_default_depth_two_both_directions(cli: Cli, chain: list[int]) -> None:
    rows = related(cli, chain[1])
    assert {i: r["distance"] for i, r in rows.items()} == {
        chain[0]: 1, chain[2]: 1, chain[5]: 1, chain[3]: 2}
    assert rows[chain[2]]["kind"] == "contradicts" and rows[chain[2]]["direction"] == "incoming"
    assert rows[chain[5]]["direction"] == "outgoing"
    assert rows[chain[3]]["path"] == [chain[1], chain[2], chain[3]]
    assert rows[chain[3]]["via"] == chain[2]


def test_related_depth_and_kind_filters(cli: Cli, chain: list[int]) -> None:
    assert set(related(cli, chain[1], "--depth", "1")) == {chain[0], chain[2], chain[5]}
    assert set(related(cli, chain[1], "--depth", "9")) == set(chain) - {chain[1]}
    assert set(related(cli, chain[1], "--kind", "supports", "--depth", "9")) == {
        chain[0], chain[5]}
    both = related(cli, chain[4], "--kind", "responds-to", "-k", "updates", "-d", "5")
    assert set(both) == {chain[3], chain[2]}


def test_cycles_terminate_with_shortest_distances(cli: Cli, chain: list[int]) -> None:
    rows = related(cli, chain[0], "--depth", "50", "--kind", "supports")
    assert {i: r["distance"] for i, r in rows.items()} == {chain[1]: 1, chain[5]: 1}


def test_related_bad_depth_is_usage_error(cli: Cli, chain: list[int]) -> None:
    assert cli("related", str(chain[0]), "--depth", "0").exit_code == 2
    run = cli("related", "999")
    assert run.exit_code == 1 and run.stderr.startswith("Error: no claim with id 999")


def test_conflicts_show_both_statuses_open_first(db: Database, cli: Cli,
                                                 chain: list[int]) -> None:
    with db.write() as session:
        settled = store.add_claim(session, "Fordow was destroyed.", source="wire-1",
                                  status="false").claim.id
        store.link_claims(session, settled, "contradicts", chain[3])
    rows = json.loads(cli.ok("conflicts", "--format", "json").stdout)
    assert [(r["claim_id"], r["other_id"], r["open"]) for r in rows] == [
        (chain[2], chain[1], True), (settled, chain[3], False)]
    assert rows[1]["claim_status"] == "false" and rows[1]["other_status"] == "unverified"
    about = json.loads(cli.ok("conflicts", "--entity", "tehran", "-f", "json").stdout)
    assert [r["claim_id"] for r in about] == [chain[2]]


def strict_dot_check(dot: str) -> None:
    """The DOT text parses: by Graphviz when installed, else a structural check."""
    program = shutil.which("dot")
    if program:
        done = subprocess.run([program, "-Tcanon"], input=dot, capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, done.stderr
    lines = dot.strip().splitlines()
    assert lines[0] == "digraph claims {" and lines[-1] == "}"
    string = r'"(?:[^"\\]|\\.)*"'
    statement = re.compile(
        rf"^  (?:c\d+ \[label={string}, fillcolor=\"#[0-9a-f]{{6}}\"\];"
        rf"|c\d+ -> c\d+ \[label={string}(?:, dir=none)?\];"
        rf"|(?:node|edge) \[.*\];|rankdir=LR;)$")
    for line in lines[1:-1]:
        assert statement.match(line), line


def test_graph_dot_is_valid_and_complete(cli: Cli, chain: list[int]) -> None:
    dot = cli.ok("graph", str(chain[1])).stdout
    strict_dot_check(dot)
    assert f'c{chain[2]} -> c{chain[1]} [label="contradicts", dir=none];' in dot
    assert '\\"enriched\\"' in dot
    assert f"c{chain[4]} " not in dot  # three links away
    everything = cli.ok("graph", "--format", "DOT").stdout
    strict_dot_check(everything)
    assert everything.count(" -> ") == 6


def test_graph_for_an_entity_takes_its_claims_and_neighbours(cli: Cli, chain: list[int]) -> None:
    dot = cli.ok("graph", "--entity", "Iran").stdout
    nodes = set(re.findall(r"^  c(\d+) \[", dot, re.MULTILINE))
    assert nodes == {str(chain[1]), str(chain[2]), str(chain[3])}


def test_graph_mermaid(cli: Cli, chain: list[int]) -> None:
    text = cli.ok("graph", str(chain[0]), "--format", "mermaid").stdout
    assert text.startswith("flowchart LR\n")
    assert f"  c{chain[0]} -->|supports| c{chain[1]}" in text
    assert "#quot;enriched#quot;" in text
    assert re.search(r"classDef st_unverified fill:#[0-9a-f]{6}", text)


def test_graph_svg_or_one_line_install_hint(cli: Cli, chain: list[int]) -> None:
    run = cli("graph", str(chain[0]), "--format", "svg")
    if shutil.which("dot"):
        assert run.exit_code == 0 and "<svg" in run.stdout
    else:
        assert run.exit_code == 1 and "apt-get install graphviz" in run.stderr
        assert len(run.stderr.strip().splitlines()) == 1


def test_graph_id_and_entity_together_is_refused(cli: Cli, chain: list[int]) -> None:
    run = cli("graph", str(chain[0]), "--entity", "Iran")
    assert run.exit_code == 1 and run.stderr.startswith("Error: give a claim id or an entity")
