"""Accessibility audit: a PDF file in, an `AuditReport` out (failures and the tag tree).

Our own structural check of the PDF/UA-1 requirements a fact sheet can break,
because veraPDF (Java) is not available where sheets are built. It reads the
file the way assistive technology does, not the layout that produced it, so it
audits any PDF. The modules, in the order a file meets them:

- `document`: catalog and pages (MarkInfo, /Lang, title, XMP and PDF/UA id,
  /Tabs, embedded fonts);
- `content`: every painting operator is inside tagged or artifact content;
- `tree`: the structure tree read into plain `Node`s (standard types, /P links);
- `parenttree`: MCIDs and annotations map both ways between content and elements;
- `rules`: heading levels, tables, lists, figure alt text, links (one annotation
  per line), language tags;
- `bookmarks`: the outline lists every heading in reading order;
- `tagged`: the tagged text keeps a space between words where a line breaks;
- `languages`: Latin-letter words inside text of another script carry a /Lang;
- `text` and `outline`: the text of each element, decoded from the content
  streams as assistive technology reads it (no spaces guessed from positions),
  and the indented reading-order outline a reviewer reads.

Library code: an unreadable file raises InputError; everything else is a
`Finding` in the report. docs/accessibility.md says what is and is not checked.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pikepdf

from factsheet.audit.bookmarks import check_bookmarks
from factsheet.audit.content import PageContent, scan_page
from factsheet.audit.document import check_document
from factsheet.audit.guard import check_readable
from factsheet.audit.languages import check_languages
from factsheet.audit.outline import document_text, outline
from factsheet.audit.parenttree import check_parent_tree
from factsheet.audit.report import AuditReport, Counts, Finding
from factsheet.audit.rules import check_rules
from factsheet.audit.tagged import check_word_separators
from factsheet.audit.text import TextMap, marked_text
from factsheet.audit.tree import Node, TreeReader
from factsheet.errors import InputError, Problem

__all__ = ["AuditReport", "Finding", "audit_pdf"]

T = TypeVar("T")


def audit_pdf(path: Path) -> AuditReport:
    """Audit the PDF at `path`; raise InputError when it cannot be read as a PDF."""
    with _open(path) as pdf:
        check_readable(pdf, path)  # encrypted or a decompression bomb: refused before work
        try:
            failures: list[Finding] = []
            text = _guarded(failures, "the marked text", marked_text, pdf) or {}
            roots, counts = _check(pdf, text, failures)
            lines = _guarded(failures, "the tag outline", outline, roots, text) or []
            spoken = _guarded(failures, "the tagged text", document_text, roots, text) or ""
        except pikepdf.PdfError as error:  # e.g. a content stream qpdf cannot parse
            raise _unreadable(path, str(error).splitlines()[0]) from error
    return AuditReport(
        file=str(path),
        failures=tuple(failures),
        outline=tuple(lines),
        text=spoken,
        counts=counts,
    )


# What reading a malformed object raises: an integer where a dictionary belongs, a
# name where a number does, an array too short, a cycle of /Kids.
_MALFORMED = (TypeError, AttributeError, KeyError, ValueError, IndexError, RecursionError)


def _guarded(failures: list[Finding], what: str, check: Callable[..., T], *args: Any) -> T | None:
    """`check(*args)`, or None and a failure when the PDF holds an object of a shape the
    specification does not allow there (a PDF from another tool, or a damaged one)."""
    try:
        return check(*args)
    except _MALFORMED as error:
        where = traceback.extract_tb(error.__traceback__)[-1]
        message = (
            f"cannot be read: the PDF holds a malformed object there "
            f"({type(error).__name__}: {error}; in {Path(where.filename).name}:{where.lineno})"
        )
        failures.append(Finding("malformed", what, message))
        return None


def _check(pdf: pikepdf.Pdf, text: TextMap, failures: list[Finding]) -> tuple[list[Node], Counts]:
    """Every check, each on its own: a malformed part fails its check, the others still run."""
    failures += _guarded(failures, "the catalog and pages", check_document, pdf) or []
    contents: list[PageContent] = []
    for index, page in enumerate(pdf.pages):
        content = _guarded(failures, f"page {index + 1}'s content", scan_page, page, index)
        if content is not None:
            contents.append(content)
            failures += content.failures
    reader = TreeReader(pdf)
    before = len(failures)
    tree_root = pdf.Root.get("/StructTreeRoot")
    roots: list[Node] = []
    if tree_root is not None:
        roots = _guarded(failures, "the structure tree", reader.read, tree_root) or []
    failures += reader.failures
    if tree_root is not None and not roots and not reader.failures and len(failures) == before:
        message = "the structure tree holds no elements: a screen reader gets nothing"
        failures.append(Finding("structure", "structure tree", message))
    if roots:
        failures += (
            _guarded(failures, "the parent tree", check_parent_tree, pdf, roots, contents) or []
        )
        failures += _guarded(failures, "the tags", check_rules, roots) or []
        failures += _guarded(failures, "the bookmarks", check_bookmarks, pdf, roots, text) or []
        failures += _guarded(failures, "the word spaces", check_word_separators, pdf) or []
        lang = str(pdf.Root.get("/Lang", ""))
        failures += _guarded(failures, "the languages", check_languages, roots, text, lang) or []
    counts = _guarded(failures, "the counts", _counts, pdf, roots, contents) or Counts()
    return roots, counts


def _open(path: Path) -> pikepdf.Pdf:
    try:
        return pikepdf.open(path)
    except pikepdf.PasswordError:
        hint = "audit the file before it is encrypted"
        message = "not audited: the PDF is encrypted"
        raise InputError([Problem(str(path), 0, 0, "", message, hint)]) from None
    except (OSError, pikepdf.PdfError) as error:
        reason = getattr(error, "strerror", None) or str(error).splitlines()[0]
        reason = reason.removeprefix(f"{path}: ")  # qpdf names the file; so does Problem
        raise _unreadable(path, reason) from error


def _unreadable(path: Path, reason: str) -> InputError:
    message = f"cannot read the file as a PDF: {reason}"
    return InputError([Problem(str(path), 0, 0, "", message, "give the path of a PDF file")])


def _counts(pdf: pikepdf.Pdf, roots: list[Node], contents: list[PageContent]) -> Counts:
    return Counts(
        pages=len(pdf.pages),
        elements=sum(len(root.walk()) for root in roots),
        tagged=sum(c.tagged for c in contents),
        artifacts=sum(c.artifacts for c in contents),
        annotations=sum(len(page.obj.get("/Annots", [])) for page in pdf.pages),
    )
