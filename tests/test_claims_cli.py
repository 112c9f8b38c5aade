"""The claim commands end to end through the CLI: add, list, show, edit, status, history,
link, unlink, delete."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli, snapshot

SOURCE = "menafn-putin-iran-treaty"


def ids(run_stdout: str) -> list[int]:
    return [row["id"] for row in json.loads(run_stdout)]


def claim(cli: Cli, claim_id: int) -> dict:
    return json.loads(cli.ok("show", str(claim_id), "--format", "json").stdout)


def external(cli: Cli, ref: str) -> int:
    """The id of a seed claim, by its seed ref."""
    rows = json.loads(cli.ok("list", "--format", "json").stdout)
    return next(r["id"] for r in rows if r["external_id"] == f"seed:{ref}")


# --- add ------------------------------------------------------------------------------------


def test_add_prints_the_new_id_and_stores_every_field(seeded: Cli) -> None:
    run = seeded.ok(
        "add",
        "Bushehr unit 2 will be finished by 2027.",
        "--source",
        SOURCE,
        "--speaker",
        "rosatom",
        "--about",
        "bushehr",
        "--about",
        "IRAN",
        "--status",
        "unproven",
        "--quote",
        "17% complete",
        "--said-on",
        "2025-04-21",
        "--tag",
        "Nuclear",
        "--tag",
        "construction",
        "--note",
        "no timeline given",
    )
    new_id = int(run.stdout.strip())
    record = claim(seeded, new_id)
    assert record["text"] == "Bushehr unit 2 will be finished by 2027."
    assert record["speaker"] == "Rosatom"  # resolved case-insensitively to the stored name
    assert record["about"] == ["Bushehr nuclear power plant", "Iran"]
    assert record["status"] == "unproven"
    assert record["quote"] == "17% complete"
    assert record["said_on"] == "2025-04-21"
    assert record["tags"] == ["construction", "nuclear"]
    assert [(h["from"], h["to"], h["note"]) for h in record["history"]] == [
        (None, "unproven", "no timeline given")
    ]
    assert run.stderr == ""  # no entity was created


def test_add_with_json_format_prints_the_created_claim(seeded: Cli) -> None:
    run = seeded.ok("add", "A new claim.", "--source", SOURCE, "--format", "json")
    record = json.loads(run.stdout)
    assert record["text"] == "A new claim."
    assert record["status"] == "unverified"
    assert set(record) >= {
        "id",
        "text",
        "quote",
        "speaker",
        "source",
        "about",
        "status",
        "said_on",
        "tags",
    }


def test_add_creates_unknown_names_and_says_so_on_stderr(seeded: Cli) -> None:
    run = seeded.ok(
        "add",
        "Oman hosted talks.",
        "--source",
        SOURCE,
        "--speaker",
        "Badr Albusaidi",
        "--about",
        "Muscat",
    )
    assert "Created entity 'Badr Albusaidi'" in run.stderr
    assert "Created entity 'Muscat'" in run.stderr
    names = {e["name"] for e in json.loads(seeded.ok("entity", "list", "-f", "json").stdout)}
    assert {"Badr Albusaidi", "Muscat"} <= names


@pytest.mark.parametrize(
    "typo, meant",
    [
        ("Tehrn", "Tehran"),
        ("Sergei Lavrov", "Sergey Lavrov"),
        ("Vladimir Putn", "Vladimir Putin"),
    ],
)
def test_add_refuses_a_near_miss_name_and_writes_nothing(
    seeded: Cli, typo: str, meant: str
) -> None:
    before = snapshot(seeded.url)
    run = seeded("add", "Something.", "--source", SOURCE, "--speaker", typo)
    assert run.exit_code == 1
    assert f"did you mean '{meant}'" in run.stderr
    assert run.stderr.count("\n") == 1 and "Traceback" not in run.stderr
    assert snapshot(seeded.url) == before


def test_new_forces_creation_of_a_near_miss(seeded: Cli) -> None:
    run = seeded.ok("add", "Something.", "--source", SOURCE, "--speaker", "Sergei Lavrov", "--new")
    assert "Created entity 'Sergei Lavrov'" in run.stderr


def test_sharing_a_word_is_not_a_near_miss(seeded: Cli) -> None:
    run = seeded.ok(
        "add",
        "AEOI statement.",
        "--source",
        SOURCE,
        "--speaker",
        "Atomic Energy Organization of Iran",
    )
    assert "Created entity 'Atomic Energy Organization of Iran'" in run.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["", "--source", SOURCE], "empty claim text"),
        (["   ", "--source", SOURCE], "empty claim text"),
        (["x", "--source", "nope"], "no source with key 'nope'"),
    ],
)
def test_add_bad_input_is_one_line_exit_1_and_writes_nothing(
    seeded: Cli, args: list[str], message: str
) -> None:
    before = snapshot(seeded.url)
    run = seeded("add", *args)
    assert run.exit_code == 1
    assert run.stderr.startswith("Error: ") and message in run.stderr
    assert run.stderr.count("\n") == 1
    assert run.stdout == ""
    assert snapshot(seeded.url) == before


def test_add_bad_status_is_a_usage_error_naming_the_choices(seeded: Cli) -> None:
    before = snapshot(seeded.url)
    run = seeded("add", "x", "--source", SOURCE, "--status", "pants-on-fire")
    assert run.exit_code == 2
    assert "mostly-true" in run.stderr and "unverified" in run.stderr
    assert snapshot(seeded.url) == before


# --- list -----------------------------------------------------------------------------------


def test_list_entity_matches_about_or_spoken_by_and_about_only_about(seeded: Cli) -> None:
    by_entity = json.loads(seeded.ok("list", "--entity", "tehran", "-f", "json").stdout)
    about = json.loads(seeded.ok("list", "--about", "tehran", "-f", "json").stdout)
    assert {r["id"] for r in about} <= {r["id"] for r in by_entity}
    for row in by_entity:
        assert "Iran" in row["about"] or row["speaker"] == "Iran"
    for row in about:
        assert "Iran" in row["about"]
    spoken_not_about = [r for r in by_entity if "Iran" not in r["about"]]
    assert all(r["speaker"] == "Iran" for r in spoken_not_about)


def test_list_about_repeated_requires_every_entity(seeded: Cli) -> None:
    rows = json.loads(seeded.ok("list", "--about", "Oman", "--about", "Italy", "-f", "json").stdout)
    assert rows and all({"Oman", "Italy"} <= set(r["about"]) for r in rows)
    only_oman = json.loads(seeded.ok("list", "--about", "Oman", "-f", "json").stdout)
    assert len(only_oman) >= len(rows)


def test_list_by_speaker_source_status_tag(seeded: Cli) -> None:
    by_speaker = json.loads(seeded.ok("list", "--speaker", "Lavrov", "-f", "json").stdout)
    assert by_speaker and {r["speaker"] for r in by_speaker} == {"Sergey Lavrov"}
    guardian = json.loads(
        seeded.ok("list", "--source", "guardian-us-iran-uranium-proposal", "-f", "json").stdout
    )
    assert guardian and {r["source"] for r in guardian} == {"guardian-us-iran-uranium-proposal"}
    either = json.loads(
        seeded.ok("list", "--status", "disputed", "--status", "TRUE", "-f", "json").stdout
    )
    assert {r["status"] for r in either} == {"disputed", "true"}
    tagged = json.loads(seeded.ok("list", "--tag", "nuclear", "-f", "json").stdout)
    assert tagged and all("nuclear" in r["tags"] for r in tagged)


def test_list_dates_use_said_on_else_the_source_published_date(seeded: Cli) -> None:
    dated = int(
        seeded.ok("add", "Dated claim.", "--source", SOURCE, "--said-on", "2019-05-01").stdout
    )
    seeded.ok("source", "add", "undated", "--outlet", "X", "--title", "No date")
    undated = int(seeded.ok("add", "Undated claim.", "--source", "undated").stdout)
    in_2019 = ids(
        seeded.ok("list", "--since", "2019-01-01", "--until", "2019-12-31", "-f", "json").stdout
    )
    assert in_2019 == [dated]
    # Seed claims have no said-on date; their source was published in April 2025.
    april = ids(
        seeded.ok("list", "--since", "2025-04-01", "--until", "2025-04-30", "-f", "json").stdout
    )
    assert april and dated not in april and undated not in april
    everything = ids(seeded.ok("list", "-f", "json").stdout)
    assert undated in everything


def test_list_limit_and_order(seeded: Cli) -> None:
    first_three = ids(seeded.ok("list", "--limit", "3", "-f", "json").stdout)
    everything = ids(seeded.ok("list", "-f", "json").stdout)
    assert first_three == everything[:3] and everything == sorted(everything)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--entity", "Atlantis"], "no entity named 'Atlantis'"),
        (["--speaker", "Nobody Atall"], "no entity named"),
        (["--source", "nope"], "no source with key 'nope'"),
        (["--entity", "'; DROP TABLE claims; --"], "no entity named"),
    ],
)
def test_list_unknown_names_are_errors_and_create_nothing(
    seeded: Cli, args: list[str], message: str
) -> None:
    before = snapshot(seeded.url)
    run = seeded("list", *args)
    assert run.exit_code == 1 and message in run.stderr
    assert run.stdout == ""
    assert snapshot(seeded.url) == before


def test_list_bad_date_is_a_usage_error_and_changes_nothing(seeded: Cli) -> None:
    before = snapshot(seeded.url)
    run = seeded("list", "--since", "2025-02-30")
    assert run.exit_code == 2 and "'2025-02-30' is not a date" in run.stderr
    assert run.stdout == "" and snapshot(seeded.url) == before


def test_list_suggests_the_name_meant(seeded: Cli) -> None:
    run = seeded("list", "--entity", "Tehrn")
    assert run.exit_code == 1 and "did you mean 'Tehran'" in run.stderr


def test_list_formats_share_field_names(seeded: Cli) -> None:
    as_json = json.loads(seeded.ok("list", "--speaker", "Iran", "-f", "json").stdout)
    as_jsonl = [
        json.loads(line)
        for line in seeded.ok("list", "--speaker", "Iran", "-f", "jsonl").stdout.splitlines()
    ]
    csv_lines = seeded.ok("list", "--speaker", "Iran", "-f", "csv").stdout.splitlines()
    assert as_json == as_jsonl
    assert csv_lines[0].split(",") == list(as_json[0])
    assert len(csv_lines) == len(as_json) + 1


def test_list_in_a_pipe_is_tab_separated_without_colour(seeded: Cli) -> None:
    lines = seeded.ok("list", "--speaker", "Lavrov").stdout.splitlines()
    assert lines
    for line in lines:
        fields = line.split("\t")
        assert len(fields) == 7 and fields[0].isdigit()
        assert "\x1b[" not in line
    assert lines[0].split("\t")[2] == "Sergey Lavrov"


def test_list_of_nothing_as_json_is_an_empty_array(cli: Cli) -> None:
    assert json.loads(cli.ok("list", "-f", "json").stdout) == []


# --- show, history --------------------------------------------------------------------------


def test_show_gives_source_via_chain_links_both_ways_and_history(seeded: Cli) -> None:
    denial = external(seeded, "tehran-denies-weaponisation")
    accusation = external(seeded, "weaponisation-accusation")
    shown = claim(seeded, denial)
    assert shown["speaker"] == "Iran"
    assert {"kind": "contradicts", "direction": "outgoing"}.items() <= shown["links"][0].items()
    assert shown["links"][0]["other"]["id"] == accusation
    other_side = claim(seeded, accusation)
    incoming = [link for link in other_side["links"] if link["other"]["id"] == denial]
    assert incoming and incoming[0]["direction"] == "incoming"
    assert incoming[0]["kind"] == "contradicts"
    proposal = external(seeded, "us-uranium-proposal")
    assert claim(seeded, proposal)["source_via"] == ["menafn-putin-iran-treaty"]


def test_show_in_a_pipe_has_links_and_history_sections(seeded: Cli) -> None:
    denial = external(seeded, "tehran-denies-weaponisation")
    out = seeded.ok("show", str(denial)).stdout
    assert "# Links" in out and "# History" in out and "contradicts" in out


def test_show_unknown_id(seeded: Cli) -> None:
    run = seeded("show", "999999")
    assert (
        run.exit_code == 1 and run.stderr == "Error: no claim with id 999999 (see 'claims list')\n"
    )


def test_status_changes_append_history_and_never_overwrite(seeded: Cli) -> None:
    cid = int(seeded.ok("add", "Units 2 and 3 are 17% complete.", "--source", SOURCE).stdout)
    seeded.ok("status", str(cid), "disputed", "--note", "Rosatom gives no figure")
    seeded.ok("status", str(cid), "mostly-false", "--evidence", "guardian-us-iran-uranium-proposal")
    history = json.loads(seeded.ok("history", str(cid), "-f", "json").stdout)
    assert [(h["from"], h["to"]) for h in history] == [
        (None, "unverified"),
        ("unverified", "disputed"),
        ("disputed", "mostly-false"),
    ]
    assert history[1]["note"] == "Rosatom gives no figure"
    assert history[2]["evidence"] == "guardian-us-iran-uranium-proposal"
    assert all(h["at"].endswith("Z") for h in history)
    assert claim(seeded, cid)["status"] == "mostly-false"
    assert claim(seeded, cid)["rating"] == 2


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["999999", "true"], 1, "no claim with id 999999"),
        (["1", "true", "--evidence", "nope"], 1, "no source with key 'nope'"),
        (["1", "bogus"], 2, "half-true"),
    ],
)
def test_status_bad_input(seeded: Cli, args: list[str], code: int, message: str) -> None:
    before = snapshot(seeded.url)
    run = seeded("status", *args)
    assert run.exit_code == code and message in run.stderr
    assert snapshot(seeded.url) == before


def test_history_of_unknown_claim(seeded: Cli) -> None:
    run = seeded("history", "424242")
    assert run.exit_code == 1 and "no claim with id 424242" in run.stderr


# --- edit -----------------------------------------------------------------------------------


def test_edit_changes_fields_but_not_status(seeded: Cli) -> None:
    cid = int(
        seeded.ok(
            "add",
            "Old text.",
            "--source",
            SOURCE,
            "--about",
            "Iran",
            "--tag",
            "old",
            "--quote",
            "q",
            "--speaker",
            "Trump",
        ).stdout
    )
    run = seeded.ok(
        "edit",
        str(cid),
        "--text",
        "New text.",
        "--about",
        "Oman",
        "--not-about",
        "tehran",
        "--tag",
        "new",
        "--untag",
        "old",
        "--quote",
        "",
        "--speaker",
        "Netanyahu",
        "--said-on",
        "2025-04-01",
        "-f",
        "json",
    )
    record = json.loads(run.stdout)
    assert record["text"] == "New text."
    assert record["about"] == ["Oman"]
    assert record["tags"] == ["new"]
    assert record["quote"] is None
    assert record["speaker"] == "Benjamin Netanyahu"
    assert record["said_on"] == "2025-04-01"
    assert len(claim(seeded, cid)["history"]) == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["--text", ""], "empty claim text"),
        (["--not-about", "Oman"], "is not about 'Oman'"),
        (["--untag", "absent"], "has no tag 'absent'"),
        (["--speaker", "Tehrn"], "did you mean 'Tehran'"),
    ],
)
def test_edit_bad_input_changes_nothing(seeded: Cli, args: list[str], message: str) -> None:
    cid = int(seeded.ok("add", "Text.", "--source", SOURCE, "--about", "Iran").stdout)
    before = snapshot(seeded.url)
    run = seeded("edit", str(cid), "--tag", "should-not-stick", *args)
    assert run.exit_code == 1 and message in run.stderr
    assert snapshot(seeded.url) == before


# --- links ----------------------------------------------------------------------------------


def test_link_and_unlink_never_touch_status(seeded: Cli) -> None:
    a = int(seeded.ok("add", "Claim A.", "--source", SOURCE, "--status", "true").stdout)
    b = int(seeded.ok("add", "Claim B.", "--source", SOURCE, "--status", "false").stdout)
    seeded.ok("link", str(a), "supports", str(b), "--note", "same figure")
    shown = claim(seeded, a)
    assert shown["status"] == "true" and claim(seeded, b)["status"] == "false"
    assert shown["links"][0]["note"] == "same figure"
    seeded.ok("unlink", str(a), "supports", str(b))
    assert claim(seeded, a)["links"] == []


def test_symmetric_links_read_the_same_from_both_ends(seeded: Cli) -> None:
    a = int(seeded.ok("add", "Claim A.", "--source", SOURCE).stdout)
    b = int(seeded.ok("add", "Claim B.", "--source", SOURCE).stdout)
    seeded.ok("link", str(a), "repeats", str(b))
    assert seeded("link", str(b), "repeats", str(a)).exit_code == 1
    seeded.ok("unlink", str(b), "repeats", str(a))  # removable from either end
    assert claim(seeded, a)["links"] == []
    seeded.ok("link", str(a), "supports", str(b))
    seeded.ok("link", str(b), "supports", str(a))  # supports is directional: both may exist


def test_link_bad_input_changes_nothing(seeded: Cli) -> None:
    a = int(seeded.ok("add", "Claim A.", "--source", SOURCE).stdout)
    b = int(seeded.ok("add", "Claim B.", "--source", SOURCE).stdout)
    c = int(seeded.ok("add", "Claim C.", "--source", SOURCE).stdout)
    seeded.ok("link", str(a), "updates", str(b))
    seeded.ok("link", str(b), "updates", str(c))
    seeded.ok("link", str(a), "contradicts", str(c))
    before = snapshot(seeded.url)
    cases = [
        ([str(a), "supports", str(a)], 1, "cannot be linked to itself"),
        ([str(a), "updates", str(b)], 1, "already updates"),
        ([str(c), "contradicts", str(a)], 1, "already contradicts"),
        ([str(c), "updates", str(a)], 1, "cannot loop back"),
        ([str(a), "supports", "999999"], 1, "no claim with id 999999"),
        ([str(a), "refutes", str(b)], 2, "responds-to"),
    ]
    for args, code, message in cases:
        run = seeded("link", *args)
        assert run.exit_code == code, args
        assert message in run.stderr, (args, run.stderr)
    assert seeded("unlink", str(a), "supports", str(b)).exit_code == 1
    assert snapshot(seeded.url) == before


# --- delete ---------------------------------------------------------------------------------


def test_delete_asks_first_and_removes_links_and_history(seeded: Cli) -> None:
    a = int(seeded.ok("add", "Claim A.", "--source", SOURCE).stdout)
    b = int(seeded.ok("add", "Claim B.", "--source", SOURCE).stdout)
    seeded.ok("link", str(a), "supports", str(b))
    seeded.ok("status", str(a), "false")
    refused = seeded("delete", str(a), input="n\n")
    assert refused.exit_code == 1
    assert claim(seeded, a)["id"] == a
    seeded.ok("delete", str(a), input="y\n")
    assert seeded("show", str(a)).exit_code == 1
    assert claim(seeded, b)["links"] == []
    seeded.ok("delete", str(b), "--yes")
    assert seeded("delete", str(b), "--yes").exit_code == 1
