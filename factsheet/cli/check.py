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
    parser.add_argument(
        "--release",
        action="store_true",
        help="also apply the release rules: refuse a sheet past its next medical review date "
        "(dates.next_review, or dates.reviewed + the series' review_interval_months)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    sheet, doc = laid_out(args)
    if args.release:
        refuse_unreleasable(args.sheet, sheet)
    print(
        f"ok: {sheet.id} ({sheet.language}, {args.layout}) "
        f"fits {plural(len(doc.pages), 'page')} at {fit_line(doc)}"
    )
    return Exit.OK


def refuse_unreleasable(name: str, sheet: Any) -> None:
    """Raise ContentError when a release may not include the sheet (past its review date)."""
    import datetime as dt

    from factsheet.content.review import release_problems
    from factsheet.errors import ContentError
    from factsheet.publish.files import resolve_sheet

    problems = release_problems(sheet, resolve_sheet(name), dt.date.today())
    if problems:
        raise ContentError(problems)
