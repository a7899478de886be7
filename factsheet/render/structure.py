"""The PDF structure tree, added to the document ReportLab is about to write, and the
file packed into object streams.

In: ReportLab's document after drawing, whose content is already marked (every
piece inside `/Role <</MCID n>> BDC … EMC` or `/Artifact BMC … EMC`, see
tags.py), and what the tagger recorded while drawing (`Recorded`): which element
each MCID of each page belongs to, every element's kids in reading order, which
element each link annotation belongs to. `mark_pages` gives every page of that
document its /StructParents and /Tabs /S before ReportLab writes it;
`write_structure` then adds the StructTreeRoot, its ParentTree and IDTree,
MarkInfo and the XMP packet to the objects read off ReportLab's file, numbered
after them, each written as PDF syntax (one string per element, not a Python
object per key).

`pack` then writes those objects out as one file, its dictionaries in one
compressed object stream and a cross-reference stream (PDF 1.5): ReportLab
cannot write object streams, and without them the few hundred small
dictionaries of the tree make the file half as large again. Every object is
taken from ReportLab's own cross-reference table, so nothing is parsed; before,
pikepdf (qpdf) opened, rebuilt and saved the whole file, a third of the render.
The file ID is the MD5 of the packed objects: it depends only on the content.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass, field

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc

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
    annots: dict[int, str] = field(default_factory=dict)  # annotation key → ReportLab's name

    def annotation_key(self) -> int:
        """The /StructParent key of the next annotation (page keys come first)."""
        return self.pages + len(self.annotations)


def mark_pages(doc: pdfdoc.PDFDocument) -> None:
    """Give every page of `doc` its /StructParents key (its index, the ParentTree's key
    for its MCIDs) and /Tabs /S (tab through links in structure order)."""
    for index, page in enumerate(doc.Pages.pages):
        # ReportLab writes the optional page keys its list names: this page's list adds two.
        page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
        page.StructParents = index
        page.Tabs = pdfdoc.PDFName("S")


def write_structure(
    pdf: bytes, rec: Recorded, meta: dict[str, str], numbers: dict[str, tuple[int, int]]
) -> bytes:
    """ReportLab's file `pdf` with the structure tree, MarkInfo and XMP metadata, packed.
    `numbers` are ReportLab's object numbers by its names for them (Page1, Annot.NUMBER1)."""
    objects, trailer = _objects(pdf)
    first = len(objects) + 1  # the tree's objects come after ReportLab's
    tree = _Tree(rec, numbers, first).objects()
    metadata = first + len(tree)
    packet = xmp_packet(meta)  # uncompressed, as tools that scan a file for XMP expect
    tree.append(
        b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n%s\nendstream\n"
        % (len(packet), packet)
    )
    root = int(trailer[b"Root"])
    catalog = objects[root - 1][1]
    end = catalog.rindex(b">>")
    keys = b"/StructTreeRoot %d 0 R /MarkInfo << /Marked true >> /Metadata %d 0 R\n" % (
        first,
        metadata,
    )
    objects[root - 1] = (root, catalog[:end] + keys + catalog[end:])
    objects += enumerate(tree, first)
    return pack(objects, trailer)


class _Tree:
    """The tree's objects, each one string of PDF syntax: the StructTreeRoot is object
    `first`, its ParentTree the next, then one StructElem per placed element."""

    def __init__(self, rec: Recorded, numbers: dict[str, tuple[int, int]], first: int) -> None:
        self.rec = rec
        self.pages = [f"{numbers[f'Page{i + 1}'][0]} 0 R" for i in range(rec.pages)]
        self.annots = {key: f"{numbers[name][0]} 0 R" for key, name in rec.annots.items()}
        self.first = first

    def objects(self) -> list[bytes]:
        rec = self.rec
        root = f"{self.first} 0 R"
        placed = set(rec.roots) | {k for ks in rec.kids.values() for k in ks if isinstance(k, int)}
        refs = {elem: f"{self.first + 2 + i} 0 R" for i, elem in enumerate(sorted(placed))}
        keys = [
            f"<< /Type /StructTreeRoot /K [{' '.join(refs[e] for e in rec.roots)}]",
            f"/ParentTree {self.first + 1} 0 R /ParentTreeNextKey {rec.annotation_key()}",
        ]
        ids = sorted(
            (rec.elements[e].attrs["ID"], ref)
            for e, ref in refs.items()
            if rec.elements[e].attrs.get("ID")
        )
        if ids:  # Table /Headers name cells by ID; the IDTree finds them
            names = " ".join(f"{pdf_string(i)} {r}" for i, r in ids)
            keys.append(f"/IDTree << /Names [{names}] >>")
        out = [" ".join([*keys, ">>"]).encode(), self._parent_tree(refs).encode()]
        for elem in refs:
            element = rec.elements[elem]
            parent = root if element.parent is None else refs[element.parent]
            out.append(self._element(element, parent, refs))
        return out

    def _element(self, element: Element, parent: str, refs: dict[int, str]) -> bytes:
        kids = self.rec.kids.get(element.id, [])
        home = next((k.page for k in kids if isinstance(k, Marked | Annotation)), None)
        keys = [f"<< /Type /StructElem /S /{element.role} /P {parent}"]
        if home is not None:
            keys.append(f"/Pg {self.pages[home]}")  # the page its integer MCIDs refer to
        keys.append(f"/K [{' '.join(self._kid(k, home, refs) for k in kids)}]")
        keys += _attributes(element, self.rec.boxes.get(element.id))
        keys.append(">>")
        return " ".join(keys).encode()

    def _kid(self, kid: Kid, home: int | None, refs: dict[int, str]) -> str:
        if isinstance(kid, int):
            return refs[kid]
        page = self.pages[kid.page]
        if isinstance(kid, Annotation):
            return f"<< /Type /OBJR /Obj {self.annots[kid.key]} /Pg {page} >>"
        if kid.page == home:
            return str(kid.mcid)
        return f"<< /Type /MCR /Pg {page} /MCID {kid.mcid} >>"

    def _parent_tree(self, refs: dict[int, str]) -> str:
        """Number tree: page key → its MCIDs' elements; annotation key → its Link element."""
        nums: list[str] = []
        for page, mcids in enumerate(self.rec.mcids):
            nums.append(f"{page} [{' '.join(refs[elem] for elem in mcids)}]")
        for index, elem in enumerate(self.rec.annotations):
            nums.append(f"{self.rec.pages + index} {refs[elem]}")
        return f"<< /Nums [{' '.join(nums)}] >>"


def _attributes(element: Element, drawn: Box | None = None) -> list[str]:
    """The element's attributes as dictionary entries: /Lang, /Alt, /ActualText and /ID
    directly; table attributes (/O /Table) and the bounding box (/O /Layout) in /A.

    PDF 1.7 14.8.5.4.3 asks for /BBox on a Table or Figure: the layout gives a
    table's; a figure's is where its picture was drawn (`drawn`)."""
    attrs = element.attrs
    out = [
        f"/{key} {pdf_string(attrs[key])}"
        for key in ("Lang", "Alt", "ActualText", "ID")
        if attrs.get(key)
    ]
    table: list[str] = []
    if attrs.get("Summary"):
        table.append(f"/Summary {pdf_string(attrs['Summary'])}")
    if attrs.get("Scope"):
        table.append(f"/Scope /{attrs['Scope']}")
    if attrs.get("ColSpan", "1") != "1":
        table.append(f"/ColSpan {int(attrs['ColSpan'])}")
    if attrs.get("Headers"):
        table.append(f"/Headers [{' '.join(pdf_string(h) for h in attrs['Headers'].split())}]")
    owners = []
    if table:
        owners.append(f"<< /O /Table {' '.join(table)} >>")
    box = [float(v) for v in attrs["BBox"].split()] if attrs.get("BBox") else drawn
    if box and element.role in ("Table", "Figure"):
        owners.append(f"<< /O /Layout /BBox [{fp_str(*(round(v, 2) for v in box))}] >>")
    if owners:
        out.append(f"/A {owners[0]}" if len(owners) == 1 else f"/A [{' '.join(owners)}]")
    return out


def pdf_string(text: str) -> str:
    """A PDF text string: literal when printable ASCII, else UTF-16BE with its byte-order mark."""
    if text.isascii() and text.isprintable():
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        return f"({escaped})"
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


# -- packing -------------------------------------------------------------------

_HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"  # a binary comment: the file is binary
_TRAILER = re.compile(rb"/(Root|Info) (\d+) 0 R")


def pack(objects: list[tuple[int, bytes]], trailer: dict[bytes, bytes]) -> bytes:
    """The file of `objects` (number from 1, what is between `obj` and `endobj`), every
    one that is not a stream in one compressed object stream, with a cross-reference
    stream (PDF 32000-1 7.5.7, 7.5.8) carrying `trailer`'s /Root and /Info."""
    out = [_HEADER]
    size = len(_HEADER)
    rows: dict[int, tuple[int, int, int]] = {}  # number → (type, field 2, field 3)
    packed: list[tuple[int, bytes]] = []
    for number, body in objects:
        if body.endswith(b"endstream\n"):  # streams stay as they are
            rows[number] = (1, size, 0)
            out.append(b"%d 0 obj\n%sendobj\n" % (number, body))
            size += len(out[-1])
        else:
            rows[number] = (2, len(objects) + 1, len(packed))
            packed.append((number, body.strip()))
    rows[len(objects) + 1] = (1, size, 0)
    out.append(_object_stream(len(objects) + 1, packed))
    size += len(out[-1])
    digest = hashlib.md5(b"".join(out), usedforsecurity=False).hexdigest().encode()
    rows[len(objects) + 2] = (1, size, 0)
    keys = b"/Root %s 0 R /Info %s 0 R /ID [<%s><%s>]" % (
        trailer[b"Root"],
        trailer[b"Info"],
        digest,
        digest,
    )
    out.append(_xref_stream(len(objects) + 2, rows, keys))
    out.append(b"startxref\n%d\n%%%%EOF\n" % size)
    return b"".join(out)


def _objects(pdf: bytes) -> tuple[list[tuple[int, bytes]], dict[bytes, bytes]]:
    """ReportLab's objects (number, what is between `obj` and `endobj`), found by its
    cross-reference table, and the trailer's /Root and /Info entries."""
    startxref = pdf.rindex(b"startxref")
    xref = int(pdf[startxref + 9 :].split()[0])
    count = int(pdf[xref:].split(maxsplit=3)[2])  # "xref" "0" "<count>"
    table = pdf.index(b"\n", pdf.index(b"\n", xref) + 1) + 1  # rows of 20 bytes from here
    starts = [int(pdf[table + 20 * n : table + 20 * n + 10]) for n in range(1, count)]
    ends = [*starts[1:], xref]
    objects = [
        (number, pdf[pdf.index(b"obj\n", start) + 4 : pdf.rindex(b"endobj", start, end)])
        for number, (start, end) in enumerate(zip(starts, ends, strict=True), 1)
    ]
    return objects, dict(_TRAILER.findall(pdf[pdf.index(b"trailer", xref) : startxref]))


def _object_stream(number: int, packed: list[tuple[int, bytes]]) -> bytes:
    offsets, at = [], 0
    for obj, body in packed:
        offsets.append(b"%d %d" % (obj, at))
        at += len(body) + 1
    head = b" ".join(offsets) + b"\n"
    data = zlib.compress(head + b"\n".join(body for _, body in packed))
    keys = b"/Type /ObjStm /N %d /First %d" % (len(packed), len(head))
    return _stream(number, keys, data)


def _xref_stream(number: int, rows: dict[int, tuple[int, int, int]], trailer: bytes) -> bytes:
    table = [b"\x00\x00\x00\x00\x00\xff\xff"]  # object 0: the head of the free list
    for kind, second, third in (rows[n] for n in range(1, number + 1)):
        table.append(bytes((kind,)) + second.to_bytes(4, "big") + third.to_bytes(2, "big"))
    keys = b"/Type /XRef /Size %d /W [1 4 2] %s" % (number + 1, trailer)
    return _stream(number, keys, zlib.compress(b"".join(table)))


def _stream(number: int, keys: bytes, data: bytes) -> bytes:
    """An indirect stream object whose data is already compressed (FlateDecode)."""
    return (
        b"%d 0 obj\n<< %s /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n"
        % (
            number,
            keys,
            len(data),
            data,
        )
    )
