"""Document-level requirements: marked, titled, in a language, identified as PDF/UA.

Checked: /MarkInfo /Marked true, a StructTreeRoot, /Lang on the catalog, a title
that viewers show (/DisplayDocTitle), XMP metadata with dc:title and
pdfuaid:part, /Tabs /S on pages with annotations, and embedded fonts.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

import pikepdf

from factsheet.audit.report import Finding
from factsheet.audit.rules import LANGUAGE

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
}
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")


def check_document(pdf: pikepdf.Pdf) -> list[Finding]:
    root = pdf.Root
    failures = []
    if not _flag(root, "/MarkInfo", "/Marked"):
        failures.append(Finding("document", "catalog", "/MarkInfo /Marked is not true"))
    if "/StructTreeRoot" not in root:
        failures.append(Finding("document", "catalog", "no structure tree: the PDF is untagged"))
    lang = str(root.get("/Lang", "")).strip()
    if not LANGUAGE.match(lang):
        failures.append(Finding("document", "catalog", f"/Lang is missing or invalid ({lang!r})"))
    if not _flag(root, "/ViewerPreferences", "/DisplayDocTitle"):
        message = "/ViewerPreferences /DisplayDocTitle is not true (viewers show the file name)"
        failures.append(Finding("document", "catalog", message))
    failures += _xmp(pdf)
    failures += _pages(pdf)
    return failures


def _flag(root: Any, dictionary: str, key: str) -> bool:
    """True when root[dictionary][key] is the boolean true."""
    holder = root.get(dictionary)
    return isinstance(holder, pikepdf.Dictionary) and holder.get(key) is True


def xmp_fields(pdf: pikepdf.Pdf) -> dict[str, str]:
    """dc:title and pdfuaid:part from the XMP packet ({} without one)."""
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return {}
    try:
        tree = ET.fromstring(stream.read_bytes())
    except ET.ParseError:
        return {}
    fields = {}
    title = tree.find(".//dc:title//rdf:li", NS)
    if title is not None and title.text:
        fields["title"] = title.text
    part = tree.find(".//pdfuaid:part", NS)
    if part is not None and part.text:
        fields["part"] = part.text.strip()
    for description in tree.iter(f"{{{NS['rdf']}}}Description"):  # the attribute form
        part_attribute = description.get(f"{{{NS['pdfuaid']}}}part")
        if part_attribute and "part" not in fields:
            fields["part"] = part_attribute.strip()
    return {k: v for k, v in fields.items() if v}


def _xmp(pdf: pikepdf.Pdf) -> list[Finding]:
    fields = xmp_fields(pdf)
    failures = []
    if not fields.get("title", "").strip():
        failures.append(Finding("document", "XMP metadata", "no dc:title (the document title)"))
    if fields.get("part") != "1":
        failures.append(Finding("document", "XMP metadata", "no pdfuaid:part 1 (PDF/UA-1)"))
    return failures


def _pages(pdf: pikepdf.Pdf) -> list[Finding]:
    failures = []
    for number, page in enumerate(pdf.pages, start=1):
        if page.obj.get("/Annots") and page.obj.get("/Tabs") != "/S":
            message = "has annotations but no /Tabs /S (tab order by structure)"
            failures.append(Finding("document", f"page {number}", message))
        for name, font in _fonts(page.obj.get("/Resources")):
            if not _embedded(font):
                message = f"font {name} ({font.get('/BaseFont', '?')}) is not embedded"
                failures.append(Finding("fonts", f"page {number}", message))
    return failures


def _fonts(resources: Any) -> list[tuple[str, Any]]:
    if not isinstance(resources, pikepdf.Dictionary) or "/Font" not in resources:
        return []
    return [(str(name), font) for name, font in resources.Font.items()]


def _embedded(font: Any) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are content streams in the file
    if font.get("/Subtype") == "/Type0":
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return isinstance(descriptor, pikepdf.Dictionary) and any(
        key in descriptor for key in FONT_FILES
    )
