"""Refuse, before any work, a PDF the audit should not or cannot read.

An encrypted file is refused with its reason (assistive technology is often
denied its text, and the structure is not ours to decrypt). A file whose
streams inflate past `MAX_DECODED` bytes is refused before qpdf or PDFium
decode them: a 1 MB file can hold a stream that expands to 1 GB (a
"decompression bomb"), which would take seconds and gigabytes. The check
inflates each stream with a bounded zlib decompressor that counts bytes and
keeps none, so it costs little memory whatever the file holds.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pikepdf

from factsheet.errors import InputError, Problem

MAX_DECODED = 128 * 1024 * 1024  # our sheets hold under 2 MB of stream data; 64× margin
_CHUNK = 1024 * 1024
# Worst-case growth of the filters that are not Flate, to bound them without decoding.
_GROWTH = {
    "/ASCIIHexDecode": 1,
    "/ASCII85Decode": 1,
    "/RunLengthDecode": 128,
    "/FlateDecode": 1032,  # zlib's largest ratio
}
_IMAGE_FILTERS = {"/DCTDecode", "/JPXDecode", "/CCITTFaxDecode", "/JBIG2Decode"}  # not decoded


def check_readable(pdf: pikepdf.Pdf, path: Path) -> None:
    """Raise InputError if the PDF is encrypted or its streams inflate past MAX_DECODED."""
    if pdf.is_encrypted:
        raise _refused(path, "the PDF is encrypted", "audit the file before it is encrypted")
    total = 0
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            total += _decoded_size(obj, MAX_DECODED - total)
            if total > MAX_DECODED:
                message = f"its streams expand to more than {MAX_DECODED // 1024 // 1024} MB"
                hint = "a fact sheet needs far less: is this the right file?"
                raise _refused(path, message, hint)


def _decoded_size(stream: pikepdf.Stream, budget: int) -> int:
    """Bytes the stream decodes to (an upper bound for chained filters); stops counting
    once past `budget`."""
    raw = stream.read_raw_bytes()
    filters = _filters(stream)
    if filters == ["/FlateDecode"]:  # what every PDF we make uses: measured exactly
        return _inflated_size(raw, budget)
    if any(name in _IMAGE_FILTERS for name in filters):
        return len(raw)  # image data: the audit never decodes it
    size = len(raw)
    for name in filters:
        size *= _GROWTH.get(name, 4096)  # LZW and the unknown: their worst case
    return size


def _filters(stream: pikepdf.Stream) -> list[str]:
    found = stream.get("/Filter")
    if found is None:
        return []
    if isinstance(found, pikepdf.Array):
        return [str(item) for item in found]
    return [str(found)]


def _inflated_size(raw: bytes, budget: int) -> int:
    inflater = zlib.decompressobj()
    size, data = 0, raw
    try:
        while data and size <= budget:
            size += len(inflater.decompress(data, _CHUNK))
            data = inflater.unconsumed_tail
    except zlib.error:
        return len(raw)  # damaged: qpdf reports it in its own words later
    return size


def _refused(path: Path, message: str, hint: str) -> InputError:
    return InputError([Problem(str(path), 0, 0, "", f"not audited: {message}", hint)])
