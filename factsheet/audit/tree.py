"""The structure tree, read from the PDF objects into plain nodes.

Reading checks what only the raw objects show: every element's /P points back
at its parent, its type is a standard one (directly or through the RoleMap),
every MCID has a page, and no element is reached twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pikepdf

from factsheet.audit.report import Finding

# ISO 32000-1, 14.8.4: the standard structure types.
STANDARD = frozenset(
    {
        *("Document", "Part", "Art", "Sect", "Div", "BlockQuote", "Caption"),
        *("TOC", "TOCI", "Index", "NonStruct", "Private"),
        *("P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "L", "LI", "Lbl", "LBody"),
        *("Table", "TR", "TH", "TD", "THead", "TBody", "TFoot"),
        *("Span", "Quote", "Note", "Reference", "BibEntry", "Code", "Link", "Annot"),
        *("Ruby", "RB", "RT", "RP", "Warichu", "WT", "WP", "Figure", "Formula", "Form"),
    }
)
ATTRIBUTES = ("Lang", "Alt", "ActualText", "E", "ID")  # read from the element itself
# read from /A: the Table owner's, and the Layout owner's bounding box
OWNED_ATTRIBUTES = ("Scope", "ColSpan", "RowSpan", "Summary", "Headers", "BBox")
MAX_DEPTH = 64

ObjGen = tuple[int, int]


@dataclass(frozen=True)
class Content:
    """A marked-content sequence: MCID `mcid` on page `page` (0-based)."""

    page: int
    mcid: int


@dataclass(frozen=True)
class ObjRef:
    """An annotation the element contains (an OBJR); `uri` for a link's target."""

    page: int | None
    objgen: ObjGen
    uri: str
    rect: tuple[float, float, float, float] | None = None  # the annotation's /Rect


@dataclass
class Node:
    """A structure element."""

    role: str  # the standard type (after the RoleMap)
    path: str  # e.g. "Document/Sect[2]/P[1]"
    objgen: ObjGen
    attrs: dict[str, str]
    kids: list[Node | Content | ObjRef] = field(default_factory=list)
    page: int | None = None  # first page it has content on (0-based)

    @property
    def where(self) -> str:
        obj = f" (object {self.objgen[0]})" if self.objgen[0] else ""
        page = f"page {self.page + 1}, " if self.page is not None else ""
        return f"{page}{self.path}{obj}"

    def walk(self) -> list[Node]:
        """This node and its descendants, in reading order."""
        out = [self]
        for kid in self.kids:
            if isinstance(kid, Node):
                out += kid.walk()
        return out


class TreeReader:
    """Reads the tree from a StructTreeRoot, collecting what is wrong with the objects."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pages = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
        root = pdf.Root.get("/StructTreeRoot")
        rolemap = root.get("/RoleMap") if root is not None else None
        self.rolemap = {str(k).lstrip("/"): str(v).lstrip("/") for k, v in (rolemap or {}).items()}
        self.failures: list[Finding] = []
        self.seen: set[ObjGen] = set()

    def read(self, root: Any) -> list[Node]:
        nodes: list[Node] = []
        counts: dict[str, int] = {}
        for obj in _as_list(root.get("/K")):
            if isinstance(obj, pikepdf.Dictionary):
                node = self._node(obj, root, "", counts, None, 0)
                if node is not None:
                    nodes.append(node)
        return nodes

    def _node(
        self,
        obj: Any,
        parent: Any,
        prefix: str,
        counts: dict[str, int],
        page: int | None,
        depth: int,
    ) -> Node | None:
        if (obj.objgen in self.seen and obj.objgen != (0, 0)) or depth > MAX_DEPTH:
            self._fail(prefix or "structure tree", "an element is reached twice (a cycle)")
            return None
        self.seen.add(obj.objgen)
        role = self._role(obj, prefix)
        counts[role] = counts.get(role, 0) + 1
        path = f"{prefix}/{role}[{counts[role]}]" if prefix else role
        node = Node(role, path, obj.objgen, _attributes(obj))
        if obj.get("/P") is None or obj.P.objgen != parent.objgen:
            self._fail(node.path, "its /P does not point at its parent element")
        page = self.pages.get(obj.Pg.objgen) if "/Pg" in obj else page
        self._kids(node, obj, page, depth)
        node.page = next((_page_of(k) for k in node.kids if _page_of(k) is not None), None)
        return node

    def _kids(self, node: Node, obj: Any, page: int | None, depth: int) -> None:
        counts: dict[str, int] = {}
        for kid in _as_list(obj.get("/K")):
            if isinstance(kid, int):
                self._content(node, page, int(kid))
            elif not isinstance(kid, pikepdf.Dictionary):
                continue
            elif kid.get("/Type") == "/MCR":
                mcr_page = self.pages.get(kid.Pg.objgen) if "/Pg" in kid else page
                self._content(node, mcr_page, int(kid.MCID))
            elif kid.get("/Type") == "/OBJR":
                node.kids.append(self._objref(kid, page))
            elif "/S" in kid:
                child = self._node(kid, obj, node.path, counts, page, depth + 1)
                if child is not None:
                    node.kids.append(child)

    def _content(self, node: Node, page: int | None, mcid: int) -> None:
        if page is None:
            self._fail(node.path, f"MCID {mcid} has no page (/Pg)")
            return
        node.kids.append(Content(page, mcid))

    def _objref(self, kid: Any, page: int | None) -> ObjRef:
        annot = kid.get("/Obj")
        objgen = annot.objgen if annot is not None else (0, 0)
        action = annot.get("/A") if isinstance(annot, pikepdf.Dictionary) else None
        uri = str(action.get("/URI", "")) if isinstance(action, pikepdf.Dictionary) else ""
        page = self.pages.get(kid.Pg.objgen) if "/Pg" in kid else page
        return ObjRef(page, objgen, uri, _rect(annot))

    def _role(self, obj: Any, path: str) -> str:
        role = str(obj.get("/S", "/NonStruct")).lstrip("/")
        for _ in range(8):  # follow the RoleMap, a few steps at most
            if role in STANDARD or role not in self.rolemap:
                break
            role = self.rolemap[role]
        if role not in STANDARD:
            self._fail(path or "structure tree", f"/{role} is not a standard structure type")
        return role

    def _fail(self, where: str, message: str) -> None:
        self.failures.append(Finding("structure", where, message))


def _rect(annot: Any) -> tuple[float, float, float, float] | None:
    rect = annot.get("/Rect") if isinstance(annot, pikepdf.Dictionary) else None
    if not isinstance(rect, pikepdf.Array) or len(rect) != 4:
        return None
    x0, y0, x1, y1 = (float(v) for v in rect)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _page_of(kid: Node | Content | ObjRef) -> int | None:
    return kid.page


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def _attributes(obj: Any) -> dict[str, str]:
    attrs = {key: _text(obj[f"/{key}"]) for key in ATTRIBUTES if f"/{key}" in obj}
    for owner in _as_list(obj.get("/A")):
        if isinstance(owner, pikepdf.Dictionary):
            attrs.update(
                {key: _text(owner[f"/{key}"]) for key in OWNED_ATTRIBUTES if f"/{key}" in owner}
            )
    return attrs


def _text(value: Any) -> str:
    if isinstance(value, pikepdf.Name):
        return str(value).lstrip("/")
    if isinstance(value, pikepdf.Array):
        return " ".join(_text(v) for v in value)
    return str(value)
