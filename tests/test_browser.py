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
    settings = Settings(cache=root / "cache", content_dir=make_content(root))
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


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A phone-sized tab (390 × 844 CSS pixels, touch) whose browser asks for Spanish."""
    context = browser.new_context(
        locale="es-ES",
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        accept_downloads=True,
    )
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
    assert page.locator(".sheet h2").first.inner_text() == TITLES["es"]
    _no_accessibility_violations(page)
    page.get_by_role("link", name=TITLES["es"], exact=True).click()
    assert page.locator("h1").inner_text() == TITLES["es"]
    assert page.locator("html").get_attribute("lang") == "es"  # the whole page, not the title
    languages = page.get_by_role("navigation", name="Otros idiomas")
    languages.get_by_role("link", name="Tiếng Việt").click()
    assert page.url.endswith(f"/sheets/{SHEET}/vi.html")
    assert page.locator("h1").inner_text() == TITLES["vi"]
    assert page.locator("html").get_attribute("lang") == "vi"
    _no_accessibility_violations(page)


def test_the_keyboard_reaches_the_content_and_downloads_the_pdf(
    server: str, spanish_page: Any, tmp_path: Path
) -> None:
    page = spanish_page
    page.goto(f"{server}/sheets/{SHEET}/es.html")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Saltar al contenido"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    download_link = page.get_by_role("link", name="Carta (EE. UU.) (PDF)")
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
    page.get_by_role("link", name="Añada a esta hoja el nombre").click()
    assert page.url.endswith(f"/sheets/{SHEET}/es/clinic")
    _no_accessibility_violations(page)
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes(200, 80))
    page.get_by_label("Nombre de la clínica").fill("Clínica Río Claro")
    page.get_by_label("Número de teléfono").fill("+34 910 000 000")
    page.get_by_label("Dirección web").fill("https://rioclaro.example.es")
    page.get_by_label("Logotipo").set_input_files(str(logo))
    with page.expect_download() as caught:
        page.get_by_role("button", name="Descargar con mi clínica (PDF)").click()
    reader = _saved(caught.value, "tiny-sheet-es-Clínica-Río-Claro.pdf", tmp_path)
    assert len(reader.pages) == 2
    assert "Clínica Río Claro" in reader.pages[1].extract_text()


def test_on_a_phone_the_error_summary_takes_focus_and_links_to_each_field(
    server: str, phone: Any
) -> None:
    page = phone
    page.goto(f"{server}/sheets/{SHEET}/es/clinic")
    page.get_by_label("Nombre de la clínica").fill("Clínica")
    page.get_by_label("Número de teléfono").fill("llámenos")
    page.get_by_label("Dirección web").fill("http://rioclaro.example.es")  # not https
    page.get_by_role("button", name="Descargar con mi clínica (PDF)").click()
    page.wait_for_load_state()
    assert page.title().startswith("Error:")
    summary = page.get_by_role("alert")
    assert page.evaluate("document.activeElement.className") == "error-summary"
    box = summary.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 844  # on screen
    text = summary.inner_text()
    assert "Escriba una dirección web que empiece por https://" in text
    assert "llámenos" not in text and "http:" not in text.replace("https://", "")
    assert page.get_by_label("Nombre de la clínica").input_value() == "Clínica"
    assert page.get_by_label("Dirección web").get_attribute("aria-invalid") == "true"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing pushes the page sideways
    _no_accessibility_violations(page)
    summary.get_by_role("link", name="Escriba una dirección web").click()
    assert page.evaluate("document.activeElement.id") == "clinic-web"


def _saved(download: Any, expected_name: str, folder: Path) -> pypdf.PdfReader:
    """The downloaded PDF, after checking the file name the browser was offered."""
    assert download.suggested_filename == expected_name
    saved = folder / expected_name
    download.save_as(saved)
    return pypdf.PdfReader(saved)
