"""What a reader of the built PDF gets: pages, text, links, fonts, metadata."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from factsheet.content import model as m
from factsheet.layout.theme import load_theme
from factsheet.publish.build import BuildResult
from tests.helpers import ROOT, find_in_order, normalize, region_strings

BASE14 = {
    "Courier",
    "Courier-Bold",
    "Courier-Oblique",
    "Courier-BoldOblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-Oblique",
    "Helvetica-BoldOblique",
    "Times-Roman",
    "Times-Bold",
    "Times-Italic",
    "Times-BoldItalic",
    "Symbol",
    "ZapfDingbats",
}


def _fixed(builds: dict[str, BuildResult]) -> dict[str, BuildResult]:
    """The layouts with a page per sheet page (not large print, which flows)."""
    return {k: v for k, v in builds.items() if not load_theme(k).flowing}


def test_every_layout_gives_exactly_two_pages(builds: dict[str, BuildResult]) -> None:
    assert set(builds) >= {"letter", "a4", "large-print"}
    for layout, result in builds.items():
        assert result.path is not None
        count = len(pypdf.PdfReader(result.path).pages)
        assert count == result.pages
        if load_theme(layout).flowing:  # as many as it needs, within the layout's limit
            assert 2 < count <= load_theme(layout).max_pages, layout
        else:
            assert count == 2, layout


def test_page_sizes_come_from_the_layout(builds: dict[str, BuildResult]) -> None:
    sizes = {}
    for layout, result in builds.items():
        box = pypdf.PdfReader(result.path).pages[0].mediabox  # type: ignore[arg-type]
        sizes[layout] = (round(float(box.width)), round(float(box.height)))
    assert sizes["letter"] == (612, 792)  # 8.5 × 11 in at 72 pt/in
    assert sizes["a4"] == (595, 842)  # 210 × 297 mm


def test_text_of_each_page_reads_header_main_sidebar_footer_in_order(
    builds: dict[str, BuildResult], sheet: m.Sheet
) -> None:
    for layout, result in _fixed(builds).items():
        reader = pypdf.PdfReader(result.path)  # type: ignore[arg-type]
        for number, page in enumerate(sheet.pages):
            text = normalize(reader.pages[number].extract_text())
            header = [sheet.series, sheet.title.upper()]
            assert find_in_order(text, header + region_strings(page)) == [], (layout, number)


def test_the_band_comes_before_the_columns_and_the_footer_last(letter: pypdf.PdfReader) -> None:
    text = normalize(letter.pages[0].extract_text())
    assert text.startswith("Metastatic Breast Cancer BONE PROTECTION")
    assert text.rstrip().endswith("Please talk with your own doctor.") or "doctor" in text[-120:]


def test_every_link_is_clickable_with_an_allowed_scheme(
    letter: pypdf.PdfReader, sheet: m.Sheet
) -> None:
    uris = set()
    for page in letter.pages:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            assert annot["/Subtype"] == "/Link"
            uris.add(annot["/A"]["/URI"])
    assert uris, "no links in the PDF"
    assert all(u.split(":", 1)[0] in ("https", "mailto", "tel") for u in uris), uris
    wanted = {span.href for page in sheet.pages for span in _spans(page) if span.href}
    wanted |= {link.href for page in sheet.pages for link in _links(page)}
    assert wanted <= uris, wanted - uris
    assert {"mailto:helpline@komen.org", "https://www.komen.org"} <= uris
    assert any(u.startswith("tel:+1") and u.replace("-", "").endswith("8774656636") for u in uris)


def test_every_font_is_embedded_and_subset_and_none_is_base14(letter: pypdf.PdfReader) -> None:
    seen = set()
    for page in letter.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"])[1:]
            seen.add(name)
            assert name.split("+")[-1] not in BASE14, name
            assert "+" in name and len(name.split("+")[0]) == 6, f"{name} is not a subset"
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, f"{name} is not embedded"
    assert {n.split("+")[1] for n in seen} >= {"NotoSans-Regular", "NotoSans-Bold"}


def test_metadata_language_and_title_display(letter: pypdf.PdfReader, sheet: m.Sheet) -> None:
    meta = letter.metadata
    assert meta is not None
    assert meta.title == "Metastatic Breast Cancer: Bone Protection"
    assert meta.author == sheet.publisher.name
    assert meta.subject == sheet.subject
    assert "bone metastases" in (meta.get("/Keywords") or "")
    # Dates come from the content, not the clock.
    assert str(meta.get("/CreationDate")).startswith("D:" + sheet.dates.updated.strftime("%Y%m%d"))
    root = letter.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_outline_lists_the_title_then_every_heading_sidebar_boxes_included(
    letter: pypdf.PdfReader, sheet: m.Sheet
) -> None:
    top = letter.outline
    assert top[0]["/Title"] == "Metastatic Breast Cancer: Bone Protection"
    children = [entry["/Title"] for entry in top[1]]
    # reading order: each page's main column, then its sidebar
    headings = [
        title
        for page in sheet.pages
        for block in (*page.main, *page.sidebar)
        for title in _headings(block)
    ]
    assert children == headings and len(headings) >= 6
    assert "Resources" in children and "Related online resources" in children


def _headings(block: m.Block) -> list[str]:
    if isinstance(block, m.Heading):
        return [m.plain(block.text)]
    if isinstance(block, m.Callout):
        return [m.plain(block.title)] + [t for b in block.blocks for t in _headings(b)]
    if isinstance(block, m.ResourceList | m.RelatedList):
        return [m.plain(block.title)]
    return []


def test_same_input_gives_the_same_bytes_whatever_the_clock_or_zone(tmp_path: Path) -> None:
    digests = []
    for run, (zone, epoch) in enumerate((("UTC", "0"), ("Asia/Tokyo", "1900000000"))):
        out = tmp_path / f"run{run}.pdf"
        env = {**os.environ, "TZ": zone, "SOURCE_DATE_EPOCH": epoch}
        subprocess.run(
            [sys.executable, "-m", "factsheet", "build", "bone-protection", "-o", str(out)],
            check=True,
            cwd=ROOT,
            env=env,
            capture_output=True,
        )
        digests.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert digests[0] == digests[1]


def test_the_fitter_reports_the_scale_it_chose(builds: dict[str, BuildResult]) -> None:
    for result in _fixed(builds).values():
        assert 0.9 <= result.scale <= 1.0  # floor 9 pt over a 10 pt body
        assert result.body_size == pytest.approx(10.0 * result.scale, abs=0.01)
        assert 1 <= result.passes <= 8  # a bisection over 11 sizes
    # Large print never shrinks: one pass at its own 16 pt.
    assert builds["large-print"].body_size == 16.0 and builds["large-print"].passes == 1


def _spans(obj: object) -> Iterator[m.Span]:
    """Every span anywhere in a block tree."""
    if isinstance(obj, m.Span):
        yield obj
    elif isinstance(obj, tuple):
        for value in obj:
            yield from _spans(value)
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            yield from _spans(getattr(obj, f.name))


def _links(page: m.Page) -> list[m.Link]:
    return [
        link
        for b in (*page.main, *page.sidebar)
        if isinstance(b, m.ResourceList)
        for item in b.items
        for link in item.links
    ]


def test_an_image_block_is_embedded_at_its_width(sheet_copy: Path, tmp_path: Path) -> None:
    from PIL import Image

    from factsheet.publish.build import build_edition
    from tests.helpers import edit_sheet

    Image.new("RGB", (300, 150), (20, 120, 200)).save(sheet_copy / "diagram.png")

    def add_image(data: dict) -> None:  # type: ignore[type-arg]
        image = {"path": "diagram.png", "alt": "A blue diagram", "width": 0.5}
        data["pages"][1]["sidebar"].append({"image": image})

    edit_sheet(sheet_copy, add_image)
    result = build_edition(sheet_copy, "en", "letter", tmp_path / "img.pdf")
    page = pypdf.PdfReader(tmp_path / "img.pdf").pages[1]
    assert result.pages == 2
    images = list(page.images)
    assert len(images) == 1
    assert images[0].image is not None and images[0].image.size == (300, 150)
