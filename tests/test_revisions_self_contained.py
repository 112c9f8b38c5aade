"""Every Alembic revision is self-contained: none imports the ``claims`` package, at the top
or inside a function, so a later change to the library never silently changes what an old
revision does to a database. Revisions that compute something in Python (0003 the text
hash, 0004 the desk's name and its key) carry frozen copies of the functions instead.

``migrations/env.py`` is glue, not a revision, and may import ``claims``.
"""

from __future__ import annotations

import ast
import importlib.util
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.names import name_key
from claims.parse import normalise_text, text_hash
from claims.settings import PUBLISHER_VAR, desk_name

VERSIONS = Path(__file__).parents[1] / "migrations" / "versions"
REVISIONS = sorted(VERSIONS.glob("*.py"))
IMPORTERS = ("import_module", "__import__")


def _is_claims(module: str | None) -> bool:
    return module is not None and (module == "claims" or module.startswith("claims."))


def claims_imports(path: Path) -> list[str]:
    """Each place ``path`` imports the claims package, as "line N: what"; empty if none.

    Walks the whole tree, so an import inside a function (run only on upgrade) counts, and
    so does ``importlib.import_module("claims...")`` or ``__import__("claims...")``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [f"line {node.lineno}: import {alias.name}"
                      for alias in node.names if _is_claims(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _is_claims(node.module):
            found.append(f"line {node.lineno}: from {node.module} import ...")
        elif isinstance(node, ast.Call) and node.args:
            callee = node.func
            name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
            first = node.args[0]
            if (name in IMPORTERS and isinstance(first, ast.Constant)
                    and isinstance(first.value, str) and _is_claims(first.value)):
                found.append(f"line {node.lineno}: {name}({first.value!r})")
    return found


def _load_revision(prefix: str) -> ModuleType:
    """The revision file whose name starts with ``prefix``, loaded as a module of its own."""
    (path,) = [p for p in REVISIONS if p.name.startswith(prefix)]
    spec = importlib.util.spec_from_file_location(f"revision_{prefix}_frozen", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REVISION_0003 = _load_revision("0003_")
REVISION_0004 = _load_revision("0004_")


def test_there_are_revisions_to_check():
    assert len(REVISIONS) >= 15
    assert all(p.name[:4].isdigit() for p in REVISIONS)


@pytest.mark.parametrize("path", REVISIONS, ids=lambda p: p.name)
def test_no_revision_imports_claims(path: Path):
    assert claims_imports(path) == []


PLANTED = {
    "top level": "import claims.parse\n",
    "from import": "from claims.names import name_key\n",
    "bare package": "import sqlalchemy as sa, claims\n",
    "lazy, in a function": "def _backfill():\n    from claims.schema import bulk\n",
    "import_module": "import importlib\nparse = importlib.import_module('claims.parse')\n",
}


@pytest.mark.parametrize("source", PLANTED.values(), ids=PLANTED.keys())
def test_a_planted_revision_that_imports_claims_is_caught(tmp_path: Path, source: str):
    planted = tmp_path / "0099_planted.py"
    planted.write_text(f'"""planted"""\nfrom alembic import op\n\nrevision = "0099"\n{source}')
    assert len(claims_imports(planted)) == 1


def test_names_that_only_look_like_claims_pass(tmp_path: Path):
    """A module named claimsx, a relative import and a docstring naming claims.parse are not
    imports of the claims package."""
    planted = tmp_path / "0099_lookalikes.py"
    planted.write_text('"""Uses claims.parse.text_hash."""\nimport claimsx\nfrom . import claims\n'
                       'from claimsx.parse import text_hash\nSQL = "from claims import x"\n')
    assert claims_imports(planted) == []


# Text that normalisation treats specially: combining marks, full-width forms, compatibility
# characters NFKC rewrites, cased letters whose casefold differs from lower(), and every kind
# of white space, in runs.
COMBINING = [chr(c) for c in range(0x0300, 0x0370)] + ["\u20dd", "\u0e49", "\u302a"]
FULL_WIDTH = [chr(c) for c in range(0xFF01, 0xFF5F)] + ["\u3000", "\uffe5"]
COMPATIBILITY = list("\ufb01\ufb02\u2126\u212a\u2460\u00b2\u00bd\u2162\ufdfa\ufe70\u3392"
                     "\u1e9e\u00df\u0130\u03c2\u03a3\u0345\u1f80\u01c5")
WHITE = list(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2007\u200a"
             "\u2028\u2029\u202f\u205f\u3000\u200b\ufeff")
PUNCTUATION = list("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u00ab\u00bb\u2018\u2019\u201c\u201d"
                   "\u2013\u2014\u2026\u00b7\u061f\u3001\u3002")
SPECIAL = st.sampled_from(COMBINING + FULL_WIDTH + COMPATIBILITY + WHITE + PUNCTUATION)
# Stored text is UTF-8, so never a lone surrogate (on which both versions raise alike).
ANY_CHARACTER = st.characters(codec="utf-8")
hostile_text = st.text(alphabet=st.one_of(SPECIAL, ANY_CHARACTER, st.sampled_from("aZ 9")))
white_run = st.text(alphabet=st.sampled_from(WHITE), min_size=1, max_size=6)
runs_of_words = st.lists(st.one_of(hostile_text, white_run), max_size=8).map("".join)
texts = st.one_of(st.text(ANY_CHARACTER), hostile_text, runs_of_words)


@settings(max_examples=600, deadline=None)
@given(text=texts)
def test_frozen_text_hash_of_0003_matches_todays(text: str):
    """Guards today's equivalence only. The live ``claims.parse`` functions may rightly
    change later (with a revision of their own that recomputes the stored hashes); this
    test should then be rewritten to pin 0003's frozen behaviour by examples instead."""
    assert REVISION_0003.normalise_text(text) == normalise_text(text)
    assert REVISION_0003.text_hash(text) == text_hash(text)


@settings(max_examples=600, deadline=None)
@given(name=texts)
def test_frozen_name_key_of_0004_matches_todays(name: str):
    """Guards today's equivalence only. ``claims.names.name_key`` may rightly change later;
    this test should then be rewritten to pin 0004's frozen behaviour by examples instead."""
    assert REVISION_0004.name_key(name) == name_key(name)


@contextmanager
def _publisher(value: str | None) -> Iterator[None]:
    saved = os.environ.pop(PUBLISHER_VAR, None)
    if value is not None:
        os.environ[PUBLISHER_VAR] = value
    try:
        yield
    finally:
        os.environ.pop(PUBLISHER_VAR, None)
        if saved is not None:
            os.environ[PUBLISHER_VAR] = saved


@pytest.mark.parametrize("value", [None, "", "   ", "\t\u3000", " Factcheck Desk ",
                                   "\uff26\uff41\uff43\uff54", "Caf\u0065\u0301"])
def test_frozen_desk_name_of_0004_matches_todays(value: str | None):
    """As the tests above: today's equivalence, to be pinned by examples once they differ."""
    assert REVISION_0004.PUBLISHER_VAR == PUBLISHER_VAR
    with _publisher(value):
        assert REVISION_0004.desk_name() == desk_name()


def test_frozen_text_hash_examples():
    """Fixed points that hold whatever the live functions become."""
    assert REVISION_0003.normalise_text("  Iran's  NUCLEAR\u3000programme!! ") == (
        "iran s nuclear programme")
    assert REVISION_0003.normalise_text("\uff29\uff52\uff41\uff4e") == "iran"
    assert REVISION_0003.text_hash("Iran") == REVISION_0003.text_hash(" IRAN. ")
    # BLAKE2b of the UTF-8 key, 8 bytes, big-endian, signed: the values stored since 0003.
    assert REVISION_0003.text_hash("Iran") == 3181775393026810381
    assert REVISION_0003.text_hash("Caf\u00e9 \u00bd") == 8103983431975596464
    assert REVISION_0004.name_key(" STRASSE\u00a0 Stra\u00dfe ") == "strasse strasse"
