"""Sphinx configuration of the claims documentation (MyST Markdown pages).

Build it strictly, as tests/test_docs_site.py does:
``sphinx-build -W --keep-going -b html docs docs/_build/html``."""

from __future__ import annotations

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))
sys.path.insert(0, str(DOCS.parent))

from claims import __version__  # noqa: E402

project = "claims"
author = "the claims authors"
copyright = "the claims authors"
version = release = __version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "cli_reference",
    "bench_tables",
]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "README.md"]
myst_heading_anchors = 3

html_theme = "alabaster"
html_title = "claims"
html_static_path: list[str] = []

autodoc_member_order = "bysource"
autodoc_typehints = "description"
# The public names are documented where they are defined (claims/__init__ exports them
# lazily), so their signatures name the defining modules' types.
autodoc_default_options = {"show-inheritance": True}
smartquotes = False  # "--help" stays two hyphens, quotes stay as typed
