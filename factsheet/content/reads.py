"""Which files a content load read, and whether any of them has changed since.

A long-lived process keeps checked editions (publish/build.py); it must notice
an edit to any file an edition read, and only those: a file in the sheet
folder that no edition reads (a 2 GB scan, a backup) must cost nothing. So the
readers of content files (`yamlfile.read_text`, the image check) note each
file as they read it, with the size limit it was read under, into the log of
the `recording()` around the load. Checking the log later stats each file,
refuses to read one that grew past its limit, and hashes the rest in chunks.

Outside `recording()` noting does nothing, so plain loads pay nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

CHUNK = 1 << 20  # hashing reads a file 1 MiB at a time: memory stays flat whatever its size
ABSENT = "absent"


@dataclass(frozen=True)
class Read:
    """One file a load read: where, under which size limit, and a digest of what it held."""

    path: Path
    limit: int
    digest: str  # SHA-256 hex, ABSENT, or "over-limit:<size>"


# Per thread and per task: the download service loads editions in several threads at once.
_LOG: ContextVar[list[Read] | None] = ContextVar("factsheet_reads", default=None)


@contextmanager
def recording() -> Iterator[list[Read]]:
    """Collect every file read inside the block (nested recordings each get their own)."""
    log: list[Read] = []
    token = _LOG.set(log)
    try:
        yield log
    finally:
        _LOG.reset(token)


def note_bytes(path: Path, limit: int, data: bytes | None) -> None:
    """A reader read `data` (None: the file was not there) from `path`."""
    log = _LOG.get()
    if log is not None:
        digest = ABSENT if data is None else hashlib.sha256(data).hexdigest()
        log.append(Read(_resolved(path), limit, digest))


def note_file(path: Path, limit: int) -> None:
    """A reader used `path` without handing over its bytes (Pillow opening a picture)."""
    log = _LOG.get()
    if log is not None:
        log.append(Read(_resolved(path), limit, file_digest(path, limit)))


def file_digest(path: Path, limit: int) -> str:
    """SHA-256 of the file, read in chunks; a file over `limit` bytes is never read."""
    try:
        size = path.stat().st_size
        if size > limit:
            return f"over-limit:{size}"
        digest, seen = hashlib.sha256(), 0
        with path.open("rb") as stream:
            for chunk in iter(lambda: stream.read(CHUNK), b""):
                seen += len(chunk)
                if seen > limit:  # it grew while being read
                    return f"over-limit:{seen}"
                digest.update(chunk)
        return digest.hexdigest()
    except (FileNotFoundError, NotADirectoryError):
        return ABSENT
    except OSError as exc:  # unreadable now: a reload will say why
        return f"unreadable:{exc.errno}"


def unchanged(reads: Iterable[Read]) -> bool:
    """Every file still holds what it held when it was read (and absent ones are still absent)."""
    return all(file_digest(read.path, read.limit) == read.digest for read in reads)


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symbolic-link loop: keep the name as given
        return path
