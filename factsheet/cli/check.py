"""`factsheet check SHEET`: validate content and layout and fit the pages; write nothing."""

from __future__ import annotations

import argparse
from typing import Any

from factsheet.cli.common import edition_args, fit_line, laid_out
from factsheet.cli.exits import Exit
from factsheet.cli.report import plural


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="validate content and layout; write nothing",
        description="Validate the content and layout and fit the pages, without writing any file.",
    )
    edition_args(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    sheet, doc = laid_out(args)
    print(
        f"ok: {sheet.id} ({sheet.language}, {args.layout}) "
        f"fits {plural(len(doc.pages), 'page')} at {fit_line(doc)}"
    )
    return Exit.OK
