"""What an edition is built from, and one fingerprint over all of it.

In: an `Edition` and a layout name. Out: hex SHA-256 digests. The batch skips
an edition whose fingerprint matches the one its last build recorded, so the
fingerprint must cover everything that can change the PDF's bytes:

- the sheet folder: `en.yaml`, pictures, a glossary, and this language's
  catalog (other languages' catalogs are left out, so editing `es.po`
  rebuilds only the Spanish editions);
- shared files under the content folder outside any sheet (a shared glossary),
  under the same catalog rule;
- of those, only the kinds of file a build reads (YAML, catalogs, PNG and
  JPEG pictures) and only within the size the build would read (a bigger
  one is left out unread: its build fails and says why, and the file list,
  part of the fingerprint, has changed). A 2 GB scan or backup beside
  en.yaml costs a directory listing, never a read;
- the layout file and every font file the layout names;
- the code: factsheet's version, a hash of its source files (so a code change
  rebuilds without anyone bumping the version), and its dependencies' versions.

Files are hashed by content, never by modification time, so a checkout or a
`touch` rebuilds nothing while any real edit does.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path

from factsheet import __version__
from factsheet.content.i18n.catalog import MAX_BYTES as MAX_CATALOG_BYTES
from factsheet.content.images import IMAGE_SUFFIXES, MAX_IMAGE_BYTES
from factsheet.content.reads import CHUNK
from factsheet.content.yamlfile import MAX_YAML_BYTES
from factsheet.errors import InputError
from factsheet.publish.catalogue import Edition

PACKAGE_DIR = Path(__file__).resolve().parents[1]
_GETTEXT_SUFFIXES = {".po", ".pot", ".mo"}
_PO_REVISION_DATE = re.compile(r'^"PO-Revision-Date:[ \t]*(.*?)(?:\\n)?"[ \t]*$', re.MULTILINE)


class Hasher:
    """SHA-256 of files, each read once per batch (fonts are megabytes, shared by editions).

    One instance per plan: a cache that outlived a run would miss edits made between runs.
    """

    def __init__(self) -> None:
        self._seen: dict[Path, str] = {}
        self._labels: dict[Path, str] = {}

    def label(self, path: Path) -> str:
        """`_label(path)`, resolved once per batch (every edition names the same fonts)."""
        known = self._labels.get(path)
        if known is None:
            known = self._labels[path] = _label(path)
        return known

    def file(self, path: Path) -> str:
        known = self._seen.get(path)  # as given first: resolving costs a system call a part
        if known is None:
            real = path.resolve()
            known = self._seen.get(real) or sha256_file(real)
            self._seen[path] = self._seen[real] = known
        return known


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def catalog_revision(catalog: Path | None) -> dict[str, str | None] | None:
    """The catalog's SHA-256 and its PO-Revision-Date header (None for the English source).

    The header is read with a regular expression rather than a PO parser on purpose:
    a broken catalog still needs a revision, and its build will say what is wrong.
    """
    if catalog is None:
        return None
    data = catalog.read_bytes()
    found = _PO_REVISION_DATE.search(data.decode("utf-8", errors="replace"))
    return {
        "sha256": hashlib.sha256(data).hexdigest(),
        "po_revision_date": found.group(1).strip() if found else None,
    }


def code_revision() -> str:
    """factsheet's version, its source files and its dependencies' versions, as one digest."""
    parts: list[list[str]] = [["factsheet", __version__]]
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
            parts.append([path.relative_to(PACKAGE_DIR).as_posix(), sha256_file(path)])
    parts += [[name, version] for name, version in _dependency_versions()]
    return _digest(parts)


# The libraries whose version can change a PDF's bytes: the writer, the PDF post-processor,
# image decoding, the parsers that read content and catalogs, locale data. A fixed list,
# not factsheet's installed metadata: two copies of that (an egg-info in the checkout and
# a dist-info in the venv) can disagree, and the fingerprint would depend on the cwd.
OUTPUT_LIBRARIES = (
    "reportlab",
    "pikepdf",
    "pillow",
    "fonttools",
    "markdown-it-py",
    "pyyaml",
    "polib",
    "babel",
)


def _dependency_versions() -> Iterator[tuple[str, str]]:
    for name in OUTPUT_LIBRARIES:
        try:
            yield name, metadata.version(name)
        except metadata.PackageNotFoundError:
            yield name, "absent"


ContentFiles = list[tuple[str | None, Path]]  # (the sheet a file belongs to, or None; file)


def content_files(content_dir: Path) -> ContentFiles:
    """Every visible file under the content folder, with the sheet folder it sits in.

    Listed once per batch: each edition then picks its own from the list.
    """
    root = content_dir.resolve()
    sheets = {p.parent.name for p in root.glob("*/en.yaml")}
    listing: ContentFiles = []
    for path in _visible_files(root):
        parts = path.relative_to(root).parts
        listing.append((parts[0] if len(parts) > 1 and parts[0] in sheets else None, path))
    return listing


def content_inputs(edition: Edition, content: Path | ContentFiles) -> list[Path]:
    """The content files `edition` depends on: its sheet folder's and the shared ones.

    `content` is the content folder, or its `content_files` listing when many editions
    are fingerprinted at once (listing the folder once per edition is quadratic).
    """
    listing = content_files(content) if isinstance(content, Path) else content
    return [
        path
        for owner, path in listing
        if owner in (None, edition.sheet)  # not another sheet's file
        # nor another language's catalog, or a template no build reads
        and (path.suffix not in _GETTEXT_SUFFIXES or path.stem == edition.lang)
    ]


def _visible_files(root: Path) -> Iterator[Path]:
    """Files under `root` a build can read, skipping hidden ones (editor swap files)."""
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).parts
        if not any(part.startswith(".") for part in relative) and _readable_input(path):
            yield path


# The most a build reads of each kind of content file (the readers' own limits).
_INPUT_LIMITS = {
    **dict.fromkeys((".yaml", ".yml"), MAX_YAML_BYTES),
    **dict.fromkeys(_GETTEXT_SUFFIXES, MAX_CATALOG_BYTES),
    **dict.fromkeys(IMAGE_SUFFIXES, MAX_IMAGE_BYTES),
}


def _readable_input(path: Path) -> bool:
    """A file of a kind a build reads, no bigger than the build would read (a stat, no read)."""
    limit = _INPUT_LIMITS.get(path.suffix.lower())
    if limit is None:
        return False
    try:
        stat = path.stat()
    except OSError:
        return False
    return stat.st_size <= limit and path.is_file()


def layout_inputs(layout_file: Path, layout: str) -> list[Path]:
    """The layout file, its brand file and the font files they name.

    A layout that does not load gives just its file: its build fails and says why.
    """
    from factsheet.layout.theme import load_theme

    try:
        theme = load_theme(layout)
    except InputError:
        return [layout_file]
    fonts = {path for faces in theme.fonts.values() for path in faces.values()}
    return [layout_file, *theme.sources[1:], *sorted(fonts)]


def fingerprint(files: Iterable[Path], hasher: Hasher, code: str, draft: bool) -> str:
    """One digest over the files' contents (and names), the code revision and the draft flag."""
    parts = [["code", code], ["draft", str(draft)]]
    parts += [[hasher.label(path), hasher.file(path)] for path in files]
    return _digest(parts)


def _label(path: Path) -> str:
    """A file's name without the checkout's location, so moving the repo rebuilds nothing."""
    parts = path.resolve().parts
    return "/".join(parts[-3:])


def _digest(parts: list[list[str]]) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8")).hexdigest()
