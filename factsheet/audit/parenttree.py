"""The two directions of the tag tree agree: elements → content, and content → elements.

A screen reader walks the tree down (element → its MCIDs); a reader that starts
from the page (a click, a selection) goes up through the ParentTree. Checked:
every MCID in the content belongs to exactly one element, every MCID an element
claims is in the content, the ParentTree maps each MCID and each annotation to
the element that holds it, and every annotation is tagged, described and printed.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pikepdf

from factsheet.audit.content import PageContent
from factsheet.audit.report import Finding
from factsheet.audit.tree import Content, Node, ObjRef

MAX_DEPTH = 32
PRINT = 4  # the annotation flag bit that prints it (PDF 32000-1 12.5.3)


def check_parent_tree(
    pdf: pikepdf.Pdf, roots: list[Node], contents: list[PageContent]
) -> list[Finding]:
    nodes = [node for root in roots for node in root.walk()]
    claims: dict[tuple[int, int], list[Node]] = defaultdict(list)
    for node in nodes:
        for kid in node.kids:
            if isinstance(kid, Content):
                claims[(kid.page, kid.mcid)].append(node)
    tree = pdf.Root.get("/StructTreeRoot")
    nums = number_tree(tree.get("/ParentTree")) if tree is not None else {}
    failures = _claims(claims, contents)
    by_objgen = {node.objgen: node for node in nodes}
    for page, content in zip(pdf.pages, contents, strict=True):
        failures += _page_entries(page, content, nums, claims, by_objgen)
        failures += _annotations(page, content.index, nums, by_objgen)
    return failures


def number_tree(node: Any, depth: int = 0) -> dict[int, Any]:
    """A number tree's entries (its /Nums, and its /Kids' entries)."""
    out: dict[int, Any] = {}
    if not isinstance(node, pikepdf.Dictionary) or depth > MAX_DEPTH:
        return out
    nums = list(node.get("/Nums", []))
    out.update({int(k): v for k, v in zip(nums[0::2], nums[1::2], strict=False)})
    for kid in node.get("/Kids", []):
        out.update(number_tree(kid, depth + 1))
    return out


def _claims(
    claims: dict[tuple[int, int], list[Node]], contents: list[PageContent]
) -> list[Finding]:
    failures = []
    present = {(c.index, mcid) for c in contents for mcid in c.mcids}
    for (page, mcid), owners in sorted(claims.items()):
        if (page, mcid) not in present:
            message = f"claims MCID {mcid} on page {page + 1}, which the page's content lacks"
            failures.append(Finding("parent-tree", owners[0].where, message))
        if len(owners) > 1:
            names = ", ".join(o.path for o in owners)
            message = f"MCID {mcid} is claimed by {len(owners)} elements: {names}"
            failures.append(Finding("parent-tree", f"page {page + 1}", message))
    for page, mcid in sorted(present - set(claims)):
        message = f"MCID {mcid} in the content belongs to no structure element"
        failures.append(Finding("parent-tree", f"page {page + 1}", message))
    return failures


def _page_entries(
    page: pikepdf.Page,
    content: PageContent,
    nums: dict[int, Any],
    claims: dict[tuple[int, int], list[Node]],
    by_objgen: dict[tuple[int, int], Node],
) -> list[Finding]:
    where = f"page {content.index + 1}"
    if not content.mcids:
        return []
    key = page.obj.get("/StructParents")
    entry = nums.get(int(key)) if key is not None else None
    if not isinstance(entry, pikepdf.Array):
        return [Finding("parent-tree", where, "the ParentTree has no entry for the page")]
    failures = []
    for mcid in content.mcids:
        target = entry[mcid] if mcid < len(entry) else None
        mapped = by_objgen.get(target.objgen) if isinstance(target, pikepdf.Dictionary) else None
        owners = claims.get((content.index, mcid), [])
        if mapped is None:
            failures.append(Finding("parent-tree", where, f"MCID {mcid} has no ParentTree entry"))
        elif owners and mapped is not owners[0]:
            message = f"the ParentTree maps MCID {mcid} to {mapped.path}, not {owners[0].path}"
            failures.append(Finding("parent-tree", where, message))
    return failures


def _annotations(
    page: pikepdf.Page, index: int, nums: dict[int, Any], by_objgen: dict[tuple[int, int], Node]
) -> list[Finding]:
    failures = []
    for number, annot in enumerate(page.obj.get("/Annots", []), start=1):
        subtype = str(annot.get("/Subtype", "")).lstrip("/")
        if subtype == "Popup":
            continue
        where = f"page {index + 1}, {subtype or 'an'} annotation {number}{_rect(annot)}"
        if not str(annot.get("/Contents", "")).strip():
            failures.append(Finding("links", where, "has no /Contents description"))
        if not int(annot.get("/F", 0)) & PRINT:
            message = "has no Print flag (/F 4)"
            failures.append(Finding("links", where, message))
        key = annot.get("/StructParent")
        target = nums.get(int(key)) if key is not None else None
        node = by_objgen.get(target.objgen) if isinstance(target, pikepdf.Dictionary) else None
        if node is None:
            failures.append(Finding("links", where, "is not tagged (no element via /StructParent)"))
            continue
        wanted = "Link" if subtype == "Link" else "Annot"
        if node.role not in (wanted, "Form") or not _holds(node, annot.objgen):
            message = f"its element {node.path} is not a {wanted} holding it by an OBJR"
            failures.append(Finding("links", where, message))
    return failures


def _holds(node: Node, objgen: tuple[int, int]) -> bool:
    return any(isinstance(k, ObjRef) and k.objgen == objgen for k in node.kids)


def _rect(annot: Any) -> str:
    rect = annot.get("/Rect")
    if not isinstance(rect, pikepdf.Array) or len(rect) != 4:
        return ""
    return f" at ({float(rect[0]):.0f}, {float(rect[1]):.0f})"
