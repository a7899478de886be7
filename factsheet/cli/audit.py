"""`factsheet audit FILE.pdf …`: the accessibility (PDF/UA-1) structural audit.

Prints, for each file, the tag tree as an indented reading-order outline (what
a screen reader will announce), then every failure with its location, then a
summary. Exit status: 0 when every file passes, 1 when any check fails, 2 when
a file cannot be read as a PDF.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factsheet.cli.exits import Exit
from factsheet.cli.report import escaped, plural

if TYPE_CHECKING:
    from factsheet.audit import AuditReport


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="check that PDFs are tagged for screen readers (PDF/UA-1) and show the tag tree",
        description=(
            "Audit tagged PDFs the way assistive technology reads them: every piece of page "
            "content is tagged or an artifact, the ParentTree maps every marked-content id "
            "and link annotation back to its element, headings do not skip levels, tables "
            "have header cells with a scope, figures have alternate text, links are tagged "
            "and described, /Lang, the title (shown by viewers) and the PDF/UA identification "
            "are set, and fonts are embedded. Prints the tag tree as an indented outline in "
            "reading order. This is a structural check, not a replacement for veraPDF or a "
            "screen-reader test: see docs/accessibility.md."
        ),
        epilog="exit status: 0 every file passes, 1 any check failed, 2 a file is not a "
        "readable PDF",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE.pdf", help="PDFs to audit")
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only failures and the summary, not the tag tree",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from factsheet.audit import audit_pdf
    from factsheet.cli import report_problems
    from factsheet.errors import InputError

    status = Exit.OK
    for path in args.files:
        try:
            report = audit_pdf(path)
        except InputError as error:
            report_problems(error)
            status = Exit.BAD_INPUT
            continue
        _print_report(report, quiet=args.quiet, heading=len(args.files) > 1)
        if not report.ok and status == Exit.OK:
            status = Exit.FAILED
    return status


def _print_report(report: AuditReport, *, quiet: bool, heading: bool) -> None:
    if heading:
        print(f"== {report.file}")
    if not quiet:
        print("\n".join(escaped(line) for line in report.outline))
        print()
    for failure in report.failures:
        print(f"FAIL {escaped(str(failure))}")
    counts = report.counts
    seen = (
        f"{plural(counts.pages, 'page')}, {counts.elements} elements, {counts.tagged} tagged and "
        f"{counts.artifacts} artifact sequences, {counts.annotations} annotations"
    )
    if report.ok:
        print(f"ok: {report.file} passes the accessibility audit ({seen})")
    else:
        count = len(report.failures)
        print(f"{report.file}: {count} failure{'s' if count != 1 else ''} ({seen})")
