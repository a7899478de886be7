"""End to end in a real browser: the download service as a visitor uses it.

Debian's Chromium, driven by Playwright (only the Python package: Playwright's
own browser download is not used), against uvicorn serving the app on
127.0.0.1 and a free port. The browser's locale sets Accept-Language, the
visitor switches language by links and the keyboard, downloads a PDF, and
fills the clinic form. axe-core (shipped in axe-playwright-python) checks
each page for accessibility violations.

Skipped only when /usr/bin/chromium is missing; CI installs it (.ci/run).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest

from factsheet.web.app import Settings, create_app
from tests.webhelpers import SHEET, TITLES, make_content, png_bytes, running_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("browser")
    settings = Settings(cache=root / "cache", content_dir=make_content(root), warm=True)
    with running_server(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def spanish_page(browser: Any) -> Iterator[Any]:
    """A tab whose browser asks for Spanish first (Accept-Language: es-ES)."""
    context = browser.new_context(locale="es-ES", accept_downloads=True)
    yield context.new_page()
    context.close()


def _no_accessibility_violations(page: Any) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def test_the_visitor_sees_their_language_first_and_can_switch(
    server: str, spanish_page: Any
) -> None:
    page = spanish_page
    page.goto(server + "/")
    assert page.locator("h2").first.inner_text() == TITLES["es"]
    _no_accessibility_violations(page)
    page.get_by_role("link", name=TITLES["es"], exact=True).click()
    assert page.locator("h1").inner_text() == TITLES["es"]
    page.get_by_role("navigation", name="Languages").get_by_role("link", name="Tiếng Việt").click()
    assert page.url.endswith(f"/sheets/{SHEET}/vi.html")
    assert page.locator("h1").inner_text() == TITLES["vi"]
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").evaluate("e => e.closest('[lang]').lang") == "vi"
    _no_accessibility_violations(page)


def test_the_keyboard_reaches_the_content_and_downloads_the_pdf(
    server: str, spanish_page: Any, tmp_path: Path
) -> None:
    page = spanish_page
    page.goto(f"{server}/sheets/{SHEET}/es.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    download_link = page.get_by_role("link", name="Download the PDF")
    download_link.focus()
    with page.expect_download() as caught:
        page.keyboard.press("Enter")
    reader = _saved(caught.value, "tiny-sheet-es-letter.pdf", tmp_path)
    assert len(reader.pages) == 2
    assert TITLES["es"].upper() in reader.pages[0].extract_text()


def test_the_clinic_form_gives_a_co_branded_pdf(
    server: str, spanish_page: Any, tmp_path: Path
) -> None:
    page = spanish_page
    page.goto(f"{server}/sheets/{SHEET}/es.html")
    _no_accessibility_violations(page)
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes(200, 80))
    page.get_by_label("Clinic name").fill("Clínica Río Claro")
    page.get_by_label("Phone number").fill("+34 910 000 000")
    page.get_by_label("Web address").fill("https://rioclaro.example.es")
    page.get_by_label("Logo").set_input_files(str(logo))
    with page.expect_download() as caught:
        page.get_by_role("button", name="Download with my clinic (PDF)").click()
    reader = _saved(caught.value, "tiny-sheet-es-Clínica-Río-Claro.pdf", tmp_path)
    assert len(reader.pages) == 2
    assert "Clínica Río Claro" in reader.pages[1].extract_text()


def test_form_errors_are_announced_and_the_form_keeps_its_values(
    server: str, spanish_page: Any
) -> None:
    page = spanish_page
    page.goto(f"{server}/sheets/{SHEET}/es.html")
    page.get_by_label("Clinic name").fill("Clínica")
    page.get_by_label("Web address").fill("http://rioclaro.example.es")  # not https
    page.get_by_role("button", name="Download with my clinic (PDF)").click()
    alert = page.get_by_role("alert")
    assert "Web address: 'http://rioclaro.example.es' is an http: link" in alert.inner_text()
    assert page.get_by_label("Clinic name").input_value() == "Clínica"
    assert page.get_by_label("Web address").get_attribute("aria-invalid") == "true"
    _no_accessibility_violations(page)
    alert.get_by_role("link").first.click()  # the summary's link takes focus to the field
    assert page.evaluate("document.activeElement.id") == "clinic-web"


def _saved(download: Any, expected_name: str, folder: Path) -> pypdf.PdfReader:
    """The downloaded PDF, after checking the file name the browser was offered."""
    assert download.suggested_filename == expected_name
    saved = folder / expected_name
    download.save_as(saved)
    return pypdf.PdfReader(saved)
