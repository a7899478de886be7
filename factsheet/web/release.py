"""Releases: immutable snapshots of every edition that builds, which the website serves.

In: the content folder (the working tree) and a releases folder. Out: a new
folder `releases/<id>/` holding

- `source/`: a copy of the content folder the release was built from (clinic
  editions are laid out from it, so a later edit in the working tree cannot
  break them);
- `sheets/<sheet>/<lang>.<layout>.pdf` for every layout that exists, and page
  thumbnails and readable previews of the primary layout (`<lang>-thumb1.png`,
  `<lang>-preview1.png`);
- `manifest.json`: the source revision (git commit, whether the tree was
  dirty, a digest of the files), each edition's status, catalog revision,
  review dates, and for each translation the English version it translates;

and `releases/current`, a one-line file naming the release the site serves,
replaced atomically. A release's id is a digest of its manifest, so the same
sources give the same release, and a release is never changed once written
(files are read-only; a new release is a new folder). The working tree never
reaches a visitor directly: an English edit that breaks every translation only
shows in the next release, which keeps what still builds.

Whether a translation is published comes from one function, `translation_status`.
Unchanged editions (same input fingerprint as in the current release) are
linked from it rather than built again.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from factsheet.errors import FactsheetError, InputError
from factsheet.publish.catalogue import SOURCE_LANG, Edition, editions
from factsheet.publish.files import BUILD_DIR, write_atomic
from factsheet.publish.inputs import (
    Hasher,
    catalog_revision,
    code_revision,
    content_inputs,
    fingerprint,
    layout_inputs,
)

RELEASES_DIR = BUILD_DIR / "releases"
PRIMARY_LAYOUT = "letter"  # the layout the previews show (and the one linked first)
THUMBNAIL_DPI = 40  # the index's small page pictures: 340 × 440 pixels for Letter
PREVIEW_DPI = 96  # the sheet page's preview: 816 × 1056 pixels, text readable on a screen
FORMAT = 1  # manifest format; a reader refuses a newer one
_PDFIUM = threading.Lock()  # PDFium is not thread-safe

Status = Literal["current", "behind", "withdrawn"]


@dataclass(frozen=True)
class EditionStatus:
    """Whether an edition may be published, and the English version it translates."""

    state: Status
    translates: str | None = None  # the English version (None for the English source)
    reason: str = ""  # why it is withdrawn, for the release report


@dataclass(frozen=True)
class LayoutFiles:
    layout: str
    pdf: str  # relative to the release folder
    sha256: str
    bytes: int
    pages: int
    inputs: str  # the input fingerprint it was built from


@dataclass(frozen=True)
class ReleasedEdition:
    sheet: str
    lang: str
    status: Status
    title: str = ""
    series: str = ""
    subject: str = ""
    reviewed: str = ""  # ISO dates
    updated: str = ""
    translates: str | None = None
    catalog: dict[str, str | None] | None = None
    reason: str = ""
    layouts: tuple[LayoutFiles, ...] = ()
    thumbnails: tuple[str, ...] = ()
    previews: tuple[str, ...] = ()

    @property
    def published(self) -> bool:
        return self.status != "withdrawn" and bool(self.layouts)

    def layout(self, name: str) -> LayoutFiles | None:
        return next((f for f in self.layouts if f.layout == name), None)

    @property
    def primary(self) -> LayoutFiles:
        return self.layout(PRIMARY_LAYOUT) or self.layouts[0]


@dataclass(frozen=True)
class Release:
    id: str
    root: Path
    source: dict[str, Any]
    editions: tuple[ReleasedEdition, ...]

    def find(self, sheet: str, lang: str) -> ReleasedEdition | None:
        return next((e for e in self.editions if e.sheet == sheet and e.lang == lang), None)

    def sheet_editions(self, sheet: str) -> list[ReleasedEdition]:
        return [e for e in self.editions if e.sheet == sheet]

    def file(self, relative: str) -> Path:
        return self.root / relative

    def sheet_folder(self, sheet: str) -> Path:
        return self.root / "source" / sheet


@dataclass(frozen=True)
class Failure:
    sheet: str
    lang: str
    layout: str | None  # None: the edition itself (content or catalog)
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet} ({self.lang}{', ' + self.layout if self.layout else ''})"
        return f"{where}: {self.message}"


@dataclass
class ReleaseResult:
    release: Release
    failures: list[Failure] = field(default_factory=list)
    built: int = 0  # PDFs rendered
    reused: int = 0  # PDFs linked from the previous release


# --- the status of a translation ----------------------------------------------------------


def english_version(sheet_folder: Path) -> str:
    """The English source's version: a digest of en.yaml (what a translation was made from)."""
    return hashlib.sha256((sheet_folder / f"{SOURCE_LANG}.yaml").read_bytes()).hexdigest()[:16]


def translation_status(sheet_folder: Path, lang: str) -> EditionStatus:
    """Current, one editorial version behind, or withdrawn: the only place this is decided.

    The English source is current when it builds. A translation's standing comes from
    the change records in en.yaml against the version its catalog translates
    (`versions.translation_state`): behind after editorial changes only (it still
    builds from the English it was made from), withdrawn after a clinical change or
    when it does not build for any other reason.
    """
    from factsheet.content.i18n.versions import translation_state
    from factsheet.publish.build import checked_edition

    if lang != SOURCE_LANG:
        state = translation_state(sheet_folder, lang)
        translates = (
            f"version {state.translates}"
            if state.translates is not None
            else english_version(sheet_folder)
        )
        if state.state == "withdrawn":
            return EditionStatus("withdrawn", translates, state.reason)
        if state.state == "behind":
            return EditionStatus("behind", translates, state.reason)
        return EditionStatus("current", translates)
    try:
        checked_edition(sheet_folder, lang, False, None)
    except InputError as error:
        return EditionStatus("withdrawn", None, _first_problem(error))
    return EditionStatus("current", None)


def _first_problem(error: FactsheetError) -> str:
    problems = getattr(error, "problems", None)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return f"{problems[0]}{more}"
    return str(error)


# --- reading releases ---------------------------------------------------------------------


def current_id(releases: Path) -> str | None:
    try:
        text = (releases / "current").read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return text if _is_id(text) and (releases / text / "manifest.json").is_file() else None


def _is_id(text: str) -> bool:
    return len(text) == 16 and all(c in "0123456789abcdef" for c in text)


def load_release(root: Path) -> Release:
    """A release from its folder; raises ValueError if its manifest is unreadable."""
    data = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ValueError(f"{root}: manifest format {data.get('format')!r}, expected {FORMAT}")
    found = []
    for entry in data["editions"]:
        entry = dict(entry)
        entry["layouts"] = tuple(LayoutFiles(**f) for f in entry["layouts"])
        entry["thumbnails"] = tuple(entry["thumbnails"])
        entry["previews"] = tuple(entry["previews"])
        found.append(ReleasedEdition(**entry))
    return Release(data["id"], root, data["source"], tuple(found))


def load_current(releases: Path) -> Release | None:
    found = current_id(releases)
    if found is None:
        return None
    try:
        return load_release(releases / found)
    except (OSError, ValueError, KeyError, TypeError):
        return None


# --- making a release ---------------------------------------------------------------------


def make_release(
    content_dir: Path,
    releases: Path = RELEASES_DIR,
    *,
    activate: bool = True,
    layouts: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> ReleaseResult:
    """Build every edition that builds into a new release (or find the identical one).

    `activate` makes it the current release. Failures are returned, not raised:
    one broken catalog must not keep the other editions from the site. Raises
    BuildError only when nothing at all could be released.
    """
    from factsheet.layout.theme import available_layouts

    releases.mkdir(parents=True, exist_ok=True)
    with _locked(releases / ".lock"):
        previous = load_current(releases)
        staging = releases / f".staging-{os.getpid()}-{threading.get_ident()}"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            _copy_source(content_dir, staging / "source")
            builder = _Builder(staging, previous, layouts or available_layouts(), progress)
            entries = [builder.edition(e) for e in editions(staging / "source")]
            manifest = _manifest(content_dir, staging / "source", entries)
            release_id = manifest["id"]
            final = releases / release_id
            if final.is_dir():
                shutil.rmtree(staging)  # the same sources were released before: reuse it
            else:
                write_atomic(staging / "manifest.json", _json(manifest))
                _read_only(staging)
                os.rename(staging, final)
            if activate:
                activate_release(releases, release_id)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        release = load_release(final)
        return ReleaseResult(release, builder.failures, builder.built, builder.reused)


def activate_release(releases: Path, release_id: str) -> None:
    """Make `release_id` the one the site serves: `current` replaced in one rename."""
    if not (releases / release_id / "manifest.json").is_file():
        raise ValueError(f"no release {release_id} in {releases}")
    write_atomic(releases / "current", f"{release_id}\n".encode("ascii"))
    (releases / "current").chmod(0o644)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One release at a time on this folder, across processes."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _copy_source(content_dir: Path, target: Path) -> None:
    """The content folder, without hidden files (editor swap files, .git)."""
    shutil.copytree(
        content_dir,
        target,
        ignore=lambda _dir, names: [n for n in names if n.startswith(".") or n == "__pycache__"],
    )


class _Builder:
    """Builds (or reuses) each edition of the staged source in every layout."""

    def __init__(
        self,
        staging: Path,
        previous: Release | None,
        layouts: list[str],
        progress: Callable[[str], None] | None,
    ) -> None:
        self.staging = staging
        self.previous = previous
        self.layouts = sorted(layouts, key=lambda name: (name != PRIMARY_LAYOUT, name))
        self.progress = progress or (lambda _line: None)
        self.code = code_revision()
        self.hasher = Hasher()
        self.failures: list[Failure] = []
        self.built = 0
        self.reused = 0
        self._overdue: dict[Path, str] = {}

    def overdue(self, folder: Path) -> str:
        """Why the sheet may not be released (past its next medical review), or ""."""
        if folder not in self._overdue:
            from factsheet.content.review import release_problems
            from factsheet.publish.build import load_edition

            try:
                problems = release_problems(load_edition(folder, SOURCE_LANG), folder, date.today())
            except InputError:
                problems = []  # the English does not build: its own failure says why
            self._overdue[folder] = str(problems[0]) if problems else ""
        return self._overdue[folder]

    def edition(self, edition: Edition) -> ReleasedEdition:
        overdue = self.overdue(edition.folder)
        status = (
            EditionStatus("withdrawn", None, overdue)
            if overdue
            else translation_status(edition.folder, edition.lang)
        )
        catalog = catalog_revision(edition.catalog)
        base = ReleasedEdition(
            edition.sheet, edition.lang, status.state, translates=status.translates,
            catalog=catalog, reason=status.reason,
        )  # fmt: skip
        if status.state == "withdrawn":
            self.failures.append(Failure(edition.sheet, edition.lang, None, status.reason))
            self.progress(f"withdrawn {edition.sheet} ({edition.lang}): {status.reason}")
            return base
        files: list[LayoutFiles] = []
        meta: dict[str, str] = {}
        for layout in self.layouts:
            try:
                files.append(self._layout(edition, layout, meta))
            except FactsheetError as error:
                message = _first_problem(error)
                self.failures.append(Failure(edition.sheet, edition.lang, layout, message))
                self.progress(f"failed {edition.sheet} ({edition.lang}, {layout}): {message}")
        if not files:
            return base
        thumbs, previews = self._pictures(edition, files[0])
        return ReleasedEdition(
            **{**asdict(base), "layouts": tuple(files), "thumbnails": thumbs, "previews": previews,
               **meta},
        )  # fmt: skip

    def _fingerprint(self, edition: Edition, layout: str) -> str:
        from factsheet.layout.theme import resolve_layout

        files = content_inputs(edition, self.staging / "source")
        files += layout_inputs(resolve_layout(layout), layout)
        return fingerprint(files, self.hasher, self.code, False)

    def _layout(self, edition: Edition, layout: str, meta: dict[str, str]) -> LayoutFiles:
        inputs = self._fingerprint(edition, layout)
        relative = f"sheets/{edition.sheet}/{edition.lang}.{layout}.pdf"
        old = self._previous(edition, layout, inputs)
        if old is not None and self.previous is not None:
            _link(self.previous.file(old.pdf), self.staging / relative)
            self.reused += 1
            meta.update(self._meta_from_previous(edition) or self._meta(edition, layout))
            return old
        from factsheet.publish.build import lay_out
        from factsheet.render.pdf import render_pdf

        sheet, doc = lay_out(edition.folder, edition.lang, layout)
        pdf = render_pdf(doc)
        write_atomic(self.staging / relative, pdf)
        self.built += 1
        self.progress(f"built {edition.sheet} ({edition.lang}, {layout})")
        meta.update(_sheet_meta(sheet))
        sha = hashlib.sha256(pdf).hexdigest()
        return LayoutFiles(layout, relative, sha, len(pdf), len(doc.pages), inputs)

    def _previous(self, edition: Edition, layout: str, inputs: str) -> LayoutFiles | None:
        if self.previous is None:
            return None
        found = self.previous.find(edition.sheet, edition.lang)
        files = found.layout(layout) if found is not None else None
        if files is None or files.inputs != inputs or not self.previous.file(files.pdf).is_file():
            return None
        return files

    def _meta_from_previous(self, edition: Edition) -> dict[str, str] | None:
        found = self.previous.find(edition.sheet, edition.lang) if self.previous else None
        if found is None or not found.title:
            return None
        return {k: getattr(found, k) for k in ("title", "series", "subject", "reviewed", "updated")}

    def _meta(self, edition: Edition, layout: str) -> dict[str, str]:
        from factsheet.publish.build import load_edition

        return _sheet_meta(load_edition(edition.folder, edition.lang))

    def _pictures(
        self, edition: Edition, files: LayoutFiles
    ) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Thumbnails and previews of the primary layout's pages (reused when unchanged)."""
        from factsheet.publish.preview import page_images

        stem = f"sheets/{edition.sheet}/{edition.lang}"
        names = {
            kind: tuple(f"{stem}-{kind}{n}.png" for n in range(1, files.pages + 1))
            for kind in ("thumb", "preview")
        }
        old = self.previous.find(edition.sheet, edition.lang) if self.previous else None
        if old is not None and old.layouts and old.primary.sha256 == files.sha256:
            pictures = (*old.thumbnails, *old.previews)
            if all(self.previous.file(p).is_file() for p in pictures):  # type: ignore[union-attr]
                for name in pictures:
                    _link(self.previous.file(name), self.staging / name)  # type: ignore[union-attr]
                return old.thumbnails, old.previews
        pdf = (self.staging / files.pdf).read_bytes()
        for kind, dpi in (("thumb", THUMBNAIL_DPI), ("preview", PREVIEW_DPI)):
            with _PDFIUM:
                images = page_images(pdf, dpi)
            for name, png in zip(names[kind], images, strict=True):
                write_atomic(self.staging / name, png)
        return names["thumb"], names["preview"]


def _sheet_meta(sheet: Any) -> dict[str, str]:
    return {
        "title": sheet.title,
        "series": sheet.series,
        "subject": sheet.subject,
        "reviewed": sheet.dates.reviewed.isoformat(),
        "updated": sheet.dates.updated.isoformat(),
    }


def _link(source: Path, target: Path) -> None:
    """A file of the previous release in the new one: a hard link (no copy) when possible."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _manifest(content_dir: Path, source: Path, entries: list[ReleasedEdition]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "format": FORMAT,
        "source": _source_revision(content_dir, source),
        "editions": [asdict(e) for e in entries],
    }
    body["id"] = hashlib.sha256(_json(body)).hexdigest()[:16]
    return body


def _source_revision(content_dir: Path, source: Path) -> dict[str, Any]:
    """The git commit of the content (and whether it had uncommitted changes), and a digest."""
    digest = hashlib.sha256()
    for path in sorted(source.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(source).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return {"git": _git(content_dir, "rev-parse", "HEAD"),
            "dirty": bool(_git(content_dir, "status", "--porcelain", "--", ".")),
            "content_sha256": digest.hexdigest()}  # fmt: skip


def _git(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=10,
            check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _json(data: Any) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def _read_only(folder: Path) -> None:
    """A release is never changed: its files become read-only (a new release is a new folder)."""
    for path in folder.rglob("*"):
        if path.is_file():
            path.chmod(0o444)


def prune_releases(releases: Path, keep: int = 5) -> list[str]:
    """Delete the oldest releases past `keep`, never the current one; returns their ids."""
    current = current_id(releases)
    found = sorted(
        (p.stat().st_mtime, p.name)
        for p in releases.iterdir()
        if p.is_dir() and _is_id(p.name) and p.name != current
    )
    removed = [name for _mtime, name in found[: max(0, len(found) - (keep - 1))]]
    for name in removed:
        for path in (releases / name).rglob("*"):
            if path.is_file():
                path.chmod(0o644)
        shutil.rmtree(releases / name, ignore_errors=True)
    return removed
