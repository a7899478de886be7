"""Clinic co-branded editions: what the clinic's details must be, and what the sheet shows.

The promises: the clinic's box sits in the slot the layout reserves at the foot
of page 2's sidebar; nothing else on either page moves; the sheet stays two
pages; the text prints exactly as typed; bad details are refused with a message
that says where and what to fix.
"""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pypdf
import pytest
from PIL import Image, ImageChops

from factsheet.content.clinic import (
    Clinic,
    check_logo,
    clinic_from_form,
    load_clinic,
    normalized_logo,
)
from factsheet.errors import ContentError
from factsheet.layout.theme import load_theme
from factsheet.publish.build import build_edition
from factsheet.publish.preview import page_images
from tests.helpers import ROOT, SHEET_DIR, normalize
from tests.webhelpers import png_bytes

ODD_NAME = 'St. Mary\'s "Clínica" <b>Oncology</b> & Co / Unit 5'


@pytest.fixture(scope="module")
def logo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("logo") / "logo.png"
    path.write_bytes(png_bytes(300, 120))
    return path


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory, logo: Path) -> tuple[bytes, bytes]:
    """The English sheet without and with a clinic (name, phone, web, logo)."""
    out = tmp_path_factory.mktemp("pair")
    clinic = clinic_from_form(
        {"name": ODD_NAME, "phone": "+1 (555) 010-0199", "web": "https://www.example.org/onc/"},
        logo,
    )
    plain = build_edition(SHEET_DIR, "en", "letter", out / "plain.pdf")
    branded = build_edition(SHEET_DIR, "en", "letter", out / "clinic.pdf", clinic=clinic)
    assert plain.path is not None and branded.path is not None
    return plain.path.read_bytes(), branded.path.read_bytes()


# --- what the printed sheet shows ------------------------------------------------------


def test_the_clinic_edition_stays_two_pages_and_prints_the_details_as_typed(
    pair: tuple[bytes, bytes],
) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pair[1]))
    assert len(reader.pages) == 2
    text = normalize(reader.pages[1].extract_text())
    assert "Your clinic" in text
    # The name is plain text: the tag, quotes, ampersand and slash print as typed.
    assert normalize(ODD_NAME) in text
    assert "+1 (555) 010-0199" in text
    assert "www.example.org/onc" in text
    assert "Your clinic" not in reader.pages[0].extract_text()


def test_the_clinic_phone_and_web_are_links_a_reader_can_click(pair: tuple[bytes, bytes]) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pair[1]))
    uris = {annot.get_object()["/A"]["/URI"] for annot in reader.pages[1].get("/Annots", [])}
    assert {"tel:+15550100199", "https://www.example.org/onc/"} <= uris


def test_the_logo_is_a_figure_whose_alt_text_names_the_clinic(pair: tuple[bytes, bytes]) -> None:
    reader = pypdf.PdfReader(io.BytesIO(pair[1]))
    figures = [
        alt
        for role, alt in _structure(reader.trailer["/Root"]["/StructTreeRoot"])
        if role == "/Figure"
    ]
    assert f"Logo: {ODD_NAME}" in figures


def test_nothing_but_the_clinic_slot_changes(pair: tuple[bytes, bytes]) -> None:
    """Page 1 is pixel-identical; page 2 differs only inside the slot in the sidebar."""
    dpi = 36  # half a point per pixel: 612 × 792 pt → 306 × 396 px
    plain = [Image.open(io.BytesIO(p)).convert("RGB") for p in page_images(pair[0], dpi)]
    branded = [Image.open(io.BytesIO(p)).convert("RGB") for p in page_images(pair[1], dpi)]
    assert ImageChops.difference(plain[0], branded[0]).getbbox() is None
    box = ImageChops.difference(plain[1], branded[1]).getbbox()
    assert box is not None
    theme = load_theme("letter")
    px = dpi / 72
    # The sidebar is the right-hand 178 pt inside the 36 pt margin: x from 398 to 576 pt.
    sidebar = theme.region("sidebar")
    assert sidebar.width is not None and sidebar.clinic is not None
    side_left = (theme.page_width - theme.margin_right - sidebar.width) * px
    side_right = (theme.page_width - theme.margin_right) * px
    assert side_left - 1 <= box[0] and box[2] <= side_right + 1, box
    # The slot is 100 pt tall: the box (plus a pixel of anti-aliasing) fits in it.
    assert (box[3] - box[1]) <= sidebar.clinic.height * px + 2, box


def test_the_same_clinic_gives_the_same_bytes(tmp_path: Path, logo: Path) -> None:
    clinic = clinic_from_form({"name": "Clinic A", "phone": "+44 20 7946 0000"}, logo)
    first = build_edition(SHEET_DIR, "en", "letter", tmp_path / "1.pdf", clinic=clinic)
    second = build_edition(SHEET_DIR, "en", "letter", tmp_path / "2.pdf", clinic=clinic)
    assert first.sha256 == second.sha256


def test_the_longest_name_with_a_logo_still_fits_its_slot(tmp_path: Path, logo: Path) -> None:
    # 80 characters of the widest capital in words, and a long address: the block's
    # type shrinks instead of overflowing the slot (a word is never cut without a hyphen,
    # so the name is words, as a name is; the address breaks before its dots).
    name = " ".join(["WWWWWWWWWW"] * 8)[:80]
    clinic = clinic_from_form(
        {"name": name, "phone": "+1 555 010 0199", "web": "https://www." + "w" * 20 + ".org"},
        logo,
    )
    result = build_edition(SHEET_DIR, "en", "letter", tmp_path / "long.pdf", clinic=clinic)
    assert result.pages == 2


def test_characters_the_fonts_cannot_print_are_refused(tmp_path: Path) -> None:
    clinic = Clinic(name="Clinic \U00013000")  # an Egyptian hieroglyph: no font has it
    with pytest.raises(ContentError) as caught:
        build_edition(SHEET_DIR, "en", "letter", tmp_path / "x.pdf", clinic=clinic)
    assert "form: name: the sheet's fonts cannot print \U00013000" in str(caught.value)
    assert not (tmp_path / "x.pdf").exists()


# --- checking the details -------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ('The "Best" Clinic', 'The "Best" Clinic'),
        ("Line one\r\nLine two", "Line one Line two"),  # a pasted line break is a space
        ("A/B Oncology \\ Haematology", "A/B Oncology \\ Haematology"),
        ("Clínica Señora  de  Guadalupe", "Clínica Señora de Guadalupe"),
        ("Bệnh viện Chợ Rẫy", "Bệnh viện Chợ Rẫy"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),  # text, never markup
    ],
)
def test_odd_clinic_names_are_kept_as_plain_text(typed: str, printed: str) -> None:
    assert clinic_from_form({"name": typed}).name == printed


def test_every_problem_of_the_form_is_reported_at_its_field() -> None:
    with pytest.raises(ContentError) as caught:
        clinic_from_form({"name": "x" * 81, "phone": "call us", "web": "http://example.org"})
    lines = str(caught.value).splitlines()
    assert sorted(lines) == [
        "form: name: too long: 81 characters, at most 80",
        "form: phone: 'call us' is not a phone number "
        "(hint: keep letters in the printed text; the number holds digits only)",
        "form: web: 'http://example.org' is an http: link (hint: use https:// instead)",
    ]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "A\x00B"}, "form: name: contains control characters"),
        ({"name": "   "}, "form: name: empty text"),
        ({"name": "\u200b\u2060\u00ad"}, "form: name: empty text"),  # invisible characters only
        ({"name": "\u3164 \u0301"}, "form: name: empty text"),  # a Hangul filler, a lone mark
        ({"name": "A", "phone": "\ufeff"}, "form: phone: empty text"),
        ({"name": "A", "web": "javascript:alert(1)"}, "'javascript:' links are not allowed"),
        ({"name": "A", "web": "https://user:pw@example.org"}, "may not hold a user name"),
        ({"name": "A", "phone": "+1 555"}, "has 4 digits, not 7 to 15"),
        ({"name": "\u202eCentre"}, "contains a hidden direction control"),
        ({"name": "A", "web": "https://example.org:99999/"}, "has a port that is not a number"),
    ],
)
def test_bad_details_are_refused(fields: dict[str, str], message: str) -> None:
    with pytest.raises(ContentError, match=message.replace("(", r"\(").replace(")", r"\)")):
        clinic_from_form(fields)


def test_clinic_yaml_problems_point_at_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "clinic.yaml"
    path.write_text(
        "name: Good Clinic\nphone: call us\nweb: http://example.org\nlogo: ../secret.png\n"
        "fax: 123\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as caught:
        load_clinic(path)
    text = str(caught.value)
    assert "clinic.yaml:2:8: phone: 'call us' is not a phone number" in text
    assert "clinic.yaml:3:6: web: 'http://example.org' is an http: link" in text
    assert "clinic.yaml:4:7: logo: the image path '../secret.png' leads outside" in text
    assert "clinic.yaml:5:1: fax: unknown key 'fax'" in text


def test_a_logo_must_be_png_or_jpeg(tmp_path: Path) -> None:
    gif = tmp_path / "logo.gif"
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    issue = check_logo(gif)
    assert issue is not None and "not a PNG or JPEG image (it looks like a GIF)" in issue.message


def test_a_decompression_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_header_only(50_000, 50_000))  # 2.5 gigapixels in 60 bytes
    issue = check_logo(bomb)
    assert issue is not None and "pixels" in issue.message and "limit" in issue.message


def test_a_logo_over_four_megapixels_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    Image.new("1", (2500, 2000)).save(big, format="PNG")  # 5 MP, a few KB as 1-bit
    issue = check_logo(big)
    assert issue is not None and "2500 × 2000 pixels, over the 4 megapixel limit" in issue.message


def test_a_logo_is_re_encoded_at_most_600_pixels_a_side(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    Image.new("CMYK", (1800, 900), (0, 80, 80, 0)).save(photo, format="JPEG")
    with Image.open(io.BytesIO(normalized_logo(photo))) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (600, 300), "RGB")


def test_a_16_bit_grey_logo_keeps_its_greys(tmp_path: Path) -> None:
    # Pillow's own conversion prints every 16-bit value over 255 as white: a blank box
    scan = tmp_path / "scan.png"
    Image.new("I;16", (40, 20), 20000).save(scan, format="PNG")  # 20000 / 65535: a dark grey
    with Image.open(io.BytesIO(normalized_logo(scan))) as image:
        assert image.getpixel((0, 0)) == (78, 78, 78)  # 20000 // 256


def test_a_phone_photo_logo_is_turned_upright_by_its_exif_orientation(tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; show it rotated 90° clockwise
    Image.new("RGB", (60, 30), "red").save(photo, format="JPEG", exif=exif.tobytes())
    with Image.open(io.BytesIO(normalized_logo(photo))) as image:
        assert image.size == (30, 60)


# --- the command line -----------------------------------------------------------------


def test_build_with_clinic_yaml_from_the_command_line(tmp_path: Path, logo: Path) -> None:
    (tmp_path / "logo.png").write_bytes(logo.read_bytes())
    (tmp_path / "clinic.yaml").write_text(
        "name: Riverside Cancer Centre\nphone: +1 555 010 0199\n"
        "web: https://riverside.example.org\nlogo: logo.png\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.pdf"
    done = _factsheet(
        "build", "bone-protection", "--clinic", str(tmp_path / "clinic.yaml"), "-o", str(out)
    )
    assert done.returncode == 0, done.stderr
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 2
    assert "Riverside Cancer Centre" in reader.pages[1].extract_text()


def test_a_bad_clinic_yaml_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "clinic.yaml").write_text("name: X\nweb: ftp://example.org\n", encoding="utf-8")
    out = tmp_path / "out.pdf"
    done = _factsheet(
        "build", "bone-protection", "--clinic", str(tmp_path / "clinic.yaml"), "-o", str(out)
    )
    assert done.returncode == 2
    assert "clinic.yaml:2:6: web: 'ftp:' links are not allowed" in done.stderr
    assert not out.exists()


def _factsheet(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factsheet", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG claiming `width` × `height` pixels, with a token of pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = [(b"IHDR", ihdr), (b"IDAT", zlib.compress(b"\x00" * 64)), (b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(_chunk(kind, data) for kind, data in chunks)


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _structure(node: object) -> list[tuple[str, str | None]]:
    """(role, Alt) of every element in a PDF structure tree."""
    found: list[tuple[str, str | None]] = []
    stack = [node]
    while stack:
        item = stack.pop()
        obj = item.get_object() if hasattr(item, "get_object") else item
        if isinstance(obj, pypdf.generic.DictionaryObject):
            if "/S" in obj:
                alt = obj.get("/Alt")
                found.append((str(obj["/S"]), str(alt) if alt is not None else None))
            kids = obj.get("/K")
            if kids is not None:
                stack.extend(kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids])
    return found


@pytest.mark.parametrize("kind", ["jpeg", "corrupt", "short"])
def test_a_damaged_logo_on_the_command_line_is_refused_not_embedded(
    tmp_path: Path, kind: str
) -> None:
    from tests.webhelpers import damaged_jpeg, damaged_png

    name = "logo.jpg" if kind == "jpeg" else "logo.png"
    (tmp_path / name).write_bytes(damaged_jpeg() if kind == "jpeg" else damaged_png(kind))
    (tmp_path / "clinic.yaml").write_text(f"name: Damaged Logo Clinic\nlogo: {name}\n")
    out = tmp_path / "clinic.pdf"
    done = _factsheet(
        "build", "bone-protection", "--clinic", str(tmp_path / "clinic.yaml"), "-o", str(out)
    )
    assert done.returncode == 2, done.stderr
    assert "logo: the image file is damaged or incomplete" in done.stderr
    assert "Traceback" not in done.stderr and not out.exists()


def test_factsheet_check_finds_a_damaged_picture_in_a_sheet(tmp_path: Path) -> None:
    """What `build` would fail on, `check` finds: every pixel is decoded, not only the header."""
    from tests.test_content import GOOD
    from tests.webhelpers import damaged_png

    folder = tmp_path / "good-sheet"
    folder.mkdir()
    (folder / "en.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "bones.png").write_bytes(damaged_png("short"))
    done = _factsheet("check", str(folder))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "bones.png" in done.stderr or "image" in done.stderr
    assert "the image file is damaged or incomplete" in done.stderr
