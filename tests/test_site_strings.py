"""The site speaks each edition's language: no English on a translated page but the sheet's names.

Every text a visitor can see or hear (text nodes, alt, title, aria-label,
placeholder) of the Spanish pages is compared with the English pages of the
same site: a text that is the same on both, inside a part of the page that
says it is Spanish, is English left behind. Names that are the same in
every language (the sheet's own names, "PDF", "A4", numbers, web addresses)
are allowed; language names are marked with their own `lang`. The site's
catalogs are also checked to be complete and consistent with the templates.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from starlette.testclient import TestClient

from factsheet.web.app import Settings, create_app
from factsheet.web.languages import display_name
from factsheet.web.strings import LOCALE_DIR, site_languages
from tests.helpers import ROOT
from tests.webhelpers import SHEET, make_content

# Words a language writes as English does, checked by a speaker (not an untranslated entry).
SAME_WORD = {"vi": {"Logo"}}
VISIBLE_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
SAME_IN_EVERY_LANGUAGE = re.compile(
    r"^[\W\d_]*$|^(PDF|A4|A4 \(PDF\)|PDF, [\d.,\s]+ ?[kM]B|https://\S+|\+[\d ]+.*)$"
)


class _Texts(HTMLParser):
    """(language, text) of everything a visitor sees or hears, with the nearest `lang`."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []  # (tag, lang)
        self.found: list[tuple[str, str]] = []

    def _lang(self) -> str:
        return self.stack[-1][1] if self.stack else ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang") or self._lang()
        for name in VISIBLE_ATTRIBUTES:
            if values.get(name):
                self.found.append((lang, str(values[name])))
        if tag not in ("meta", "link", "img", "input", "br"):
            self.stack.append((tag, lang))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][0] in ("style", "script"):
            return
        text = " ".join(data.split())
        if text:
            self.found.append((self._lang(), text))


def _texts(html: str) -> list[tuple[str, str]]:
    parser = _Texts()
    parser.feed(html)
    return parser.found


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    root = tmp_path_factory.mktemp("strings")
    settings = Settings(cache=root / "cache", content_dir=make_content(root))
    with TestClient(create_app(settings)) as test_client:
        yield test_client


PAGES = [
    ("index", "/index.{lang}.html"),
    ("edition", f"/sheets/{SHEET}/{{lang}}.html"),
    ("clinic form", f"/sheets/{SHEET}/{{lang}}/clinic"),
]


@pytest.mark.parametrize("lang", [tag for tag in site_languages() if tag != "en"])
@pytest.mark.parametrize(("name", "path"), PAGES)
def test_a_translated_page_has_no_english_outside_the_sheets_names(
    client: TestClient, lang: str, name: str, path: str
) -> None:
    english_path = path.format(lang="en").replace("/index.en.html", "/index.html")
    english = {text for _lang, text in _texts(client.get(english_path).text)}
    page = client.get(path.format(lang=lang), headers={"Accept-Language": lang})
    if lang not in {"es", "vi"} and name != "index":
        pytest.skip(f"the test sheet has no {lang} edition")
    assert page.status_code == 200
    assert f'<html lang="{lang}"' in page.text
    # the sheet's own names, and each language's name written in that language
    sheet_names = {"Example Charity", *(display_name(tag) for tag in ("en", "es", "vi", lang))}
    left = [
        text
        for where, text in _texts(page.text)
        if where == lang
        and text in english
        and text not in sheet_names
        and text not in SAME_WORD.get(lang, set())
        and not SAME_IN_EVERY_LANGUAGE.match(text)
    ]
    assert left == [], f"English on the {lang} {name} page: {left}"


def test_the_finder_finds_english_left_on_a_page() -> None:
    """The check above can fail: an untranslated button on a Spanish page is caught."""
    english = {text for _l, text in _texts("<p>Download</p><p>PDF</p>")}
    page = _texts('<html lang="es"><p>Descargar</p><button>Download</button><p>PDF</p></html>')
    same = SAME_IN_EVERY_LANGUAGE.match
    left = [t for w, t in page if w == "es" and t in english and not same(t)]
    assert left == ["Download"]


def test_dates_and_sizes_are_formatted_for_the_pages_language(client: TestClient) -> None:
    html = client.get(f"/sheets/{SHEET}/es.html").text
    assert '<time datetime="2026-10-15">15 de octubre de 2026</time>' in html
    assert re.search(r"2 páginas, \d+ kB", html)  # CLDR's plural rules and units
    vi = client.get(f"/sheets/{SHEET}/vi.html").text
    assert '<time datetime="2026-10-15">15 tháng 10, 2026</time>' in vi


def test_accept_language_picks_the_whole_index_page(client: TestClient) -> None:
    html = client.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9"}).text
    assert '<html lang="ko" dir="ltr">' in html and "건강 안내문" in html
    html = client.get("/", headers={"Accept-Language": "fr"}).text
    assert '<html lang="en" dir="ltr">' in html


@pytest.mark.parametrize("lang", [tag for tag in site_languages() if tag != "en"])
def test_every_site_catalog_translates_every_message_with_the_same_placeholders(
    lang: str,
) -> None:
    with (LOCALE_DIR / "site.pot").open("rb") as handle:
        template = read_po(handle)
    with (LOCALE_DIR / f"{lang}.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang.replace("-", "_"))
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id)
        assert found is not None and found.string and not found.fuzzy, (lang, message.id)
        source = message.id if isinstance(message.id, str) else message.id[0]
        strings = [found.string] if isinstance(found.string, str) else list(found.string)
        wanted = sorted(re.findall(r"%\(\w+\)\w", source))
        for text in strings:
            found_names = sorted(re.findall(r"%\(\w+\)\w", text))
            # A plural form may say its number in words (Arabic "صفحتان", two pages),
            # leaving out the count; no other placeholder may go missing or appear.
            if len(strings) > 1 and "%(count)s" not in found_names:
                found_names = sorted([*found_names, "%(count)s"])
            assert found_names == wanted, (lang, source, text)


def test_the_template_is_up_to_date_with_the_code(tmp_path: Path) -> None:
    """`make site-strings` was run: extracting again gives the same messages."""
    out = tmp_path / "site.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
         "-k", "N_", "--no-location", "--sort-output", "--omit-header", "-o", str(out), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with out.open("rb") as fresh, (LOCALE_DIR / "site.pot").open("rb") as kept:
        assert [m.id for m in read_po(fresh)] == [m.id for m in read_po(kept)]


def test_arabic_counts_pages_with_its_own_plural_forms() -> None:
    """CLDR's six Arabic forms: one and two pages are words of their own, no digit."""
    from factsheet.web.strings import translations

    ar = translations("ar")

    def pages(count: int) -> str:
        text = ar.ngettext("%(count)s page, %(size)s", "%(count)s pages, %(size)s", count)
        return text % {"count": count, "size": "59 kB"}

    assert pages(1) == "صفحة واحدة، 59 kB"
    assert pages(2) == "صفحتان، 59 kB"
    assert pages(6) == "6 صفحات، 59 kB"


def test_a_download_label_is_isolated_from_the_page_count() -> None:
    """In a right-to-left page "A4 (PDF)" and "2" would join one left-to-right run
    ("2 A4 (PDF)"): the label is a <bdi> of its own."""
    template = (LOCALE_DIR.parent / "templates" / "sheet.html").read_text(encoding="utf-8")
    assert "<bdi>{% trans label=download.label %}{{ label }} (PDF){% endtrans %}</bdi>" in template
