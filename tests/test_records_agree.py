"""One record builder (claims.reads.records): list, show, search and export describe the same
claim with the same values, times included (UTC to the microsecond)."""

from __future__ import annotations

import json
import re

from tests.conftest import Cli

TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z")


def test_list_show_search_and_export_agree_on_every_shared_field(seeded: Cli) -> None:
    # A claim with a speaker, several about names, tags, history and a link.
    seeded.ok("status", "2", "disputed", "--note", "second look")
    listed = {c["external_id"]: c for c in json.loads(seeded.ok("list", "--format",
                                                               "json").stdout)}
    exported = {r["external_id"]: r for r in map(json.loads, seeded.ok("export").stdout
                                                  .splitlines()) if r["type"] == "claim"}
    assert listed.keys() == exported.keys()
    compared = 0
    for external_id, record in listed.items():
        shown = json.loads(seeded.ok("show", str(record["id"]), "--format", "json").stdout)
        found = json.loads(seeded.ok("search", record["text"], "--format", "json").stdout)
        [searched] = [r for r in found if r["id"] == record["id"]]
        out = exported[external_id]
        for name, value in record.items():
            assert shown[name] == value, (external_id, name)
            assert searched[name] == value, (external_id, name)
            if name in out:
                assert out[name] == value, (external_id, name)
                compared += 1
        assert [h["at"] for h in shown["history"]] == [h["at"] for h in out["history"]]
        assert shown["history"] == out["history"]
        assert {link["created_at"] for link in shown["links"] if link["direction"] == "outgoing"} \
            == {link["created_at"] for link in out["links"]}
        for time in (record["created_at"], record["updated_at"],
                     *(h["at"] for h in shown["history"])):
            assert TIME.fullmatch(time), time
    # Everything but id and rating is in the export.
    assert compared == len(listed) * (len(next(iter(listed.values()))) - 2)


def test_about_is_sorted_the_same_way_everywhere(cli: Cli) -> None:
    cli.ok("source", "add", "desk", "--title", "Desk", "--outlet", "Desk")
    cli.ok("add", "A claim.", "--source", "desk", "--new",
           "--about", "beta", "--about", "Alpha", "--about", "alpha two", "--about", "Beta Max")
    [listed] = json.loads(cli.ok("list", "--format", "json").stdout)
    [exported] = [r for r in map(json.loads, cli.ok("export").stdout.splitlines())
                  if r["type"] == "claim"]
    assert listed["about"] == exported["about"] == ["Alpha", "alpha two", "beta", "Beta Max"]
