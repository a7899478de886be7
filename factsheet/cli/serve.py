"""`factsheet serve`: the download service (pages, PDFs, clinic editions) under uvicorn.

Starlette and uvicorn are imported only when the command runs.
"""

from __future__ import annotations

import argparse
from typing import Any

from factsheet.cli.common import bounded_int
from factsheet.cli.exits import Exit
from factsheet.cli.site import web_options


def register(sub: Any) -> None:
    serve = sub.add_parser(
        "serve",
        help="run the download service (web pages, PDFs, clinic co-branded editions)",
        description="Run the download service with uvicorn: the same pages as the static site "
        "in the visitor's language (Accept-Language), PDF downloads with caching headers, and "
        "a form that makes a clinic co-branded edition. Editions are built on demand and kept "
        "in the cache folder. Stop it with Ctrl-C.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument(
        "--port", type=bounded_int(1, 65535), default=8000, help="port to bind (default: 8000)"
    )
    serve.add_argument(
        "--max-renders",
        type=bounded_int(1),
        default=2,
        help="on-demand renders at once; more get 503 with Retry-After (default: 2)",
    )
    web_options(serve)
    serve.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from factsheet.publish.files import CONTENT_DIR
    from factsheet.web.app import Settings, create_app

    settings = Settings(
        cache=args.cache,
        content_dir=args.content or CONTENT_DIR,
        layout=args.layout,
        max_renders=args.max_renders,
        warm=True,
    )
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        server_header=False,
        proxy_headers=False,
        timeout_keep_alive=5,
        limit_concurrency=512,  # past this uvicorn answers 503 itself instead of queueing
        access_log=False,
    )
    return Exit.OK
