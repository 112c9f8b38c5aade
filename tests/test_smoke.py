from tests.conftest import Cli


def test_seed_then_list_about_iran(seeded: Cli) -> None:
    out = seeded.ok("list", "--entity", "tehran", "--format", "json").stdout
    import json

    rows = json.loads(out)
    assert rows and all("Iran" in r["about"] or r["speaker"] == "Iran" for r in rows)
