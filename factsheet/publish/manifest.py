"""The batch manifest: `<out>/manifest.json`, one entry per edition file in the output folder.

Each entry says which edition a PDF is (sheet, language, layout), what it is
(path relative to the output folder, pages, bytes, SHA-256, type scale) and
what it was built from (source and catalog revisions, and `inputs`, the
fingerprint the next batch compares to decide whether to rebuild). The file
has sorted keys, a stable order and no timestamps, so the same editions give
the same bytes on every machine, and it is written atomically.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from factsheet import __version__
from factsheet.publish.files import write_atomic

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


def write_manifest(out: Path, entries: list[Entry]) -> Path:
    path = out / MANIFEST_NAME
    document = {"factsheet": __version__, "editions": entries}
    data = (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    if not path.is_file() or path.read_bytes() != data:  # an all-skipped run touches nothing
        write_atomic(path, data)
    return path
