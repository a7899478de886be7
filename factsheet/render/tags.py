"""Tagged PDF (PDF/UA-1), recorded as the renderer draws.

The layout stage has already decided what everything means: the structure tree
(`Document.elements`) and, on every text run, image and link area, the element
it belongs to (None for page furniture). The tagger writes that down; it never
guesses structure from positions:

- while drawing, each piece of content is wrapped in a marked-content sequence:
  `/P <</MCID 7>> BDC … EMC` for a piece of an element, a typed artifact
  `/Artifact <</Type /Layout>> BDC … EMC` for decoration (band, tints, rules,
  the ribbon) and `/Artifact <</Type /Pagination /Subtype /Header>> BDC` for
  the text of the band repeated on page 2 and the wordmark;
- each link annotation gets a /StructParent key, a /Contents description and
  the Print flag (/F 4);
- after the last page, `structure.mark_pages` gives each page its /StructParents
  and /Tabs; once ReportLab has written the file, `structure.write_structure` adds
  the StructTreeRoot and its ParentTree, MarkInfo and the XMP packet, and packs it
  into an object stream.

Kids are recorded in drawing order, which the layout keeps equal to reading
order (header band, main column, sidebar, footer), so an element's /K interleaves
its own text and its children (a paragraph, then its link, then the rest).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

from reportlab.pdfgen.canvas import Canvas

from factsheet.layout.frames import Document, LinkArea, TextLine
from factsheet.render.structure import (
    Annotation,
    Kid,
    Marked,
    Recorded,
    mark_pages,
    write_structure,
)

# Cells keep their place in a row even when empty (the blank corner of a
# table), or the columns of screen-reader table navigation would shift.
KEEP_EMPTY = frozenset({"TD", "TH"})
# Artifacts say what kind of furniture they are (PDF 32000-1 14.8.2.2.2), so
# assistive technology can skip or announce them knowingly: rules, fills and the
# ribbon are layout; text that is not content (the band repeated on page 2,
# the wordmark) is the page's running header, or its footer in the lower half.
LAYOUT = "<</Type /Layout>>"
HEADER = "<</Type /Pagination /Subtype /Header>>"
FOOTER = "<</Type /Pagination /Subtype /Footer>>"


class Tagger:
    """Receives the renderer's drawing events and records the structure they fill."""

    def __init__(self, canvas: Canvas, doc: Document) -> None:
        self.canvas = canvas
        self.doc = doc
        self.page = 0
        self.rec = Recorded(
            elements=doc.elements, pages=len(doc.pages), mcids=[[] for _ in doc.pages]
        )
        self.attached: set[int] = set()
        self.link_text = _link_texts(doc)

    # -- while drawing --------------------------------------------------------

    @contextmanager
    def content(self, elem: int | None, y: float = 0.0) -> Iterator[None]:
        """Wrap what is drawn inside in a marked-content sequence of element `elem`;
        without one it is furniture (the repeated band, the wordmark), a header or
        footer by where it sits (`y`)."""
        self.canvas.addLiteral(self.begin(elem, y))
        yield
        self.canvas.addLiteral("EMC")

    def begin(self, elem: int | None, y: float) -> str:
        """The operator opening what `content(elem, y)` wraps, for a caller that writes
        its own operators and closes the sequence itself ("EMC"): a run of text."""
        if elem is None:
            upper = y > self.doc.pages[self.page].height / 2
            return f"/Artifact {HEADER if upper else FOOTER} BDC"
        mcids = self.rec.mcids[self.page]
        mcid = len(mcids)
        mcids.append(elem)
        self._attach(elem)
        self.rec.kids[elem].append(Marked(self.page, mcid))
        return f"/{self.doc.elements[elem].role} <</MCID {mcid}>> BDC"

    @contextmanager
    def actual_text(self, text: str | None) -> Iterator[None]:
        """Say what the glyphs drawn inside stand for (ISO 32000-1 14.9.4), when it is
        not what their codes map to: "" for the hyphen at a soft break, the logical
        characters of a ligature or of right-to-left or reordered glyphs."""
        if text is None:
            yield
            return
        self.canvas.addLiteral(f"/Span <</ActualText {_utf16(text)}>> BDC")
        yield
        self.canvas.addLiteral("EMC")

    @contextmanager
    def reversed_chars(self, reverse: bool) -> Iterator[None]:
        """Glyphs drawn in visual order, right to left text: `/ReversedChars` (ISO 32000-1
        14.8.2.3.3) says their codes read backwards. Text extractors (PDFium, pypdf) find
        the logical order themselves from such glyphs; an ActualText would be reversed."""
        if not reverse:
            yield
            return
        self.canvas.addLiteral("/ReversedChars BMC")
        yield
        self.canvas.addLiteral("EMC")

    @contextmanager
    def artifact(self, kind: str = LAYOUT) -> Iterator[None]:
        self.canvas.addLiteral(f"/Artifact {kind} BDC")
        yield
        self.canvas.addLiteral("EMC")

    def link(self, area: LinkArea) -> tuple[str, int | None]:
        """The description (/Contents) and /StructParent key of the link annotation
        about to be made for `area` (the canvas's next annotation, which ReportLab
        names by its count); records it."""
        text = self.link_text.get(area.elem, "") if area.elem is not None else ""
        described = f"{text} ({area.href})" if text and text != area.href else area.href
        if area.elem is None:
            return described, None
        key = self.rec.annotation_key()
        self.rec.annotations.append(area.elem)
        self._attach(area.elem)
        self.rec.kids[area.elem].append(Annotation(self.page, key))
        self.rec.annots[key] = f"Annot.NUMBER{self.canvas._annotationCount + 1}"
        return described, key

    def end_page(self) -> None:
        """Called before each page is closed."""
        self.page += 1

    def finish(self) -> None:
        """Called after the last page, before the file is written."""
        self._keep_empty_cells()
        mark_pages(self.canvas._doc)

    def postprocess(self, pdf: bytes) -> bytes:
        """The file ReportLab wrote, with the structure tree added, packed."""
        doc = self.canvas._doc
        meta = {**self.doc.metadata, "title": doc.info.title}  # which may carry a draft note
        return write_structure(pdf, self.rec, meta, doc.idToObjectNumberAndVersion)

    # -- the tree -------------------------------------------------------------

    def _attach(self, elem: int) -> None:
        """Hang `elem` (and any ancestor not yet hung) under its parent, in reading order."""
        if elem in self.attached:
            return
        self.attached.add(elem)
        parent = self.doc.elements[elem].parent
        if parent is None:
            self.rec.roots.append(elem)
        else:
            self._attach(parent)
            self.rec.kids[parent].append(elem)

    def _keep_empty_cells(self) -> None:
        """Elements that got no content are left out, except table cells (see KEEP_EMPTY)."""
        for element in self.doc.elements:
            parent = element.parent
            if element.id in self.attached or element.role not in KEEP_EMPTY:
                continue
            if parent is None or parent not in self.attached:
                continue
            siblings = self.rec.kids[parent]
            # after the last earlier sibling: element ids follow reading order
            at = max((i + 1 for i, k in enumerate(siblings) if _before(k, element.id)), default=0)
            siblings.insert(at, element.id)
            self.attached.add(element.id)


def _utf16(text: str) -> str:
    """A PDF text string in UTF-16BE with its byte-order mark, as a hex string."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _before(kid: Kid, elem: int) -> bool:
    return isinstance(kid, int) and kid < elem


def _link_texts(doc: Document) -> dict[int, str]:
    """The visible text of every link element (a link may wrap onto two lines)."""
    parts: dict[int, list[str]] = defaultdict(list)
    links = {e.id for e in doc.elements if e.role == "Link"}
    for page in doc.pages:
        for item in page.items:
            if isinstance(item, TextLine):
                for run in item.runs:
                    if run.elem is not None and run.elem in links:
                        parts[run.elem].append(run.text.strip())
    return {elem: " ".join(p for p in texts if p) for elem, texts in parts.items()}
