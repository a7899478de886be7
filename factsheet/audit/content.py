"""Content streams: is every operator that paints inside tagged or artifact content?

Walks each page's content (and any form XObject it draws) operator by operator,
keeping the stack of marked-content sequences (BDC/BMC … EMC). A painting
operator (text, path painting, shading, image or inline image) must sit inside
a sequence with an MCID (it belongs to a structure element) or inside an
/Artifact. Also checked: sequences are balanced, an MCID is used once per page,
tagged content is never nested in an artifact or in other tagged content, and
every artifact says what it is (/Type Pagination, Layout, Page or Background),
so a reader can tell a running header from a rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pikepdf

from factsheet.audit.report import Finding

TEXT = frozenset({"Tj", "TJ", "'", '"'})
PAINT = TEXT | frozenset({"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh"})
ARTIFACT_TYPES = frozenset({"/Pagination", "/Layout", "/Page", "/Background"})
MAX_PER_PAGE = 20  # untagged operators listed per page; an untagged file has thousands


@dataclass(frozen=True)
class _Mark:
    tag: str
    mcid: int | None


@dataclass
class PageContent:
    """What one page's content holds."""

    index: int  # 0-based
    mcids: list[int] = field(default_factory=list)  # in content order
    tagged: int = 0
    artifacts: int = 0
    untyped: int = 0  # artifacts that do not say what they are
    untagged: int = 0
    failures: list[Finding] = field(default_factory=list)


@dataclass
class _Walk:
    page: PageContent
    stack: list[_Mark] = field(default_factory=list)
    index: int = 0  # operator number within the page, for locations
    where_xy: tuple[float, float] = (0.0, 0.0)
    forms: set[tuple[int, int]] = field(default_factory=set)


def scan_page(page: pikepdf.Page, index: int) -> PageContent:
    """Check one page's content; return its MCIDs, counts and failures."""
    walk = _Walk(PageContent(index))
    _scan(walk, pikepdf.parse_content_stream(page), page.obj.get("/Resources"))
    if walk.stack:
        _fail(walk, "content", f"{len(walk.stack)} marked-content sequence(s) never closed (EMC)")
    return walk.page


def _scan(walk: _Walk, instructions: list[Any], resources: Any) -> None:
    for instruction in instructions:
        walk.index += 1
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            _paint(walk, "BI", "an inline image")
            continue
        operands, op = instruction.operands, str(instruction.operator)
        if op in ("BDC", "BMC"):
            _begin(walk, op, operands)
        elif op == "EMC":
            _end(walk)
        elif op in ("Tm", "cm") and len(operands) == 6:
            walk.where_xy = (float(operands[4]), float(operands[5]))
        elif op in ("Td", "TD") and len(operands) == 2:
            x, y = walk.where_xy
            walk.where_xy = (x + float(operands[0]), y + float(operands[1]))
        elif op in ("m", "re") and len(operands) >= 2:
            walk.where_xy = (float(operands[0]), float(operands[1]))
        elif op == "Do":
            _xobject(walk, operands[0], resources)
        elif op in PAINT:
            _paint(walk, op, _describe(op, operands))


def _begin(walk: _Walk, op: str, operands: list[Any]) -> None:
    tag = str(operands[0]).lstrip("/")
    props = operands[1] if op == "BDC" and len(operands) > 1 else None
    mcid = None
    if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
        mcid = int(props.MCID)
    inside = _state(walk.stack)
    if mcid is not None:
        if inside is not None:
            _fail(walk, "content", f"tagged content (MCID {mcid}) nested inside {inside} content")
        if mcid in walk.page.mcids:
            _fail(walk, "content", f"MCID {mcid} is used twice on the page")
        walk.page.mcids.append(mcid)
        walk.page.tagged += 1
    elif tag == "Artifact":
        if inside == "tagged":
            _fail(walk, "content", "an artifact is nested inside tagged content")
        walk.page.artifacts += 1
        kind = props.get("/Type") if isinstance(props, pikepdf.Dictionary) else None
        if str(kind) not in ARTIFACT_TYPES:
            walk.page.untyped += 1
            if walk.page.untyped == 1:  # one finding per page: a file has hundreds
                message = "an artifact without a /Type (Pagination, Layout, Page or Background)"
                _fail(walk, "artifacts", message)
    walk.stack.append(_Mark(tag, mcid))


def _end(walk: _Walk) -> None:
    if not walk.stack:
        _fail(walk, "content", "EMC without a matching BDC/BMC")
        return
    walk.stack.pop()


def _state(stack: list[_Mark]) -> str | None:
    """'tagged' or 'artifact' for the innermost sequence that decides, else None."""
    for mark in reversed(stack):
        if mark.mcid is not None:
            return "tagged"
        if mark.tag == "Artifact":
            return "artifact"
    return None


def _xobject(walk: _Walk, name: Any, resources: Any) -> None:
    xobject = None
    if resources is not None and "/XObject" in resources:
        xobject = resources.XObject.get(name)
    if xobject is None:
        _fail(walk, "content", f"Do names an XObject {name} that the resources do not hold")
        return
    if xobject.get("/Subtype") != "/Form":
        _paint(walk, "Do", f"image {name}")
        return
    if xobject.objgen in walk.forms:  # a form that draws itself: stop, do not loop
        return
    walk.forms.add(xobject.objgen)
    # A form's content takes part in the page's marked content; walk it in place.
    _scan(walk, pikepdf.parse_content_stream(xobject), xobject.get("/Resources", resources))
    walk.forms.discard(xobject.objgen)


def _paint(walk: _Walk, op: str, what: str) -> None:
    if _state(walk.stack) is not None:
        return
    walk.page.untagged += 1
    if walk.page.untagged <= MAX_PER_PAGE:
        _fail(walk, "content", f"{what} is neither tagged content nor an artifact", op)
    elif walk.page.untagged == MAX_PER_PAGE + 1:
        _fail(walk, "content", "more untagged operators on this page are not listed")


def _describe(op: str, operands: list[Any]) -> str:
    """A short description of a painting operator, with its text when it is readable."""
    if op not in TEXT:
        return "a shading" if op == "sh" else "a path"
    strings = [o for o in operands if isinstance(o, pikepdf.String)]
    for operand in operands:
        if isinstance(operand, pikepdf.Array):
            strings += [s for s in operand if isinstance(s, pikepdf.String)]
    raw = b"".join(bytes(s) for s in strings)
    text = raw.decode("latin-1")
    if text.isprintable() and text.strip():
        return f"text {text[:40]!r}"
    return "text"


def _fail(walk: _Walk, check: str, message: str, op: str | None = None) -> None:
    x, y = walk.where_xy
    where = f"page {walk.page.index + 1}, operator {walk.index}"
    if op is not None:
        where += f" ({op}) near ({x:.0f}, {y:.0f})"
    walk.page.failures.append(Finding(check, where, message))
