"""Regions are data: layouts with other page templates, from layout files alone.

Each test writes a layout file (it reuses the series' brand, layouts/brand/
komen.yaml) and builds the real sheet with it; what is checked is what a
reader sees: where the tinted column is on the rendered page, and that every
string of the content is printed, in reading order.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from factsheet.content import model as m
from factsheet.content.i18n import open_edition
from factsheet.content.translatable import translatable_strings
from factsheet.content.yamlfile import load_yaml
from factsheet.errors import ContentError, LayoutThemeError
from factsheet.layout.engine import layout_sheet
from factsheet.layout.theme import load_theme
from factsheet.publish.build import build_edition
from factsheet.publish.preview import page_images
from factsheet.render.pdf import render_pdf
from tests.helpers import SHEET_DIR, edit_sheet, find_in_order, normalize, region_strings

DPI = 36
TINT = (0xF8, 0xEC, 0xF2)
WHITE = (255, 255, 255)

HEAD = """\
brand: komen
page: {width: 612, height: 792}
margins: {top: 28, right: 36, bottom: 28, left: 36}
max_pages: 2
gutter: 16
type: {floor: 7.5, step: 0.1}
"""
BAND = """\
  - {name: band, kind: band, height: 66, padding: 16, mark_height: 44, gap_after: 14}
"""
FOOTER = """\
  - {name: footer, kind: footer, content: [footer], gap_before: 10, padding: 6}
"""
SIDEBAR_LEFT = f"""\
name: sidebar-left
{HEAD}regions:
{BAND}  - {{name: main, kind: column, content: [main], width: fill, position: 2}}
  - name: sidebar
    kind: column
    content: [sidebar]
    width: 178
    position: 1
    fill: tint
    padding: 10
{FOOTER}"""
ONE_COLUMN = f"""\
name: one-column
{HEAD}regions:
{BAND}  - {{name: main, kind: column, content: [main, sidebar], width: fill}}
{FOOTER}"""


NOTES_COLUMN = f"""\
name: notes-column
{HEAD}regions:
{BAND}  - {{name: main, kind: column, content: [main], width: fill, position: 1}}
  - {{name: aside, kind: column, content: [notes, sidebar], width: 178, position: 2,
     fill: tint, padding: 10}}
{FOOTER}"""
NOTE = "A note written for the layout's own column, before the sidebar's boxes."


def _layout(tmp_path: Path, text: str) -> str:
    path = tmp_path / "layout.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _pixel(png: bytes, x_pt: float, y_from_top_pt: float) -> tuple[int, int, int]:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixel = image.getpixel((int(x_pt * DPI / 72), int(y_from_top_pt * DPI / 72)))
    assert isinstance(pixel, tuple)
    return pixel[0], pixel[1], pixel[2]


def _close(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return all(abs(x - y) <= 6 for x, y in zip(a, b, strict=True))


def _reads_everything_in_order(pdf: Path, sheet: m.Sheet, regions: tuple[str, ...]) -> None:
    reader = pypdf.PdfReader(pdf)
    for page, content in zip(reader.pages, sheet.pages, strict=True):
        text = normalize(page.extract_text())
        parts = {name: getattr(content, name) for name in regions}
        strings = region_strings(m.Page(parts["main"], parts.get("sidebar", ()), content.footer))
        assert find_in_order(text, strings) == []


def test_a_layout_file_puts_the_sidebar_on_the_left(tmp_path: Path, sheet: m.Sheet) -> None:
    layout = _layout(tmp_path, SIDEBAR_LEFT)
    result = build_edition(SHEET_DIR, "en", layout, tmp_path / "left.pdf")
    assert result.pages == 2
    below_band = 28 + 66 + 14 + 3
    for png in page_images((tmp_path / "left.pdf").read_bytes(), DPI):
        assert _close(_pixel(png, 36 + 3, below_band), TINT)  # tinted column at the left edge
        assert _close(_pixel(png, 36 + 178 + 8, below_band + 20), WHITE)  # the gutter after it
    # Reading order is the layout's order: main column first, then the sidebar.
    _reads_everything_in_order(tmp_path / "left.pdf", sheet, ("main", "sidebar"))


def test_a_layout_file_without_a_sidebar_sets_everything_in_one_column(
    tmp_path: Path, sheet: m.Sheet
) -> None:
    layout = _layout(tmp_path, ONE_COLUMN)
    result = build_edition(SHEET_DIR, "en", layout, tmp_path / "one.pdf")
    assert result.pages == 2
    for png in page_images((tmp_path / "one.pdf").read_bytes(), DPI):
        assert not _close(_pixel(png, 612 - 36 - 3, 28 + 66 + 14 + 3), TINT)
    # The sidebar's boxes follow the main text in the one column, nothing lost.
    _reads_everything_in_order(tmp_path / "one.pdf", sheet, ("main", "sidebar"))


def test_a_right_to_left_edition_mirrors_the_regions(sheet: m.Sheet) -> None:
    theme = load_theme("letter")
    ltr, rtl = (layout_sheet(sheet, theme, direction=d) for d in ("ltr", "rtl"))
    below_band = 28 + 66 + 14 + 3
    gutter = 612 - 36 - 178 - 8  # the middle of the gutter, left of the sidebar
    for doc, tinted, white in ((ltr, 612 - 39, gutter), (rtl, 39, 612 - gutter)):
        for png in page_images(render_pdf(doc), DPI):
            assert _close(_pixel(png, tinted, below_band), TINT)
            assert _close(_pixel(png, white, below_band + 20), WHITE)
    assert rtl.scale == ltr.scale  # the same regions, mirrored: the same fit


def test_a_layout_that_holds_no_sidebar_content_is_refused(tmp_path: Path) -> None:
    text = ONE_COLUMN.replace("content: [main, sidebar]", "content: [main]")
    with pytest.raises(LayoutThemeError) as error:
        load_theme(_layout(tmp_path, text))
    assert "no region holds the sheets' sidebar blocks" in str(error.value)
    assert "layout.yaml" in str(error.value)


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (("width: 178", "width: 900"), "regions[2].width", "the columns do not fit the page"),
        (("gutter: 16", "gutter: 400"), "regions[2].width", "gutters 400 pt"),
        (("width: 178", "width: 30"), "regions[2].width", "leaves 10 pt for text"),
        (("left: 36}", "left: 580}"), "margins", "the margins leave -4"),
    ],
)
def test_columns_that_do_not_fit_the_page_are_the_layouts_error(
    tmp_path: Path, change: tuple[str, str], key: str, words: str
) -> None:
    """Named at the layout's key, not blamed on every word of the sheet as too wide."""
    text = SIDEBAR_LEFT.replace(*change)
    with pytest.raises(LayoutThemeError) as error:
        load_theme(_layout(tmp_path, text))
    (problem,) = error.value.problems
    assert problem.path == key and words in problem.message
    assert Path(problem.file).name == "layout.yaml" and problem.line > 0


@pytest.fixture()
def noted(tmp_path: Path) -> Path:
    """A copy of the sheet whose first page has a content part of its own: `notes`."""
    folder = tmp_path / "bone-protection"
    shutil.copytree(SHEET_DIR, folder, ignore=shutil.ignore_patterns("pending", "*.po"))
    edit_sheet(folder, lambda data: data["pages"][0].update(notes=[{"paragraph": NOTE}]))
    return folder


def test_content_fills_a_region_the_layout_names(tmp_path: Path, noted: Path) -> None:
    """A layout's own content part (`notes`) is printed where its region is, in reading order."""
    layout = _layout(tmp_path, NOTES_COLUMN)
    build_edition(noted, "en", layout, tmp_path / "notes.pdf")
    page = pypdf.PdfReader(tmp_path / "notes.pdf").pages[0]
    text = normalize(page.extract_text())
    main_end = "rather than bone cancer drugs"  # the main column's first paragraph, before it
    assert main_end in text and NOTE in text and text.index(main_end) < text.index(NOTE)
    sidebar = open_edition(noted, "en").sheet.pages[0].sidebar
    first_box = region_strings(m.Page((), sidebar))[0]
    assert text.index(NOTE) < text.index(first_box)  # `notes` before `sidebar`, as listed
    # A translator gets the note like any other string of the sheet.
    assert any(s.text == NOTE for s in translatable_strings(load_yaml(noted / "en.yaml")))


def test_content_in_a_part_no_region_holds_is_refused_naming_its_line(noted: Path) -> None:
    with pytest.raises(ContentError) as error:
        build_edition(noted, "en", "letter", noted / "out.pdf")
    (problem,) = error.value.problems
    assert problem.path == "pages[0].notes" and Path(problem.file).name == "en.yaml"
    assert problem.line > 0 and "no region of layout 'letter' holds 'notes'" in problem.message
    assert not (noted / "out.pdf").exists()


def test_a_page_more_than_90_percent_empty_is_a_warning(sheet: m.Sheet) -> None:
    import dataclasses

    nearly_empty = dataclasses.replace(sheet.pages[1], main=sheet.pages[1].main[:1], sidebar=())
    doc = layout_sheet(
        dataclasses.replace(sheet, pages=(sheet.pages[0], nearly_empty)), load_theme("letter")
    )
    assert any(w.startswith("page 2 is 9") and "% empty" in w for w in doc.warnings)
    assert not layout_sheet(sheet, load_theme("letter")).warnings


def test_a_clinic_edition_of_a_layout_without_a_slot_is_refused(tmp_path: Path) -> None:
    """Never a co-branded edition with the clinic's block silently left out."""
    from factsheet.content.clinic import load_clinic
    from factsheet.errors import FitError

    clinic = load_clinic(Path(__file__).parents[1] / "examples" / "clinic.yaml")
    layout = _layout(tmp_path, SIDEBAR_LEFT)
    with pytest.raises(FitError) as error:
        build_edition(SHEET_DIR, "en", layout, tmp_path / "x.pdf", clinic=clinic)
    assert "has no clinic slot" in str(error.value) and not (tmp_path / "x.pdf").exists()
