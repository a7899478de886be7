"""What does not fit is reported where a person fixes it: the file, line and key of the block,
the title or the picture, in en.yaml or, for a translation, at the catalog entry.

One row per case: a text edit of the sheet copy (and pictures it names), the layout, and
the problem it must produce (file name, line as the text it is on, key path, words of the
message and hint).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from factsheet.errors import FitError, Problem
from factsheet.publish.build import lay_out
from tests.helpers import ROOT
from tests.i18n_helpers import msgstr_line, write_catalog

FIRST_BLOCK = "      - paragraph: >-\n          When breast cancer cells move out"
LONG = "Radiation therapy to the bone can ease pain and help prevent fractures. " * 400


def _picture(width: int, height: int, share: float = 0.6) -> Callable[[Path], str]:
    """A picture of `width` × `height` pixels as page 1's first block."""

    def edit(folder: Path) -> str:
        Image.new("RGB", (width, height), "red").save(folder / "tall.png")
        block = f"      - image: {{path: tall.png, alt: A red bar, width: {share}}}\n"
        return _text(folder).replace("  - main:\n", "  - main:\n" + block, 1)

    return edit


def _text(folder: Path) -> str:
    return (folder / "en.yaml").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Case:
    name: str
    edit: Callable[[Path], str]  # the new en.yaml text
    layout: str
    line: str  # the problem's line in en.yaml starts with this (after indentation)
    path: str
    words: tuple[str, ...]  # in the message or the hint


CASES = [
    Case(
        "picture taller than a fixed layout's region",
        _picture(10, 4000),
        "letter",
        "- image: {path: tall.png",
        "pages[0].main[0].image.width",
        ("the picture 'tall.png' is", "page 1 main has room for", "crop the picture"),
    ),
    Case(
        "picture twice as tall as the region: the width that fits",
        _picture(100, 350, 1.0),
        "letter",
        "- image: {path: tall.png",
        "pages[0].main[0].image.width",
        ("the picture 'tall.png' is", "at width 1 of its column", "give it 'width: 0."),
    ),
    Case(
        "picture taller than a flowing layout's page",
        _picture(10, 4000),
        "large-print",
        "- image: {path: tall.png",
        "pages[0].main[0].image.width",
        ("the picture 'tall.png' is", "a page has room for", "crop the picture"),
    ),
    Case(
        "a region that overflows at the floor: the block where it runs out",
        lambda f: _text(f).replace(
            FIRST_BLOCK, f"      - paragraph: {LONG}\n      - paragraph: >-\n          When", 1
        ),
        "letter",
        "- paragraph: Radiation therapy",
        "pages[0].main[0]",
        ("page 1 main overflows by", "full before this block ends", "shorten this region"),
    ),
    Case(
        "a title too long for the band",
        lambda f: _text(f).replace(
            "title: Bone Protection", "title: " + "Bone Protection " * 12, 1
        ),
        "letter",
        "title: Bone Protection Bone",
        "title",
        ("does not fit the band", "cut about"),
    ),
    Case(
        "more pages than a fixed layout allows: where the page too many starts",
        lambda f: _text(f) + "  - main:\n      - paragraph: A third page.\n",
        "letter",
        "- paragraph: A third page.",
        "pages",
        ("the sheet has 3 pages; layout 'letter' allows 2", "page 3 starts here"),
    ),
    Case(
        "more pages than a flowing layout allows: the block its page too many starts in",
        lambda f: _text(f).replace(
            FIRST_BLOCK, f"      - paragraph: {LONG * 2}\n      - paragraph: >-\n          When", 1
        ),
        "large-print",
        "- paragraph: Radiation therapy",
        "pages[0].main[0]",
        ("pages in layout 'large-print', which allows 8", "page 9 starts in this block"),
    ),
]


def _problem(folder: Path, lang: str, layout: str) -> Problem:
    with pytest.raises(FitError) as caught:
        lay_out(folder, lang, layout)
    (problem,) = caught.value.problems
    assert "Traceback" not in str(problem)
    return problem


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_fit_problem_names_the_line_and_key_to_change(case: Case, sheet_copy: Path) -> None:
    (sheet_copy / "en.yaml").write_text(case.edit(sheet_copy), encoding="utf-8")
    problem = _problem(sheet_copy, "en", case.layout)
    lines = _text(sheet_copy).splitlines()
    assert Path(problem.file).name == "en.yaml" and problem.line, str(problem)
    assert lines[problem.line - 1].strip().startswith(case.line), str(problem)
    assert problem.path == case.path, str(problem)
    for words in case.words:
        assert words in f"{problem.message} {problem.hint}", str(problem)


def test_the_width_a_tall_picture_is_given_makes_it_fit_its_room(sheet_copy: Path) -> None:
    (sheet_copy / "en.yaml").write_text(_picture(100, 350, 1.0)(sheet_copy), encoding="utf-8")
    problem = _problem(sheet_copy, "en", "letter")
    tall, room = map(int, re.findall(r"(\d+) pt", problem.message))
    width = float(re.search(r"width: (0\.\d+)", problem.hint).group(1))  # type: ignore[union-attr]
    assert tall * width <= room < tall * (width + 0.02)  # the widest that fits, to 0.01


def test_a_translated_title_too_long_is_the_catalogs_entry_to_shorten(sheet_copy: Path) -> None:
    long_title = "Protección de los huesos " * 12
    catalog = write_catalog(
        sheet_copy,
        "es",
        change=lambda e: setattr(e, "msgstr", long_title) if e.msgid == "Bone Protection" else None,
    )
    problem = _problem(sheet_copy, "es", "letter")
    assert (problem.file, problem.line, problem.path) == (
        str(catalog),
        msgstr_line(catalog, "Bone Protection"),
        "title",
    )


def test_a_picture_too_tall_in_a_translation_stays_in_en_yaml(sheet_copy: Path) -> None:
    # The width is the source's, whatever the language: the catalog cannot fix it.
    (sheet_copy / "en.yaml").write_text(_picture(10, 4000)(sheet_copy), encoding="utf-8")
    write_catalog(sheet_copy, "es")
    with pytest.raises(FitError) as caught:
        lay_out(sheet_copy, "es", "letter")
    (picture,) = [p for p in caught.value.problems if "picture" in p.message]
    assert (Path(picture.file).name, picture.path) == ("en.yaml", "pages[0].main[0].image.width")


def test_the_shipped_layouts_are_those_the_cases_use() -> None:
    for layout in {case.layout for case in CASES}:
        assert (ROOT / "layouts" / f"{layout}.yaml").is_file()
