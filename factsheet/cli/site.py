"""`factsheet site`: the static website (every sheet, its editions and downloads).

Like every command module it imports Jinja2 and the build stages only when it
runs, so `factsheet --help` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from factsheet.cli.common import output_path
from factsheet.cli.exits import Exit

DEFAULT_SITE = Path("build/site")
DEFAULT_CACHE = Path("build/cache")
DEFAULT_RELEASES = Path("build/releases")


def register(sub: Any) -> None:
    site = sub.add_parser(
        "site",
        help="write the static website: every sheet, its editions and downloads",
        description="Build every edition (content/<sheet>/en.yaml and each <lang>.po beside it) "
        "and write a static website any web host can serve: an index of the sheets with each "
        "language, page pictures, file sizes and review dates, a page per sheet and edition in "
        "its language, and the PDFs in every layout. No JavaScript is needed. Editions that do "
        "not build are reported and their pages offer the English (exit 1); with --strict "
        "nothing is written unless every edition builds.",
    )
    site.add_argument(
        "-o",
        "--out",
        type=output_path,
        default=DEFAULT_SITE,
        help="output folder (default: build/site)",
    )
    site.add_argument(
        "--strict", action="store_true", help="write nothing unless every edition builds"
    )
    web_options(site)
    site.set_defaults(run=run)


def web_options(parser: argparse.ArgumentParser) -> None:
    """--content and --releases, shared with `factsheet serve` and `factsheet release`."""
    parser.add_argument(
        "--content", type=Path, default=None, help="content folder (default: the project's)"
    )
    parser.add_argument(
        "--releases",
        type=Path,
        default=DEFAULT_RELEASES,
        help="where releases are kept (default: build/releases)",
    )


def report_failures(failures: list[Any]) -> None:
    """Each edition that did not make it, one line on stderr."""
    for failure in failures:
        print(f"not published: {failure}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from factsheet.cli.common import content_folder
    from factsheet.errors import BuildError
    from factsheet.web.release import make_release
    from factsheet.web.site import write_site

    made = make_release(content_folder(args.content), args.releases, activate=False)
    report_failures(made.failures)
    if made.failures and args.strict:
        raise BuildError(f"{plural(len(made.failures), 'edition')} did not build (--strict)")
    result = write_site(made.release, args.out, made.failures)
    counts = ", ".join(
        plural(n, word)
        for n, word in (
            (result.sheets, "sheet"),
            (result.editions, "edition"),
            (result.files, "file"),
        )
    )
    stale = f", removed {plural(result.removed, 'stale file')}" if result.removed else ""
    print(f"wrote {result.out}/index.html: {counts}{stale}")
    return Exit.FAILED if made.failures else Exit.OK


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
