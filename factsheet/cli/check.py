"""`factsheet check SHEET`: validate content and layout and fit the pages; write nothing."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from factsheet.cli.common import edition_args, fit_line, laid_out
from factsheet.cli.exits import Exit
from factsheet.cli.report import escaped, plural


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
    report_unlisted_drugs(args.sheet)
    level = report_reading(args)
    if args.strict and level.above_target:
        print("error: the reading level is above the series' target (--strict)", file=sys.stderr)
        return Exit.FAILED
    return Exit.OK


def report_unlisted_drugs(name: str) -> None:
    """Warn about drug names of tables and resources that the glossary does not protect."""
    from factsheet.cli.common import print_warnings
    from factsheet.content.i18n.glossary import load_glossary
    from factsheet.content.i18n.unlisted import unlisted_drugs
    from factsheet.content.yamlfile import load_yaml
    from factsheet.publish.files import resolve_sheet

    sheet_dir = resolve_sheet(name)
    glossary = load_glossary(sheet_dir, required=False)
    print_warnings(unlisted_drugs(load_yaml(sheet_dir / "en.yaml"), glossary))


def report_reading(args: argparse.Namespace) -> Any:
    """Print the edition's reading level and its long sentences (content.readability)."""
    from factsheet.content.readability import reading
    from factsheet.content.series import load_series
    from factsheet.publish.build import checked_edition
    from factsheet.publish.files import resolve_sheet

    sheet_dir = resolve_sheet(args.sheet)
    edition = checked_edition(sheet_dir, args.lang, args.draft, args.layout)
    where = {s.path: f"{s.file}:{s.line}" for s in edition.strings}
    level = reading(edition.sheet, load_series(sheet_dir), where)
    print(level.describe())
    for long in level.long:
        print(f"  long sentence ({long.words} words) at {long.where}: {escaped(long.text)}")
    return level


def refuse_unreleasable(name: str, sheet: Any) -> None:
    """Raise ContentError when a release may not include the sheet (past its review date)."""
    import datetime as dt

    from factsheet.content.review import release_problems
    from factsheet.errors import ContentError
    from factsheet.publish.files import resolve_sheet

    problems = release_problems(sheet, resolve_sheet(name), dt.date.today())
    if problems:
        raise ContentError(problems)
