"""The small chart ``claims timeline`` prints under its table: figures as dots on a grid of
characters, time across, value up. Flagged figures are red, discounted ones a dim ``x``."""

from datetime import date
from typing import Any

WIDTH = 56
HEIGHT = 8


def chart_cells(series: dict[str, Any], width: int = WIDTH,
                height: int = HEIGHT) -> list[list[tuple[str, str]]]:
    """Rows of (character, style), top row first; empty when nothing is dated."""
    points = [(date.fromisoformat(f["as_of"]), f["value"], f["flags"])
              for f in series["figures"] if f["as_of"]]
    if not points:
        return []
    first, last = points[0][0].toordinal(), points[-1][0].toordinal()
    low, high = min(p[1] for p in points), max(p[1] for p in points)
    grid = [[(" ", "")] * width for _ in range(height)]
    for when, value, flags in points:
        x = 0 if last == first else round((when.toordinal() - first) / (last - first) * (width - 1))
        y = 0 if high == low else round((value - low) / (high - low) * (height - 1))
        if "discounted" in flags:
            mark = ("x", "dim")
        elif flags:
            mark = ("●", "bold red")
        else:
            mark = ("●", "bold cyan")
        grid[height - 1 - y][x] = mark
    return grid


def print_chart(series: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.text import Text

    grid = chart_cells(series)
    if not grid:
        return
    dated = [f for f in series["figures"] if f["as_of"]]
    values = [f["value"] for f in dated]
    labels = [_number(max(values))] + [""] * (len(grid) - 2) + [_number(min(values))]
    pad = max(len(label) for label in labels)
    out = Text()
    for label, row in zip(labels, grid, strict=True):
        out.append(f"{label:>{pad}} │", style="dim")
        for char, style in row:
            out.append(char, style=style)
        out.append("\n")
    out.append(" " * pad + " └" + "─" * len(grid[0]) + "\n", style="dim")
    first, last = dated[0]["as_of"], dated[-1]["as_of"]
    gap = max(1, len(grid[0]) - len(first) - len(last))
    out.append(" " * (pad + 2) + first + " " * gap + last, style="dim")
    Console().print(out)


def _text(value: str, style: str = "") -> Any:
    from rich.text import Text

    from claims.textsafe import visible

    return Text(visible(value), style=style)


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:g}"


def print_timeline_table(series: dict[str, Any], title: str) -> None:
    """The timeline as a table that fits 80 columns: dates and figures never wrap; long
    source keys and speakers fold instead."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from claims.cli.layout import cell
    from claims.cli.render import STATUS_STYLES

    # Every cell and the title (the measure's and entity's names) as Text: user data is
    # never read as markup, and acting characters are shown escaped (issue 16).
    table = Table(title=_text(title), box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False,
                  padding=(0, 1), collapse_padding=True)
    table.add_column("As of", no_wrap=True)
    table.add_column("Figure", style="bold", no_wrap=True, max_width=18)
    table.add_column("Claim", justify="right")
    table.add_column("Speaker", style="cyan", overflow="fold", max_width=14)
    table.add_column("Source", style="dim", overflow="fold", max_width=24)
    table.add_column("Status", no_wrap=True)
    table.add_column("Flags", style="red")
    for f in series["figures"]:
        status = f["status"] or ""
        table.add_row(f["as_of"] or "", _text(f["written"]), str(f["claim"]),
                      _text(cell(f["speaker"])), _text(cell(f["source"])),
                      _text(status, STATUS_STYLES.get(status, "")), " ".join(f["flags"]))
    Console().print(table)
