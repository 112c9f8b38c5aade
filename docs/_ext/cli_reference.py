"""The CLI reference, written at build time from the commands themselves.

``{claims-cli-reference}`` walks the Click command tree that Typer builds from
``claims.cli.app.app`` and emits one section per command path (``claims``, ``claims list``,
``claims entity add`` ...): its help, its usage line, the subcommands of a group, and every
argument and option with its help as ``claims ... --help`` words it. Nothing is written by
hand, so the page is current by construction; tests/test_docs_site.py checks that the
built page names every command and option."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

PROGRAM = "claims"


# Typer builds its commands on the Click it bundles, so the objects are told apart by what
# they do (a group lists commands; a parameter names its kind), never by Click's classes.
Command = Any
Context = Any
Parameter = Any


def is_group(command: Command) -> bool:
    return hasattr(command, "list_commands")


def is_option(param: Parameter) -> bool:
    return param.param_type_name == "option"


def command_tree() -> Iterator[tuple[str, Command, Context]]:
    """(path, command, its context) for the root and every command below it, depth first,
    in the order ``--help`` lists them."""
    from typer.main import get_command

    from claims.cli.app import app

    root = get_command(app)
    context_class = type(root.make_context(PROGRAM, ["--help"], resilient_parsing=True))

    def walk(command: Command, context: Context) -> Iterator[tuple[str, Command, Context]]:
        yield context.command_path, command, context
        if is_group(command):
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                if sub is not None and not sub.hidden:
                    yield from walk(sub, context_class(sub, info_name=name, parent=context))

    yield from walk(root, context_class(root, info_name=PROGRAM))


def section_id(path: str) -> str:
    return nodes.make_id(f"cli {path}")


def visible_params(command: Command) -> list[Parameter]:
    return [param for param in command.params if not getattr(param, "hidden", False)]


def param_help(param: Parameter, context: Context) -> tuple[str, str]:
    """(how it is written, its help) as ``--help`` shows them."""
    record = param.get_help_record(context)
    if record:
        return record[0], record[1] or ""
    return (param.name or "").upper(), inspect.cleandoc(getattr(param, "help", None) or "")


def paragraphs(text: str) -> list[nodes.paragraph]:
    text = inspect.cleandoc(text or "").replace("\b\n", "")
    return [nodes.paragraph(text=" ".join(block.split()))
            for block in text.split("\n\n") if block.strip()]


def definition_list(items: list[tuple[str, str]]) -> nodes.definition_list:
    listing = nodes.definition_list()
    for term, help_text in items:
        entry = nodes.definition_list_item()
        entry += nodes.term("", "", nodes.literal(text=term))
        definition = nodes.definition()
        definition += paragraphs(help_text) or [nodes.paragraph(text="")]
        entry += definition
        listing += entry
    return listing


def command_section(path: str, command: Command, context: Context) -> nodes.section:
    section = nodes.section(ids=[section_id(path)], names=[nodes.fully_normalize_name(path)])
    section += nodes.title("", "", nodes.literal(text=path))
    section += paragraphs(command.help or command.short_help or "")
    usage = " ".join([path, *command.collect_usage_pieces(context)])
    section += nodes.literal_block(usage, usage, language="text")
    if is_group(command):
        section += nodes.rubric(text="Commands")
        commands = nodes.bullet_list()
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            if sub is None or sub.hidden:
                continue
            item = nodes.paragraph()
            item += nodes.reference("", "", nodes.literal(text=name),
                                    refid=section_id(f"{path} {name}"))
            item += nodes.Text(f": {sub.get_short_help_str(limit=200)}")
            commands += nodes.list_item("", item)
        section += commands
    params = visible_params(command)
    arguments = [param_help(p, context) for p in params if not is_option(p)]
    options = [param_help(p, context) for p in params if is_option(p)]
    for heading, items in (("Arguments", arguments), ("Options", options)):
        if items:
            section += nodes.rubric(text=heading)
            section += definition_list(items)
    return section


class CliReference(SphinxDirective):
    """``{claims-cli-reference}``: every command of ``claims``, one section each."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        return [command_section(path, command, context)
                for path, command, context in command_tree()]


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("claims-cli-reference", CliReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
