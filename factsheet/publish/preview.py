"""PNG previews of a PDF's pages, rendered by PDFium (pypdfium2)."""

from __future__ import annotations

from pathlib import Path

from factsheet.publish.files import write_atomic


def page_images(pdf: bytes, dpi: int = 110) -> list[bytes]:
    """Each page of `pdf` as PNG bytes."""
    import io

    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    images = []
    try:
        for page in document:
            bitmap = page.render(scale=dpi / 72)
            buffer = io.BytesIO()
            bitmap.to_pil().save(buffer, format="PNG", optimize=False)
            images.append(buffer.getvalue())
            page.close()
    finally:
        document.close()
    return images


def write_previews(pdf: bytes, out_dir: Path, stem: str, dpi: int = 110) -> list[Path]:
    paths = []
    for number, png in enumerate(page_images(pdf, dpi), start=1):
        path = out_dir / f"{stem}-p{number}.png"
        write_atomic(path, png)
        paths.append(path)
    return paths
