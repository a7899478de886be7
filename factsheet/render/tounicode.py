"""ToUnicode CMaps: read one into a code → text map, and write one back.

ISO 14289-1 7.21.7 asks that every glyph map to Unicode with a value greater
than zero (veraPDF and page-validation: PDFUA1-FONT-UNICODE-VALUE-001).
ReportLab's subsets map every code of the subset, the unused ones to U+0000,
so render/fonts.py writes each subset's map itself (`write_cmap`), with only
the codes that name a character (`is_character`).

The audit uses `parse_cmap` to turn the codes of a content stream back into
the text assistive technology gets. It reads the CMap syntax any writer uses
(bfchar, bfrange with a start value or an array, one- to four-byte codes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Values that do not name a character: PDF/UA forbids them in a ToUnicode map.
NOT_CHARACTERS = frozenset({"\x00", "\ufeff", "\ufffe"})
_SECTION = re.compile(rb"begin(bfchar|bfrange|codespacerange)(.*?)end\1", re.S)
_TOKEN = re.compile(rb"<\s*[0-9A-Fa-f\s]*>|\[|\]")


@dataclass
class CMap:
    """A ToUnicode map: code bytes → text, and the code lengths the codespace allows."""

    chars: dict[bytes, str] = field(default_factory=dict)
    lengths: tuple[int, ...] = (1,)  # code lengths in bytes, shortest first

    def decode(self, raw: bytes) -> str:
        """The text of a string operand: each code looked up, unmapped ones as U+FFFD."""
        return "".join(self.glyphs(raw))

    def glyphs(self, raw: bytes) -> list[str]:
        """The text of each code of a string operand, in order."""
        out, at = [], 0
        while at < len(raw):
            for length in self.lengths:
                code = raw[at : at + length]
                if code in self.chars:
                    out.append(self.chars[code])
                    at += length
                    break
            else:
                out.append("\ufffd")
                at += self.lengths[0]
        return out


def parse_cmap(data: bytes) -> CMap:
    """The mappings of a ToUnicode CMap stream's bytes (unknown syntax is skipped)."""
    cmap = CMap()
    lengths: set[int] = set()
    for kind, body in _SECTION.findall(data):
        tokens = _tokens(body)
        if kind == b"codespacerange":
            lengths |= {len(low) for low in tokens[0::2] if isinstance(low, bytes)}
        elif kind == b"bfchar":
            for code, value in zip(tokens[0::2], tokens[1::2], strict=False):
                if isinstance(code, bytes) and isinstance(value, bytes):
                    cmap.chars[code] = _text(value)
        else:
            cmap.chars.update(_ranges(tokens))
    if not lengths:
        lengths = {len(code) for code in cmap.chars} or {1}
    cmap.lengths = tuple(sorted(lengths))
    return cmap


def _tokens(body: bytes) -> list[Any]:
    """Hex strings as bytes, arrays as lists of bytes."""
    out: list[Any] = []
    stack: list[list[Any]] = []
    for token in _TOKEN.findall(body):
        if token == b"[":
            stack.append([])
        elif token == b"]":
            if stack:
                done = stack.pop()
                (stack[-1] if stack else out).append(done)
        else:
            value = bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode())
            (stack[-1] if stack else out).append(value)
    return out


def _ranges(tokens: list[Any]) -> Iterator[tuple[bytes, str]]:
    for low, high, value in zip(tokens[0::3], tokens[1::3], tokens[2::3], strict=False):
        if not (isinstance(low, bytes) and isinstance(high, bytes)) or len(low) != len(high):
            continue
        start, end = int.from_bytes(low, "big"), int.from_bytes(high, "big")
        for offset in range(min(end - start + 1, 65536)):
            code = (start + offset).to_bytes(len(low), "big")
            if isinstance(value, list):
                if offset < len(value):
                    yield code, _text(value[offset])
            elif value:
                # The last byte of the value counts up with the code (PDF 32000 9.10.3).
                base = int.from_bytes(value, "big") + offset
                yield code, _text(base.to_bytes(len(value), "big"))


def _text(value: bytes) -> str:
    return value.decode("utf-16-be", errors="replace") if len(value) % 2 == 0 else ""


def write_cmap(name: str, cmap: CMap) -> bytes:
    """A ToUnicode CMap holding exactly `cmap`'s entries (bfchar blocks of at most 100)."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
        f"/CMapName /{name} def",
        "/CMapType 2 def",
    ]
    spaces = [(b"\x00" * n, b"\xff" * n) for n in cmap.lengths]
    lines.append(f"{len(spaces)} begincodespacerange")
    lines += [f"<{low.hex().upper()}> <{high.hex().upper()}>" for low, high in spaces]
    lines.append("endcodespacerange")
    entries = sorted(cmap.chars.items(), key=lambda kv: (len(kv[0]), kv[0]))
    for at in range(0, len(entries), 100):  # the CMap format's limit per block
        block = entries[at : at + 100]
        lines.append(f"{len(block)} beginbfchar")
        for code, text in block:
            lines.append(f"<{code.hex().upper()}> <{text.encode('utf-16-be').hex().upper()}>")
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines).encode("ascii")


def is_character(text: str) -> bool:
    return bool(text) and not any(char in NOT_CHARACTERS for char in text)
