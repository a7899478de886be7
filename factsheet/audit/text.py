"""The text inside each marked-content sequence, as PDFium reads it.

pikepdf shows the operators but not the characters: turning glyph codes into
text needs the fonts' encodings and ToUnicode maps, which is PDFium's job (it
is already here for page previews, and browsers read PDFs to screen readers
through it). PDFium's text page lists every character with the text object it
comes from, and adds the spaces and line breaks it infers from the glyphs'
positions; we keep those between sequences that follow each other on the page,
so the joined text has a space where the page shows one and none inside a word
that changes font (a bold word's comma, a Korean word split over two subset fonts).
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

Key = tuple[int, int]  # (page, MCID)
BROKEN_AFTER = re.compile(r"\S[/\-–]$")  # a line that ends inside a word: join without a space


@dataclass
class Marked:
    """The characters of one marked-content sequence, and what follows it on its page."""

    text: str = ""
    next: Key | None = None  # the sequence whose characters come next on the page
    gap: str = ""  # the space or line break PDFium inferred between the two ("" for none)


TextMap = dict[Key, Marked]


def marked_text(path: Path) -> TextMap:
    """(page, MCID) → the text drawn inside that sequence."""
    text: TextMap = {}
    document = pdfium.PdfDocument(path)
    try:
        for index in range(len(document)):
            textpage = document[index].get_textpage()
            _read_page(textpage, index, text)
    finally:
        document.close()
    return text


def _read_page(textpage: pdfium.PdfTextPage, page: int, text: TextMap) -> None:
    mcids: dict[int | None, int] = {}  # text object address → its MCID
    current: Key | None = None
    gap = ""
    for i in range(pdfium_c.FPDFText_CountChars(textpage.raw)):
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i))
        obj = pdfium_c.FPDFText_GetTextObject(textpage.raw, i)
        address = ctypes.cast(obj, ctypes.c_void_p).value if obj else None
        if pdfium_c.FPDFText_IsGenerated(textpage.raw, i) or address is None:
            gap += char
            continue
        if address not in mcids:
            mcids[address] = pdfium_c.FPDFPageObj_GetMarkedContentID(obj)
        key = (page, mcids[address])
        if key != current:
            if current is not None:
                text[current].next, text[current].gap = key, gap
            if key in text and text[key].text:
                text[key].text += " "  # a sequence met again further down the page
            current = key
        elif gap:
            text[key].text += gap
        text.setdefault(key, Marked()).text += char
        gap = ""


def join(keys: list[Key], text: TextMap) -> str:
    """The sequences' text in the given (reading) order, spaced as the page shows it."""
    out = ""
    for previous, key in zip([None, *keys], keys, strict=False):
        marked = text.get(key)
        if marked is None or key[1] < 0:
            continue
        if out:
            out += _separator(text.get(previous) if previous else None, key, out)
        out += marked.text
    return re.sub(r"\s+", " ", out).strip()


def _separator(previous: Marked | None, key: Key, so_far: str) -> str:
    if previous is None or previous.next != key:
        return " "  # not neighbours on the page: a new block
    if "\n" in previous.gap or "\r" in previous.gap:
        return "" if BROKEN_AFTER.search(so_far) else " "
    return " " if previous.gap else ""
