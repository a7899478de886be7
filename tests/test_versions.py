"""Editorial and clinical changes: what happens to a translation when the English changes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
import pytest

from factsheet.content.i18n import open_edition
from factsheet.content.i18n.versions import BEHIND_KEYWORD, translation_state
from factsheet.errors import ContentError
from factsheet.publish.catalogs import update
from tests.helpers import edit_sheet
from tests.i18n_helpers import write_catalog

OLD = "Tell your doctor if your muscles start to twitch or you feel more anxious than before."


def versioned(version: int, kind: str | None = None, new_text: str | None = None) -> Any:
    def change(data: dict[str, Any]) -> None:
        data["version"] = version
        data["changes"] = [
            {
                "version": v,
                "date": "2026-11-29",
                "kind": kind or "editorial",
                "summary": f"change {v}",
                "signed_off_by": "Dr. A. Reviewer",
            }
            for v in range(version, 1, -1)
        ]
        if new_text:
            for block in data["pages"][1]["main"]:
                if block.get("paragraph", "").startswith("Tell your doctor"):
                    block["paragraph"] = new_text

    return change


@pytest.fixture
def translated(sheet_copy: Path) -> Path:
    """Version 1 of the English, with a complete Spanish catalog that records it."""
    edit_sheet(sheet_copy, versioned(1))
    write_catalog(sheet_copy, "es")
    header = polib.pofile(str(sheet_copy / "es.po")).metadata
    assert header["X-Source-Version"] == "1"
    return sheet_copy


def test_after_an_editorial_change_the_translation_builds_one_version_behind(
    translated: Path,
) -> None:
    edit_sheet(translated, versioned(2, "editorial", OLD.replace("start to", "begin to")))
    update(translated, ["es"])
    catalog = polib.pofile(str(translated / "es.po"))
    fuzzy = [e for e in catalog if "fuzzy" in e.flags]
    assert len(fuzzy) == 1 and catalog.metadata["X-Source-Version"] == "1"
    edition = open_edition(translated, "es")
    assert BEHIND_KEYWORD in edition.sheet.keywords
    assert "translates English version 1 of 2" in edition.sheet.keywords
    assert any(fuzzy[0].msgstr == s.text for s in edition.strings)  # its previous translation
    assert any("marked one version behind" in w for w in edition.sheet.warnings)
    state = translation_state(translated, "es")
    assert (state.state, state.current, state.translates) == ("behind", 2, 1)


def test_after_a_clinical_change_it_does_not_build_until_updated(translated: Path) -> None:
    edit_sheet(translated, versioned(2, "clinical", OLD.replace("Tell", "Call")))
    update(translated, ["es"])
    with pytest.raises(ContentError) as error:
        open_edition(translated, "es")
    found = [str(p) for p in error.value.problems]
    assert any(
        "translates English version 1, and version 2 (2026-11-29) is a clinical change "
        'signed off by Dr. A. Reviewer: "change 2"' in f
        for f in found
    )
    state = translation_state(translated, "es")
    assert state.state == "withdrawn" and "clinical change" in state.reason

    def translate_again(entry: polib.POEntry) -> None:
        entry.flags = [f for f in entry.flags if f != "fuzzy"]

    catalog = polib.pofile(str(translated / "es.po"), wrapwidth=0)
    for entry in catalog:
        translate_again(entry)
    catalog.save(str(translated / "es.po"))
    update(translated, ["es"])  # complete again: records version 2
    assert polib.pofile(str(translated / "es.po")).metadata["X-Source-Version"] == "2"
    assert translation_state(translated, "es").state == "current"
    open_edition(translated, "es")


def test_a_version_without_a_change_record_counts_as_clinical(translated: Path) -> None:
    def skip_record(data: dict[str, Any]) -> None:
        data["version"] = 2
        data["changes"] = []

    edit_sheet(translated, skip_record)
    with pytest.raises(ContentError, match="version 2 is a clinical change signed off by nobody"):
        open_edition(translated, "es")
