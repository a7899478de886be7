"""Tagging hooks of the renderer.

The renderer tells the tagger, as it draws, which structure element each piece
of content belongs to (or that it is an artifact), and which annotation each
link area produced. This module is where the PDF structure tree is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from factsheet.layout.frames import Document, LinkArea


class Tagger:
    """Receives the renderer's drawing events; the base version writes no tags."""

    def __init__(self, canvas: Canvas, doc: Document) -> None:
        self.canvas = canvas
        self.doc = doc

    @contextmanager
    def content(self, elem: int | None) -> Iterator[None]:
        yield

    @contextmanager
    def artifact(self) -> Iterator[None]:
        yield

    def link(self, area: LinkArea, annotation: Any) -> None:
        """Called once per link annotation, with the element it belongs to."""

    def end_page(self) -> None:
        """Called before each page is closed."""

    def finish(self) -> None:
        """Called after the last page, before the file is written."""

    def postprocess(self, pdf: bytes) -> bytes:
        return pdf
