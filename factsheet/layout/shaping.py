"""Shaping: the glyphs a font draws for a string, and where (HarfBuzz, via uharfbuzz).

In: a string and a registered font. Out: `Shaped`: glyph ids with their
advances (in thousandths of the size), and the width at size 1; a glyph HarfBuzz
moves off its pen position (a mark) is a glyph of its own, placed in the font.

Every width the setter measures comes from here and the renderer draws the same
glyphs at the same advances, so what is measured is what is drawn: kerning
("Ty", "AV"), ligatures ("fi", "ffi"), and the contextual forms a script needs.

A glyph that is not its character's nominal glyph (a ligature, a contextual
form) has no character code of its own; it gets a private-use code point in
the font (as ReportLab's own shaping does), and `PRIVATE` says what text it
stands for, so the PDF's ToUnicode map gives the logical characters back
("ffi", not U+E000) when the file is written (render/fonts.py).

Results are cached (bounded: `CACHE_SIZE` strings) so warm builds shape nothing.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb
from reportlab.pdfbase import pdfmetrics

from factsheet.errors import BuildError

CACHE_SIZE = 50_000  # shaped strings kept (words, mostly): a few MB at most
_PRIVATE_USE = range(0xE000, 0xF900)  # the BMP's (a ToUnicode value is UTF-16)

# Private-use code point → the text its glyph stands for; (font, glyph, text) → code point.
# Codes are unique across fonts (PRIVATE is keyed by the character alone) and handed out
# in order; the fonts' own glyphs bound how many a process can need (a few hundred per
# script: contextual forms, conjuncts, placed marks), far below the 6,400 of the range.
PRIVATE: dict[str, str] = {}
_ASSIGNED: dict[tuple[str, int, str], int] = {}
_FREE = iter(_PRIVATE_USE)


@dataclass(frozen=True)
class Shaped:
    """A string's glyphs: the character each is drawn as, and how far each advances."""

    chars: str  # one character per glyph: its own character, or a private-use one
    advances: tuple[int, ...]  # per glyph, in thousandths of the size
    nominal: tuple[int, ...]  # each glyph's own width in the font (what the PDF says)
    width: float  # at size 1
    plain: bool  # the font's nominal glyphs at their nominal widths: draw as plain text


@lru_cache(maxsize=CACHE_SIZE)
def shape(text: str, font: str, rtl: bool = False) -> Shaped:
    """`text` shaped in the registered font `font`: right to left when `rtl` (a run of
    odd bidi level: the glyphs come in visual order, brackets mirrored), else left to
    right; the script is guessed from the text."""
    ttf = pdfmetrics.getFont(font)
    face = ttf.face
    hb_font = _hb_font(font)
    buf = hb.Buffer()
    buf.add_str(text)
    if rtl:
        buf.direction = "rtl"
    buf.guess_segment_properties()
    hb.shape(hb_font, buf, {})
    infos, positions = buf.glyph_infos, buf.glyph_positions
    scale = 1000.0 / face.unitsPerEm
    starts = sorted({info.cluster for info in infos})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    glyphs_of: dict[int, list[int]] = {}
    for index, info in enumerate(infos):
        glyphs_of.setdefault(info.cluster, []).append(index)
    chars: list[str] = []
    advances: list[int] = []
    nominal: list[int] = []
    for index, (info, pos) in enumerate(zip(infos, positions, strict=True)):
        gid, cluster = info.codepoint, info.cluster
        piece = text[cluster : ends[cluster]]
        if pos.x_offset or pos.y_offset:
            gid = _placed(font, gid, pos.x_offset, pos.y_offset)
        own = piece if len(piece) == 1 and face.charToGlyph.get(ord(piece)) == gid else None
        if own is None:  # a ligature, a conjunct, a contextual form: a private code
            nth, count = glyphs_of[cluster].index(index), len(glyphs_of[cluster])
            # Right to left, a cluster's glyphs come last character first.
            stands_for = _share(piece, count - 1 - nth if rtl else nth, count)
            own = _private(font, gid, stands_for, scale)
        chars.append(own)
        advances.append(round(pos.x_advance * scale))
        nominal.append(face.charWidths.get(ord(own), 0))
    joined = "".join(chars)
    return Shaped(
        joined,
        tuple(advances),
        tuple(nominal),
        sum(advances) / 1000.0,
        joined == text and advances == nominal,
    )


def _share(piece: str, nth: int, count: int) -> str:
    """The part of a cluster's text its `nth` of `count` glyphs stands for.

    The cluster's characters are handed out in logical order to its glyphs in
    drawing order, the last glyph taking what is left: text extracted glyph by
    glyph then reads in logical order ("कि", though the matra is drawn first).
    A glyph beyond the characters stands for nothing ("").
    """
    if nth >= len(piece):
        return ""
    return piece[nth:] if nth == count - 1 else piece[nth]


@lru_cache(maxsize=64)
def _hb_font(font: str) -> hb.Font:
    return hb.Font(pdfmetrics.getFont(font).hbFace)


def _private(font: str, gid: int, text: str, scale: float) -> str:
    """The private-use character that draws glyph `gid` of `font` and stands for `text`."""
    key = (font, gid, text)
    code = _ASSIGNED.get(key)
    if code is None:
        face = pdfmetrics.getFont(font).face
        code = next((c for c in _FREE if c not in face.charToGlyph), None)
        if code is None:  # a font's own private-use characters took the rest
            raise BuildError(f"no private-use code left for a shaped glyph of font {font}")
        _ASSIGNED[key] = code
        face.charToGlyph[code] = gid
        face.glyphToChar.setdefault(gid, []).append(code)
        face.charWidths[code] = round(face.hmetrics[gid][0] * scale)
        # A glyph that stands for nothing more (a cluster with more glyphs than
        # characters) maps to a zero-width joiner: PDF/UA forbids U+0000.
        PRIVATE[chr(code)] = text or "\u200d"
    return chr(code)


# A composite glyph of one component placed by (x, y) in font units: number of
# contours -1, its box, then the component (flags: 16-bit x and y values).
_COMPOSITE = struct.Struct(">hhhhhHHhh")
_ARGS_ARE_WORDS_AND_XY = 0x0001 | 0x0002
_PLACED: dict[tuple[str, int, int, int], int] = {}


def _placed(font: str, gid: int, x: int, y: int) -> int:
    """A glyph of `font` that draws glyph `gid` moved by (x, y) font units: a mark
    where GPOS puts it over its base.

    A PDF can only move a glyph off the line by a text rise (`Ts`) or a new text
    position, and extractors take a glyph so moved for a new word or line (PDFium
    and poppler then read "ُ ي ّسمى" for "يُسمّى"). The font is given a composite
    glyph instead (TrueType's own way to place one outline inside another glyph),
    added to the parsed face that ReportLab subsets; the mark is then drawn on the
    line with no positioning at all, where it belongs, and every reader keeps it
    with its base. The outline is the font's, so the page looks the same.
    """
    key = (font, gid, x, y)
    placed = _PLACED.get(key)
    if placed is None:
        face = pdfmetrics.getFont(font).face
        placed = _PLACED[key] = _add_composite(face, gid, x, y)
    return placed


def _add_composite(face: object, gid: int, x: int, y: int) -> int:
    """Append to ReportLab's parsed TrueType `face` a glyph that is glyph `gid` moved
    by (x, y), with `gid`'s advance; its new glyph id.

    The first time, the glyph table is copied to the end of the font's data (its
    directory entry moved there), so new glyphs are appended after it: nothing
    else in the file moves. `makeSubset` reads glyphs through `glyphPos` and
    `hmetrics`, and follows composite components, so subsets carry the new glyph
    and the outline it places.
    """
    data: bytes = face._ttf_data  # type: ignore[attr-defined]
    table = face.table["glyf"]  # type: ignore[attr-defined]
    glyph_pos: list[int] = face.glyphPos  # type: ignore[attr-defined]
    start = table["offset"]
    if start + table["length"] != len(data):  # not yet at the end: move it there
        glyf = data[start : start + glyph_pos[-1]]
        data += b"\0" * (-len(data) % 4)
        start = table["offset"] = len(data)
        data += glyf
    own = data[start + glyph_pos[gid] : start + glyph_pos[gid + 1]]
    if len(own) < 10:  # an empty glyph (a space) looks the same anywhere
        return gid
    x_min, y_min, x_max, y_max = struct.unpack(">hhhh", own[2:10])
    record = _COMPOSITE.pack(
        -1, x_min + x, y_min + y, x_max + x, y_max + y, _ARGS_ARE_WORDS_AND_XY, gid, x, y
    )
    record += b"\0" * (-len(record) % 4)
    face._ttf_data = data + record  # type: ignore[attr-defined]
    glyph_pos.append(glyph_pos[-1] + len(record))
    table["length"] = glyph_pos[-1]
    advance = face.hmetrics[gid][0]  # type: ignore[attr-defined]
    # ReportLab keeps the left side bearing as read: an unsigned 16-bit value
    face.hmetrics.append((advance, (x_min + x) & 0xFFFF))  # type: ignore[attr-defined]
    return len(glyph_pos) - 2
