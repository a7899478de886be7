"""The batch manifest: `<out>/manifest.json`, one entry per edition file in the output folder.

Each entry says which edition a PDF is (sheet, language, layout), what it is
(path relative to the output folder, pages, bytes, SHA-256, type scale) and
what it was built from (source and catalog revisions, and `inputs`, the
fingerprint the next batch compares to decide whether to rebuild). The file
has sorted keys, a stable order and no timestamps, so the same editions give
the same bytes on every machine, and it is written atomically.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from factsheet import __version__
from factsheet.errors import OutputError
from factsheet.publish.files import ensure_folder, os_error_reason, write_atomic

MANIFEST_NAME = "manifest.json"
Entry = dict[str, Any]
Key = tuple[str, str, str]  # sheet, language, layout


def key_of(entry: Entry) -> Key:
    return (str(entry["sheet"]), str(entry["language"]), str(entry["layout"]))


def read_manifest(out: Path) -> dict[Key, Entry]:
    """The previous batch's entries; empty when there is none or it is unreadable.

    An unreadable manifest only costs a full rebuild, so it is not an error.
    """
    try:
        data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
        return {key_of(entry): entry for entry in data["editions"] if _usable(entry)}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _usable(entry: Any) -> bool:
    """An entry naming its edition and file (a hand-edited or older one may not)."""
    fields = ("sheet", "language", "layout", "path")
    return isinstance(entry, dict) and all(isinstance(entry.get(f), str) for f in fields)


def merge(previous: dict[Key, Entry], fresh: Iterable[Entry], out: Path) -> list[Entry]:
    """This run's entries over the previous ones, keeping only files still on disk.

    A failed edition keeps its previous entry: its last good PDF is still there.
    """
    entries = dict(previous)
    entries.update((key_of(entry), entry) for entry in fresh)
    return [entries[key] for key in sorted(entries) if (out / entries[key]["path"]).is_file()]


LOCK_NAME = ".manifest.lock"  # beside it; never deleted (deleting a lock file races)


def update_manifest(out: Path, fresh: Iterable[Entry]) -> Path:
    """Merge `fresh` entries into the manifest on disk now, holding its lock throughout.

    Two batches writing into one folder (say `--lang en` and `--lang es` at once)
    each re-read the manifest under an exclusive flock, add their entries and
    write it back, so neither loses the other's. The lock is a separate file
    because the manifest itself is replaced by a rename.
    """
    ensure_folder(out)
    with _locked(out / LOCK_NAME):
        return write_manifest(out, merge(read_manifest(out), fresh, out))


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputError(f"cannot lock {path}: {os_error_reason(exc)}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # waits while another batch writes
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write_manifest(out: Path, entries: list[Entry]) -> Path:
    path = out / MANIFEST_NAME
    document = {"factsheet": __version__, "editions": entries}
    data = (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    if not path.is_file() or path.read_bytes() != data:  # an all-skipped run touches nothing
        write_atomic(path, data)
    return path
