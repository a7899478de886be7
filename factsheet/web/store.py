"""Built editions on disk, built when missing or out of date: what the website serves.

In: the catalogue's editions (`catalogue.editions`), a layout and a folder to
keep builds in. Out: `Built` records pointing at a PDF, its page thumbnails
(PNG) and what the web pages say about it (title, reviewed date, size, hash).

Freshness is the batch's fingerprint (`inputs.py`: content, catalog, layout,
fonts, code), so a visitor never gets a PDF older than its sources. Hashing
megabytes of fonts per request would be slow, so a file is re-hashed only when
its size or modification time changes, and the whole check runs at most once
per `recheck` seconds per edition. Every file is written with `write_atomic`
and the sidecar JSON last, so a reader sees an old build or a whole new one.

Clinic editions are kept by a hash of everything that goes into them (the
edition's fingerprint, the clinic's details, the logo's bytes), so a repeated
request is served from disk; the oldest are pruned past `max_clinic_files`.

Thread-safe: one lock per edition makes concurrent builds of the same edition
wait for one another (the second finds the first's result); PDFium is not
thread-safe, so thumbnails are rendered under one global lock.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from factsheet.content.clinic import Clinic
from factsheet.layout.theme import resolve_layout
from factsheet.publish.catalogue import Edition, editions
from factsheet.publish.files import CONTENT_DIR, write_atomic
from factsheet.publish.inputs import (
    Hasher,
    code_revision,
    content_inputs,
    fingerprint,
    layout_inputs,
)

THUMBNAIL_DPI = 40  # a Letter page becomes 340 × 440 pixels: readable as a preview, ~30 KB
_PDFIUM = threading.Lock()


@dataclass(frozen=True)
class Built:
    """One edition built on disk, and what the web pages show about it."""

    sheet: str
    lang: str
    layout: str
    pdf: Path
    thumbnails: tuple[Path, ...]
    sha256: str
    bytes: int
    pages: int
    title: str
    series: str
    reviewed: str  # ISO date
    inputs: str  # the fingerprint it was built from

    @property
    def etag(self) -> str:
        return f'"{self.sha256}"'


@dataclass(frozen=True)
class ClinicBuilt:
    pdf: Path
    sha256: str

    @property
    def etag(self) -> str:
        return f'"{self.sha256}"'


class _StatHasher(Hasher):
    """A Hasher that re-reads a file only when its size or modification time changed."""

    def __init__(self) -> None:
        super().__init__()
        self._stats: dict[Path, tuple[int, int, str]] = {}

    def file(self, path: Path) -> str:
        stat = path.stat()
        known = self._stats.get(path)
        if known is not None and known[:2] == (stat.st_mtime_ns, stat.st_size):
            return known[2]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self._stats[path] = (stat.st_mtime_ns, stat.st_size, digest)
        return digest


class EditionStore:
    """Builds editions into `root` on demand and remembers what it built."""

    def __init__(
        self,
        root: Path,
        content_dir: Path = CONTENT_DIR,
        layout: str = "letter",
        *,
        recheck: float = 2.0,
        max_clinic_files: int = 2000,
    ) -> None:
        self.root = root
        self.content_dir = content_dir
        self.layout = layout
        self.recheck = recheck
        self.max_clinic_files = max_clinic_files
        self._code = code_revision()  # the running code cannot change under us
        self._hasher = _StatHasher()
        self._catalogue: tuple[float, dict[tuple[str, str], Edition]] = (-1e9, {})
        self._checked: dict[tuple[str, str], tuple[float, str]] = {}
        self._built: dict[tuple[str, str], Built] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    # --- the catalogue ----------------------------------------------------------------

    def catalogue(self) -> dict[tuple[str, str], Edition]:
        """(sheet, language) → edition; the only way a request's names reach a file."""
        now = time.monotonic()
        stamp, found = self._catalogue
        if now - stamp >= self.recheck:
            found = {(e.sheet, e.lang): e for e in editions(self.content_dir)}
            self._catalogue = (now, found)
        return found

    def find(self, sheet: str, lang: str) -> Edition | None:
        return self.catalogue().get((sheet, lang))

    # --- fingerprints -----------------------------------------------------------------

    def fingerprint(self, edition: Edition) -> str:
        """The edition's input fingerprint, recomputed at most once per `recheck` seconds."""
        key = (edition.sheet, edition.lang)
        now = time.monotonic()
        checked = self._checked.get(key)
        if checked is not None and now - checked[0] < self.recheck:
            return checked[1]
        layout_file = resolve_layout(self.layout)
        files = content_inputs(edition, self.content_dir) + layout_inputs(layout_file, self.layout)
        with self._guard:
            digest = fingerprint(files, self._hasher, self._code, False)
        self._checked[key] = (now, digest)
        return digest

    # --- editions ---------------------------------------------------------------------

    def fresh(self, edition: Edition) -> Built | None:
        """The edition's build if it is on disk and up to date; None if it must be built."""
        key = (edition.sheet, edition.lang)
        built = self._built.get(key) or self._read_sidecar(edition)
        if built is None or built.inputs != self.fingerprint(edition):
            return None
        if not built.pdf.is_file():
            return None
        self._built[key] = built
        return built

    def ensure(self, edition: Edition) -> Built:
        """The edition's build, building it first if needed (once, however many ask)."""
        built = self.fresh(edition)
        if built is not None:
            return built
        with self._lock(f"{edition.sheet}/{edition.lang}"):
            return self.fresh(edition) or self._build(edition)

    def _lock(self, name: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(name, threading.Lock())

    def _folder(self, edition: Edition) -> Path:
        return self.root / "editions" / edition.sheet

    def _stem(self, edition: Edition) -> str:
        return f"{edition.lang}-{self.layout}"

    def _build(self, edition: Edition) -> Built:
        from factsheet.publish.build import lay_out
        from factsheet.render.pdf import render_pdf

        inputs = self.fingerprint(edition)
        sheet, doc = lay_out(edition.folder, edition.lang, self.layout)
        pdf = render_pdf(doc)
        folder, stem = self._folder(edition), self._stem(edition)
        write_atomic(folder / f"{stem}.pdf", pdf)
        thumbnails = _write_thumbnails(pdf, folder, stem)
        built = Built(
            sheet=edition.sheet,
            lang=edition.lang,
            layout=self.layout,
            pdf=folder / f"{stem}.pdf",
            thumbnails=thumbnails,
            sha256=hashlib.sha256(pdf).hexdigest(),
            bytes=len(pdf),
            pages=len(doc.pages),
            title=sheet.title,
            series=sheet.series,
            reviewed=sheet.dates.reviewed.isoformat(),
            inputs=inputs,
        )
        _write_sidecar(folder / f"{stem}.json", built)
        self._built[(edition.sheet, edition.lang)] = built
        return built

    def _read_sidecar(self, edition: Edition) -> Built | None:
        """A build left by an earlier run (or `factsheet site`), if its record is readable."""
        path = self._folder(edition) / f"{self._stem(edition)}.json"
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            data["pdf"] = path.parent / data["pdf"]
            data["thumbnails"] = tuple(path.parent / name for name in data["thumbnails"])
            return Built(**data)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    # --- clinic editions --------------------------------------------------------------

    def clinic_key(self, edition: Edition, clinic: Clinic, logo_sha256: str | None) -> str:
        """A hash of everything a clinic edition is made from: its name on disk."""
        parts = [
            self.fingerprint(edition),
            self.layout,
            edition.sheet,
            edition.lang,
            clinic.name,
            clinic.phone,
            clinic.web,
            logo_sha256,
        ]
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()

    def clinic_cached(self, key: str) -> ClinicBuilt | None:
        path = self.root / "clinic" / f"{key}.pdf"
        try:
            sha = (self.root / "clinic" / f"{key}.sha256").read_text(encoding="ascii").strip()
        except OSError:
            return None
        return ClinicBuilt(path, sha) if path.is_file() else None

    def build_clinic(self, edition: Edition, clinic: Clinic, key: str) -> ClinicBuilt:
        """Render the clinic edition and keep it under `key` (raises InputError if it can't)."""
        from factsheet.publish.build import lay_out
        from factsheet.render.pdf import render_pdf

        _sheet, doc = lay_out(edition.folder, edition.lang, self.layout, clinic=clinic)
        pdf = render_pdf(doc)
        folder = self.root / "clinic"
        sha = hashlib.sha256(pdf).hexdigest()
        write_atomic(folder / f"{key}.pdf", pdf)
        write_atomic(folder / f"{key}.sha256", sha.encode("ascii"))
        _prune(folder, self.max_clinic_files * 2)  # a PDF and its hash per edition
        return ClinicBuilt(folder / f"{key}.pdf", sha)

    def store_logo(self, png: bytes) -> Path:
        """Keep a normalised logo under its hash (the clinic block reads it from disk)."""
        folder = self.root / "logos"
        path = folder / f"{hashlib.sha256(png).hexdigest()}.png"
        if not path.is_file():
            write_atomic(path, png)
            _prune(folder, self.max_clinic_files)
        return path

    def scratch_dir(self) -> Path:
        """Where uploads wait to be checked (same disk as the store, cleaned by the caller)."""
        folder = self.root / "tmp"
        folder.mkdir(parents=True, exist_ok=True)
        return folder


def _write_thumbnails(pdf: bytes, folder: Path, stem: str) -> tuple[Path, ...]:
    from factsheet.publish.preview import page_images

    with _PDFIUM:
        images = page_images(pdf, THUMBNAIL_DPI)
    paths = []
    for number, png in enumerate(images, start=1):
        path = folder / f"{stem}-p{number}.png"
        write_atomic(path, png)
        paths.append(path)
    return tuple(paths)


def _write_sidecar(path: Path, built: Built) -> None:
    data = asdict(built)
    data["pdf"] = built.pdf.name
    data["thumbnails"] = [p.name for p in built.thumbnails]
    write_atomic(path, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8"))


def _prune(folder: Path, keep: int) -> None:
    """Delete the oldest files past `keep`: the clinic cache must not fill the disk."""
    try:
        entries = [
            (e.stat().st_mtime_ns, e.path)
            for e in os.scandir(folder)
            if e.is_file() and not e.name.startswith(".")  # skip write_atomic's temporary files
        ]
    except OSError:
        return
    if len(entries) <= keep:
        return
    for _mtime, path in sorted(entries)[: len(entries) - keep]:
        Path(path).unlink(missing_ok=True)
