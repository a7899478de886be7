"""Catalog cases as data: one folder per class of change a translator could make.

`catalog_cases/<case>/bad.po` holds entries of a catalog for the small sheet in
`catalog_cases/guard-cases/`; every other entry is a faithful pseudo-translation.
The build must refuse it with exactly the problems in `expected`, one per line as
`LINE: KEY PATH: MESSAGE`, LINE counted in bad.po. `good.po` is a correct
translation of the same entries, and it must build. The language is es unless
the case has a `lang` file. FACTSHEET_UPDATE_GOLDEN=1 rewrites `expected`.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import polib
import pytest

from factsheet.content.i18n import open_edition
from factsheet.content.i18n.glossary import load_glossary
from factsheet.content.i18n.template import build_template
from factsheet.errors import ContentError
from tests.i18n_helpers import pseudo

CASES = Path(__file__).with_name("catalog_cases")
SHEET = CASES / "guard-cases"
UPDATE = os.environ.get("FACTSHEET_UPDATE_GOLDEN") == "1"
_MSGID = re.compile(r'^msgid "(.*)"\s*$', re.MULTILINE)


def case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "bad.po").is_file())


def catalog(folder: Path, lang: str, entries: str) -> int:
    """Write folder/<lang>.po: pseudo-translations, then `entries` as written; their offset.

    `entries` that start with a header (`msgid ""`) are written first instead of the
    template's header, and the pseudo-translations follow them (offset 0)."""
    taken = {polib.unescape(m) for m in _MSGID.findall(entries)}
    template = build_template(folder)
    translate = pseudo(lang, load_glossary(folder).names)
    po = polib.POFile(wrapwidth=0)
    po.metadata = dict(template.metadata, Language=lang)
    for entry in template:
        if entry.msgid not in taken:
            po.append(polib.POEntry(msgid=entry.msgid, msgstr=translate(entry.msgid)))
    if entries.startswith('msgid ""'):
        body = "".join(f"\n{entry}" for entry in po)
        (folder / f"{lang}.po").write_text(entries + body, encoding="utf-8")
        return 0
    text = str(po).rstrip("\n") + "\n\n"
    (folder / f"{lang}.po").write_text(text + entries, encoding="utf-8")
    return text.count("\n")


def problems(folder: Path, lang: str, offset: int) -> list[str]:
    try:
        open_edition(folder, lang)
    except ContentError as error:
        return [
            f"{max(p.line - offset, 0)}: {p.path}: {p.message}".replace(": : ", ": ")
            for p in error.problems
        ]
    return []


@pytest.mark.parametrize("case", case_names())
def test_each_class_of_change_is_refused_and_its_fix_builds(case: str, tmp_path: Path) -> None:
    folder = tmp_path / SHEET.name
    shutil.copytree(SHEET, folder)
    lang_file = CASES / case / "lang"
    lang = lang_file.read_text(encoding="utf-8").strip() if lang_file.is_file() else "es"
    bad = (CASES / case / "bad.po").read_text(encoding="utf-8")
    found = problems(folder, lang, catalog(folder, lang, bad))
    expected_file = CASES / case / "expected"
    if UPDATE:
        expected_file.write_text("\n".join(found) + "\n", encoding="utf-8")
    assert found == expected_file.read_text(encoding="utf-8").splitlines()
    assert found, "a case must be refused"
    good = (CASES / case / "good.po").read_text(encoding="utf-8")
    assert problems(folder, lang, catalog(folder, lang, good)) == []
