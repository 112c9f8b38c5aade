"""The tutorial (docs/tutorial.md), run command by command on the seeded database (both
engines): each command prints what the page shows (tests/test_docs_examples.py's rules:
``...`` a wildcard, ``% engines:`` blocks on those engines alone), and passes the check
written for it here. A command added to the tour without a check here fails the test, so
the tour and this file stay in step."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Cli, Run
from tests.test_docs_examples import (
    TOUR_PAGE,
    check_example,
    console_examples,
    prepare_workdir,
)


def tour_commands() -> list[str]:
    return [example.command for example in console_examples(TOUR_PAGE)]


def ids(run: Run) -> list[int]:
    return [int(line.split("\t")[0]) for line in run.stdout.splitlines() if line.strip()]


def tsv_rows(run: Run) -> list[list[str]]:
    return [line.split("\t") for line in run.stdout.splitlines() if line.strip()]


Check = Callable[[Run, Cli], None]


def _same_as_iran(run: Run, cli: Cli) -> None:
    assert ids(run) and ids(run) == ids(cli.ok("list", "--entity", "Iran"))


def _about_both(run: Run, cli: Cli) -> None:
    records = json.loads(cli.ok("list", "--about", "Oman", "--about", "Italy",
                                "--format", "json").stdout)
    assert ids(run) == [r["id"] for r in records] != []
    assert all({"Oman", "Italy"} <= set(r["about"]) for r in records)


def _lavrov_json(run: Run, cli: Cli) -> None:
    records = json.loads(run.stdout)
    assert records and {r["speaker"] for r in records} == {"Sergey Lavrov"}


def _statuses_since(run: Run, cli: Cli) -> None:
    rows = tsv_rows(run)
    assert rows and {row[1] for row in rows} <= {"disputed", "unproven"}


def _show_7(run: Run, cli: Cli) -> None:
    assert "source\tmenafn-putin-iran-treaty" in run.stdout
    assert "# Links" in run.stdout and "contradicts" in run.stdout
    assert "# History" in run.stdout and "disputed" in run.stdout


def _entity_iran(run: Run, cli: Cli) -> None:
    assert "aliases\tTehran, " in run.stdout and "ایران" in run.stdout
    assert "record\t" in run.stdout and "# Claims by Iran" in run.stdout


def _guardian(run: Run, cli: Cli) -> None:
    assert "via\tmenafn-putin-iran-treaty" in run.stdout


def _source_added(run: Run, cli: Cli) -> None:
    assert run.stdout == "aeoi-2025-04\n"


def _prints_21(run: Run, cli: Cli) -> None:
    assert run.stdout == "21\n"


def _status_21(run: Run, cli: Cli) -> None:
    assert run.stderr == "Claim 21: unverified -> unproven\n"


def _linked(run: Run, cli: Cli) -> None:
    assert run.stderr == "Linked: 21 repeats 20\n"


def _history_21(run: Run, cli: Cli) -> None:
    rows = tsv_rows(run)  # status changes, then the link (a row of kind "link")
    assert [row[2] for row in rows] == ["unverified", "unproven", "21 repeats 20"]
    assert rows[1][3] == "aeoi-2025-04" and rows[1][4] == "no site report"
    assert rows[2][6] == "link" and rows[0][5] == rows[1][5] != ""  # by: the login


def _finds_tehran(run: Run, cli: Cli) -> None:
    assert ids(run) == [7] and "[Tehran]" in run.stdout


def _us_iran(run: Run, cli: Cli) -> None:
    rows = tsv_rows(run)
    assert 0 < len(rows) <= 5 and {row[1] for row in rows} == {"unverified"}


def _phrase(run: Run, cli: Cli) -> None:
    records = json.loads(run.stdout)
    assert records
    assert all("nuclear programme" in (r["text"] + " " + (r["quote"] or "")).lower()
               for r in records)


def _raw(run: Run, cli: Cli) -> None:
    assert sorted(ids(run)) == [6, 7]
    assert "russia" not in run.stdout.lower()


def _related_12(run: Run, cli: Cli) -> None:
    assert ids(run) == [13]


def _conflicts_iran(run: Run, cli: Cli) -> None:
    rows = tsv_rows(run)
    assert len(rows) == 1 and {rows[0][1], rows[0][4]} == {"6", "7"}


def _mermaid(run: Run, cli: Cli) -> None:
    lines = run.stdout.splitlines()
    assert lines[0] == "flowchart LR"
    assert "  c7 ---|contradicts| c6" in lines and "  c21 ---|repeats| c20" in lines


def _svg(run: Run, cli: Cli) -> None:
    assert "<svg" in run.stdout and "Bushehr" in run.stdout


def _already_seeded(run: Run, cli: Cli) -> None:
    assert run.stderr == "Seed data already present; nothing changed\n"


def _fitted_table(run: Run, cli: Cli) -> None:
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["ID", "Status", "Speaker", "Text"]
    assert max(len(line) for line in lines) <= 80
    assert run.stderr == "4 of 12 shown (use --limit)\n"


def _nothing_matches(run: Run, cli: Cli) -> None:
    assert run.stdout in ("", "[]\n") and run.stderr == "no claims match\n"


def _bad_sort_key(run: Run, cli: Cli) -> None:
    assert run.exit_code == 2 and "'newest' is not a sort key" in run.stderr


CHECKS: dict[str, Check] = {
    "claims seed": _already_seeded,
    "claims list --entity tehran": _same_as_iran,
    "claims list --about Oman --about Italy": _about_both,
    "claims list --speaker Lavrov --format json": _lavrov_json,
    "claims list --status disputed --status unproven --since 2025-04-01": _statuses_since,
    "claims show 7": _show_7,
    "claims entity show Iran": _entity_iran,
    "claims source show guardian-us-iran-uranium-proposal": _guardian,
    'claims source add aeoi-2025-04 --outlet IRNA --title "AEOI briefing" '
    "--published 2025-04-22": _source_added,
    'claims add "Bushehr units 2 and 3 are 17% complete." --source aeoi-2025-04 '
    '--speaker Rosatom --about Bushehr --quote "17% complete" --tag nuclear': _prints_21,
    'claims status 21 unproven --note "no site report" --evidence aeoi-2025-04': _status_21,
    'claims link 21 repeats 20 --note "same figure, second outlet"': _linked,
    "claims history 21": _history_21,
    "claims search TEHRÁN": _finds_tehran,
    "claims search 'US-Iran' --status unverified --limit 5": _us_iran,
    "claims search '\"nuclear programme\"' --format json": _phrase,
    "claims search 'weapon* NOT russia' --raw": _raw,
    "claims related 12 --depth 2 --kind supports": _related_12,
    "claims conflicts --entity Iran": _conflicts_iran,
    "claims graph --format mermaid": _mermaid,
    "claims graph 16 --format svg > bushehr.svg": _svg,
    "claims list --entity Iran --limit 4 --format table": _fitted_table,
    "claims list --tag nosuchtag": _nothing_matches,
    "claims list --tag nosuchtag --format json": _nothing_matches,
    "claims list --sort newest": _bad_sort_key,
}


def test_every_tour_command_has_a_check() -> None:
    assert sorted(tour_commands()) == sorted(CHECKS)


def test_the_tour_prints_what_the_page_says(
    cli: Cli, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workdir = prepare_workdir(cli, tmp_path, monkeypatch)
    for example in console_examples(TOUR_PAGE):
        if "--format svg" in example.command and not shutil.which("dot"):
            continue  # the page says svg needs Graphviz
        shown = check_example(example, cli, workdir, compare=backend in example.engines)
        CHECKS[example.command](Run(shown.exit_code, shown.stdout, shown.stderr), cli)
