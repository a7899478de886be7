"""Plain language: `factsheet check` reports the reading level and long sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factsheet.cli import main
from factsheet.content.readability import reading, sentences
from factsheet.content.series import Series, Target
from factsheet.publish.build import load_edition
from tests.helpers import SHEET_DIR


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out + err


def test_check_reports_the_english_grade_against_the_series_target(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run(capsys, "check", str(SHEET_DIR))
    assert code == 0
    found = re.search(r"Flesch-Kincaid grade (\d+\.\d) \(target: at most 8; (\w+)", out)
    assert found is not None
    assert (float(found[1]) <= 8) == (found[2] == "within")
    assert re.search(r"\d+ sentences, \d+ words, 0 over 25 words", out)  # none is too long


def _series(folder: Path, max_words: int, max_grade: int) -> None:
    """The series settings beside a sheet copy: its sentence limit and English target."""
    (folder.parent / "series.yaml").write_text(
        "site: https://factsheets.example.org\n"
        f"reading:\n  max_sentence_words: {max_words}\n"
        f"  targets:\n    en: {{formula: flesch_kincaid_grade, max: {max_grade}}}\n",
        encoding="utf-8",
    )


def test_check_lists_each_sentence_over_the_series_limit_with_its_line(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _series(sheet_copy, max_words=20, max_grade=8)
    code, out = run(capsys, "check", str(sheet_copy))
    assert code == 0
    assert re.search(r"long sentence \(2[1-9] words\) at .*en\.yaml:\d+: ", out)


def test_spanish_uses_fernandez_huerta_and_points_at_the_catalog(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out = run(capsys, "check", str(SHEET_DIR), "--lang", "es")
    assert code == 0
    assert "Fernández-Huerta reading ease" in out and "target: at least 60" in out
    assert all("es.po:" in line for line in out.splitlines() if "long sentence" in line)


def test_strict_fails_above_the_target(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _series(sheet_copy, max_words=12, max_grade=3)
    assert run(capsys, "check", str(sheet_copy))[0] == 0  # reported, not fatal
    code, out = run(capsys, "check", str(sheet_copy), "--strict")
    assert code == 1 and "ABOVE the target" in out and "above the series' target" in out


def test_the_measure_follows_the_text() -> None:
    """Shorter sentences of shorter words read at a lower grade; long ones are listed."""
    sheet = load_edition(SHEET_DIR, "en")
    series = Series(max_sentence_words=20, targets={"en": Target("flesch_kincaid_grade", 8)})
    level = reading(sheet, series)
    assert level.score is not None and level.sentences > 20
    assert all(long.words > 20 for long in level.long)
    assert sentences("Take it. Call us! Why? 服用。再说。") == [
        "Take it.",
        "Call us!",
        "Why?",
        "服用。",
        "再说。",
    ]


def test_a_sheet_without_prose_says_there_is_nothing_to_measure() -> None:
    """A sheet of headings and tables has a target but no paragraph: not 'no formula'."""
    import dataclasses

    sheet = load_edition(SHEET_DIR, "en")
    bare = dataclasses.replace(
        sheet, pages=tuple(dataclasses.replace(page, main=(), sidebar=()) for page in sheet.pages)
    )
    series = Series(max_sentence_words=25, targets={"en": Target("flesch_kincaid_grade", 8)})
    assert "nothing to measure" in reading(bare, series).describe()
