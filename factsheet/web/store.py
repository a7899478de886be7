"""What the service serves: the current release, and clinic editions made from it.

`ReleaseStore` reads `releases/current` (written by `factsheet release`) and
re-reads it when the file changes, at most once per `recheck` seconds, so a
new release goes live in every worker process without a restart and a
half-written one is never seen (the pointer is replaced atomically after the
release's folder is complete).

`ClinicCache` keeps clinic co-branded PDFs on disk under a hash of everything
they are made from (release, edition, layout, clinic details, logo bytes),
shared by every worker: files are written to a temporary name and renamed, a
hit refreshes the file's modification time, and past `max_bytes` (or
`max_files`) the least recently used are deleted, under a file lock so two
workers never evict at once. A full disk is `CacheFull`, which the service
turns into 503 for new renders while cached ones and everything else go on.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from factsheet.content.clinic import Clinic
from factsheet.errors import FactsheetError
from factsheet.publish.files import write_atomic
from factsheet.web.release import Release, ReleasedEdition, current_id, load_release

DEFAULT_CLINIC_BYTES = 256 * 1024 * 1024  # about 9,000 clinic PDFs of 28 KB
DEFAULT_CLINIC_FILES = 10_000


class NoRelease(Exception):
    """There is no current release to serve (run `factsheet release`)."""


class CacheFull(Exception):
    """The clinic cache's disk is full or not writable: new clinic renders must wait."""


class ReleaseStore:
    """The current release, re-read when `releases/current` changes."""

    def __init__(self, releases: Path, recheck: float = 2.0) -> None:
        self.releases = releases
        self.recheck = recheck
        self._lock = threading.Lock()
        self._release: Release | None = None
        self._stamp: tuple[int, int, int] | None = None
        self._checked = -1e9

    def current(self) -> Release:
        now = time.monotonic()
        if self._release is not None and now - self._checked < self.recheck:
            return self._release
        with self._lock:
            self._checked = now
            stamp = _stamp(self.releases / "current")
            if stamp != self._stamp or self._release is None:
                found = current_id(self.releases)
                if found is not None:
                    try:
                        self._release = load_release(self.releases / found)
                        self._stamp = stamp
                    except (OSError, ValueError, KeyError, TypeError):
                        pass  # keep serving the release we had
        if self._release is None:
            raise NoRelease
        return self._release

    def find(self, sheet: str, lang: str) -> ReleasedEdition | None:
        return self.current().find(sheet, lang)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


@dataclass(frozen=True)
class ClinicBuilt:
    pdf: Path
    key: str

    @property
    def etag(self) -> str:
        # the key hashes every input, and the same input gives the same bytes
        return f'"{self.key}"'


class ClinicCache:
    """Clinic PDFs by input hash, capped in bytes and files, least recently used evicted."""

    def __init__(
        self,
        root: Path,
        max_bytes: int = DEFAULT_CLINIC_BYTES,
        max_files: int = DEFAULT_CLINIC_FILES,
    ) -> None:
        self.root = root
        self.max_bytes = max_bytes
        self.max_files = max_files

    def ready(self) -> bool:
        """Whether the folder can be used; the service starts either way (503 for renders)."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            return os.access(self.root, os.W_OK)
        except OSError:
            return False

    @staticmethod
    def key(release: Release, edition: ReleasedEdition, layout: str, clinic: Clinic,
            logo_sha256: str | None) -> str:  # fmt: skip
        parts = [release.id, edition.sheet, edition.lang, layout, clinic.name, clinic.phone,
                 clinic.web, logo_sha256]  # fmt: skip
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()

    def get(self, key: str) -> ClinicBuilt | None:
        path = self.root / f"{key}.pdf"
        try:
            os.utime(path)  # recently used: the last to be evicted
        except OSError:
            return None
        return ClinicBuilt(path, key)

    def put(self, key: str, pdf: bytes) -> ClinicBuilt:
        """Keep `pdf` under `key`, then evict past the caps; CacheFull if the disk refuses."""
        path = self.root / f"{key}.pdf"
        try:
            write_atomic(path, pdf)
        except (OSError, FactsheetError) as error:  # full, read-only, gone: new renders wait
            raise CacheFull(str(error)) from None
        self.evict()
        return ClinicBuilt(path, key)

    def evict(self) -> int:
        """Delete the least recently used PDFs past the caps; returns how many."""
        with self._locked():
            entries = []
            for entry in os.scandir(self.root):
                if entry.name.endswith(".pdf") and entry.is_file():
                    stat = entry.stat()
                    entries.append((stat.st_mtime_ns, stat.st_size, entry.path))
            entries.sort()  # oldest use first
            total = sum(size for _m, size, _p in entries)
            removed = 0
            while entries and (total > self.max_bytes or len(entries) > self.max_files):
                _mtime, size, path = entries.pop(0)
                with contextlib.suppress(OSError):
                    os.unlink(path)
                total -= size
                removed += 1
            return removed

    def usage(self) -> tuple[int, int]:
        """(files, bytes) of cached PDFs."""
        sizes = [e.stat().st_size for e in os.scandir(self.root) if e.name.endswith(".pdf")]
        return len(sizes), sum(sizes)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self.root / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def scratch(self) -> Path:
        """Where uploads wait while they are checked (same disk; each is removed after use)."""
        folder = self.root / "tmp"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CacheFull(str(error)) from None
        return folder
