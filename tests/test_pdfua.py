"""An independent PDF/UA-1 check: page-validation's `ua1` profile on every edition.

page-validation is a Rust validator that runs the veraPDF test corpus; it
checks what our own audit does not (font internals, every attribute value, the
machine-checkable Matterhorn conditions). Every sheet × language × layout in
content/ and layouts/ is validated, plus a co-branded edition and one with a
picture; a file with a broken ToUnicode map shows the check can fail.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import page
import pikepdf
import pytest
from PIL import Image

from factsheet.content.clinic import clinic_from_form
from factsheet.publish.build import build_edition
from tests.conftest import CATALOGUE, EditionKey, edition_id
from tests.helpers import SHEET_DIR

PROFILE = page.ValidationProfile.PDF_UA_1


def _failed_rules(path: Path) -> list[str]:
    report = page.validate_pdf(path, profile=PROFILE)
    assert report.rules.total > 100  # the whole profile ran, not an empty one
    return [f"{f.rule_id}: {f.message}" for f in report.failures]


@pytest.mark.parametrize("key", CATALOGUE, ids=edition_id)
def test_every_edition_passes_pdf_ua_1_under_page_validation(
    key: EditionKey, built: Callable[[EditionKey], Path]
) -> None:
    assert _failed_rules(built(key)) == []


def test_a_co_branded_edition_passes_pdf_ua_1(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    Image.new("RGB", (300, 120), (40, 90, 160)).save(logo)
    clinic = clinic_from_form({"name": "Riverside Oncology", "phone": "+1 555 010 0199"}, logo)
    for lang in ("en", "es"):
        result = build_edition(SHEET_DIR, lang, "a4", tmp_path / f"{lang}.pdf", clinic=clinic)
        assert result.path is not None
        assert _failed_rules(result.path) == [], lang


def test_a_sheet_with_a_picture_passes_pdf_ua_1(with_figure: Path) -> None:
    assert _failed_rules(with_figure) == []


def test_a_tounicode_value_of_zero_fails_the_validator(
    built: Callable[[EditionKey], Path], tmp_path: Path
) -> None:
    """What every edition did before the maps were cleaned: unused codes mapped to U+0000."""
    with pikepdf.open(built((SHEET_DIR.name, "en", "letter"))) as pdf:
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        font.ToUnicode.write(_one_more_entry(font.ToUnicode.read_bytes()))
        pdf.save(tmp_path / "zero.pdf")
    failures = _failed_rules(tmp_path / "zero.pdf")
    assert any(f.startswith("PDFUA1-FONT-UNICODE-VALUE-001") for f in failures), failures


def _one_more_entry(cmap: bytes) -> bytes:
    """The CMap with code <00> mapped to U+0000 in a bfchar block of its own."""
    return cmap.replace(b"endcmap", b"1 beginbfchar\n<00> <0000>\nendbfchar\nendcmap", 1)
