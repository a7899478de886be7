"""HTTP details of the download service that are not about fact sheets.

- `content_disposition`: RFC 6266 download names, `filename` (ASCII) and
  `filename*` (UTF-8), built so that no input can add a header line.
- `etag_matches`: If-None-Match, compared as RFC 9110 says (weakly, lists, `*`).
- `DeclaredBodyLimit`: a readable 413 for a body declared over the cap.
- `shorten`: what an error page may echo of a request.
- `GuardedH11Protocol`, `uvicorn_options`: deadlines for slow clients, server limits.
- `SingleFlight`: on-demand renders run once per key however many requests
  want the result, and at most `limit` at a time; past that, `Busy`.
"""

from __future__ import annotations

import asyncio
import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import quote

from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

T = TypeVar("T")
_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
_NOT_ASCII_WORD = re.compile(r"[^A-Za-z0-9]+")
MAX_NAME = 120  # characters of a download name, before ".pdf"
_log = logging.getLogger("factsheet.web")


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


def shorten(text: str, limit: int = 60) -> str:
    """`text` cut to `limit` characters with an ellipsis: error pages never echo a 100 KB name."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


# --- connections: idle, slow and incomplete ones are closed ---------------------------------

HEADER_TIMEOUT = 10.0  # seconds to send a request's headers (from connect, or after a response)
BODY_TIMEOUT = 60.0  # seconds to send a request's body: 2 MB at 35 KB/s
KEEP_ALIVE = 5  # seconds an idle keep-alive connection is kept
MAX_CONNECTIONS = 1000  # past this uvicorn answers 503 at once instead of queueing


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with deadlines for the headers and the body of each request.

    uvicorn closes an idle keep-alive connection after `timeout_keep_alive`, but
    any byte resets that timer and a fresh connection that never sends has no
    timer at all: a slow or silent client holds a descriptor for ever. Here a
    connection must finish each request's headers within HEADER_TIMEOUT and its
    body within BODY_TIMEOUT, or it is closed with one log line. (Module level,
    so `--workers` can hand it to the worker processes.)
    """

    _deadline: asyncio.TimerHandle | None = None
    _started = 0.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(HEADER_TIMEOUT)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm(HEADER_TIMEOUT)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        super().connection_lost(exc)

    def _arm(self, seconds: float) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._started = self.loop.time()
        self._deadline = self.loop.call_later(seconds, self._check)

    def _check(self) -> None:
        cycle = self.cycle
        if self.transport.is_closing():
            return
        if cycle is None or cycle.response_complete:
            self._close(f"headers not sent within {HEADER_TIMEOUT:.0f} s")
        elif cycle.more_body and self.loop.time() - self._started > BODY_TIMEOUT:
            self._close(f"request body not sent within {BODY_TIMEOUT:.0f} s")
        else:  # the application is answering: look again later
            self._deadline = self.loop.call_later(5.0, self._check)

    def _close(self, why: str) -> None:
        client = f"{self.client[0]}:{self.client[1]}" if self.client else "?"
        _log.info("closed a slow connection from %s: %s", client, why)
        self.transport.close()


def uvicorn_options(*, access_log: bool = False) -> dict[str, Any]:
    """The server settings `factsheet serve` and the load test use (docs/deploy.md)."""
    return {
        "http": GuardedH11Protocol,
        "server_header": False,
        "proxy_headers": False,  # behind a proxy, set --forwarded-allow-ips in uvicorn instead
        "timeout_keep_alive": KEEP_ALIVE,
        "h11_max_incomplete_event_size": 16 * 1024,  # request line + headers
        "limit_concurrency": MAX_CONNECTIONS,
        "backlog": 2048,
        "timeout_graceful_shutdown": 10,
        "access_log": access_log,
    }
