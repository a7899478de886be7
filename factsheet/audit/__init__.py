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

from pathlib import Path

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


def audit_pdf(path: Path) -> AuditReport:
    """Audit the PDF at `path`; raise InputError when it cannot be read as a PDF."""
    with _open(path) as pdf:
        check_readable(pdf, path)  # encrypted or a decompression bomb: refused before work
        try:
            text = marked_text(pdf)
            failures, roots, counts = _check(pdf, text)
        except pikepdf.PdfError as error:  # e.g. a content stream qpdf cannot parse
            raise _unreadable(path, str(error).splitlines()[0]) from error
    return AuditReport(
        file=str(path),
        failures=tuple(failures),
        outline=tuple(outline(roots, text)),
        text=document_text(roots, text),
        counts=counts,
    )


def _check(pdf: pikepdf.Pdf, text: TextMap) -> tuple[list[Finding], list[Node], Counts]:
    failures = check_document(pdf)
    contents = [scan_page(page, index) for index, page in enumerate(pdf.pages)]
    for content in contents:
        failures += content.failures
    reader = TreeReader(pdf)
    tree_root = pdf.Root.get("/StructTreeRoot")
    roots = reader.read(tree_root) if tree_root is not None else []
    failures += reader.failures
    if roots:
        failures += check_parent_tree(pdf, roots, contents)
        failures += check_rules(roots)
        failures += check_bookmarks(pdf, roots, text)
        failures += check_word_separators(pdf)
        failures += check_languages(roots, text, str(pdf.Root.get("/Lang", "")))
    return failures, roots, _counts(pdf, roots, contents)


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
