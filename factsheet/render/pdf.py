"""PDF rendering: a laid-out `Document` in, PDF bytes out.

Draws the placed items in order (which is the reading order), embeds subset
TrueType fonts, adds link annotations, the outline and the document metadata.
The `Tagger` (tags.py) wraps everything drawn in tagged or artifact content and
writes the structure tree, so every file is a tagged PDF/UA-1 document.
Nothing here decides where anything goes. Output is deterministic: ReportLab's
invariant mode with the content's own date, so equal input gives equal bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import operator
import unicodedata
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.utils import _digester
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFImageXObject, PDFObject, PDFString
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from factsheet.layout.frames import Color, Document, ImageItem, Item, LinkArea, Rect, Run, TextLine
from factsheet.layout.frames import Path as Shape
from factsheet.layout.shaping import shape
from factsheet.layout.text import register_font
from factsheet.render.bookmarks import Bookmark, bookmarks
from factsheet.render.fonts import embed_fonts
from factsheet.render.structure import pdf_string
from factsheet.render.tags import Tagger

# Page content streams are binary Flate, not ASCII85-armoured Flate: a quarter
# smaller, and nothing on the way to a reader needs 7-bit-clean PDF any more.
rl_config.useA85 = 0
EMBOLDEN = 0.03  # stroke width, as a fraction of the size, of synthetic bold


def render_pdf(doc: Document) -> bytes:
    """The PDF file for `doc`, as bytes."""
    for file in doc.fonts.values():
        register_font(Path(file))
    first_font = next(iter(doc.fonts))
    buffer = io.BytesIO()
    first = doc.pages[0]
    canvas = Canvas(
        buffer,
        pagesize=(first.width, first.height),
        invariant=True,
        pageCompression=1,
        pdfVersion=(1, 7),  # PDF/UA-1 is built on PDF 1.7 (ISO 32000-1)
        lang=doc.metadata["lang"],
        initialFontName=first_font,
    )
    _set_metadata(canvas, doc.metadata)
    tagger = Tagger(canvas, doc)
    painter = _Painter(canvas, tagger)
    marks = bookmarks(doc)
    for index, page in enumerate(doc.pages):
        canvas.setPageSize((page.width, page.height))
        _destinations(canvas, marks, index)
        painter.new_page()
        for item in page.items:
            painter.draw(item)
        tagger.end_page()
        canvas.showPage()
    _outline(canvas, marks)
    tagger.finish()
    embed_fonts(canvas._doc)
    canvas.save()
    return tagger.postprocess(buffer.getvalue())


class _FixedTime:
    """ReportLab's timestamp, pinned to the content's date (no clock, no zone)."""

    def __init__(self, date: dt.date) -> None:
        moment = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
        self.t = moment.timestamp()
        self.lt = moment.timetuple()
        self.YMDhms = (date.year, date.month, date.day, 0, 0, 0)
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


def _set_metadata(canvas: Canvas, meta: dict[str, str]) -> None:
    canvas._doc._timeStamp = _FixedTime(dt.date.fromisoformat(meta["date"]))
    # ReportLab seeds the file ID with the clock (or SOURCE_DATE_EPOCH); seed it
    # with the content instead so the ID, like the rest, depends only on input.
    seed = "\n".join(meta[k] for k in ("title", "lang", "date")).encode()
    canvas._doc.signature = hashlib.md5(seed, usedforsecurity=False)
    title = meta["title"] + (" (draft translation)" if meta.get("draft") else "")
    canvas.setTitle(title)
    canvas.setAuthor(meta["author"])
    canvas.setSubject(meta["subject"])
    canvas.setKeywords(meta["keywords"])
    canvas.setCreator(meta["creator"])
    canvas.setProducer(meta["creator"])
    canvas.setViewerPreference("DisplayDocTitle", "true")


def _destinations(canvas: Canvas, marks: list[Bookmark], page: int) -> None:
    for i, mark in enumerate(marks):
        if mark.page == page:
            canvas.bookmarkHorizontalAbsolute(f"h{i}", mark.y)


def _outline(canvas: Canvas, marks: list[Bookmark]) -> None:
    level = -1
    for i, mark in enumerate(marks):
        # Outline levels may rise by one at a time; a deeper jump is clamped.
        level = min(mark.level, level + 1)
        canvas.addOutlineEntry(mark.title, f"h{i}", level=level, closed=False)
    if marks:
        canvas.showOutline()


class _Painter:
    """Draws items on the current page, writing state operators only on change.

    Fill colour, font and size are graphics state that outlives a text object,
    so a run in the same font and colour as the last one writes neither again:
    a page's content stream shrinks by about a third.
    """

    def __init__(self, canvas: Canvas, tagger: Tagger) -> None:
        self.canvas = canvas
        self.tagger = tagger
        self.new_page()

    def new_page(self) -> None:
        # Each page's content starts from the default graphics state.
        self.fill: Color | None = None
        self.font: tuple[str, float] | None = None

    def fill_color(self, color: Color) -> None:
        if color != self.fill:
            self.canvas.setFillColorRGB(*color)
            self.fill = color

    def set_font(self, font: str, size: float) -> None:
        if (font, size) != self.font:
            self.canvas.setFont(font, size)
            self.font = (font, size)

    def draw(self, item: Item) -> None:
        if isinstance(item, TextLine):
            self.text(item)
        elif isinstance(item, Rect):
            with self.tagger.artifact():
                self.rect(item)
        elif isinstance(item, Shape):
            with self.tagger.artifact():
                self.shape(item)
        elif isinstance(item, ImageItem):
            if item.elem is not None:
                box = (item.x, item.y, item.x + item.width, item.y + item.height)
                self.tagger.rec.boxes[item.elem] = box
            with self.tagger.content(item.elem):  # drawImage saves and restores the state
                _register_image(self.canvas, str(item.path))
                self.canvas.drawImage(
                    str(item.path), item.x, item.y, item.width, item.height, mask="auto"
                )
        elif isinstance(item, LinkArea):
            self.link(item)

    def link(self, area: LinkArea) -> None:
        """The link annotation, as `canvas.linkURL` makes it, written as PDF syntax: it
        is printed (/F 4: PDF/UA, links are printed content), has no border, and the
        tagger's description and /StructParent tie it to its Link element."""
        described, key = self.tagger.link(area)
        box = (area.x, area.y, area.x + area.width, area.y + area.height)
        if not area.href.isascii():  # ReportLab encodes such an address its own way
            keys: dict[str, Any] = {"Contents": PDFString(described), "F": 4}
            if key is not None:
                keys["StructParent"] = key
            self.canvas.linkURL(area.href, box, relative=0, thickness=0, **keys)
            return
        rect = fp_str(*box)
        parent = b"" if key is None else b" /StructParent %d" % key
        annotation = _Literal(
            b"<< /Type /Annot /Subtype /Link /Rect [%s] /Border [0 0 0] /F 4"
            b" /A << /Type /Action /S /URI /URI %s >> /Contents %s%s >>"
            % (rect.encode(), _uri(area.href), pdf_string(described).encode(), parent)
        )
        self.canvas._addAnnotation(annotation)

    def text(self, line: TextLine) -> None:
        # Runs are drawn in reading order, each at its own place: in a line with
        # right-to-left text, reading order is not left to right.
        bidi = any(run.rtl for run in line.runs)  # English lines: no direction work
        after_ltr = False  # the last run with a strong character was left to right
        for run in line.runs:
            x = line.x + run.dx
            self.set_font(run.font, run.size)
            self.fill_color(run.color)
            if not (run.rtl or run.embolden or run.invisible) and _actual(run) is None:
                code = self.canvas._code
                code.append(self.tagger.begin(run.elem, line.y))
                code.append(_text_object(self.canvas, run, x, line.y))
                code.append("EMC")
                if bidi and _strong(run.text):
                    after_ltr = True
                continue
            # Punctuation closing a right-to-left sentence after a Latin word ("RANKL).")
            # has no direction of its own: extractors read it in the direction of the
            # run before, so it is written in reading order there (glyphs placed by
            # moves), and backwards (/ReversedChars) only after right-to-left letters.
            forwards = run.rtl and after_ltr and not _strong(run.text)
            with (
                self.tagger.content(run.elem, line.y),
                self.tagger.actual_text(_actual(run)),
                self.tagger.reversed_chars(run.rtl and not forwards),
            ):
                if run.embolden:
                    self.canvas.setLineWidth(run.size * EMBOLDEN)
                if forwards:  # starts at its last glyph, the rightmost
                    shaped = shape(run.text, run.font, True)
                    x += sum(shaped.advances[:-1]) * run.size / 1000
                text = self.canvas.beginText(x, line.y)
                if run.invisible:
                    text.setTextRenderMode(3)  # neither filled nor stroked: for readers only
                if run.embolden:
                    # Fill and stroke (render mode 2) thickens the strokes of a font
                    # that has no bold face, as word processors do for CJK text.
                    text.setStrokeColorRGB(*run.color)
                    text.setTextRenderMode(2)
                if forwards:
                    _logical_out(self.canvas, text, run)
                else:
                    _shaped_out(self.canvas, text, run)
                if run.embolden or run.invisible:
                    text.setTextRenderMode(0)
                self.canvas.drawText(text)
            if bidi and _strong(run.text):
                after_ltr = not run.rtl

    def rect(self, rect: Rect) -> None:
        if rect.fill is not None:
            self.fill_color(rect.fill)
        if rect.stroke is not None:
            self.canvas.setStrokeColorRGB(*rect.stroke)
            self.canvas.setLineWidth(rect.line_width)
        self.canvas.rect(
            rect.x,
            rect.y,
            rect.width,
            rect.height,
            stroke=int(rect.stroke is not None),
            fill=int(rect.fill is not None),
        )

    def shape(self, shape: Shape) -> None:
        path = self.canvas.beginPath()
        for op, coords in shape.points:
            if op == "M":
                path.moveTo(*coords)
            elif op == "L":
                path.lineTo(*coords)
            else:
                path.curveTo(*coords)
        if shape.fill is not None:
            self.fill_color(shape.fill)
        if shape.stroke is not None:
            self.canvas.setStrokeColorRGB(*shape.stroke)
            self.canvas.setLineWidth(shape.line_width)
            self.canvas.setLineCap(1)
        self.canvas.drawPath(
            path, stroke=int(shape.stroke is not None), fill=int(shape.fill is not None)
        )


# A picture's decoded and compressed image data, by the digest of its file: ReportLab
# decodes a PNG to raw pixels and deflates them again for every document (the HER2
# sheet's 1200 × 560 picture was half of its render), though the file is the same.
_IMAGES: OrderedDict[str, dict[str, Any]] = OrderedDict()
_IMAGES_MAX = 32  # pictures, least recently used out: a server meets every clinic's logo


def _register_image(canvas: Canvas, path: str) -> None:
    """Put the picture in the document as `drawImage(path, mask="auto")` would, from the
    cache when its file's bytes were seen before, so drawImage finds it there.

    A picture with a soft mask (alpha) is left to ReportLab: its mask is a second
    object, which drawImage links itself.
    """
    name = _digester(f"{path}auto".encode())  # drawImage's name for a file, mask "auto"
    doc = canvas._doc
    registered = doc.getXObjectName(name)
    if registered in doc.idToObject:
        return
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    loaded = _IMAGES.pop(digest, None)
    if loaded is None:
        image = PDFImageXObject(name, path, mask="auto")
        if hasattr(image, "_smask"):
            return
        loaded = {k: v for k, v in vars(image).items() if k != "name"}
        if len(_IMAGES) >= _IMAGES_MAX:
            _IMAGES.popitem(last=False)
    _IMAGES[digest] = loaded
    image = PDFImageXObject(name)
    vars(image).update(loaded)
    canvas._setXObjects(image)
    doc.Reference(image, registered)
    doc.addForm(name, image)


class _Literal(PDFObject):
    """An object given as PDF syntax, written as it is."""

    __RefOnly__ = 1

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


def _uri(href: str) -> bytes:
    """An ASCII link address as a PDF literal string, with `\\`, `(` and `)` escaped."""
    data = href.encode("ascii")
    return b"(" + data.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _actual(run: Run) -> str | None:
    """The run's own ActualText, if any. Glyphs are never moved off the line (marks
    are glyphs of their own, placed in the font: shaping.py), so the glyphs' own
    text reads in order; right-to-left runs say that their glyphs read backwards
    (`/ReversedChars`) instead: extractors reorder them, and would reverse an
    ActualText too."""
    return run.actual


def _text_object(canvas: Canvas, run: Run, x: float, y: float) -> str:
    """The text object (BT … ET) of a plain or kerned run: the operators ReportLab's
    text object writes for it (`_shaped_out`), built without one (most runs of a
    sheet take this way, and the object, its width measuring and its operator list
    were a quarter of the render)."""
    code = ["BT", f"1 0 0 1 {fp_str(x, y)} Tm"]
    shaped = shape(run.text, run.font, run.rtl)
    font = pdfmetrics.getFont(run.font)
    doc = canvas._doc
    if shaped.plain:
        size = _size_operands(run.size, canvas._leading)
        current = -1
        for subset, codes in _split(font, run.text, doc):
            if subset != current:
                code.append(f"{font.getSubsetInternalName(subset, doc)} {size}")
                current = subset
            code.append(f"({canvas._escape(codes)}) Tj")
    else:
        code += _tj(canvas, run, shaped.chars, shaped.advances, shaped.nominal)
    code.append("ET")
    return " ".join(code)


# Bounded: the sizes are the fitted scale times the styles', and a long-lived process
# (watch, the service) meets a new scale with each edit or sheet.
@lru_cache(maxsize=1024)
def _size_operands(size: float, leading: float) -> str:
    return f"{fp_str(size)} Tf {fp_str(leading)} TL"


def _split(font: Any, text: str, doc: Any) -> list[tuple[int, bytes]]:
    """`font.splitString(text, doc)`: the codes of `text` in the font's subsets. When every
    character already has a code in the first subset (most runs, once a few lines are
    drawn), the codes are looked up in one pass in C, not one character at a time."""
    state = font.state.get(doc)
    if state is not None:
        try:
            return [(0, bytes(map(state.assignments.__getitem__, map(ord, text))))]
        except (KeyError, ValueError):  # a character new to the document, or a later subset
            pass
    return font.splitString(text, doc)  # type: ignore[no-any-return]


def _shaped_out(canvas: Canvas, text: PDFTextObject, run: Run) -> None:
    """Draw the run's glyphs as HarfBuzz shaped them, at the advances the layout measured.

    Most runs are the font's own glyphs at their own widths: plain text. A kerned
    or ligated run, or one with marks (glyphs that shaping placed in the font), is
    one TJ array whose numbers are the differences between the font's widths and
    the shaped advances.
    """
    shaped = shape(run.text, run.font, run.rtl)
    if shaped.plain:
        text.textOut(run.text)
    else:
        _kerned(canvas, text, run, shaped.chars, shaped.advances, shaped.nominal)


def _strong(text: str) -> bool:
    """Whether `text` has a character of a direction (a letter, not punctuation or space)."""
    return any(unicodedata.bidirectional(c) in ("L", "R", "AL") for c in text)


def _logical_out(canvas: Canvas, text: PDFTextObject, run: Run) -> None:
    """Draw a right-to-left run's glyphs where HarfBuzz put them, but in reading order:
    from the rightmost glyph (where the text object starts), each followed by the move
    back to the one on its left (TJ numbers: thousandths of the size, positive moves
    left; no move to the right, which a reader would take for a word space)."""
    shaped = shape(run.text, run.font, True)
    font = pdfmetrics.getFont(run.font)
    doc = canvas._doc
    pieces = [font.splitString(char, doc) for char in shaped.chars]
    if len({subset for piece in pieces for subset, _ in piece}) != 1:
        _shaped_out(canvas, text, run)  # glyphs from two subsets: drawn as usual
        return
    subset = pieces[0][0][0]
    n = len(pieces)
    parts: list[str] = []  # the text object starts at the last glyph (Painter.text)
    for i in range(n - 1, -1, -1):
        parts.append(f"({canvas._escape(pieces[i][0][1])})")
        if i:
            parts.append(fp_str(shaped.nominal[i] + shaped.advances[i - 1]))
    name = font.getSubsetInternalName(subset, doc)
    text._code.append(f"{name} {fp_str(run.size)} Tf [{' '.join(parts)}] TJ")
    text._curSubset = subset


def _kerned(
    canvas: Canvas,
    text: PDFTextObject,
    run: Run,
    chars: str,
    advances: tuple[int, ...],
    nominal: tuple[int, ...],
) -> None:
    text._code += _tj(canvas, run, chars, advances, nominal)
    text._curSubset = -1  # each subset's operators set their font themselves


def _tj(
    canvas: Canvas, run: Run, chars: str, advances: tuple[int, ...], nominal: tuple[int, ...]
) -> list[str]:
    """One `Tf [...] TJ` per font subset: the glyphs, and between them the differences
    between the font's widths and the shaped advances (kerning: a few glyphs a line)."""
    font = pdfmetrics.getFont(run.font)
    doc = canvas._doc
    escape = canvas._escape
    size = fp_str(run.size)
    kerns = [(i, d) for i, d in enumerate(map(operator.sub, nominal, advances)) if d]
    code = []
    at = k = 0
    for subset, codes in _split(font, chars, doc):
        end = at + len(codes)
        parts: list[str] = []
        start = 0
        while k < len(kerns) and kerns[k][0] < end:
            i = kerns[k][0] - at + 1
            parts += (f"({escape(codes[start:i])})", str(kerns[k][1]))  # an int
            start = i
            k += 1
        if start < len(codes):
            parts.append(f"({escape(codes[start:])})")
        code.append(f"{font.getSubsetInternalName(subset, doc)} {size} Tf [{' '.join(parts)}] TJ")
        at = end
    return code
