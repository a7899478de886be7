"""The static site: every edition built, with thumbnails and pages, in a folder any host serves.

In: the content folder (every edition `catalogue.editions` finds), a layout
and an output folder. Out: `index.html`, a page per sheet and per edition,
each edition's PDF and page thumbnails, and `style.css` (see `views` for the
URLs). No JavaScript, no server: the language switch is a list of links.

Editions are built through an `EditionStore` (by default `build/cache`, the
one `factsheet serve` uses), so an unchanged edition is not built twice. Files
of editions that no longer exist are removed from the output folder.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from factsheet.publish.files import BUILD_DIR, CONTENT_DIR, write_atomic
from factsheet.web.store import Built, EditionStore
from factsheet.web.views import (
    STYLESHEET,
    SheetView,
    render_index,
    render_sheet,
    sheet_views,
)

DEFAULT_OUT = BUILD_DIR / "site"
DEFAULT_CACHE = BUILD_DIR / "cache"
_MANAGED = (".html", ".pdf", ".png")  # what the site writes under sheets/; others are left


@dataclass(frozen=True)
class SiteResult:
    out: Path
    sheets: int
    editions: int
    files: int  # files written (pages, PDFs, thumbnails, stylesheet)
    removed: int  # stale files of editions that are gone


def build_site(
    out: Path = DEFAULT_OUT,
    content_dir: Path = CONTENT_DIR,
    layout: str = "letter",
    cache: Path = DEFAULT_CACHE,
) -> SiteResult:
    """Write the whole site into `out`; raises InputError if an edition cannot be built."""
    store = EditionStore(cache, content_dir, layout, recheck=0.0)
    builts = [store.ensure(edition) for edition in store.catalogue().values()]
    sheets = sheet_views(builts)
    written: set[Path] = set()
    for built in builts:
        written |= _copy_edition(built, out)
    for sheet in sheets:
        written |= _write_sheet_pages(sheet, out)
    written.add(_write(out / "index.html", render_index(sheets).encode("utf-8")))
    written.add(_write(out / "style.css", STYLESHEET.read_bytes()))
    removed = _remove_stale(out / "sheets", written)
    return SiteResult(out, len(sheets), len(builts), len(written), removed)


def _write(path: Path, data: bytes) -> Path:
    write_atomic(path, data)
    path.chmod(0o644)  # a web server usually runs as another user; write_atomic makes 0600
    return path


def _copy_edition(built: Built, out: Path) -> set[Path]:
    """The PDF and thumbnails under the names the pages link to."""
    folder = out / "sheets" / built.sheet
    paths = {_write(folder / f"{built.lang}.pdf", built.pdf.read_bytes())}
    for number, thumb in enumerate(built.thumbnails, start=1):
        paths.add(_write(folder / f"{built.lang}-p{number}.png", thumb.read_bytes()))
    return paths


def _write_sheet_pages(sheet: SheetView, out: Path) -> set[Path]:
    folder = out / "sheets" / sheet.id
    html = render_sheet(sheet, sheet.featured, dynamic=False)
    paths = {_write(folder / "index.html", html.encode("utf-8"))}
    for edition in sheet.editions:
        html = render_sheet(sheet, edition, dynamic=False)
        paths.add(_write(folder / f"{edition.lang}.html", html.encode("utf-8")))
    return paths


def _remove_stale(folder: Path, written: set[Path]) -> int:
    """Delete pages, PDFs and thumbnails this run did not write (a removed edition's)."""
    if not folder.is_dir():
        return 0
    removed = 0
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in _MANAGED and path not in written:
            path.unlink()
            removed += 1
    for sub in sorted(folder.iterdir()):
        if sub.is_dir() and not any(sub.iterdir()):
            shutil.rmtree(sub)
    return removed
