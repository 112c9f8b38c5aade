"""Each fact about a command, written once: the module that defines it, whether it writes,
and whether it reads the database as it stood (``--as-of``). ``claims.cli.registry``
builds commands from it, ``claims.cli.access`` decides what a missing database file means,
``claims.cli.as_of`` adds the option. A plain table, so that it costs nothing to import."""

from typing import NamedTuple


class Facts(NamedTuple):
    module: str  # under claims.cli.commands
    writes: bool = False
    as_of: bool = False


READ = False
WRITE = True

# Paths below the root ("entity add"), in the order `claims --help` lists them.
COMMANDS: dict[str, Facts] = {
    "add": Facts("claims", WRITE), "list": Facts("claims", as_of=True),
    "show": Facts("claims", as_of=True), "edit": Facts("claims", WRITE),
    "status": Facts("claims", WRITE), "history": Facts("claims", as_of=True),
    "link": Facts("claims", WRITE), "unlink": Facts("claims", WRITE),
    "delete": Facts("claims", WRITE), "seed": Facts("claims", WRITE),
    "search": Facts("find", as_of=True), "similar": Facts("find"),
    "related": Facts("find", as_of=True), "conflicts": Facts("find", as_of=True),
    "graph": Facts("find", as_of=True),
    "export": Facts("import_export", as_of=True), "import": Facts("import_export", WRITE),
    "reviews": Facts("reviews", as_of=True),
    "timeline": Facts("figures", as_of=True), "due": Facts("figures"),
    "extract": Facts("extract", WRITE),
    "stats": Facts("report", as_of=True), "report": Facts("report"),
    "serve": Facts("serve"),
    "log": Facts("audit"), "undo": Facts("audit", WRITE), "restore": Facts("audit", WRITE),
    "figure add": Facts("figures", WRITE), "figure delete": Facts("figures", WRITE),
    "measure add": Facts("figures", WRITE),
    "review add": Facts("reviews", WRITE),
    "entity add": Facts("entities", WRITE), "entity alias": Facts("entities", WRITE),
    "entity edit": Facts("entities", WRITE), "entity merge": Facts("entities", WRITE),
    "entity show": Facts("entities", as_of=True),
    "source add": Facts("sources", WRITE), "source edit": Facts("sources", WRITE),
    "source show": Facts("sources", as_of=True),
    "db upgrade": Facts("db", WRITE),
}


def facts(path: str) -> Facts | None:
    """The facts of a command path below the root, or None for one not listed (a read)."""
    return COMMANDS.get(path)


def writes(path: str) -> bool:
    found = COMMANDS.get(path)
    return found is not None and found.writes


def takes_as_of(group: str, name: str) -> bool:
    found = COMMANDS.get(f"{group} {name}".strip())
    return found is not None and found.as_of
