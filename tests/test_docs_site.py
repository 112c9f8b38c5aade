"""The docs site builds strictly (every warning an error), and its CLI reference, written
at build time from the command tree, names every command and option, each with help."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))

from bench_tables import RESULTS, load_results  # noqa: E402
from cli_reference import (  # noqa: E402
    command_tree,
    is_option,
    param_help,
    section_id,
    visible_params,
)


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html")
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "-q",
         str(DOCS), str(out)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert build.returncode == 0, build.stderr
    return out


def sections_by_id(page: str) -> dict[str, str]:
    """The text of each ``<section id=...>`` of a page (the CLI reference's are flat)."""
    parts = re.split(r'<section id="([^"]+)">', page)
    return {parts[i]: html.unescape(re.sub(r"<[^>]+>", "", parts[i + 1]))
            for i in range(1, len(parts), 2)}


def test_the_site_builds_without_warnings(built_site: Path) -> None:
    pages = {path.stem for path in DOCS.glob("*.md")}
    assert {path.stem for path in built_site.glob("*.html")} >= pages


def test_cli_reference_names_every_command_and_option(built_site: Path) -> None:
    sections = sections_by_id((built_site / "cli.html").read_text(encoding="utf-8"))
    paths = []
    for path, command, context in command_tree():
        paths.append(path)
        text = sections[section_id(path)]
        assert path in text
        for param in visible_params(command):
            if is_option(param):
                for name in param.opts + param.secondary_opts:
                    assert name in text, (path, name)
            else:
                assert param_help(param, context)[0] in text, (path, param.name)
    assert len(paths) > 50 and "claims entity add" in paths


def test_every_command_and_option_has_help() -> None:
    missing = []
    for path, command, _ in command_tree():
        if not (command.help or command.short_help or "").strip():
            missing.append(path)
        missing += [f"{path} {param.name}" for param in visible_params(command)
                    if not (getattr(param, "help", None) or "").strip()]
    assert missing == []


def test_the_api_page_documents_every_public_name_where_it_is_defined() -> None:
    import claims

    page = (DOCS / "api.md").read_text(encoding="utf-8")
    for name, module in claims._EXPORTS.items():
        assert re.search(rf"\.\. auto\w+:: {re.escape(module)}\.{name}\b", page), name


def test_bench_results_files_follow_the_format() -> None:
    files = sorted(RESULTS.glob("*.json"))
    assert files
    for path in files:
        results = load_results(path.stem)
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", str(results["measured_on"])), path.name
        assert "load average" not in json.dumps(results), path.name


def test_readme_is_short_and_docs_carry_no_logs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    for path in [ROOT / "README.md", *DOCS.glob("*.md"), *RESULTS.glob("*.json")]:
        text = path.read_text(encoding="utf-8")
        assert "load average" not in text, path.name
        assert not re.search(r"\bcommit `?[0-9a-f]{7,40}\b", text), path.name


def test_every_page_is_in_the_toctree() -> None:
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^([\w-]+)$", index, flags=re.M))
    assert {path.stem for path in DOCS.glob("*.md")} - {"index"} <= listed


def test_options_keep_their_two_hyphens_on_every_page(built_site: Path) -> None:
    # Typographic "smart" dashes would turn --help into an en dash: a flag nobody can type.
    for page in built_site.glob("*.html"):
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        assert not re.search(r"[\u2013\u2014][a-z]", text), page.name


def test_no_page_takes_the_name_of_sphinxs_own_search_page() -> None:
    assert not (DOCS / "search.md").exists()
