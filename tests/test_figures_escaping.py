"""Issue 16's escaping rule, held by issue 13's commands too: measure names, aliases,
entity names, claim texts and the written figures are data in ``timeline`` (its table and
chart), ``figure list``, ``measure list``, ``due`` and ``show``, on both engines."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import claims
from claims.figures.due import set_due
from claims.figures.measures import add_measure
from claims.figures.store import add_figure
from claims.writes import store
from tests.conftest import Cli
from tests.test_escaping import PIECES, _clean

hostile = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), min_size=1, max_size=5).map(
    lambda parts: "w " + "".join(parts))


def _prepare(url: str, value: str) -> tuple[int, str] | None:
    """A measure, a claim with a figure and a past due date, every name holding ``value``;
    None when the input is refused (which other tests check)."""
    database = claims.open_database(url)
    try:
        with database.write() as session:
            name = f"Progress {value}"
            store.add_source(session, f"src-{len(value)}", title="T " + value, outlet="O " + value)
            added = store.add_claim(session, f"Units are 17% done {value}",
                                    source=f"src-{len(value)}", speaker="S " + value,
                                    about=["E " + value], quote=value,
                                    allow_new_names=True, force=True)
            measure = add_measure(session, name, entity="E " + value, unit="%",
                                  aliases=["A " + value])
            add_figure(session, added.claim.id, "17%", measure=measure["name"],
                       entity=measure["entity"])
            set_due(session, added.claim.id, "2020-01-01")
            return added.claim.id, measure["name"]
    except claims.ClaimsError:
        return None
    finally:
        database.close()


@settings(max_examples=8, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=hostile)
def test_figure_views_show_hostile_names_without_obeying_them(cli: Cli, value: str) -> None:
    prepared = _prepare(cli.url, value)
    if prepared is None:
        return
    claim_id, measure = prepared
    views = [["timeline", measure, "--entity", "E " + value], ["figure", "list"],
             ["measure", "list"], ["due", "--all"], ["show", str(claim_id)],
             ["figure", "suggest", str(claim_id)]]
    for view in views:
        for fmt in ("table", "tsv"):
            run = cli(*view, "--format", fmt, env={"COLUMNS": "100"})
            assert run.exit_code == 0, (view, run.stderr)
            assert _clean(run.stdout) and _clean(run.stderr), (view, fmt, run.stdout[-400:])
    figures = json.loads(cli.ok("figure", "list", "--format", "json").stdout)
    assert any(f["claim"] == claim_id for f in figures)


MATHTEXT = ["$", "$x^", "\\frac{", "$10 and $20", "_", "^", "$$", "\\", "{", "}", "%"]
mathy = st.lists(st.sampled_from(MATHTEXT + PIECES) | st.text(max_size=3), min_size=1,
                 max_size=5).map(lambda parts: "w " + "".join(parts))


@settings(max_examples=6, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=mathy)
def test_charts_draw_names_as_text_not_mathtext(cli: Cli, value: str, tmp_path_factory: Any
                                                 ) -> None:
    """matplotlib reads "$...$" as maths: a measure named "Cost $x^" made every chart of it
    an 'unexpected ValueError'."""
    prepared = _prepare(cli.url, value)
    if prepared is None:
        return
    _, measure = prepared
    folder = tmp_path_factory.mktemp("charts")
    for fmt, magic in (("svg", b"<?xml"), ("png", b"\x89PNG")):
        path = folder / f"chart.{fmt}"
        run = cli("timeline", measure, "--entity", "E " + value, "--format", fmt,
                  "-o", str(path))
        assert run.exit_code == 0, run.stderr
        assert path.read_bytes().startswith(magic)
