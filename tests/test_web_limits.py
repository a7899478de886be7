"""The service's resources stay bounded and its failures stay small, whatever visitors send.

Smaller than the figures in docs/web.md (which were measured with 20,000 clinic renders
and 100,000 Accept-Language values), but the same mechanisms: every cache has a cap it
never passes, the clinic cache evicts the least recently used past its byte cap, a full
disk or an unusable cache folder is 503 for new clinic renders only, slow clients are
closed, a client that hangs up costs one log line, nothing a visitor sends is echoed at
length, and several worker processes serve the same release.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from factsheet.web import languages
from factsheet.web.app import Settings, create_app
from factsheet.web.release import make_release
from factsheet.web.store import ClinicCache
from tests.helpers import ROOT
from tests.webhelpers import SHEET, free_port, make_content

CLINIC = f"/sheets/{SHEET}/es/clinic"


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_content(tmp_path_factory.mktemp("limits"))


@pytest.fixture(scope="module")
def releases(content: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("releases")
    make_release(content, folder)
    return folder


def _client(releases: Path, cache: Path, **options: Any) -> TestClient:
    return TestClient(create_app(Settings(cache=cache, releases=releases, **options)))


# --- memory ---------------------------------------------------------------------------


def test_ten_thousand_new_accept_language_values_do_not_grow_the_process() -> None:
    offered = ["en", "es", "vi", "zh-Hans", "ko"]

    def headers(start: int, count: int) -> Iterator[str]:
        for n in range(start, start + count):  # tags no browser sends, each one new
            yield f"x{n:05d}-{chr(97 + n % 26)}{chr(97 + n // 26 % 26)}, es;q=0.{n % 9 + 1}"

    for header in headers(0, 2_000):  # fill the caches to their caps first
        languages.negotiate(header, offered)
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for header in headers(2_000, 10_000):
        assert languages.negotiate(header, offered) == "es"
    grown = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    for cached in (languages._locale, languages._maximal, languages.display_name):
        info = cached.cache_info()
        assert info.maxsize is not None and info.currsize <= info.maxsize
    assert grown < 256 * 1024, grown  # unbounded, this was 284 B a tag: 2.8 MB


def test_the_layout_caches_stay_within_their_caps_over_many_new_clinics(
    releases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each new clinic name, number and address is new text to measure and new link keys."""
    from factsheet.content.clinic import clinic_from_form
    from factsheet.layout import text
    from factsheet.layout.engine import setter_for
    from factsheet.layout.theme import load_theme
    from factsheet.publish.build import lay_out
    from factsheet.web.release import load_current

    monkeypatch.setattr(text, "CACHE_LIMIT", 40)
    monkeypatch.setattr(text, "_MAX_KEYS", 12)
    release = load_current(releases)
    assert release is not None
    folder = release.sheet_folder(SHEET)
    setter = setter_for(load_theme("letter"))
    # other tests may have filled the caches past these small caps: they must not grow
    texts_cap, keys_cap = max(len(setter._cache), 41), max(len(text._KEYS), 12)
    for n in range(60):
        clinic = clinic_from_form(
            {"name": f"Clinic {n}", "phone": f"+1 555 010 {n:04d}", "web": f"https://c{n}.example"}
        )
        lay_out(folder, "es", "letter", clinic=clinic)
        assert len(setter._cache) <= texts_cap and len(text._KEYS) <= keys_cap
    info = text.unit_width.cache_info()
    assert info.maxsize is not None and info.currsize <= info.maxsize


# --- disk -------------------------------------------------------------------------------


def test_the_clinic_cache_is_capped_in_bytes_and_keeps_what_was_used_recently(
    tmp_path: Path,
) -> None:
    cache = ClinicCache(tmp_path / "clinic", max_bytes=200_000, max_files=10_000)
    kept = cache.put("kept", b"%PDF" + b"k" * 9_996)
    for n in range(2_000):  # 20 MB offered to a 200 KB cache
        cache.put(f"{n:064x}", b"%PDF" + bytes([n % 256]) * 9_996)
        if n % 10 == 0:
            assert cache.get("kept") == kept  # used again: the least likely to go
    files, size = cache.usage()
    assert size <= 200_000 and files == 20
    assert cache.get("kept") is not None and cache.get(f"{0:064x}") is None


def test_a_full_disk_is_503_for_new_clinic_renders_only(
    releases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factsheet.web import store

    with _client(releases, tmp_path / "cache") as client:
        cached = client.post(CLINIC, data={"name": "Before The Disk Filled"})
        assert cached.status_code == 200

        def full(path: Path, data: bytes) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(store, "write_atomic", full)
        new = client.post(CLINIC, data={"name": "After The Disk Filled"})
        again = client.post(CLINIC, data={"name": "Before The Disk Filled"})
        page = client.get(f"/sheets/{SHEET}/es.html")
        pdf = client.get(f"/sheets/{SHEET}/es.pdf")
    assert new.status_code == 503 and "Retry-After" in new.headers
    assert again.status_code == 200 and again.content == cached.content  # from the cache
    assert page.status_code == 200 and pdf.status_code == 200


def test_an_unusable_cache_folder_never_stops_the_service_from_starting(
    releases: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder should be")
    with _client(releases, blocked) as client:
        assert client.get("/healthz").status_code == 200
        assert client.get(f"/sheets/{SHEET}/es.html").status_code == 200
        assert client.post(CLINIC, data={"name": "No Cache"}).status_code == 503


# --- what is echoed -----------------------------------------------------------------------


def test_the_trailing_slash_redirect_never_uses_the_host_header(
    releases: Path, tmp_path: Path
) -> None:
    with _client(releases, tmp_path / "cache") as client:
        response = client.get(
            f"/sheets/{SHEET}", headers={"Host": "evil.example"}, follow_redirects=False
        )
    assert response.status_code == 308
    assert response.headers["location"] == f"{SHEET}/"


def test_error_pages_truncate_what_they_echo(releases: Path, tmp_path: Path) -> None:
    name = "n" * 30_000  # the test client's URL limit is 64 KB
    with _client(releases, tmp_path / "cache") as client:
        response = client.get(f"/sheets/{name}/")
        other = client.get(f"/sheets/{SHEET}/{'x' * 5_000}.pdf")
    assert response.status_code == 404 and other.status_code == 404
    assert len(response.content) < 5_000 and "n" * 61 not in response.text
    assert "x" * 61 not in other.text


# --- connections ----------------------------------------------------------------------------


@pytest.fixture
def live(releases: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """The app under uvicorn with the service's own settings, and short deadlines."""
    import threading

    import uvicorn

    from factsheet.web import serving

    monkeypatch.setattr(serving, "HEADER_TIMEOUT", 2.0)
    port = free_port()
    app = create_app(Settings(cache=tmp_path / "cache", releases=releases))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="info",
                            **serving.uvicorn_options())  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield port
    server.should_exit = True
    thread.join(timeout=30)


def _closed_by_server(sock: socket.socket, within: float) -> bool:
    sock.settimeout(within)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False


def test_silent_and_slow_clients_are_closed(live: int) -> None:
    silent = socket.create_connection(("127.0.0.1", live))
    slow = socket.create_connection(("127.0.0.1", live))
    slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    for _ in range(3):  # a byte every 0.3 s would reset an idle timer for ever
        time.sleep(0.3)
        slow.sendall(b"a")
    assert _closed_by_server(silent, 20)
    assert _closed_by_server(slow, 20)
    silent.close()
    slow.close()
    assert httpx.get(f"http://127.0.0.1:{live}/healthz").status_code == 200  # others go on


def test_a_client_that_hangs_up_mid_upload_costs_one_log_line(
    live: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    sock = socket.create_connection(("127.0.0.1", live))
    head = (
        f"POST {CLINIC} HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n"
        "Content-Type: multipart/form-data; boundary=b\r\n\r\n"
    )
    sock.sendall(head.encode() + b'--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nA')
    time.sleep(0.5)
    sock.close()
    deadline = time.monotonic() + 20
    while "client went away" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.1)
    assert caplog.text.count("client went away during POST") == 1
    assert "Traceback" not in caplog.text


# --- workers ------------------------------------------------------------------------------


def test_two_workers_serve_the_same_release_and_share_the_clinic_cache(
    content: Path, releases: Path, tmp_path: Path
) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "factsheet", "serve", "--port", str(port), "--workers", "2",
         "--releases", str(releases), "--cache", str(tmp_path / "cache"),
         "--content", str(content)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        ids = {httpx.get(f"{base}/healthz").text for _ in range(10)}
        assert len(ids) == 1 and next(iter(ids)).startswith("ok ")
        assert httpx.get(f"{base}/sheets/{SHEET}/es.pdf").status_code == 200
        first = httpx.post(base + CLINIC, data={"name": "Shared Clinic"}, timeout=60)
        assert first.status_code == 200
        for _ in range(4):  # whichever worker answers, the cached file is the same
            again = httpx.post(base + CLINIC, data={"name": "Shared Clinic"}, timeout=60)
            assert again.content == first.content
        assert len(list((tmp_path / "cache" / "clinic").glob("*.pdf"))) == 1
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
