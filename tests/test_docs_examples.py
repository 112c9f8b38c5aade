"""Every shell example of the docs pages and the README runs, and prints what the page says.

An example is a ```console block: ``$ claims ...`` lines, each followed by the output it
prints (stdout and stderr as a terminal interleaves them). In the output, a line that is
``...`` alone stands for any number of lines, and ``...`` inside a line for any text (times,
ids of change sets, paths). An example whose output has an ``Error:`` or ``Usage:`` line
must fail (exit non-zero); every other must succeed.

Each page runs on a database of its own, on each engine, seeded first (``claims seed``), in
a directory holding the files of tests/fixtures/docs/, its examples in page order. A
``% engines: sqlite`` comment line (MyST's comment syntax, not rendered) just before a
block runs that block on SQLite alone; the page says why beside it.

Commands run in-process through Typer's CliRunner, as tests/conftest.py's ``Cli`` does.
Besides ``claims``, an example may use ``cat FILE``, a pipe between two commands, ``> FILE``,
a leading ``NAME=value`` for the environment, and ``$CLAIMS_DB`` (the page's database).
docs/tutorial.md is the tour, run by tests/test_tour.py with these helpers and its checks."""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from claims.cli.app import app
from tests.conftest import Cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FIXTURES = ROOT / "tests" / "fixtures" / "docs"
TOUR_PAGE = DOCS / "tutorial.md"
WILDCARD = "..."
ENGINES_COMMENT = re.compile(r"^% engines: ([\w, ]+)$")
SHELL_FENCES = ("sh", "bash", "shell", "shell-session", "zsh")


@dataclass
class Example:
    """One ``$ command`` of a console block and the lines it is said to print."""

    page: str
    line: int
    command: str
    expected: list[str] = field(default_factory=list)
    engines: frozenset[str] = frozenset({"sqlite", "postgresql"})

    @property
    def must_fail(self) -> bool:
        return any(line.startswith(("Error:", "Usage:")) for line in self.expected)


@dataclass
class Shown:
    """What one command line did: its exit code, what a terminal would show, and the last
    program's stdout (also when redirected) and stderr apart."""

    exit_code: int
    output: str
    stdout: str = ""
    stderr: str = ""


def fenced_blocks(path: Path) -> list[tuple[str, int, list[str], str]]:
    """Every fenced block of a Markdown page: (language, first line number, lines, the
    last non-blank line before the fence)."""
    blocks = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    previous = ""
    while index < len(lines):
        fence = re.match(r"^(`{3,})(\S*)", lines[index])
        if not fence:
            if lines[index].strip():
                previous = lines[index].strip()
            index += 1
            continue
        start = index + 1
        end = start
        while not lines[end].startswith(fence.group(1)):
            end += 1
        blocks.append((fence.group(2), start + 1, lines[start:end], previous))
        previous = ""
        index = end + 1
    return blocks


def console_examples(path: Path) -> list[Example]:
    """The page's console examples, in page order."""
    examples: list[Example] = []
    for language, first_line, lines, before in fenced_blocks(path):
        if language != "console":
            continue
        engines = frozenset({"sqlite", "postgresql"})
        if marker := ENGINES_COMMENT.match(before):
            engines = frozenset(name.strip() for name in marker.group(1).split(","))
        pending = ""
        for offset, line in enumerate(lines):
            if pending or line.startswith("$ "):
                text = line.strip() if pending else line[2:]
                if text.endswith("\\"):
                    pending += text[:-1].rstrip() + " "
                    continue
                examples.append(Example(path.name, first_line + offset, pending + text,
                                        engines=engines))
                pending = ""
            else:
                assert examples and examples[-1].line >= first_line, (
                    f"{path.name}:{first_line + offset}: output before any '$ ' command")
                examples[-1].expected.append(line.rstrip())
    return examples


def output_matches(expected: list[str], output: str) -> bool:
    """Whether the output is the expected lines, ``...`` being a wildcard."""
    pattern = ""
    for line in expected:
        if line == WILDCARD:
            pattern += r"(?:[^\n]*\n)*?"
        else:
            pattern += ".*?".join(re.escape(part) for part in line.split(WILDCARD)) + r"\n"
    actual = "".join(line.rstrip() + "\n" for line in output.splitlines())
    return re.fullmatch(pattern, actual) is not None


def run_command_line(command: str, cli: Cli, cwd: Path) -> Shown:
    """Runs one example's command line as a shell would: pipes, ``> FILE``, ``cat``."""
    words = [word.replace("$CLAIMS_DB", cli.url) for word in shlex.split(command, comments=True)]
    target = None
    if ">" in words:
        at = words.index(">")
        words, target = words[:at], words[at + 1]
    stages: list[list[str]] = [[]]
    for word in words:
        if word == "|":
            stages.append([])
        else:
            stages[-1].append(word)
    shown, piped, exit_code, stdout, stderr = "", None, 0, "", ""
    for number, stage in enumerate(stages):
        last = number == len(stages) - 1
        exit_code, stdout, stderr, both = run_program(stage, cli, cwd, piped)
        if last and target is None:
            shown += both
        else:
            shown += stderr
            piped = stdout
    if target is not None:
        (cwd / target).write_text(stdout, encoding="utf-8")
    return Shown(exit_code, shown, stdout, stderr)


def run_program(argv: list[str], cli: Cli, cwd: Path,
                stdin: str | None) -> tuple[int, str, str, str]:
    """(exit code, stdout, stderr, both interleaved) of one program of a command line."""
    env = {"CLAIMS_DB": cli.url, "COLUMNS": "80"}
    while argv and re.fullmatch(r"[A-Z_]+=.*", argv[0]):
        name, _, value = argv.pop(0).partition("=")
        env[name] = value
    if argv[:1] == ["cat"]:
        text = "".join((cwd / name).read_text(encoding="utf-8") for name in argv[1:])
        return 0, text, "", text
    assert argv[:1] == ["claims"], f"docs examples run claims and cat only, not {argv[:1]}"
    result = cli.runner.invoke(app, argv[1:], input=stdin, env=env, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr, result.output


def check_example(example: Example, cli: Cli, cwd: Path, *, compare: bool = True) -> Shown:
    """Runs the example; its exit code must be the one its output implies and, when
    ``compare``, its output the page's."""
    shown = run_command_line(example.command, cli, cwd)
    where = f"{example.page}:{example.line}: $ {example.command}"
    if example.must_fail:
        assert shown.exit_code != 0, f"{where}\nsucceeded, the page says it fails"
    else:
        assert shown.exit_code == 0, f"{where}\nexit {shown.exit_code}:\n{shown.output}"
    assert not compare or output_matches(example.expected, shown.output), (
        f"{where}\nthe page says:\n" + "\n".join(example.expected)
        + f"\nit printed:\n{shown.output}")
    return shown


def prepare_workdir(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh seeded database and a directory holding the docs' fixture files."""
    workdir = tmp_path / "work"
    shutil.copytree(FIXTURES, workdir)
    monkeypatch.chdir(workdir)
    cli.ok("seed")
    return workdir


def pages_with_examples() -> list[Path]:
    pages = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    return [page for page in pages if page != TOUR_PAGE and console_examples(page)]


@pytest.mark.parametrize("page", pages_with_examples(), ids=lambda page: page.name)
def test_page_examples_print_what_the_page_says(
    page: Path, cli: Cli, backend: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workdir = prepare_workdir(cli, tmp_path, monkeypatch)
    for example in console_examples(page):
        if backend in example.engines:
            check_example(example, cli, workdir)


def test_the_readme_tours_five_commands() -> None:
    assert len(console_examples(ROOT / "README.md")) == 5


def test_pages_hold_no_untested_shell_blocks() -> None:
    """Shell examples are console blocks (run above); a command that cannot run in a test
    is in a text block, with its reason beside it."""
    for page in [ROOT / "README.md", *DOCS.glob("*.md")]:
        for language, line, _, _ in fenced_blocks(page):
            if page.name == "README.md" and line < 20:
                continue  # the two set-up commands, run by CI itself (.ci/run)
            assert language not in SHELL_FENCES, f"{page.name}:{line}: a {language} block"


def test_wildcards_match_lines_and_parts_of_lines() -> None:
    assert output_matches(["a ... c"], "a b b c\n")
    assert output_matches(["x", "...", "z"], "x\n1\n2\nz\n")
    assert output_matches(["x", "...", "z"], "x\nz\n")
    assert not output_matches(["x", "z"], "x\ny\nz\n")
    assert not output_matches(["a ... c"], "a b\nc\n")
    assert output_matches([], "")
