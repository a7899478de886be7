"""The download service, through Starlette's test client: every route, header and refusal.

A temporary content folder holds a tiny sheet in English, Spanish and
Vietnamese (tests/webhelpers.py), so these tests exercise the languages
without depending on the real sheets' wording. The service makes a first
release of it at start-up and serves that release.
"""

from __future__ import annotations

import hashlib
import io
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from starlette.testclient import TestClient

from factsheet.web.app import Service, Settings, create_app
from factsheet.web.release import make_release
from tests.webhelpers import SHEET, TITLES, damaged_jpeg, damaged_png, make_content, png_bytes

PDF = f"/sheets/{SHEET}/es.pdf"
CLINIC = f"/sheets/{SHEET}/es/clinic"


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_content(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(content: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    settings = Settings(cache=tmp_path_factory.mktemp("cache"), content_dir=content, recheck=0)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def _fresh_client(content: Path, cache: Path, **options: Any) -> TestClient:
    return TestClient(create_app(Settings(cache=cache, content_dir=content, recheck=0, **options)))


# --- pages ----------------------------------------------------------------------------


def test_the_index_lists_every_edition_in_its_own_language(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    html = page.text
    assert '<html lang="en" dir="ltr">' in html
    for name, lang in (("English", "en"), ("Español", "es"), ("Tiếng Việt", "vi")):
        assert f'hreflang="{lang}" lang="{lang}" dir="ltr">{name}</a>' in html
        assert f'href="sheets/{SHEET}/{lang}.pdf"' in html
    assert '<time datetime="2026-10-15">October 15, 2026</time>' in html  # last reviewed
    assert re.search(r"PDF, \d+ kB", html)  # CLDR spells kilobytes kB
    assert f'src="sheets/{SHEET}/en-thumb1.png"' in html
    assert "<script" not in html


def test_pages_carry_the_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["vary"] == "Accept-Language"


@pytest.mark.parametrize(
    ("accept", "lang"),
    [
        ("vi-VN,vi;q=0.9,en;q=0.5", "vi"),
        ("es-MX", "es"),  # Mexican Spanish finds the Spanish edition
        ("fr-FR, de;q=0.8", "en"),  # no French edition: English
        ("es;q=0, vi;q=0.4", "vi"),  # q=0 means "not Spanish"
        ("", "en"),
    ],
)
def test_accept_language_picks_the_edition_shown_first(
    client: TestClient, accept: str, lang: str
) -> None:
    index = client.get("/", headers={"Accept-Language": accept}).text
    assert f'<span lang="{lang}" dir="ltr">{TITLES[lang]}</span></a></h2>' in index
    sheet = client.get(f"/sheets/{SHEET}/", headers={"Accept-Language": accept}).text
    assert f"<h1>{TITLES[lang]}</h1>" in sheet
    assert f'href="../../sheets/{SHEET}/{lang}.pdf"' in sheet


def test_a_visitor_can_always_switch_language(client: TestClient) -> None:
    page = client.get(f"/sheets/{SHEET}/index.html", headers={"Accept-Language": "vi"}).text
    for lang in ("en", "es", "vi"):
        assert f'href="../../sheets/{SHEET}/{lang}.html"' in page
    chosen = client.get(f"/sheets/{SHEET}/es.html", headers={"Accept-Language": "vi"}).text
    assert f"<h1>{TITLES['es']}</h1>" in chosen  # the page asked for, whatever the header
    assert 'lang="es" dir="ltr" aria-current="page">Español</a>' in chosen


def test_the_stylesheet_is_served(client: TestClient) -> None:
    response = client.get("/style.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")


# --- downloads ------------------------------------------------------------------------


def test_a_pdf_download_has_every_header_a_browser_and_cache_need(client: TestClient) -> None:
    response = client.get(PDF)
    assert response.status_code == 200
    headers = response.headers
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"] == (
        'attachment; filename="tiny-sheet-es-letter.pdf"; '
        "filename*=UTF-8''tiny-sheet-es-letter.pdf"
    )
    assert headers["etag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'
    assert headers["cache-control"] == "public, max-age=300"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert TITLES["es"].upper() in reader.pages[0].extract_text()


def test_head_gives_the_headers_without_the_body(client: TestClient) -> None:
    get = client.get(PDF)
    head = client.head(PDF)
    assert head.status_code == 200 and head.content == b""
    for name in ("etag", "content-length", "content-disposition", "cache-control"):
        assert head.headers[name] == get.headers[name]


@pytest.mark.parametrize("form", ["{etag}", "W/{etag}", '"other", {etag}', "*"])
def test_if_none_match_gets_304_without_a_body(client: TestClient, form: str) -> None:
    etag = client.get(PDF).headers["etag"]
    response = client.get(PDF, headers={"If-None-Match": form.format(etag=etag)})
    assert response.status_code == 304 and response.content == b""
    assert response.headers["etag"] == etag


def test_a_stale_etag_gets_the_file(client: TestClient) -> None:
    response = client.get(PDF, headers={"If-None-Match": '"0000"'})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_thumbnails_are_pngs_of_each_page(client: TestClient) -> None:
    for kind in ("thumb", "preview"):
        for page in (1, 2):
            response = client.get(f"/sheets/{SHEET}/vi-{kind}{page}.png")
            assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
            assert response.headers["etag"].startswith('"')
        assert client.get(f"/sheets/{SHEET}/vi-{kind}3.png").status_code == 404


# --- unknown names and traversal ------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/sheets/no-such-sheet/", "There is no sheet called “no-such-sheet”."),
        ("/sheets/no-such-sheet/en.pdf", "There is no sheet called “no-such-sheet”."),
        (f"/sheets/{SHEET}/fr.pdf", "The sheet “tiny-sheet” has no edition in “fr”."),
        (f"/sheets/{SHEET}/fr.html", "has no edition in “fr”"),
        (f"/sheets/{SHEET}/de-thumb1.png", "has no edition in “de”"),
    ],
)
def test_unknown_sheets_and_languages_are_404_with_a_message(
    client: TestClient, path: str, message: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert message in response.text


@pytest.mark.parametrize(
    ("path", "lang", "message"),
    [
        ("/sheets/no-such-sheet/", "es", "No hay ninguna hoja llamada «no-such-sheet»."),
        (f"/sheets/{SHEET}/fr.pdf", "vi", "Tài liệu “tiny-sheet” không có bản bằng “fr”."),
        ("/no/such/page", "ko", "이 주소에는 페이지가 없습니다."),  # Starlette's own 404
        ("/no/such/page", "ar", "لا توجد صفحة على هذا العنوان."),
    ],
)
def test_an_error_page_says_what_went_wrong_in_the_visitors_language(
    client: TestClient, path: str, lang: str, message: str
) -> None:
    """The heading and the sentence under it: no English left on a translated error page."""
    response = client.get(path, headers={"Accept-Language": lang})
    assert response.status_code == 404
    assert f'<html lang="{lang}"' in response.text
    assert f'<p lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}">{message}</p>' in (
        response.text
    )


def test_a_wrong_method_is_explained_in_the_visitors_language(client: TestClient) -> None:
    response = client.delete("/", headers={"Accept-Language": "zh-Hans"})
    assert response.status_code == 405
    assert "此地址不接受这种请求。" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/sheets/../../pyproject.toml",
        f"/sheets/{SHEET}/..%2F..%2F..%2Fpyproject.toml.pdf",
        f"/sheets/{SHEET}/%2e%2e.pdf",
        "/sheets/%2e%2e/en.pdf",
        f"/sheets/{SHEET}/en.yaml",
        f"/sheets/{SHEET}/es.po",
        "/sheets/tiny-sheet%00/en.pdf",
        f"/sheets/{SHEET}/en%2fx.pdf",
    ],
)
def test_traversal_attempts_find_nothing(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "[project]" not in response.text and "msgid" not in response.text


def test_a_wrong_method_is_405(client: TestClient) -> None:
    assert client.put(PDF, content=b"x").status_code == 405


# --- releases: the working tree never reaches a visitor --------------------------------


def test_an_english_edit_leaves_every_page_and_pdf_serving_until_the_next_release(
    content: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "content"
    shutil.copytree(content, folder)
    with _fresh_client(folder, tmp_path / "cache") as client:
        before = client.get(PDF)
        source = folder / SHEET / "en.yaml"
        source.write_text(source.read_text().replace("Keep moving", "Keep on moving"))
        pages = ["/", f"/sheets/{SHEET}/", *(f"/sheets/{SHEET}/{lang}.html" for lang in TITLES)]
        files = [f"/sheets/{SHEET}/{lang}.{kind}" for lang in TITLES for kind in ("pdf", "a4.pdf")]
        for path in pages + files + [f"/sheets/{SHEET}/es/clinic"]:
            assert client.get(path).status_code == 200, path
        assert client.get(PDF).headers["etag"] == before.headers["etag"]
        assert _post(client, {"name": "Edit Clinic"}).status_code == 200  # from the release
        # The next release: Spanish no longer matches its English, so it is withdrawn.
        result = make_release(folder, tmp_path / "cache" / "releases")
        assert {(f.lang, f.layout) for f in result.failures} == {("es", None), ("vi", None)}
        page = client.get(f"/sheets/{SHEET}/es.html")
        assert client.get(f"/sheets/{SHEET}/en.pdf").headers["etag"] != before.headers["etag"]
    assert page.status_code == 200
    assert '<html lang="es" dir="ltr">' in page.text
    assert "se está actualizando" in page.text  # the notice, in the visitor's language
    assert f'href="../../sheets/{SHEET}/en.pdf"' in page.text  # the current English instead
    assert f'href="../../sheets/{SHEET}/es.pdf"' not in page.text
    assert client.get(PDF).status_code == 404


def test_a_release_is_immutable_and_the_same_sources_give_the_same_release(
    content: Path, tmp_path: Path
) -> None:
    first = make_release(content, tmp_path / "releases")
    again = make_release(content, tmp_path / "releases")
    assert first.release.id == again.release.id and again.built == 0
    root = first.release.root
    manifest = (root / "manifest.json").read_text(encoding="utf-8")
    for word in (
        '"content_sha256"',
        '"translates"',
        '"reviewed": "2026-10-15"',
        '"po_revision_date"',
    ):
        assert word in manifest
    spanish = first.release.find(SHEET, "es")
    assert spanish is not None and spanish.translates and spanish.status == "current"
    assert all(not (p.stat().st_mode & 0o222) for p in root.rglob("*") if p.is_file())


# --- clinic editions ------------------------------------------------------------------


def _post(client: TestClient, fields: dict[str, str], logo: bytes | None = None) -> Any:
    files = {"logo": ("logo.png", logo, "image/png")} if logo is not None else None
    return client.post(CLINIC, data=fields, files=files)


def test_a_clinic_edition_is_two_pages_with_the_clinic_on_page_2(client: TestClient) -> None:
    response = _post(
        client,
        {
            "name": "Clínica San José",
            "phone": "+34 910 000 000 ext. 12",
            "web": "https://example.es",
        },
        png_bytes(),
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["cache-control"] == "private, max-age=86400"
    assert re.fullmatch(r'"[0-9a-f]{64}"', response.headers["etag"])
    assert response.headers["content-disposition"] == (
        'attachment; filename="tiny-sheet-es-Clinica-San-Jose.pdf"; '
        "filename*=UTF-8''tiny-sheet-es-Cl%C3%ADnica-San-Jos%C3%A9.pdf"
    )
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2
    assert "Clínica San José" in reader.pages[1].extract_text()
    assert "+34 910 000 000 ext. 12" in reader.pages[1].extract_text()  # printed as typed
    links = [a.get_object()["/A"].get("/URI") for a in reader.pages[1].get("/Annots", [])]
    assert "tel:+34910000000;ext=12" in links  # dialled: the number, then the extension


def test_a_repeated_clinic_request_is_served_from_the_cache(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    fields = {"name": "Cached Clinic", "phone": "+1 555 010 0100"}
    first = _post(client, fields)

    def no_render(*_args: Any) -> Any:
        raise AssertionError("rendered again")

    monkeypatch.setattr(Service, "_render_clinic", no_render)
    second = _post(client, fields)
    assert second.status_code == 200 and second.content == first.content
    again = client.post(CLINIC, data=fields, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "name",
    [
        'The "Quoted" Clinic',
        "Evil\r\nSet-Cookie: x=1",
        "A/B\\C Clinic",
        "Bệnh viện Chợ Rẫy",
        "診所 clinic",
        "; filename=evil.exe",
    ],
)
def test_odd_clinic_names_never_break_the_headers(client: TestClient, name: str) -> None:
    response = _post(client, {"name": name})
    assert response.status_code == 200, response.text
    assert "set-cookie" not in response.headers
    disposition = response.headers["content-disposition"]
    match = re.fullmatch(
        r"attachment; filename=\"([A-Za-z0-9._-]+)\"; filename\*=UTF-8''([A-Za-z0-9%._-]+)",
        disposition,
    )
    assert match, disposition
    assert match.group(1).endswith(".pdf") and match.group(2).endswith(".pdf")
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[1].extract_text()
    assert " ".join(name.split()) in " ".join(text.split())


def test_form_problems_are_summarised_at_the_top_without_echoing_the_input(
    client: TestClient,
) -> None:
    fields = {"name": '"><script>alert(1)</script>', "phone": "call us", "web": "http://x.org"}
    response = client.post(f"/sheets/{SHEET}/en/clinic", data=fields)
    assert response.status_code == 422
    html = response.text
    assert "<script>" not in html  # the value comes back escaped, in its field only
    assert html.count("alert(1)") == 1
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "<title>Error: Add your clinic" in html
    summary = html.index('class="error-summary"')
    assert summary < html.index("<h1>") < html.index("<form")
    assert "autofocus" in html[summary : html.index(">", summary)]
    assert '<a href="#clinic-phone">Enter a phone number with its country code' in html
    assert '<a href="#clinic-web">Enter a web address that starts with https://</a>' in html
    assert "call us" not in html.replace('value="call us"', "")
    assert "http:" not in html.replace('value="http://x.org"', "")
    assert 'aria-invalid="true" aria-describedby="clinic-web-hint clinic-web-error"' in html


def test_the_form_speaks_the_editions_language(client: TestClient) -> None:
    response = _post(client, {"name": ""})
    assert response.status_code == 422
    assert '<html lang="es" dir="ltr">' in response.text
    assert "<title>Error: Añada su clínica" in response.text
    assert '<a href="#clinic-name">Escriba el nombre de la clínica</a>' in response.text


def test_a_missing_name_asks_for_it(client: TestClient) -> None:
    response = client.post(
        f"/sheets/{SHEET}/en/clinic", data={"name": "", "phone": "+1 555 010 0100"}
    )
    assert response.status_code == 422
    assert "Enter the clinic’s name" in response.text


@pytest.mark.parametrize(
    ("logo", "status", "message"),
    [
        (b"GIF89a" + b"\x00" * 64, 422, "El logotipo debe ser una imagen PNG o JPEG"),
        (b"%PDF-1.7 not a picture", 422, "El logotipo debe ser una imagen PNG o JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, 422, "El logotipo debe ser una imagen PNG o JPEG"),
        (damaged_jpeg(), 422, "El archivo del logotipo está dañado"),
        (damaged_png("corrupt"), 422, "El archivo del logotipo está dañado"),
        (damaged_png("short"), 422, "El archivo del logotipo está dañado"),
        (png_bytes(2500, 2000), 422, "como máximo 4 millones de píxeles"),
        (b"\x00" * (2 * 1024 * 1024 + 1), 413, "El logotipo debe ocupar menos de 2 MB"),
    ],
)
def test_bad_logos_are_refused_with_a_message(
    client: TestClient, logo: bytes, status: int, message: str
) -> None:
    response = _post(client, {"name": "Logo Clinic"}, logo)
    assert response.status_code == status
    assert message in response.text


def test_a_decompression_bomb_is_refused(client: TestClient) -> None:
    from tests.test_clinic import _png_header_only

    response = _post(client, {"name": "Bomb Clinic"}, _png_header_only(60_000, 60_000))
    assert response.status_code == 422
    assert "como máximo 4 millones de píxeles" in response.text


def test_a_declared_oversized_body_is_refused_before_it_is_read(client: TestClient) -> None:
    body = b"x" * (3 * 1024 * 1024)
    headers = {"Content-Type": "multipart/form-data; boundary=abc"}
    response = client.post(CLINIC, content=body, headers=headers)
    assert response.status_code == 413
    assert "The upload is too large: at most 2,304 KB is accepted." in response.text


def test_a_chunked_oversized_body_is_refused_as_it_arrives(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(48):
            yield b"x" * 65536  # 3 MiB with no Content-Length

    headers = {"Content-Type": "multipart/form-data; boundary=abc"}
    response = client.post(CLINIC, content=chunks(), headers=headers)
    assert response.status_code == 413
    assert "at most 2,304 KB" in response.text


def test_a_malformed_upload_is_400(client: TestClient) -> None:
    headers = {"Content-Type": "multipart/form-data"}  # no boundary
    response = client.post(CLINIC, content=b"--x\r\nbroken", headers=headers)
    assert response.status_code == 400


def test_too_many_fields_are_refused(client: TestClient) -> None:
    response = client.post(CLINIC, data={f"f{i}": "x" for i in range(50)})
    assert response.status_code == 400


def test_the_clinic_form_has_its_own_page_linked_from_each_sheet(client: TestClient) -> None:
    form = client.get(CLINIC)
    assert form.status_code == 200 and "<form" in form.text and "error-summary" not in form.text
    assert '<label for="clinic-name">Nombre de la clínica</label>' in form.text
    page = client.get(f"/sheets/{SHEET}/es.html").text
    assert f'href="../../sheets/{SHEET}/es/clinic"' in page and "<form" not in page


def test_renders_past_the_limit_get_503_with_retry_after(
    content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    original = Service._render_clinic

    def slow(self: Service, *args: Any) -> Any:
        release.wait(timeout=30)
        return original(self, *args)

    monkeypatch.setattr(Service, "_render_clinic", slow)
    with _fresh_client(content, tmp_path / "cache", max_renders=1) as client:
        service = client.app.state.service  # type: ignore[attr-defined]
        first: list[int] = []
        worker = threading.Thread(
            target=lambda: first.append(_post(client, {"name": "A"}).status_code)
        )
        worker.start()
        deadline = time.monotonic() + 10
        while service.flight.active == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        busy = _post(client, {"name": "B"})
        release.set()
        worker.join()
    assert busy.status_code == 503
    assert busy.headers["retry-after"] == "2"
    assert "try again in a moment" in busy.text.lower()
    assert first == [200]


# --- languages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "name"),
    [
        ("en", "English"),
        ("es", "Español"),
        ("vi", "Tiếng Việt"),
        ("zh-Hans", "中文 (简体)"),
        ("ko", "한국어"),
        ("ar", "العربية"),
        ("xx-nonsense", "xx-nonsense"),
    ],
)
def test_each_language_is_named_in_itself(tag: str, name: str) -> None:
    from factsheet.web.languages import display_name

    assert display_name(tag) == name


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("zh-TW,zh;q=0.9", "zh-Hant"),  # Taiwan writes Traditional Chinese
        ("zh-CN", "zh-Hans"),
        ("pt", "pt-BR"),  # the only Portuguese edition
        ("ko-KR,ko;q=0.9,en-US;q=0.8", "ko"),
        ("en-GB", "en"),
        ("*", "en"),
        ("q=1;;,,", "en"),  # nonsense is ignored, not an error
    ],
)
def test_negotiation_fills_in_likely_scripts_and_regions(header: str, chosen: str) -> None:
    from factsheet.web.languages import negotiate

    offered = ["en", "es", "ko", "pt-BR", "zh-Hans", "zh-Hant"]
    assert negotiate(header, offered) == chosen


def test_a_translation_one_editorial_version_behind_is_published_and_marked(
    content: Path, tmp_path: Path
) -> None:
    """What the page says once `translation_status` answers "behind" (issue 11's records)."""
    from dataclasses import replace

    from factsheet.web.views import render_sheet, sheet_views

    release = make_release(content, tmp_path / "releases").release
    behind = tuple(replace(e, status="behind") if e.lang == "es" else e for e in release.editions)
    release = replace(release, editions=behind)
    view = sheet_views(release, "es", {SHEET: "es"})[0]
    spanish = next(e for e in view.editions if e.lang == "es")
    html = render_sheet(view, spanish, dynamic=True)
    assert spanish.published and f'href="../../sheets/{SHEET}/es.pdf"' in html
    assert "Esta traducción se hizo a partir de una versión anterior" in html
