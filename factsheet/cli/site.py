"""`factsheet site`: the static website (every sheet, its editions and downloads).

Like every command module it imports Jinja2 and the build stages only when it
runs, so `factsheet --help` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from factsheet.cli.common import output_path
from factsheet.cli.exits import Exit

DEFAULT_SITE = Path("build/site")
DEFAULT_CACHE = Path("build/cache")


def register(sub: Any) -> None:
    site = sub.add_parser(
        "site",
        help="write the static website: every sheet, its editions and downloads",
        description="Build every edition (content/<sheet>/en.yaml and each <lang>.po beside it) "
        "and write a static website any web host can serve: an index of the sheets with each "
        "language, page thumbnails, file sizes and review dates, a page per sheet and edition, "
        "and the PDFs. No JavaScript is needed.",
    )
    site.add_argument(
        "-o",
        "--out",
        type=output_path,
        default=DEFAULT_SITE,
        help="output folder (default: build/site)",
    )
    web_options(site)
    site.set_defaults(run=run)


def web_options(parser: argparse.ArgumentParser) -> None:
    """--layout, --content and --cache, shared with `factsheet serve`."""
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


def run(args: argparse.Namespace) -> int:
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
    return Exit.OK


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
