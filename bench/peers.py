"""The peers `make bench` measures factsheet against, on the same sheet's own words.

A converter turns the checked sheet (the words of its YAML, as `load_edition`
reads them) into each peer's input: Typst markup for Typst with PDF/UA-1, and a
hand-written ReportLab platypus story (untagged: platypus cannot tag). Both set
the text in the same Noto Sans files from fonts/ and follow the letter layout's
geometry and colours: a brand band, a main column beside a tinted sidebar,
a callout box, a table and the footer. Conversion happens once, outside the
timings; what is timed is each peer turning its input into PDF bytes.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from factsheet.content import model as m

ROOT = Path(__file__).resolve().parents[1]
NOTO = ROOT / "fonts" / "noto-sans"
BRAND, TINT, CALLOUT, TEXT = "#A3195B", "#F8ECF2", "#EFD5E2", "#1F1F1F"
PAGE_W, PAGE_H, MARGIN, SIDEBAR, GUTTER, BAND = 612, 792, 36, 178, 16, 66
BODY = 9.0  # points: both peers fit the English sheet on two pages at this size


# --- Typst --------------------------------------------------------------------------


def _string(text: str) -> str:
    """A Typst string literal (JSON's escapes for quote and backslash are Typst's too)."""
    return json.dumps(text, ensure_ascii=False)


def _typst_inline(inline: m.Inline) -> str:
    parts = []
    for span in inline:
        piece = _string(span.text)
        if span.bold:
            piece = f"strong({piece})"
        if span.italic:
            piece = f"emph({piece})"
        if span.href:
            piece = f"link({_string(span.href)}, {piece})"
        parts.append(f"#{piece}")
    return "".join(parts) or '#""'


def _typst_block(block: m.Block) -> Iterator[str]:
    t = _typst_inline
    if isinstance(block, m.Heading):
        yield f"#heading(level: {block.level})[{t(block.text)}]"
    elif isinstance(block, m.Paragraph | m.Footer):
        yield f"#par[{t(block.text)}]"
    elif isinstance(block, m.Disclaimer):
        yield f"#par[#text(size: 0.85em)[{t(block.text)}]]"
    elif isinstance(block, m.Notice):
        yield f'#par[#text(lang: {_string(block.lang)}, weight: "bold")[{t(block.text)}]]'
    elif isinstance(block, m.BulletList):
        yield "#list(" + ", ".join(f"[{t(item)}]" for item in block.items) + ")"
    elif isinstance(block, m.Callout):
        inner = "\n".join(line for b in block.blocks for line in _typst_block(b))
        box = f'#block(fill: rgb("{CALLOUT}"), inset: 8pt, width: 100%)'
        yield f"{box}[#strong[{t(block.title)}]\n\n{inner}]"
    elif isinstance(block, m.Table):
        yield _typst_table(block)
    elif isinstance(block, m.ResourceList):
        yield f"#heading(level: 3)[{t(block.title)}]"
        for item in block.items:
            links = " ".join(f"#link({_string(k.href)}, {_string(k.text)})" for k in item.links)
            about = t(item.description) if item.description else ""
            yield f"#par[#strong[{t(item.name)}] {about} {links}]"
    elif isinstance(block, m.RelatedList):
        yield f"#heading(level: 3)[{t(block.title)}]"
        yield "#list(" + ", ".join(f"[{t(item.title)}]" for item in block.items) + ")"


def _typst_table(table: m.Table) -> str:
    t = _typst_inline
    columns = len(table.header.cells) + 1
    head = ["table.cell(rowspan: 2)[" + t(table.header.label) + "]"]
    head += [f"table.cell(colspan: {g.span})[{t(g.label)}]" for g in table.groups]
    head += [f"[{t(cell)}]" for cell in table.header.cells]
    body = [f"[{t(row.label)}], " + ", ".join(f"[{t(c)}]" for c in row.cells) for row in table.rows]
    return (
        f"#figure(alt: {_string(m.plain(table.caption))}, table(columns: {columns}, inset: 4pt, "
        f'stroke: 0.6pt + rgb("#C99BB2"), table.header({", ".join(head)}), '
        + ", ".join(body)
        + "))"
    )


def typst_source(sheet: m.Sheet) -> str:
    """The sheet as one Typst document, two pages of band, main column and sidebar."""
    lines = [
        f"#set document(title: {_string(sheet.title)}, author: {_string(sheet.publisher.name)})",
        f'#set text(font: "Noto Sans", size: {BODY}pt, lang: {_string(sheet.language)}, '
        f'fill: rgb("{TEXT}"))',
        f"#set page(width: {PAGE_W}pt, height: {PAGE_H}pt, margin: 28pt)",
        "#set par(leading: 0.5em, spacing: 0.8em)",
        f'#show heading: set text(fill: rgb("{BRAND}"), size: 1.3em)',
        "#show heading.where(level: 1): it => "
        + "block(above: 4pt, below: 0pt, text(fill: white, size: 25pt, it.body))",
    ]
    for number, page in enumerate(sheet.pages):
        if number:
            lines.append("#pagebreak()")
        lines.append(
            f'#block(fill: rgb("{BRAND}"), inset: 14pt, width: 100%)['
            f'#text(fill: white, weight: "bold", size: 12pt)[#{_string(sheet.series)}]'
            + (f"\n#heading(level: 1)[#{_string(sheet.title)}]" if number == 0 else "")
            + "]"
        )
        main = "\n\n".join(line for b in page.main for line in _typst_block(b))
        side = "\n\n".join(line for b in page.sidebar for line in _typst_block(b))
        lines.append(
            f"#grid(columns: (1fr, {SIDEBAR}pt), column-gutter: {GUTTER}pt, [{main}], "
            f'block(fill: rgb("{TINT}"), inset: 10pt, width: 100%)[{side}])'
        )
        lines.append(f'#line(length: 100%, stroke: 1.2pt + rgb("{BRAND}"))')
        lines += [line for b in page.footer for line in _typst_block(b)]
    return "\n".join(lines) + "\n"


def typst_engine(sheet: m.Sheet) -> tuple[Callable[[], bytes], bytes]:
    """A call compiling the sheet's Typst markup to a PDF/UA-1 file, and that markup."""
    import typst

    source = typst_source(sheet).encode("utf-8")

    def compile_ua() -> bytes:
        pdf = typst.compile(
            source,
            format="pdf",
            font_paths=[str(NOTO)],
            ignore_system_fonts=True,
            pdf_standards=["ua-1"],
        )
        assert isinstance(pdf, bytes)
        return pdf

    return compile_ua, source


# --- ReportLab platypus -------------------------------------------------------------


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markup(inline: m.Inline) -> str:
    """Spans as platypus paragraph markup (bold and italic come from the font family)."""
    parts = []
    for span in inline:
        piece = _xml(span.text)
        if span.bold:
            piece = f"<b>{piece}</b>"
        if span.italic:
            piece = f"<i>{piece}</i>"
        if span.href:
            piece = f'<a href="{_xml(span.href)}" color="{BRAND}">{piece}</a>'
        parts.append(piece)
    return "".join(parts)


def _register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "BenchNoto" in pdfmetrics.getRegisteredFontNames():
        return
    faces = {
        "BenchNoto": ("NotoSans-Regular.ttf", 0, 0),
        "BenchNoto-Bold": ("NotoSans-Bold.ttf", 1, 0),
        "BenchNoto-Italic": ("NotoSans-Italic.ttf", 0, 1),
        "BenchNoto-BoldItalic": ("NotoSans-BoldItalic.ttf", 1, 1),
    }
    for name, (file, bold, italic) in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(NOTO / file)))
        addMapping("BenchNoto", bold, italic, name)


class _Story:
    """The platypus flowables for one sheet: what a developer would write by hand."""

    def __init__(self) -> None:
        from reportlab.lib import colors
        from reportlab.lib.styles import ParagraphStyle

        self.colors = colors
        base = ParagraphStyle("body", fontName="BenchNoto", fontSize=BODY, leading=BODY * 1.3)
        self.body = base
        self.small = ParagraphStyle("small", base, fontSize=BODY * 0.85, leading=BODY * 1.1)
        self.heading = ParagraphStyle(
            "h2",
            base,
            fontName="BenchNoto-Bold",
            fontSize=BODY * 1.3,
            leading=BODY * 1.6,
            textColor=colors.HexColor(BRAND),
            spaceBefore=4,
        )

    def blocks(self, blocks: tuple[m.Block, ...]) -> list[Any]:
        return [flowable for block in blocks for flowable in self.block(block)]

    def block(self, block: m.Block) -> Iterator[Any]:
        from reportlab.platypus import ListFlowable, ListItem, Paragraph, Spacer, Table

        p = Paragraph
        if isinstance(block, m.Heading):
            yield p(_markup(block.text), self.heading)
        elif isinstance(block, m.Paragraph | m.Footer | m.Notice):
            yield p(_markup(block.text), self.body)
            yield Spacer(1, 4)
        elif isinstance(block, m.Disclaimer):
            yield p(_markup(block.text), self.small)
        elif isinstance(block, m.BulletList):
            items = [ListItem(p(_markup(item), self.body)) for item in block.items]
            yield ListFlowable(items, bulletType="bullet", leftIndent=10, bulletFontSize=6)
        elif isinstance(block, m.Callout):
            inner = [p(f"<b>{_markup(block.title)}</b>", self.body), *self.blocks(block.blocks)]
            box = Table([[inner]], colWidths=["100%"])
            box.setStyle([("BACKGROUND", (0, 0), (-1, -1), self.colors.HexColor(CALLOUT))])
            yield box
        elif isinstance(block, m.Table):
            yield self.table(block)
        elif isinstance(block, m.ResourceList | m.RelatedList):
            yield p(_markup(block.title), self.heading)
            for item in block.items:
                yield p(self.item(item), self.body)

    def item(self, item: m.Resource | m.RelatedSheet) -> str:
        if isinstance(item, m.RelatedSheet):
            return _markup(item.title)
        links = " ".join(f'<a href="{_xml(k.href)}">{_xml(k.text)}</a>' for k in item.links)
        about = _markup(item.description) if item.description else ""
        return f"<b>{_markup(item.name)}</b> {about} {links}"

    def table(self, table: m.Table) -> Any:
        from reportlab.platypus import Paragraph, Table

        def cell(inline: m.Inline) -> Any:
            return Paragraph(_markup(inline), self.small)

        groups: list[Any] = [cell(table.header.label)]
        spans = []
        column = 1
        for group in table.groups:
            groups += [cell(group.label)] + [""] * (group.span - 1)
            spans.append(("SPAN", (column, 0), (column + group.span - 1, 0)))
            column += group.span
        rows = [groups, ["", *map(cell, table.header.cells)]]
        rows += [[cell(row.label), *map(cell, row.cells)] for row in table.rows]
        grid = Table(rows, repeatRows=2)
        grid.setStyle(
            [
                ("SPAN", (0, 0), (0, 1)),
                *spans,
                ("GRID", (0, 0), (-1, -1), 0.6, self.colors.HexColor("#C99BB2")),
                ("BACKGROUND", (1, 0), (-1, 0), self.colors.HexColor(BRAND)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
        return grid


def platypus_engine(sheet: m.Sheet) -> Callable[[], bytes]:
    """A call building the sheet with platypus (two frames a page, band drawn per page)."""
    from reportlab.lib import colors
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, PageTemplate

    _register_fonts()
    top = PAGE_H - 28 - BAND - 14
    main_w = PAGE_W - 2 * MARGIN - SIDEBAR - GUTTER

    def band(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFillColor(colors.HexColor(BRAND))
        canvas.rect(MARGIN, PAGE_H - 28 - BAND, PAGE_W - 2 * MARGIN, BAND, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont("BenchNoto-Bold", 12)
        canvas.drawString(MARGIN + 16, PAGE_H - 28 - 26, sheet.series)
        canvas.setFont("BenchNoto-Bold", 25)
        canvas.drawString(MARGIN + 16, PAGE_H - 28 - 56, sheet.title)
        canvas.setFillColor(colors.HexColor(TINT))
        canvas.rect(PAGE_W - MARGIN - SIDEBAR, 28, SIDEBAR, top - 28, stroke=0, fill=1)
        canvas.restoreState()

    frames = [
        Frame(MARGIN, 28, main_w, top - 28, id="main", showBoundary=0),
        Frame(PAGE_W - MARGIN - SIDEBAR, 28, SIDEBAR, top - 28, id="side", leftPadding=10),
    ]

    def build() -> bytes:
        story = _Story()
        flowables: list[Any] = []
        for page in sheet.pages:
            flowables += story.blocks(page.main) + story.blocks(page.footer)
            flowables += [FrameBreak(), *story.blocks(page.sidebar), FrameBreak()]
        out = io.BytesIO()
        doc = BaseDocTemplate(
            out,
            pagesize=(PAGE_W, PAGE_H),
            title=sheet.title,
            author=sheet.publisher.name,
            lang=sheet.language,
            invariant=1,
        )
        doc.addPageTemplates([PageTemplate(id="sheet", frames=frames, onPage=band)])
        doc.build(flowables)
        return out.getvalue()

    return build


def page_count(pdf: bytes) -> int:
    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
