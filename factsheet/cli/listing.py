"""`factsheet list`: the sheets, each language with whether it builds, and the layouts.

Named `listing` because `list` is a builtin; the subcommand is `list`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from factsheet.cli.exits import Exit
from factsheet.cli.report import escaped


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "list",
        help="list the sheets, their languages (and whether each builds) and the layouts",
        description=(
            "List every sheet under the content folder with its title, each language "
            "(English from en.yaml, the others from <lang>.po) with whether it builds: its "
            "content and catalog checks, and in every layout the glyphs of the layout's "
            "fonts and the parts its regions hold (`factsheet check` also fits the pages); "
            "then every layout with its description."
        ),
    )
    parser.add_argument(
        "--content", type=Path, default=None, help="content folder (default: the project's)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from factsheet.cli.common import content_folder
    from factsheet.layout.theme import available_layouts, resolve_layout
    from factsheet.publish.catalogs import catalog_languages
    from factsheet.publish.files import available_sheets

    content = content_folder(args.content)
    sheets = available_sheets(content)
    print(f"sheets in {_shown(content)}:" if sheets else f"no sheets in {_shown(content)}")
    layouts = available_layouts()
    for name in sheets:
        folder = content / name
        print(f"  {name}  {escaped(_title(folder / 'en.yaml'))}")
        for lang in ["en", *catalog_languages(folder)]:
            print(f"    {lang:<8} {_status(folder, lang, layouts)}")
    print("layouts:")
    for layout in layouts:
        print(f"  {layout:<12} {escaped(_description(resolve_layout(layout)))}")
    return Exit.OK


def _shown(folder: Path) -> str:
    from factsheet.content.yamlfile import display_name

    return display_name(folder.resolve()) + "/"


def _status(folder: Path, lang: str, layouts: list[str]) -> str:
    """'source', 'ready', 'draft: …' or 'does not build: …', as a build of the edition in
    any layout would find it before fitting (a character no font of a layout has fails)."""
    from factsheet.errors import InputError
    from factsheet.publish.build import checked_edition

    try:
        edition = checked_edition(folder, lang, False, None)
        for layout in layouts:
            checked_edition(folder, lang, False, layout)
    except InputError as error:
        count = len(error.problems)
        hint = "factsheet check" if lang == "en" else "factsheet i18n status"
        found = f"{count} problem{'s' if count != 1 else ''} (see `{hint}`)"
        if lang != "en" and _builds_as_draft(folder, lang):
            return f"draft: builds only with --draft, {found}"
        return f"does not build: {found}"
    strings = len(edition.strings)
    kind = "source" if lang == "en" else "ready"
    warnings = len(edition.sheet.warnings)
    extra = f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else ""
    return f"{kind}, {strings} strings{extra}"


def _builds_as_draft(folder: Path, lang: str) -> bool:
    from factsheet.content.i18n import open_edition
    from factsheet.errors import InputError

    try:
        open_edition(folder, lang, draft=True)
    except InputError:
        return False
    return True


def _title(source: Path) -> str:
    return str(_yaml_field(source, "title") or "(no title)")


def _description(layout: Path) -> str:
    return str(_yaml_field(layout, "description") or "")


def _yaml_field(path: Path, key: str) -> Any:
    """One top-level field, read leniently: `list` reports, `check` judges."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return None
    return data.get(key) if isinstance(data, dict) else None
