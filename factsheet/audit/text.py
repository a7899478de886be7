"""The text inside each marked-content sequence, decoded from the content streams.

This is the text assistive technology gets from a tagged PDF: the characters
the glyph codes map to through each font's ToUnicode map (or what an
/ActualText on a marked-content sequence says instead), sequence by sequence,
with no space inferred from glyph positions. A space that is not in the
content is not in the text either, so a line end that drops the space between
two words reads "calledbone" here, as it does for a screen reader (PDFium,
which guesses spaces from positions, would hide it).

Decoding: a font with a ToUnicode map (every font factsheet writes) is read
through it (`render.tounicode.parse_cmap`); a simple font without one is read
as Latin-1, a composite font without one gives U+FFFD per code. A TJ offset
of more than a quarter em is read as a space, as reading software does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pikepdf

from factsheet.render.tounicode import CMap, parse_cmap

Key = tuple[int, int]  # (page, MCID)
TEXT_OPS = frozenset({"Tj", "TJ", "'", '"'})
SPACE_OFFSET = 250  # thousandths of an em: a wider TJ gap reads as a word space
MAX_FORM_DEPTH = 8


@dataclass
class Marked:
    """The characters of one marked-content sequence."""

    text: str = ""


TextMap = dict[Key, Marked]


@dataclass
class _Decoder:
    """Turns a font's codes into text."""

    cmap: CMap | None
    composite: bool  # a Type0 font: two-byte codes when the map does not say otherwise

    def decode(self, raw: bytes) -> str:
        return "".join(self.glyphs(raw))

    def glyphs(self, raw: bytes) -> list[str]:
        """The text of each code."""
        if self.cmap is not None and self.cmap.chars:
            return self.cmap.glyphs(raw)
        if self.composite:
            return ["\ufffd"] * (len(raw) // 2)
        return list(raw.decode("latin-1"))


@dataclass
class _Mark:
    mcid: int | None
    actual: str | None  # the /ActualText that replaces what is drawn inside
    reversed: bool = False  # /ReversedChars: the glyphs inside read backwards (RTL text)


@dataclass
class _Walk:
    page: int
    text: TextMap
    marks: list[_Mark] = field(default_factory=list)
    font: _Decoder | None = None
    forms: set[tuple[int, int]] = field(default_factory=set)
    backwards: list[str] = field(default_factory=list)  # glyphs inside /ReversedChars


def marked_text(pdf: pikepdf.Pdf) -> TextMap:
    """(page, MCID) → the text drawn inside that sequence, in content order."""
    text: TextMap = {}
    for index, page in enumerate(pdf.pages):
        walk = _Walk(index, text)
        _scan(walk, pikepdf.parse_content_stream(page), page.obj.get("/Resources"), 0)
    return text


def decoders(resources: Any) -> dict[str, _Decoder]:
    """Font resource name → its decoder."""
    fonts = resources.get("/Font") if isinstance(resources, pikepdf.Dictionary) else None
    if not isinstance(fonts, pikepdf.Dictionary):
        return {}
    out = {}
    for name, font in fonts.items():
        stream = font.get("/ToUnicode")
        cmap = parse_cmap(stream.read_bytes()) if isinstance(stream, pikepdf.Stream) else None
        out[str(name)] = _Decoder(cmap, font.get("/Subtype") == "/Type0")
    return out


def shown_text(operands: Any, decoder: _Decoder | None) -> str:
    """The text a text-showing operator's operands draw (TJ gaps wider than a quarter
    em read as a space)."""
    return "".join(shown_glyphs(operands, decoder))


def shown_glyphs(operands: Any, decoder: _Decoder | None, gaps: bool = True) -> list[str]:
    """`shown_text` glyph by glyph (a TJ gap read as a space is one more, unless not
    `gaps`: right-to-left glyphs move back over their letters to place marks)."""
    out: list[str] = []
    for operand in operands:
        items = list(operand) if isinstance(operand, pikepdf.Array) else [operand]
        for item in items:
            if isinstance(item, pikepdf.String):
                raw = bytes(item)
                out.extend(decoder.glyphs(raw) if decoder else raw.decode("latin-1"))
            elif isinstance(operand, pikepdf.Array):
                try:
                    gap = -float(item)
                except (TypeError, ValueError):
                    continue
                if gap > SPACE_OFFSET and gaps:
                    out.append(" ")
    return out


def _scan(walk: _Walk, instructions: list[Any], resources: Any, depth: int) -> None:
    fonts = decoders(resources)
    for instruction in instructions:
        if not isinstance(instruction, pikepdf.ContentStreamInstruction):
            continue  # an inline image
        operands, op = instruction.operands, str(instruction.operator)
        if op in ("BDC", "BMC"):
            walk.marks.append(_mark(op, operands))
            if walk.marks[-1].actual is not None:
                _add(walk, walk.marks[-1].actual)
        elif op == "EMC":
            if walk.marks and walk.marks.pop().reversed:
                _add(walk, "".join(reversed(walk.backwards)))
                walk.backwards.clear()
        elif op == "Tf" and operands:
            walk.font = fonts.get(str(operands[0]))
        elif op in TEXT_OPS and not any(m.actual is not None for m in walk.marks):
            if any(m.reversed for m in walk.marks):
                walk.backwards += shown_glyphs(operands, walk.font, gaps=False)
            else:
                _add(walk, shown_text(operands, walk.font))
        elif op == "Do" and operands and depth < MAX_FORM_DEPTH:
            _form(walk, operands[0], resources, depth)


def _form(walk: _Walk, name: Any, resources: Any, depth: int) -> None:
    xobjects = resources.get("/XObject") if isinstance(resources, pikepdf.Dictionary) else None
    form = xobjects.get(name) if isinstance(xobjects, pikepdf.Dictionary) else None
    if not isinstance(form, pikepdf.Stream) or form.get("/Subtype") != "/Form":
        return
    if form.objgen in walk.forms:
        return
    walk.forms.add(form.objgen)
    _scan(walk, pikepdf.parse_content_stream(form), form.get("/Resources", resources), depth + 1)
    walk.forms.discard(form.objgen)


def _mark(op: str, operands: Any) -> _Mark:
    if operands and str(operands[0]) == "/ReversedChars":
        return _Mark(None, None, reversed=True)
    props = operands[1] if op == "BDC" and len(operands) > 1 else None
    if not isinstance(props, pikepdf.Dictionary):
        return _Mark(None, None)
    mcid = int(props.MCID) if "/MCID" in props else None
    actual = str(props.ActualText) if "/ActualText" in props else None
    return _Mark(mcid, actual)


def _add(walk: _Walk, text: str) -> None:
    mcid = next((m.mcid for m in reversed(walk.marks) if m.mcid is not None), None)
    if mcid is not None and text:
        walk.text.setdefault((walk.page, mcid), Marked()).text += text


def join(keys: list[Key], text: TextMap) -> str:
    """The sequences' text in the given (reading) order, as it is: nothing added
    between them; runs of white space shown as one space."""
    out = "".join(text[key].text for key in keys if key in text)
    return re.sub(r"\s+", " ", out).strip()
