"""What ``claims extract`` reads: files, stdin, HTML pages and URLs served from 127.0.0.1,
and hostile input: one clear line or an empty result, never a traceback."""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from claims.errors import InvalidError
from claims.extract.reading import MAX_BYTES, read_story, story_from_bytes
from tests.conftest import Cli

ARTICLE = """<!doctype html><html><head><meta charset="utf-8"><title>Treaty</title></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | Subscribe to our newsletter</nav>
<article><h1>Putin signs Iran treaty into law</h1>
<p>Russian President Vladimir Putin signed the treaty with Iran into law on Monday, the
Kremlin said in a statement published on its website.</p>
<p>“This agreement opens a new chapter in our relations,” Lavrov told reporters in Moscow.</p>
<p>Units 2 and 3 at the Bushehr plant are 17% complete, according to Rosatom.</p>
</article>
<footer>© 2025 Example News. All rights reserved. We use cookies.</footer></body></html>"""

BOILERPLATE = """<!doctype html><html><body><nav>Home | World | Business</nav>
<div class="cookie">We use cookies to improve your experience. Accept all cookies.</div>
<div>Sign up for our newsletter. Subscribe today.</div>
<footer>© 2025 Example News. All rights reserved. Privacy policy. Terms of use.</footer>
</body></html>"""


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/article":
            body, kind = ARTICLE.encode(), "text/html; charset=utf-8"
        elif self.path == "/plain":
            body, kind = b"Putin said the treaty would take effect soon.", "text/plain"
        elif self.path == "/huge":
            body, kind = b"<p>" + b"word " * (MAX_BYTES // 5 + 10) + b"</p>", "text/html"
        else:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    yield sock.getsockname()[1]
    sock.close()


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def one_error_line(run: object) -> str:
    assert run.exit_code == 1, run.stderr  # type: ignore[attr-defined]
    lines = run.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    assert "unexpected" not in lines[0] and "Traceback" not in lines[0]
    return lines[0]


def test_an_html_page_from_a_url_gives_its_article_text(seeded: Cli, server: str) -> None:
    found = json.loads(seeded.ok("extract", f"{server}/article", "--format", "json").stdout)
    texts = [p["text"] for p in found]
    assert any(t.startswith("Russian President Vladimir Putin signed") for t in texts)
    quote = next(p for p in found if p["kind"] == "quote")
    assert quote["speaker"] == "Sergey Lavrov"
    assert not any("cookies" in t or "newsletter" in t or "Home" in t for t in texts)


def test_plain_text_from_a_url(seeded: Cli, server: str) -> None:
    found = json.loads(seeded.ok("extract", f"{server}/plain", "--format", "json").stdout)
    assert [p["speaker"] for p in found] == ["Vladimir Putin"]


def test_an_html_file_and_stdin(seeded: Cli, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(ARTICLE, encoding="utf-8")
    from_file = seeded.ok("extract", str(page), "--format", "jsonl").stdout
    from_stdin = seeded.ok("extract", "-", "--format", "jsonl", input=ARTICLE).stdout
    assert from_file == from_stdin and from_file.count("\n") == 3


def test_url_errors_are_one_line(seeded: Cli, server: str, silent_port: int) -> None:
    assert "HTTP 404" in one_error_line(seeded("extract", f"{server}/missing"))
    refused = one_error_line(seeded("extract", f"http://127.0.0.1:{closed_port()}/"))
    assert "connection refused" in refused
    timed_out = one_error_line(
        seeded("extract", f"http://127.0.0.1:{silent_port}/", "--timeout", "0.5"))
    assert "no answer within 0.5 s" in timed_out
    assert "larger than 5 MB" in one_error_line(seeded("extract", f"{server}/huge"))


def test_an_empty_file_is_an_empty_result(seeded: Cli, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    run = seeded.ok("extract", str(empty), "--format", "json")
    assert json.loads(run.stdout) == [] and "no claims found" in run.stderr


def test_a_20_mb_page_is_refused_in_one_line(seeded: Cli, tmp_path: Path) -> None:
    page = tmp_path / "huge.html"
    page.write_bytes(b"<html><body>" + b"<p>Putin said so.</p>" * 1_000_000 + b"</body></html>")
    assert page.stat().st_size > 20_000_000
    assert "larger than 5 MB" in one_error_line(seeded("extract", str(page)))


def test_binary_is_refused_in_one_line(seeded: Cli, tmp_path: Path) -> None:
    blob = tmp_path / "photo.jpg"
    blob.write_bytes(bytes(range(256)) * 64)
    assert "binary" in one_error_line(seeded("extract", str(blob)))


def test_invalid_utf8_is_read_with_a_note(seeded: Cli, tmp_path: Path) -> None:
    story = tmp_path / "latin1.txt"
    story.write_bytes("Lavrov said the café in Tehran would reopen in 2026.\n".encode("latin-1"))
    run = seeded.ok("extract", str(story), "--format", "json")
    assert "not valid UTF-8" in run.stderr
    assert [p["speaker"] for p in json.loads(run.stdout)] == ["Sergey Lavrov"]


def test_a_page_of_boilerplate_gives_nothing(seeded: Cli, tmp_path: Path) -> None:
    page = tmp_path / "cookies.html"
    page.write_text(BOILERPLATE)
    run = seeded.ok("extract", str(page), "--format", "json")
    assert json.loads(run.stdout) == []


def test_missing_file_and_directory(seeded: Cli, tmp_path: Path) -> None:
    assert "no file" in one_error_line(seeded("extract", str(tmp_path / "nope.txt")))
    assert "is a directory" in one_error_line(seeded("extract", str(tmp_path)))


def test_without_the_extract_extra_html_is_one_line(tmp_path: Path) -> None:
    """trafilatura made unimportable in a child process: the error names the extra."""
    page = tmp_path / "page.html"
    page.write_text(ARTICLE)
    code = ("import sys; sys.modules['trafilatura'] = None; sys.argv = ['claims', '--db', "
            f"{str(tmp_path / 'c.db')!r}, 'extract', {str(page)!r}]; "
            "from claims.cli import main; main()")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1
    assert run.stderr.strip() == ("Error: reading HTML needs the 'extract' extra "
                                  "(install it with: pip install 'claims[extract]')")


def test_library_reads_bytes_without_a_database() -> None:
    story = story_from_bytes(ARTICLE.encode(), "page")
    assert story.html and "Putin signs Iran treaty into law" in story.text
    assert "cookies" not in story.text
    with pytest.raises(InvalidError, match="no answer"):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        try:
            read_story(f"http://127.0.0.1:{sock.getsockname()[1]}/", timeout=0.3)
        finally:
            sock.close()
