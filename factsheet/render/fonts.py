"""Embedding the fonts' subsets: what ReportLab's `TTFont.addObjects` writes, made once.

In: the canvas's document after drawing, whose TrueType fonts know which
characters each subset holds. Out: each subset's font dictionary, widths,
FontDescriptor, font file and ToUnicode CMap in the document, and the fonts
taken off ReportLab's list of fonts to embed at save time.

Two things differ from ReportLab's own embedding:
- the ToUnicode map is written right the first time: only codes that name a
  character (PDF/UA forbids U+0000, which ReportLab gives the unused codes), and a
  shaped glyph's private-use code maps to the text it stands for (tounicode.py);
- the parts that depend only on the subset's characters (the subset font file and
  the ToUnicode map, both compressed, and the widths array) are kept, bounded, by
  font and characters, so a server rendering the same edition again, or a batch
  rendering one sheet in several layouts, subsets, formats and compresses nothing.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, TTFont

from factsheet.layout.shaping import PRIVATE
from factsheet.render.tounicode import CMap, is_character, write_cmap

CACHE_BYTES = 4 << 20  # compressed font data kept, least recently used out


@dataclass(frozen=True)
class _Subset:
    """What one subset's objects hold, independent of the document."""

    font_file: bytes  # compressed (FlateDecode)
    length1: int  # the font file's length before compression
    tounicode: bytes  # compressed
    widths: bytes  # the formatted /Widths array


_CACHE: OrderedDict[tuple[Any, ...], _Subset] = OrderedDict()
_cached_bytes = 0


def embed_fonts(doc: pdfdoc.PDFDocument) -> None:
    """Add the objects of every TrueType font subset used in `doc`; ReportLab then
    embeds only the fonts it would have embedded that are not TrueType ones."""
    rest = []
    for font in doc.delayedFonts:
        if type(font) is TTFont and font.state.get(doc) is not None:
            _embed(font, doc)
        else:
            rest.append(font)
    doc.delayedFonts = rest


def _embed(font: TTFont, doc: pdfdoc.PDFDocument) -> None:
    state = font.state[doc]
    state.frozen = 1
    face = font.face
    fonts = doc.idToObject["BasicFonts"].dict
    for n, codes in enumerate(state.subsets):
        internal = font.getSubsetInternalName(n, doc)[1:]
        base = b"".join((SUBSETN(n), b"+", face.name, face.subfontNameX)).decode("pdfdoc")
        parts = _subset(font, base, codes)
        pdf_font = pdfdoc.PDFTrueTypeFont()
        pdf_font.Name = internal
        pdf_font.BaseFont = base
        pdf_font.FirstChar = 0
        pdf_font.LastChar = len(codes) - 1
        pdf_font.Widths = parts.widths
        pdf_font.ToUnicode = doc.Reference(_flate(parts.tounicode), "toUnicodeCMap:" + base)
        pdf_font.FontDescriptor = _descriptor(font, doc, base, parts)
        doc.Reference(pdf_font, internal)
        fonts[internal] = pdf_font
    del font.state[doc]


def _descriptor(
    font: TTFont, doc: pdfdoc.PDFDocument, base: str, parts: _Subset
) -> pdfdoc.PDFObjectReference:
    """The FontDescriptor of subset `base`, as `TTFontFace.addSubsetObjects` writes it."""
    face = font.face
    font_file = _flate(parts.font_file)
    font_file.dictionary["Length1"] = parts.length1
    file_ref = doc.Reference(font_file, f"fontFile:{face.filename}({base})")
    descriptor = pdfdoc.PDFDictionary(
        {
            "Type": "/FontDescriptor",
            "Ascent": face.ascent,
            "CapHeight": face.capHeight,
            "Descent": face.descent,
            "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
            "FontBBox": pdfdoc.PDFArray(face.bbox),
            "FontName": pdfdoc.PDFName(base),
            "ItalicAngle": face.italicAngle,
            "StemV": face.stemV,
            "FontFile2": file_ref,
            "MissingWidth": face.defaultWidth,
        }
    )
    return doc.Reference(descriptor, "fontDescriptor:" + base)


def _flate(data: bytes) -> pdfdoc.PDFStream:
    """A stream whose content is already compressed: ReportLab writes it as it is."""
    stream = pdfdoc.PDFStream(content=data, filters=[])
    stream.dictionary["Filter"] = pdfdoc.PDFName("FlateDecode")
    return stream


def _subset(font: TTFont, base: str, codes: list[int]) -> _Subset:
    """The subset's parts, from the cache when this font's subset held these characters
    before (the font's glyph data only grows: its length is part of the key)."""
    global _cached_bytes
    face = font.face
    key = (font.fontName, base, tuple(codes), len(face._ttf_data))
    parts = _CACHE.pop(key, None)
    if parts is None:
        data = face.makeSubset(codes)
        widths = pdfdoc.PDFArray([face.getCharWidth(code) for code in codes])
        parts = _Subset(
            font_file=zlib.compress(data),
            length1=len(data),
            tounicode=zlib.compress(write_cmap(base, _tounicode(codes))),
            widths=pdfdoc.format(widths, None),
        )
        _cached_bytes += _size(parts)
        while _CACHE and _cached_bytes > CACHE_BYTES:
            _cached_bytes -= _size(_CACHE.popitem(last=False)[1])
    _CACHE[key] = parts
    return parts


def _size(parts: _Subset) -> int:
    return len(parts.font_file) + len(parts.tounicode) + len(parts.widths)


def _tounicode(codes: list[int]) -> CMap:
    """Code (a byte) → text for each code of the subset that names a character."""
    chars = {}
    for code, char in enumerate(codes):
        text = chr(char)
        text = PRIVATE.get(text, text)
        if is_character(text):
            chars[bytes((code,))] = text
    return CMap(chars, (1,))
