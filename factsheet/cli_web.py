"""`factsheet site` and `factsheet serve`: the website, static or served.

Kept out of cli.py so that `factsheet --help` never imports Starlette, uvicorn
or Jinja2: each command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

DEFAULT_SITE = Path("build/site")
DEFAULT_CACHE = Path("build/cache")


def register(sub: Any) -> None:
    """Add the `site` and `serve` subcommands to the main parser's subparsers."""
    site = sub.add_parser(
        "site",
        help="write the static website: every sheet, its editions and downloads",
        description="Build every edition (content/<sheet>/en.yaml and each <lang>.po beside it) "
        "and write a static website any web host can serve: an index of the sheets with each "
        "language, page thumbnails, file sizes and review dates, a page per sheet and edition, "
        "and the PDFs. No JavaScript is needed.",
    )
    site.add_argument(
        "-o", "--out", type=Path, default=DEFAULT_SITE, help="output folder (default: build/site)"
    )
    _common(site)
    site.set_defaults(run=_cmd_site)

    serve = sub.add_parser(
        "serve",
        help="run the download service (web pages, PDFs, clinic co-branded editions)",
        description="Run the download service with uvicorn: the same pages as the static site "
        "in the visitor's language (Accept-Language), PDF downloads with caching headers, and "
        "a form that makes a clinic co-branded edition. Editions are built on demand and kept "
        "in the cache folder. Stop it with Ctrl-C.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to bind (default: 8000)")
    serve.add_argument(
        "--max-renders",
        type=int,
        default=2,
        help="on-demand renders at once; more get 503 with Retry-After (default: 2)",
    )
    _common(serve)
    serve.set_defaults(run=_cmd_serve)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--layout", default="letter", help="layout of every edition (default: letter)"
    )
    parser.add_argument(
        "--content", type=Path, default=None, help="content folder (default: the project's)"
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        help="where built editions are kept between runs (default: build/cache)",
    )


def _cmd_site(args: argparse.Namespace) -> int:
    from factsheet.publish.files import CONTENT_DIR
    from factsheet.web.site import build_site

    result = build_site(args.out, args.content or CONTENT_DIR, args.layout, args.cache)
    counts = ", ".join(
        _plural(n, word)
        for n, word in (
            (result.sheets, "sheet"),
            (result.editions, "edition"),
            (result.files, "file"),
        )
    )
    stale = f", removed {_plural(result.removed, 'stale file')}" if result.removed else ""
    print(f"wrote {result.out}/index.html: {counts}{stale}")
    return 0


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _cmd_serve(args: argparse.Namespace) -> int:
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
    return 0
