"""`factsheet watch`: an editor saves the sheet and the browser shows the new pages.

The command runs as a user starts it (a subprocess on 127.0.0.1 and a free
port it prints). One test drives Debian's Chromium through Playwright as in
tests/test_browser.py: no reload is ever requested, the page changes because
the server tells it a build is ready. The other reads the same state over HTTP,
so the mechanism is tested where Chromium is missing too.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
WAIT = 120.0  # seconds: a generous bound for a loaded machine, not a speed check


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    folder = tmp_path / "bone-protection"
    shutil.copytree(
        ROOT / "content" / "bone-protection", folder, ignore=shutil.ignore_patterns("*.pot")
    )
    return folder


@pytest.fixture
def watching(sheet: Path) -> Iterator[str]:
    """`factsheet watch` on the sheet copy; yields the URL it printed."""
    process = subprocess.Popen(
        [sys.executable, "-m", "factsheet", "watch", str(sheet), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ | {"PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
    )
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("watching "), first + process.stderr.read()
    try:
        yield first.rsplit(" at ", 1)[1].strip()
    finally:
        process.terminate()
        process.wait(timeout=30)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _status(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(url + "status", timeout=30) as answer:
        return dict(json.load(answer))


def _until(check: Callable[[], dict[str, Any] | None]) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = check()
        if found is not None:
            return found
        time.sleep(0.2)
    raise AssertionError("the watched build never arrived")


def _build(url: str, number: int) -> dict[str, Any]:
    return _until(lambda: state if (state := _status(url))["build"] >= number else None)


def test_each_save_is_a_new_build_and_an_error_keeps_the_last_good_pages(
    sheet: Path, watching: str
) -> None:
    first = _build(watching, 1)
    assert first["ok"] and first["pages"] == 2
    assert first["summary"].startswith("fits 2 pages at type scale")
    _edit(sheet / "en.yaml", "reviewed: 2026-11-27", "reviewed: 2026-11-72")
    failed = _build(watching, 2)
    assert not failed["ok"] and failed["pages"] == 2 and failed["pages_build"] == 1
    error = failed["errors"][0]
    assert "dates.reviewed: '2026-11-72' is not a date: November 2026 has 30 days" in error["text"]
    assert error["excerpt"]["text"] == "  reviewed: 2026-11-72"
    assert error["excerpt"]["caret"] == " " * 12 + "^" * 10
    with urllib.request.urlopen(watching + "pages/1.png", timeout=30) as answer:
        assert answer.read().startswith(b"\x89PNG")  # the last good page is still served
    _edit(sheet / "en.yaml", "reviewed: 2026-11-72", "reviewed: 2026-11-28")
    fixed = _build(watching, 3)
    assert fixed["ok"] and fixed["pages_build"] == 3 and fixed["errors"] == []


@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)",
)
def test_the_browser_shows_the_new_page_and_the_error_without_a_reload(
    sheet: Path, watching: str
) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1300, "height": 1000})
        loads: list[str] = []
        page.on("load", lambda _: loads.append(page.url))
        page.goto(watching)
        page.wait_for_selector("body[data-build='1'] main img[src*='build=1']", timeout=WAIT * 1e3)
        before = page.locator("main img").first.screenshot()
        assert page.locator("main img").count() == 2
        assert page.locator("#summary").inner_text().startswith("build 1: fits 2 pages")

        _edit(sheet / "en.yaml", "title: Bone Protection", "title: Strong Bones")
        page.wait_for_selector("main img[src*='build=2']", timeout=WAIT * 1e3)
        page.wait_for_function(
            "[...document.images].every((img) => img.complete && img.naturalWidth > 0)"
        )
        after = page.locator("main img").first.screenshot()
        assert after != before  # the band now reads STRONG BONES

        _edit(sheet / "en.yaml", "title: Strong Bones", "title: [Strong Bones")
        page.wait_for_selector("#summary.failed", timeout=WAIT * 1e3)
        summary = page.locator("#summary").inner_text()
        assert summary.startswith("build 3 failed: 1 problem")
        message = page.locator("#messages li.error").first.inner_text()
        assert "en.yaml:" in message and "YAML syntax error" in message
        assert page.locator("main.stale img[src*='build=2']").count() == 2  # last good pages
        assert loads == [watching]  # one load: every change came without a reload
        browser.close()
