"""Review governance: the dates every edition prints and carries, and the release rule."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pypdf
import pytest

from factsheet.cli import main
from factsheet.content.review import add_months
from factsheet.errors import ContentError
from factsheet.publish.build import build_edition, load_edition
from tests.helpers import SHEET_DIR, edit_sheet, normalize


def pdf_text(path: Path) -> str:
    return normalize(" ".join(page.extract_text() for page in pypdf.PdfReader(path).pages))


def xmp_subjects(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        return [str(item) for item in meta.get("dc:subject", [])]


def test_the_english_edition_prints_and_carries_its_review_dates(tmp_path: Path) -> None:
    result = build_edition(SHEET_DIR, "en", "letter", tmp_path / "en.pdf")
    assert result.path is not None
    text = pdf_text(result.path)
    assert "Medically reviewed November 27, 2026. Next review by November 27, 2028." in text
    subjects = xmp_subjects(result.path)
    assert "reviewed 2026-11-27" in subjects and "next review 2028-11-27" in subjects
    # and as XMP properties of their own, for systems that read fields, not keywords
    with pikepdf.open(result.path) as pdf:
        pdf.Root.Metadata.read_bytes()  # a well-formed packet that pikepdf parses
        meta = pdf.open_metadata()
        namespace = "{urn:x-factsheet:ns:review:1.0/}"
        assert meta.get(f"{namespace}reviewed") == "2026-11-27"
        assert meta.get(f"{namespace}nextReview") == "2028-11-27"


def test_a_translation_prints_the_dates_in_its_language(tmp_path: Path) -> None:
    result = build_edition(SHEET_DIR, "es", "letter", tmp_path / "es.pdf")
    assert result.path is not None
    text = pdf_text(result.path)
    assert "27 de noviembre de 2026" in text and "27 de noviembre de 2028" in text
    korean = build_edition(SHEET_DIR, "ko", "letter", tmp_path / "ko.pdf")
    assert korean.path is not None
    assert "2026년 11월 27일" in pdf_text(korean.path)


def test_next_review_defaults_to_the_series_interval_and_may_be_set(sheet_copy: Path) -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    (sheet_copy.parent / "series.yaml").write_text("review_interval_months: 12\n")
    sheet = load_edition(sheet_copy, "en")
    assert "next review 2027-11-27" in sheet.keywords

    def set_next(data: dict[str, Any]) -> None:
        data["dates"]["next_review"] = "2027-06-01"

    edit_sheet(sheet_copy, set_next)
    assert "next review 2027-06-01" in load_edition(sheet_copy, "en").keywords


def test_release_check_refuses_a_sheet_past_its_review_date(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(sheet_copy), "--release"]) == 0

    def overdue(data: dict[str, Any]) -> None:
        data["dates"]["reviewed"] = "2020-01-15"

    edit_sheet(sheet_copy, overdue)
    capsys.readouterr()
    assert main(["check", str(sheet_copy)]) == 0  # an ordinary check still passes
    assert main(["check", str(sheet_copy), "--release"]) == 2
    err = capsys.readouterr().err
    assert "due for medical review on 2022-01-15" in err and "hint: have it reviewed" in err


def test_building_a_sheet_past_its_review_warns_and_strict_refuses(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A clinic printing an overdue sheet is told; `--strict` (CI, batch) writes nothing."""

    def overdue(data: dict[str, Any]) -> None:
        data["dates"]["reviewed"] = "2020-01-15"

    edit_sheet(sheet_copy, overdue)
    out = sheet_copy / "out.pdf"
    assert main(["build", str(sheet_copy), "-o", str(out)]) == 0
    assert "past its next medical review (2022-01-15)" in capsys.readouterr().err
    out.unlink()
    assert main(["build", str(sheet_copy), "-o", str(out), "--strict"]) == 1
    assert "past its next medical review" in capsys.readouterr().err and not out.exists()


def test_the_review_label_must_keep_both_dates(sheet_copy: Path) -> None:
    def no_place(data: dict[str, Any]) -> None:
        data["labels"]["review"] = "Reviewed by our doctors."

    edit_sheet(sheet_copy, no_place)
    with pytest.raises(ContentError, match=r"labels\.review: no \{reviewed\} or \{next_review\}"):
        load_edition(sheet_copy, "en")


def test_a_sheet_without_a_review_label_still_carries_the_dates(tmp_path: Path) -> None:
    folder = tmp_path / "bone-protection"
    shutil.copytree(SHEET_DIR, folder, ignore=shutil.ignore_patterns("*.po", "*.pot"))

    def no_label(data: dict[str, Any]) -> None:
        del data["labels"]["review"]

    edit_sheet(folder, no_label)
    sheet = load_edition(folder, "en")
    assert "reviewed 2026-11-27" in sheet.keywords


def test_a_release_withdraws_a_sheet_past_its_next_review_and_keeps_the_others(
    sheet_copy: Path,
) -> None:
    from factsheet.web.release import make_release

    def overdue(data: dict[str, Any]) -> None:
        data["dates"]["reviewed"] = "2020-01-15"  # next review (24 months) 2022-01-15

    edit_sheet(sheet_copy, overdue)
    releases = sheet_copy.parent / "releases"
    result = make_release(sheet_copy.parent, releases, layouts=["letter"])
    english = result.release.find(sheet_copy.name, "en")
    assert english is not None and english.status == "withdrawn"
    assert any(
        f.sheet == sheet_copy.name and "due for medical review on 2022-01-15" in f.message
        for f in result.failures
    )
    others = [e for e in result.release.editions if e.sheet != sheet_copy.name]
    assert others and all(e.status == "current" for e in others)
