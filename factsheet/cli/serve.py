"""`factsheet serve`: the download service (pages, PDFs, clinic editions) under uvicorn.

Starlette and uvicorn are imported only when the command runs.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from factsheet.cli.common import bounded_int
from factsheet.cli.exits import Exit
from factsheet.cli.site import DEFAULT_CACHE, web_options


def register(sub: Any) -> None:
    serve = sub.add_parser(
        "serve",
        help="run the download service (web pages, PDFs, clinic co-branded editions)",
        description="Run the download service with uvicorn: the current release's pages in "
        "the visitor's language (Accept-Language), PDF downloads with caching headers, and a "
        "form that makes a clinic co-branded edition. It serves the release made by "
        "`factsheet release` (making a first one if there is none) and picks up new ones "
        "without a restart; clinic editions are kept in the cache folder, shared by every "
        "worker. Stop it with Ctrl-C.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument(
        "--port", type=bounded_int(1, 65535), default=8000, help="port to bind (default: 8000)"
    )
    serve.add_argument(
        "--workers",
        type=bounded_int(1, 64),
        default=1,
        help="worker processes, one per core (default: 1)",
    )
    serve.add_argument(
        "--max-renders",
        type=bounded_int(1),
        default=2,
        help="on-demand renders at once per worker; more get 503 with Retry-After (default: 2)",
    )
    serve.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        help="where clinic editions are kept, shared by the workers (default: build/cache)",
    )
    serve.add_argument(
        "--access-log", action="store_true", help="log one line per request (off by default)"
    )
    web_options(serve)
    serve.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from factsheet.cli.common import content_folder
    from factsheet.web.app import Settings, create_app
    from factsheet.web.serving import uvicorn_options

    settings = Settings(
        cache=args.cache,
        content_dir=content_folder(args.content),
        releases=args.releases,
        max_renders=args.max_renders,
    )
    options = uvicorn_options(access_log=args.access_log)
    if args.workers == 1:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, **options)
        return Exit.OK
    from factsheet.web.app import Service

    Service(settings)._first_release()  # once, before the workers start: they only read it
    os.environ.update(
        FACTSHEET_CACHE=str(settings.cache.resolve()),
        FACTSHEET_CONTENT=str(settings.content_dir.resolve()),
        FACTSHEET_RELEASES=str(settings.releases_dir.resolve()),
        FACTSHEET_MAX_RENDERS=str(settings.max_renders),
    )
    uvicorn.run(
        "factsheet.web.app:app_from_environment",
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        **options,
    )
    return Exit.OK
