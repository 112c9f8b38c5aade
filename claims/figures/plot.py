"""A timeline as an SVG or PNG chart, through matplotlib (the optional extra
``claims[plot]``): the counted figures joined by a line, each labelled with its source,
flagged ones ringed in red, discounted ones (false or retracted claims) grey crosses."""

from __future__ import annotations

import io
import warnings
from datetime import date
from typing import Any

from claims.errors import ClaimsError
from claims.textsafe import visible

PLOT_HINT = "install the plot extra: pip install 'claims[plot]'"


def render_chart(series: dict[str, Any], fmt: str) -> bytes:
    """The chart's bytes in ``fmt`` (``svg`` or ``png``)."""
    try:
        import matplotlib

        matplotlib.use("Agg")  # never a window, whatever the environment says
        import matplotlib.pyplot as plt
    except ImportError:
        raise ClaimsError("charts need matplotlib, which is not installed", PLOT_HINT) from None
    figure, axes = plt.subplots(figsize=(8, 4.2), dpi=110)
    try:
        with warnings.catch_warnings():
            # A character no font has is drawn as a box; matplotlib's warning about it would
            # only be noise on stderr.
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            _draw(axes, series)
            figure.tight_layout()
            buffer = io.BytesIO()
            metadata = {"Date": None} if fmt == "svg" else None  # same input, same bytes
            figure.savefig(buffer, format=fmt, metadata=metadata)
        return buffer.getvalue()
    finally:
        plt.close(figure)


def _draw(axes: Any, series: dict[str, Any]) -> None:
    dated = [f for f in series["figures"] if f["as_of"]]
    counted = [f for f in dated if "discounted" not in f["flags"]]
    discounted = [f for f in dated if "discounted" in f["flags"]]
    flagged = [f for f in counted if f["flags"]]
    when = [date.fromisoformat(f["as_of"]) for f in counted]
    axes.plot(when, [f["value"] for f in counted], "-o", color="#1f77b4", zorder=2,
              label="figure")
    if flagged:
        kinds = ", ".join(sorted({flag for f in flagged for flag in f["flags"]}))
        axes.scatter([date.fromisoformat(f["as_of"]) for f in flagged],
                     [f["value"] for f in flagged], s=180, facecolors="none",
                     edgecolors="#d62728", linewidths=2, zorder=3,
                     label=f"flagged: {kinds}")
    if discounted:
        axes.scatter([date.fromisoformat(f["as_of"]) for f in discounted],
                     [f["value"] for f in discounted], marker="x", color="#888888", s=60,
                     zorder=2, label="false / retracted (not counted)")
    for f in dated:
        axes.annotate(visible(f["source"]), (date.fromisoformat(f["as_of"]), f["value"]),
                      textcoords="offset points", xytext=(4, 7), fontsize=7, color="#444444",
                      parse_math=False)
    measure = series["measure"]
    unit = f" ({measure['unit']})" if measure["unit"] else ""
    # Names are data: never matplotlib's mathtext ("$10 and $20" would be typeset as maths,
    # an unbalanced "$x^" raised ValueError), control characters shown escaped.
    title = f"{visible(measure['name'])} — {visible(measure['entity'])}"
    if series["stale"]:
        title += f"  [stale: nothing since {series['last'] or 'ever'}]"
    axes.set_title(title, fontsize=10, parse_math=False)
    axes.set_ylabel(f"value{visible(unit)}", parse_math=False)
    axes.grid(True, alpha=0.3)
    axes.margins(x=0.1, y=0.15)  # room for the source labels
    if dated:
        axes.legend(fontsize=7, loc="best")
    axes.figure.autofmt_xdate()
