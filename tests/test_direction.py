"""Text that says one direction and is written in the other is refused before layout.

Bidi controls (embeddings, overrides, isolates) are invisible and reorder what is
printed; right-to-left letters in left-to-right text are a catalog entry pasted into
the wrong file. Both are bad input: exit 2 naming the file, line and key, nothing
written. A notice in a right-to-left language, with its `lang`, is the right way.
(The same rule in a catalog: tests/catalog_cases/wrong-direction.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf
import pytest

from factsheet.cli import main
from tests.helpers import edit_sheet, normalize

FIRST = "When breast cancer cells move out of the breast"


def _first_paragraph(change: str) -> Any:
    def edit(data: dict[str, Any]) -> None:
        block = data["pages"][0]["main"][0]
        block["paragraph"] = block["paragraph"].replace("this is called", change)

    return edit


@pytest.mark.parametrize(
    ("inserted", "says"),
    [
        ("this is called \u202e", "U+202E RIGHT-TO-LEFT OVERRIDE, an invisible control"),
        ("this is called \u2067", "U+2067 RIGHT-TO-LEFT ISOLATE, an invisible control"),
        ("this is called \u202a", "U+202A LEFT-TO-RIGHT EMBEDDING, an invisible control"),
        ("this is called (النقائل العظمية)", 'right-to-left letters ("النقائل العظمية'),
    ],
)
def test_bidi_controls_and_rtl_letters_in_english_are_refused(
    sheet_copy: Path, inserted: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_sheet(sheet_copy, _first_paragraph(inserted))
    out = sheet_copy / "out.pdf"
    assert main(["build", str(sheet_copy), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "en.yaml:" in err and "pages[0].main[0].paragraph" in err and says in err
    assert "hint:" in err and "Traceback" not in err and not out.exists()


def test_a_notice_in_a_right_to_left_language_is_allowed(
    sheet_copy: Path, tmp_path: Path
) -> None:
    """The way to print a line in Arabic on an English sheet: a notice with its lang."""
    line = "تتوفر هذه النشرة باللغة العربية."

    def add_notice(data: dict[str, Any]) -> None:
        data["pages"][0]["footer"].append({"notice": {"text": line, "lang": "ar"}})

    edit_sheet(sheet_copy, add_notice)
    out = tmp_path / "notice.pdf"
    assert main(["build", str(sheet_copy), "-o", str(out)]) == 0
    text = normalize(pypdf.PdfReader(out).pages[0].extract_text())
    assert FIRST in text and "العربية" in text
