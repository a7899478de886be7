"""HTTP details of the download service that are not about fact sheets.

- `content_disposition`: RFC 6266 download names, `filename` (ASCII) and
  `filename*` (UTF-8), built so that no input can add a header line.
- `etag_matches`: If-None-Match, compared as RFC 9110 says (weakly, lists, `*`).
- `DeclaredBodyLimit`: a readable 413 for a body declared over the cap.
- `SingleFlight`: on-demand renders run once per key however many requests
  want the result, and at most `limit` at a time; past that, `Busy`.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import quote

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send

T = TypeVar("T")
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_NOT_ASCII_WORD = re.compile(r"[^A-Za-z0-9]+")
MAX_NAME = 120  # characters of a download name, before ".pdf"


def download_names(parts: list[str], suffix: str = ".pdf") -> tuple[str, str]:
    """(UTF-8 name, ASCII fallback) for a download, from parts such as a clinic name.

    Each part keeps only letters and digits of any script, joined by hyphens:
    quotes, slashes, line breaks and semicolons cannot survive into a header or
    a path on the visitor's disk. The fallback spells accented letters without
    accents ("Clínica" → "Clinica") and drops what ASCII cannot spell.
    """
    words = [w for part in parts for w in _NOT_WORD.split(unicodedata.normalize("NFC", part)) if w]
    utf8 = "-".join(words).replace("_", "-")[:MAX_NAME].strip("-") or "download"
    flat = unicodedata.normalize("NFKD", utf8).encode("ascii", "ignore").decode("ascii")
    ascii_name = _NOT_ASCII_WORD.sub("-", flat).strip("-")[:MAX_NAME] or "download"
    return utf8 + suffix, ascii_name + suffix


def content_disposition(utf8_name: str, ascii_name: str, kind: str = "attachment") -> str:
    """`attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 section 4.3 and RFC 8187)."""
    if not re.fullmatch(r"[A-Za-z0-9._-]+", ascii_name):
        raise ValueError(f"not a safe ASCII file name: {ascii_name!r}")
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name, safe='')}"


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names `etag` (weak comparison, as RFC 9110 13.1.2)."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


class DeclaredBodyLimit:
    """Answers 413 with a readable page when a request declares a body over the cap.

    Starlette's own `max_body_size` counts the bytes as they arrive (chunked
    requests declare no length) but answers a declared oversize body with a bare
    "Content Too Large"; this says what the limit is, before anything is read.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _declared_length(scope) > self.max_bytes:
            limit = f"{self.max_bytes // 1024:,} KB"
            message = f"The upload is too large: at most {limit} is accepted."
            response = PlainTextResponse(message, status_code=413, headers={"Connection": "close"})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _declared_length(scope: Scope) -> int:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return 0
    return 0


class Busy(Exception):
    """Every render slot is taken: the caller should answer 503 with Retry-After."""


class SingleFlight:
    """Runs each keyed job once at a time, and at most `limit` jobs together.

    Lives on the event loop, so the bookkeeping needs no lock. A request for a
    key already being rendered waits for that render instead of taking a slot.
    The job runs in its own task: a visitor who gives up (a closed connection
    cancels their request) does not cancel the render others are waiting for.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._running: dict[str, asyncio.Task[Any]] = {}

    @property
    def active(self) -> int:
        return len(self._running)

    async def run(self, key: str, job: Callable[[], Awaitable[T]]) -> T:
        task = self._running.get(key)
        if task is None:
            if len(self._running) >= self.limit:
                raise Busy
            task = asyncio.ensure_future(job())
            self._running[key] = task
            task.add_done_callback(lambda done: self._finished(key, done))
        result: T = await asyncio.shield(task)
        return result

    def _finished(self, key: str, task: asyncio.Task[Any]) -> None:
        if self._running.get(key) is task:
            del self._running[key]
        if not task.cancelled():
            task.exception()  # marks it retrieved: the waiters have it
