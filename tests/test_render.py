"""What the printed page looks like: brand areas and layout, checked on rendered pixels.

Pages are rendered by PDFium at a low resolution. Two kinds of check:
sampled colours at points whose meaning is known from the layout's geometry,
and a small golden thumbnail per page compared within a tolerance, so a change
to the layout shows up as a failing test (refresh with FACTSHEET_UPDATE_GOLDEN=1).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from factsheet.layout.theme import load_theme
from factsheet.publish.build import BuildResult
from factsheet.publish.preview import page_images
from tests.conftest import UPDATE_GOLDEN

DPI = 36  # half a pixel per point: enough to see the layout, small enough to keep
GOLDEN = Path(__file__).parent / "golden"
BRAND = (0xA3, 0x19, 0x5B)
TINT = (0xF8, 0xEC, 0xF2)


def _pages(result: BuildResult) -> list[Image.Image]:
    assert result.path is not None
    return [
        Image.open(io.BytesIO(png)).convert("RGB")
        for png in page_images(result.path.read_bytes(), DPI)
    ]


def _at(image: Image.Image, x_pt: float, y_from_top_pt: float) -> tuple[int, int, int]:
    scale = DPI / 72
    pixel = image.getpixel((int(x_pt * scale), int(y_from_top_pt * scale)))
    assert isinstance(pixel, tuple)
    return pixel[0], pixel[1], pixel[2]


def _close(a: tuple[int, int, int], b: tuple[int, int, int], tolerance: int = 6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


@pytest.mark.parametrize("layout", ["letter", "a4"])
def test_brand_band_sidebar_tint_and_margins(builds: dict[str, BuildResult], layout: str) -> None:
    theme = load_theme(layout)
    for image in _pages(builds[layout]):
        # The band: a point in its top padding, right of the ribbon and left of the wordmark.
        band_y = theme.margin_top + 4
        assert _close(_at(image, theme.page_width / 2, band_y), BRAND)
        # Outside the band, in the top margin: paper white.
        assert _close(_at(image, theme.page_width / 2, theme.margin_top / 2), (255, 255, 255))
        # The sidebar's tint, just inside its right edge, below the band.
        side_x = theme.page_width - theme.margin_right - 3
        assert theme.band is not None
        side_y = theme.margin_top + theme.band.height + theme.band.gap_after + 3
        assert _close(_at(image, side_x, side_y), TINT)
        # The gutter between main column and sidebar stays white.
        sidebar = theme.region("sidebar").width
        assert sidebar is not None
        gutter_x = theme.page_width - theme.margin_right - sidebar - theme.gutter / 2
        assert _close(_at(image, gutter_x, side_y + 20), (255, 255, 255))


def test_pages_match_their_golden_thumbnails(builds: dict[str, BuildResult]) -> None:
    for number, image in enumerate(_pages(builds["letter"]), start=1):
        golden = GOLDEN / f"bone-protection-en-letter-p{number}.png"
        if UPDATE_GOLDEN:
            golden.parent.mkdir(exist_ok=True)
            image.save(golden, optimize=True)
            continue
        assert golden.exists(), f"{golden} is missing: run with FACTSHEET_UPDATE_GOLDEN=1"
        with Image.open(golden) as expected:
            assert expected.size == image.size
            diff = ImageChops.difference(expected.convert("RGB"), image)
            mean = sum(ImageStat.Stat(diff).mean) / 3
            # Anti-aliasing differences stay well under 1 level on average; a moved
            # block or a changed colour shifts thousands of pixels by 100+ levels.
            assert mean < 1.5, f"page {number} differs from {golden.name}: mean {mean:.2f}"
