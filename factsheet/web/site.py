"""The static site: every edition that builds, with pictures and pages, in a folder any host serves.

In: the content folder and a releases folder. Out: `index.html` (and
`index.<lang>.html` for every language the site speaks), a page per sheet and
per edition in the edition's language, each edition's PDFs in every layout and
its page pictures, and `style.css` (see `views` for the URLs). No JavaScript,
no server: the language switch is a list of links.

The site is written from a release (`release.make_release`, not made current:
that is `factsheet release`'s job), so an unchanged edition is not built
twice and an edition that does not build is reported, not fatal: its page
says it is being updated and offers the English. Files of editions that no
longer exist are removed from the output folder.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from factsheet.publish.files import BUILD_DIR, CONTENT_DIR, write_atomic
from factsheet.web.release import PRIMARY_LAYOUT, RELEASES_DIR, Failure, Release, make_release
from factsheet.web.strings import site_languages
from factsheet.web.views import (
    STYLESHEET,
    SheetView,
    render_index,
    render_sheet,
    sheet_views,
)

DEFAULT_OUT = BUILD_DIR / "site"
_MANAGED = (".html", ".pdf", ".png")  # what the site writes under sheets/; others are left


@dataclass(frozen=True)
class SiteResult:
    out: Path
    sheets: int
    editions: int  # editions published (withdrawn ones get a page, not a PDF)
    files: int  # files written (pages, PDFs, pictures, stylesheet)
    removed: int  # stale files of editions that are gone
    release: str = ""
    failures: list[Failure] = field(default_factory=list)


def build_site(
    out: Path = DEFAULT_OUT,
    content_dir: Path = CONTENT_DIR,
    releases: Path = RELEASES_DIR,
) -> SiteResult:
    """Write the site of what builds into `out`; `failures` lists the rest."""
    made = make_release(content_dir, releases, activate=False)
    return write_site(made.release, out, made.failures)


def write_site(release: Release, out: Path, failures: list[Failure] | None = None) -> SiteResult:
    written: set[Path] = set()
    english = sheet_views(release, "en")
    published = [e for e in release.editions if e.published]
    for edition in published:
        written |= _copy_edition(release, edition.sheet, edition.lang, out)
    for lang in site_languages():
        name = "index.html" if lang == "en" else f"index.{lang}.html"
        page = render_index(sheet_views(release, lang, {s.id: lang for s in english}), lang)
        written.add(_write(out / name, page.encode("utf-8")))
    for sheet in english:
        written |= _write_sheet_pages(release, sheet, out)
    written.add(_write(out / "style.css", STYLESHEET.read_bytes()))
    removed = _remove_stale(out, written)
    count = len([e for e in published if any(s.id == e.sheet for s in english)])
    return SiteResult(out, len(english), count, len(written), removed, release.id, failures or [])


def _write(path: Path, data: bytes) -> Path:
    write_atomic(path, data)
    path.chmod(0o644)  # a web server usually runs as another user; write_atomic makes 0600
    return path


def _copy_edition(release: Release, sheet: str, lang: str, out: Path) -> set[Path]:
    """The PDFs and pictures under the names the pages link to."""
    edition = release.find(sheet, lang)
    assert edition is not None
    paths = set()
    for files in edition.layouts:
        name = f"{lang}.pdf" if files.layout == PRIMARY_LAYOUT else f"{lang}.{files.layout}.pdf"
        paths.add(_write(out / "sheets" / sheet / name, release.file(files.pdf).read_bytes()))
    for picture in (*edition.thumbnails, *edition.previews):
        paths.add(_write(out / picture, release.file(picture).read_bytes()))
    return paths


def _write_sheet_pages(release: Release, sheet: SheetView, out: Path) -> set[Path]:
    folder = out / "sheets" / sheet.id
    html = render_sheet(sheet, sheet.english, dynamic=False)
    paths = {_write(folder / "index.html", html.encode("utf-8"))}
    for edition in sheet.editions:
        # each edition's page in its own language: the view is made again in that language
        view = sheet_views(release, edition.lang, {sheet.id: edition.lang})
        here = next(v for v in view if v.id == sheet.id)
        shown = next(e for e in here.editions if e.lang == edition.lang)
        html = render_sheet(here, shown, dynamic=False)
        paths.add(_write(folder / f"{edition.lang}.html", html.encode("utf-8")))
    return paths


def _remove_stale(out: Path, written: set[Path]) -> int:
    """Delete pages, PDFs and pictures this run did not write (a removed edition's)."""
    removed = 0
    stale = [p for p in out.glob("index.*.html") if p not in written]
    folder = out / "sheets"
    if folder.is_dir():
        stale += [p for p in sorted(folder.rglob("*")) if p.is_file() and p.suffix in _MANAGED
                  and p not in written]  # fmt: skip
    for path in stale:
        path.unlink()
        removed += 1
    if folder.is_dir():
        for sub in sorted(folder.iterdir()):
            if sub.is_dir() and not any(sub.iterdir()):
                shutil.rmtree(sub)
    return removed
