"""The PDF structure tree, added to the file ReportLab wrote.

In: the PDF bytes, whose content is already marked (every piece inside
`/Role <</MCID n>> BDC … EMC` or `/Artifact BMC … EMC`, see tags.py), and what
the tagger recorded while drawing (`Recorded`): which element each MCID of each
page belongs to, every element's kids in reading order, which element each
link annotation belongs to. Out: the same file with the StructTreeRoot, its
ParentTree, MarkInfo, the XMP packet, /StructParents and /Tabs /S on every page,
saved with its dictionaries packed into compressed object streams.

Written with pikepdf (qpdf) rather than ReportLab's object model: ReportLab
can write neither page keys it does not know nor object streams, and without
object streams the few hundred small dictionaries of the tree make the file
half as large again. The save is deterministic: objects are numbered in
element order and the file ID is derived from the content.
"""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from factsheet.layout.frames import Element
from factsheet.render.xmp import xmp_packet


@dataclass(frozen=True)
class Marked:
    """A marked-content sequence: MCID `mcid` on page `page` (0-based)."""

    page: int
    mcid: int


@dataclass(frozen=True)
class Annotation:
    """A link annotation, found by its /StructParent key; its Link element refers to it."""

    page: int
    key: int


Kid = int | Marked | Annotation  # an int is a child element's id
Box = tuple[float, float, float, float]  # x0, y0, x1, y1 in PDF points


@dataclass
class Recorded:
    """Everything the tagger learnt while drawing."""

    elements: tuple[Element, ...]
    pages: int
    mcids: list[list[int]]  # per page: MCID → element id
    kids: dict[int, list[Kid]] = field(default_factory=lambda: defaultdict(list))
    roots: list[int] = field(default_factory=list)
    annotations: list[int] = field(default_factory=list)  # element of annotation key pages + i
    boxes: dict[int, Box] = field(default_factory=dict)  # where a figure's picture was drawn

    def annotation_key(self) -> int:
        """The /StructParent key of the next annotation (page keys come first)."""
        return self.pages + len(self.annotations)


def write_structure(pdf: bytes, rec: Recorded, meta: dict[str, str]) -> bytes:
    """`pdf` with its structure tree, MarkInfo and XMP metadata, packed."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        _Writer(document, rec).write()
        title = str(document.docinfo.get("/Title", meta["title"]))  # may carry a draft note
        metadata = pikepdf.Stream(document, xmp_packet({**meta, "title": title}))
        metadata.Type, metadata.Subtype = Name.Metadata, Name.XML
        document.Root.Metadata = document.make_indirect(metadata)
        document.Root.MarkInfo = Dictionary(Marked=True)
        out = io.BytesIO()
        # qpdf leaves the XMP stream uncompressed, as tools that scan for it expect.
        # The packet is xmp.py's, complete: pikepdf need not parse it again to
        # check a PDF version it does not hold (fix_metadata_version).
        document.save(
            out,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            deterministic_id=True,
            fix_metadata_version=False,
        )
    return out.getvalue()


class _Writer:
    """Builds the tree's objects in one pikepdf document."""

    def __init__(self, document: pikepdf.Pdf, rec: Recorded) -> None:
        self.document = document
        self.rec = rec
        self.pages = [page.obj for page in document.pages]
        self.annots = {
            int(annot.StructParent): annot
            for page in self.pages
            for annot in page.get("/Annots", [])
            if "/StructParent" in annot
        }

    def write(self) -> None:
        rec = self.rec
        root = self.document.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        placed = set(rec.roots) | {k for ks in rec.kids.values() for k in ks if isinstance(k, int)}
        refs = {elem: self.document.make_indirect(Dictionary()) for elem in sorted(placed)}
        for elem, obj in refs.items():
            parent = rec.elements[elem].parent
            self._fill(obj, rec.elements[elem], root if parent is None else refs[parent], refs)
        root.K = Array([refs[e] for e in rec.roots])
        root.ParentTree = self.document.make_indirect(self._parent_tree(refs))
        ids = sorted(
            (
                (rec.elements[e].attrs["ID"], obj)
                for e, obj in refs.items()
                if rec.elements[e].attrs.get("ID")
            ),
            key=lambda pair: pair[0],
        )
        if ids:  # Table /Headers name cells by ID; the IDTree finds them
            root.IDTree = Dictionary(Names=Array([v for i, o in ids for v in (String(i), o)]))
        root.ParentTreeNextKey = rec.annotation_key()
        self.document.Root.StructTreeRoot = root
        for index, page in enumerate(self.pages):
            page.StructParents = index
            page.Tabs = Name.S  # tab through links in structure order

    def _fill(
        self, obj: Dictionary, element: Element, parent: Any, refs: dict[int, Dictionary]
    ) -> None:
        obj.Type = Name.StructElem
        obj.S = Name("/" + element.role)
        obj.P = parent
        kids = self.rec.kids.get(element.id, [])
        home = next((k.page for k in kids if isinstance(k, Marked | Annotation)), None)
        if home is not None:
            obj.Pg = self.pages[home]  # the page its integer MCIDs refer to
        obj.K = Array([self._kid(k, home, refs) for k in kids])
        for key, value in _attributes(element, self.rec.boxes.get(element.id)).items():
            obj[key] = value

    def _kid(self, kid: Kid, home: int | None, refs: dict[int, Dictionary]) -> Any:
        if isinstance(kid, int):
            return refs[kid]
        page = self.pages[kid.page]
        if isinstance(kid, Annotation):
            return Dictionary(Type=Name.OBJR, Obj=self.annots[kid.key], Pg=page)
        if kid.page == home:
            return kid.mcid
        return Dictionary(Type=Name.MCR, Pg=page, MCID=kid.mcid)

    def _parent_tree(self, refs: dict[int, Dictionary]) -> Dictionary:
        """Number tree: page key → its MCIDs' elements; annotation key → its Link element."""
        nums: list[Any] = []
        for page, mcids in enumerate(self.rec.mcids):
            nums += [page, Array([refs[elem] for elem in mcids])]
        for index, elem in enumerate(self.rec.annotations):
            nums += [self.rec.pages + index, refs[elem]]
        return Dictionary(Nums=Array(nums))


def _attributes(element: Element, drawn: Box | None = None) -> dict[str, Any]:
    """The element's attributes in PDF form: /Lang, /Alt, /ActualText and /ID directly;
    table attributes (/O /Table) and the bounding box (/O /Layout) in /A.

    PDF 1.7 14.8.5.4.3 asks for /BBox on a Table or Figure: the layout gives a
    table's; a figure's is where its picture was drawn (`drawn`)."""
    attrs = element.attrs
    out: dict[str, Any] = {}
    for key in ("Lang", "Alt", "ActualText", "ID"):
        if attrs.get(key):
            out[f"/{key}"] = String(attrs[key])
    table: dict[str, Any] = {}
    if attrs.get("Summary"):
        table["/Summary"] = String(attrs["Summary"])
    if attrs.get("Scope"):
        table["/Scope"] = Name("/" + attrs["Scope"])
    if attrs.get("ColSpan", "1") != "1":
        table["/ColSpan"] = int(attrs["ColSpan"])
    if attrs.get("Headers"):
        table["/Headers"] = Array([String(h) for h in attrs["Headers"].split()])
    owners = []
    if table:
        owners.append(Dictionary({"/O": Name.Table, **table}))
    box = [float(v) for v in attrs["BBox"].split()] if attrs.get("BBox") else drawn
    if box and element.role in ("Table", "Figure"):
        bbox = Array([round(v, 2) for v in box])
        owners.append(Dictionary({"/O": Name.Layout, "/BBox": bbox}))
    if owners:
        out["/A"] = owners[0] if len(owners) == 1 else Array(owners)
    return out
