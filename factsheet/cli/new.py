"""`factsheet new SHEET`: start a sheet from a skeleton that already builds.

The skeleton holds no medical statement, only instructions in place of the
text, so nothing invented can reach a patient. The publisher and series are
taken from a sheet already in the content folder (a new sheet joins its
series); without one they are placeholders to replace.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path
from typing import Any

from factsheet.cli.exits import Exit

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # the sheet schema's pattern for `sheet`

# With no sheet to copy them from: reserved example values (example.org, NANP's 555-01xx
# numbers for fiction), so a skeleton builds but can never send a reader anywhere real.
PLACEHOLDER_PUBLISHER = """publisher:  # your organisation's details: replace every value
  name: Your organisation
  website: https://www.example.org
  email: helpline@example.org
  helpline:
    label: Your helpline
    display: 555-0100
    number: "+1-555-0100"
    hours: Monday to Friday, 9 a.m. to 5 p.m.
"""

SKELETON = """\
# yaml-language-server: $schema={schema}
# A new fact sheet. Replace every sentence below with your own text; the format is
# docs/content-format.md. Check it as you write with `factsheet watch {id}`
# (a page in your browser that shows the pages as you save) or `factsheet check {id}`.
sheet: {id}
language: en
series: {series}
title: {title}
subject: One sentence that says what this sheet is about (PDF metadata and search results).
keywords:
  - a word a reader might search for
{publisher}dates:
  updated: {today}
  reviewed: {today}  # the date of the last medical review: set it when it is reviewed
pages:
  - main:
      - paragraph: >-
          Start with what the reader most needs to know, in plain words and short
          sentences. Replace this paragraph.
      - heading: A question readers ask
      - paragraph: >-
          Answer it here. Explain each medical term the first time it appears.
      - bullets:
          - One point a reader can act on.
          - Another point.
    sidebar:
      - callout:
          title: Questions to ask your doctor
          blocks:
            - bullets:
                - A question the reader can take to an appointment.
    footer:
      - disclaimer: >-
          This sheet is for education only. Please talk with your own doctor.
"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "new",
        help="start a new sheet from a skeleton that builds",
        description=(
            "Create content/SHEET/en.yaml: a sheet skeleton that validates and builds, "
            "with the schema line editors use for completion, the series and publisher of "
            "the sheets already there, and instructions in place of the text."
        ),
    )
    parser.add_argument(
        "sheet", help="the new sheet's id (lower-case letters, digits, hyphens) or folder path"
    )
    parser.add_argument("--title", help="the title printed in the band (default: from the id)")
    parser.add_argument(
        "--content", type=Path, default=None, help="content folder (default: the project's)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from factsheet.cli.common import content_folder

    content = content_folder(args.content)
    folder = _folder(args.sheet, content)
    source = folder / "en.yaml"
    if source.exists():
        _refuse(str(source), "already exists", "pick another id, or edit that sheet")
    text = skeleton(folder, args.title, content)
    _refuse_unbuildable(folder.name, text, source)
    _write_new(source, text)
    print(f"wrote {source}: a sheet skeleton that builds; replace its text, then")
    print(f"  factsheet watch {args.sheet}    # see the pages as you save")
    print(f"  factsheet build {args.sheet}    # the PDF")
    return Exit.OK


def _folder(name: str, content_dir: Path) -> Path:
    folder = Path(name) if "/" in name else content_dir / name
    if not ID.match(folder.name) or not ID.match(Path(name).name):  # '' would be content/
        _refuse(
            name,
            f"'{Path(name).name}' cannot be a sheet id",
            "use lower-case letters, digits and single hyphens, e.g. bone-protection",
        )
    return folder


def skeleton(folder: Path, title: str | None, content_dir: Path) -> str:
    """The en.yaml text of a new sheet in `folder`."""
    import os

    series, publisher = _series_and_publisher(content_dir)
    schema = Path(__file__).resolve().parents[1] / "content" / "schemas" / "sheet.schema.json"
    try:
        schema_ref = os.path.relpath(schema, folder.resolve())
    except ValueError:  # another drive (Windows)
        schema_ref = str(schema)
    if schema_ref.startswith("../../.."):  # a sheet outside the project: say where plainly
        schema_ref = str(schema)
    return SKELETON.format(
        schema=schema_ref,
        id=folder.name,
        series=_yaml_text(series),
        title=_yaml_text(_literal(title) if title else folder.name.replace("-", " ").capitalize()),
        publisher=publisher,
        today=dt.date.today().isoformat(),
    )


def _series_and_publisher(content_dir: Path) -> tuple[str, str]:
    """The series name and publisher block of the first sheet there, else placeholders."""
    import yaml

    for source in sorted(content_dir.glob("*/en.yaml")):
        try:
            data = yaml.safe_load(source.read_text(encoding="utf-8"))
            series, publisher = str(data["series"]), dict(data["publisher"])
        except (OSError, ValueError, yaml.YAMLError, KeyError, TypeError):
            continue
        block = yaml.safe_dump(
            {"publisher": publisher}, allow_unicode=True, sort_keys=False, width=1000
        )
        return series, block
    return "Your series", PLACEHOLDER_PUBLISHER


def _literal(text: str) -> str:
    """A title typed on the command line, escaped so that it prints as typed (text fields
    are Markdown: `[draft]` or `*new*` would otherwise be refused as stray markup)."""
    return re.sub(r"([\\*_\[\]])", r"\\\1", text)


def _yaml_text(text: str) -> str:
    """`text` as a YAML scalar that stays text (quoted when YAML would read it otherwise)."""
    import json

    import yaml

    try:
        plain = yaml.safe_load(text) == text and "#" not in text and ": " not in text
    except yaml.YAMLError:  # `*bold*` reads as an alias, `[a` as an unclosed list
        plain = False
    return text if plain else json.dumps(text, ensure_ascii=False)


def _refuse_unbuildable(sheet_id: str, text: str, source: Path) -> None:
    """Lay the skeleton out before writing it, as `factsheet check` would: a title that
    cannot print (a control character, a glyph no font has, too long for the band) is
    refused now, naming the line it would have had, and nothing is written."""
    import dataclasses
    import tempfile

    from factsheet.errors import InputError
    from factsheet.publish.build import lay_out

    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / sheet_id
        trial.mkdir()
        (trial / "en.yaml").write_text(text, encoding="utf-8")
        try:
            lay_out(trial)
        except InputError as error:
            moved = [dataclasses.replace(p, file=str(source)) for p in error.problems]
            raise type(error)(moved) from None


def _write_new(path: Path, text: str) -> None:
    from factsheet.publish.files import write_atomic

    write_atomic(path, text.encode("utf-8"))


def _refuse(file: str, message: str, hint: str) -> None:
    from factsheet.errors import ContentError, Problem

    raise ContentError([Problem(file, 0, 0, "", message, hint)])
