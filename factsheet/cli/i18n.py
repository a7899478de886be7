"""`factsheet i18n`: the translators' commands (extract, update, status).

The workflow is docs/translating.md. Exit status as for every command: 0 ok,
2 bad input (an invalid source, an unreadable catalog, an unknown language).
`status` exits 1 when some edition would not build, so CI can ask "are the
translations ready?" without building PDFs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from factsheet.cli.exits import Exit
from factsheet.cli.report import escaped

EPILOG = "See docs/translating.md for the whole workflow."


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "i18n",
        help="translation catalogs: extract the template, update catalogs, show status",
        description=(
            "Translations are gettext catalogs beside the English source: "
            "content/SHEET/LANG.po (LANG a BCP 47 tag: es, vi, zh-Hans, ko), made from the "
            "template content/SHEET/SHEET.pot. Open them in Poedit, Weblate or Crowdin."
        ),
        epilog=EPILOG,
    )
    commands = parser.add_subparsers(dest="i18n_command", required=True, metavar="ACTION")
    _extract_parser(commands)
    _update_parser(commands)
    _status_parser(commands)


def _sheet_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sheet", help="sheet id (a folder under content/) or a sheet folder")


def _extract_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "extract",
        help="write the template (.pot) of every translatable string",
        description=(
            "Write content/SHEET/SHEET.pot: one entry per English string, with where it sits "
            "(page, region, block), its en.yaml line, and the numbers, addresses and names the "
            "guard will check. Catalogs are not touched; `i18n update` merges them."
        ),
        epilog=EPILOG,
    )
    _sheet_arg(parser)
    parser.set_defaults(run=_cmd_extract)


def _update_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "update",
        help="merge the template into each language's catalog (changed strings → fuzzy)",
        description=(
            "Re-extract the template and merge it into each catalog: translations of "
            "unchanged strings are kept, a changed string keeps its old translation marked "
            "fuzzy (with the old English shown as the previous msgid), new strings arrive "
            "untranslated, and strings the English dropped become obsolete (#~). A fuzzy or "
            "untranslated entry stops the edition from building until a translator has seen it."
        ),
        epilog=EPILOG,
    )
    _sheet_arg(parser)
    parser.add_argument(
        "--lang",
        action="append",
        default=[],
        metavar="LANG",
        help="update only this language (repeatable); a language without a catalog gets "
        "a new one (default: every existing catalog)",
    )
    parser.set_defaults(run=_cmd_update)


def _status_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "status",
        help="for each catalog: can it build, and what is left to translate",
        description=(
            "For each catalog of the sheet (of every sheet without SHEET): entries translated, "
            "fuzzy, untranslated and identical to the English; guard failures; every allowed "
            "exception (guard-allow marker); and whether the edition builds: the catalog "
            "checks, the glyphs and the fit in every layout. Exit status 1 if any edition "
            "it lists would not build."
        ),
        epilog=EPILOG,
    )
    parser.add_argument(
        "sheet", nargs="?", help="sheet id or sheet folder (default: every sheet under content/)"
    )
    parser.add_argument(
        "--layout",
        action="append",
        metavar="LAYOUT",
        help="lay out in this layout only (repeatable; default: every layout)",
    )
    parser.set_defaults(run=_cmd_status)


def _cmd_extract(args: argparse.Namespace) -> int:
    from factsheet.publish.catalogs import extract
    from factsheet.publish.files import resolve_sheet

    written = extract(resolve_sheet(args.sheet))
    print(f"wrote {written.path}: {written.entries} entries")
    return Exit.OK


def _cmd_update(args: argparse.Namespace) -> int:
    from factsheet.publish.catalogs import update
    from factsheet.publish.files import resolve_sheet

    for written in update(resolve_sheet(args.sheet), args.lang):
        if written.stats is None:
            print(f"wrote {written.path}: {written.entries} entries")
        else:
            verb = "created" if written.created else "updated"
            print(f"{verb} {written.path}: {written.stats}")
    return Exit.OK


def _cmd_status(args: argparse.Namespace) -> int:
    from factsheet.layout.theme import available_layouts
    from factsheet.publish.files import available_sheets, resolve_sheet

    sheets = [args.sheet] if args.sheet else available_sheets()
    layouts = list(args.layout or available_layouts())
    failed = 0
    for sheet in sheets:
        sheet_dir = resolve_sheet(sheet)
        failed += _status_of(sheet_dir, layouts, with_name=len(sheets) > 1)
    return Exit.FAILED if failed else Exit.OK


def _status_of(sheet_dir: Path, layouts: list[str], *, with_name: bool) -> int:
    """Print the status of each catalog of one sheet; the number that would not build."""
    from factsheet.cli.check import report_unlisted_drugs
    from factsheet.content.i18n.status import language_status
    from factsheet.publish.catalogs import catalog_languages

    report_unlisted_drugs(str(sheet_dir))
    failed = 0
    for lang in catalog_languages(sheet_dir):
        status = language_status(sheet_dir, lang, layouts)
        label = f"{sheet_dir.name} {lang}" if with_name else lang
        if status.builds:
            print(f"{label}: builds ({', '.join(status.layouts)}); {status.summary()}")
        else:
            failed += 1
            count = len(status.problems)
            print(
                f"{label}: does not build: {count} problem{'s' if count != 1 else ''}; "
                f"{status.summary()}"
            )
            for problem in status.problems:
                print(f"  {escaped(str(problem))}")
        for allowed in status.allowed:
            print(f"  allowed: {escaped(allowed)}")
    return failed
