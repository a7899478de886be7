"""Fonts, measurement and line breaking.

In: inline spans and a text style. Out: lines of runs with their widths.

We break lines ourselves rather than through ReportLab's Paragraph: it keeps user
text away from Paragraph markup entirely, it gives us every run's exact position
(for links and tags), and widths measured once at unit size make the fitter's
repeated passes cheap.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from factsheet.content.model import Inline, Span
from factsheet.layout.frames import Color

FACES = ("regular", "bold", "italic", "bold_italic")


@cache
def register_font(path: Path) -> str:
    """Register a TrueType file with ReportLab once; return its font name."""
    name = path.stem
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


@cache
def covered_chars(name: str) -> frozenset[int]:
    """Code points the font can draw."""
    font = pdfmetrics.getFont(name)
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]


# Characters of the scripts a layout may name a font for (`fonts: {hangul: …, cjk: …}`).
# A character of such a script is set in that script's font when it has the glyph:
# a Chinese font that also carries a few Hangul syllables must not set them inside
# Korean text, nor a Korean font set the hanja it carries inside Chinese text.
_SCRIPT_RANGES = (
    (0x1100, 0x11FF, "hangul"),  # jamo
    (0x2E80, 0x2FDF, "cjk"),  # radicals
    (0x3000, 0x303F, "cjk"),  # CJK symbols and punctuation
    (0x3040, 0x30FF, "cjk"),  # kana
    (0x3100, 0x312F, "cjk"),  # bopomofo
    (0x3130, 0x318F, "hangul"),  # compatibility jamo
    (0x31A0, 0x31FF, "cjk"),
    (0x3400, 0x4DBF, "cjk"),  # ideographs, extension A
    (0x4E00, 0x9FFF, "cjk"),  # ideographs
    (0xA960, 0xA97F, "hangul"),
    (0xAC00, 0xD7FF, "hangul"),  # syllables and jamo extended-B
    (0xF900, 0xFAFF, "cjk"),  # compatibility ideographs
    (0xFE30, 0xFE4F, "cjk"),  # vertical and compatibility forms
    (0xFF00, 0xFFEF, "cjk"),  # full-width forms
    (0x20000, 0x3FFFF, "cjk"),  # ideographs, supplementary planes
)


def script_of(char: str) -> str:
    """The layout font key ("hangul", "cjk") for `char`, or "" for any other script."""
    code = ord(char)
    for start, end, script in _SCRIPT_RANGES:
        if start <= code <= end:
            return script
    return ""


class FontSet:
    """The fonts of one layout: a face per style, per script, with fallback.

    A character of a script the layout names a font for (hangul, cjk) is set in
    that font when it has the glyph. Any other character is set in the first
    font (Latin first, then the others in layout order) that has a glyph for
    it, so a Latin brand name inside Chinese text keeps its Latin face.
    """

    def __init__(self, fonts: dict[str, dict[str, Path]]) -> None:
        self.files = list(fonts.values())
        self.by_script = {script: index for index, script in enumerate(fonts)}
        # Fonts load on first use: a Latin edition never parses the CJK and Hangul
        # files (megabytes each), which keeps a cold command-line build fast.
        self._faces: list[dict[str, str] | None] = [None] * len(self.files)
        self._coverage: list[frozenset[int] | None] = [None] * len(self.files)
        self._faux: set[str] = set()  # fonts whose bold face falls back to regular

    def faces(self, index: int) -> dict[str, str]:
        """Face → registered font name for the layout's `index`-th script font."""
        faces = self._faces[index]
        if faces is None:
            names = {face: register_font(path) for face, path in self.files[index].items()}
            regular = names["regular"]
            faces = {face: names.get(face, _fallback_face(names, face, regular)) for face in FACES}
            self._faces[index] = faces
            if "bold" not in names:  # e.g. Droid Sans Fallback: bold is drawn, not designed
                self._faux.add(faces["bold"])
        return faces

    def embolden(self, font: str, face: str) -> bool:
        """Whether bold text in `font` must be emboldened by the renderer."""
        return face in ("bold", "bold_italic") and font in self._faux

    def covers(self, index: int, code: int) -> bool:
        coverage = self._coverage[index]
        if coverage is None:
            coverage = self._coverage[index] = covered_chars(self.faces(index)["regular"])
        return code in coverage

    def font_for(self, char: str, face: str) -> str | None:
        code = ord(char)
        own = self.by_script.get(script_of(char)) if code >= 0x1100 else None
        if own is not None and self.covers(own, code):
            return self.faces(own)[face]
        for index in range(len(self.files)):
            if self.covers(index, code):
                return self.faces(index)[face]
        return None

    def loaded(self) -> dict[str, str]:
        """Registered font name → file, for every font this set has loaded."""
        return {
            name: str(self.files[index][face_of(faces, name)])
            for index, faces in enumerate(self._faces)
            if faces is not None
            for name in dict.fromkeys(faces.values())
        }

    def primary(self, face: str) -> str:
        return self.faces(0)[face]

    def missing(self, text: str) -> list[str]:
        """Characters no font of the set can draw (spaces and controls excepted)."""
        out = []
        for char in dict.fromkeys(text):
            if char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
                continue
            if self.font_for(char, "regular") is None:
                out.append(char)
        return out


def face_of(faces: dict[str, str], name: str) -> str:
    """The first face (in FACES order) set in the font called `name`."""
    return next(face for face in FACES if faces[face] == name)


def _fallback_face(names: dict[str, str], face: str, regular: str) -> str:
    # A CJK font often has one face: bold text falls back to it rather than fail.
    if face == "bold_italic":
        return names.get("bold", names.get("italic", regular))
    return regular


@lru_cache(maxsize=32_768)  # bounded: a server measures every new clinic name (docs/web.md)
def unit_width(text: str, font: str) -> float:
    """Width of `text` at size 1; widths scale linearly with size."""
    return pdfmetrics.stringWidth(text, font, 1000.0) / 1000.0


@dataclass(frozen=True)
class Piece:
    """An unbreakable fragment in one font, measured at size 1."""

    text: str
    font: str
    color: Color
    href: str | None
    span: int  # index of the source span, so links keep their identity
    unit: float  # width at size 1
    key: tuple[str, Color, str | None, bool]  # pieces with equal keys share a run
    embolden: bool = False  # bold asked of a font with no bold face: drawn stroked


CACHE_LIMIT = 4_000  # tokenized texts kept per layout: a catalogue's, and recent clinics


@lru_cache(maxsize=4096)
def simple(text: str, href: str | None = None) -> Inline:
    """A one-span inline, the same object for the same text: the setter's cache is
    keyed by identity, so texts made during layout must not be new each pass."""
    return (Span(text, href=href),)


@lru_cache(maxsize=1024)
def linked(inline: Inline, href: str | None) -> Inline:
    """`inline` with every span linked to `href` (the same object each pass)."""
    if href is None:
        return inline
    return tuple(Span(s.text, s.bold, s.italic, href) for s in inline)


_KEYS: dict[tuple[str, Color, str | None, bool], tuple[str, Color, str | None, bool]] = {}
_MAX_KEYS = 4_096  # every clinic's links are new keys: the oldest go (never those in use)


def piece(
    text: str, font: str, color: Color, href: str | None, span: int, embolden: bool = False
) -> Piece:
    # Interned keys: line building compares them by identity, once per piece.
    wanted = (font, color, href, embolden)
    key = _KEYS[wanted] = _KEYS.pop(wanted, wanted)  # interned, and now the most recently used
    if len(_KEYS) > _MAX_KEYS:
        del _KEYS[next(iter(_KEYS))]  # the least recently used: never a key in use
    return Piece(text, font, color, href, span, unit_width(text, font), key, embolden)


@dataclass
class Segment:
    """Consecutive pieces of a line that share font, colour and link: one run."""

    first: Piece
    parts: list[str]
    unit: float

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass
class Line:
    segments: list[Segment]
    unit: float  # width at size 1; multiply by the size

    def width(self, size: float) -> float:
        return self.unit * size


def _add(segments: list[Segment], part: Piece) -> None:
    if segments and segments[-1].first.key is part.key:
        last = segments[-1]
        last.parts.append(part.text)
        last.unit += part.unit
    else:
        segments.append(Segment(part, [part.text], part.unit))


@dataclass(frozen=True)
class Token:
    """A break unit: pieces that stay together, and the space that precedes it."""

    pieces: tuple[Piece, ...]
    space: Piece | None  # the space before it, dropped at a line start
    unit: float  # width of the pieces at size 1
    # When the space and every piece share one style (most words), the token
    # joins a run as one string: `spaced` after a space, `text` at a line start.
    key: tuple[str, Color, str | None, bool] | None
    text: str
    spaced: str


def token(pieces: list[Piece], space: Piece | None) -> Token:
    key = pieces[0].key if all(p.key is pieces[0].key for p in pieces) else None
    if key is not None and space is not None and space.key is not key:
        key = None
    text = "".join(p.text for p in pieces)
    spaced = (space.text if space else "") + text
    return Token(tuple(pieces), space, sum(p.unit for p in pieces), key, text, spaced)


# Chinese and Japanese (ideographs, kana, CJK punctuation, full-width forms) may break
# between any two characters. Korean is not in the set: it puts spaces between words
# and, as Korean typesetting does, breaks at those spaces only (CSS "keep-all"), so a
# particle never starts a line apart from its word.
_CJK = re.compile(r"[\u2e80-\u312f\u3190-\u9fff\uf900-\ufaff\uff00-\uffef]")
# No line may start with these (closing punctuation) or end with the openers.
# A wave dash joins a range ("3～4周") and is in both sets, so the range never splits.
_NO_START = set("、。，．：；？！）」』】〕〗〙〉》〟’”%％,.:;?!)]}…‥・ー～〜")
_NO_END = set("（「『【〔〖〘〈《〝‘“([{～〜")
# Inside a word, a line may break after a slash or a hyphen ("visits/hospitalization").
_BREAK_AFTER = set("/-–")
_SPACES = re.compile(r"(\s+)")


def _in_number(unit: str, char: str) -> bool:
    """A hyphen between digits holds: "1-877-465-6636" and "3-4" never break."""
    return char.isdigit() and unit[-1] in "-–" and len(unit) > 1 and unit[-2].isdigit()


def _units(text: str) -> Iterator[tuple[str, bool]]:
    """Split a space-free word into break units; the flag says a break may precede it."""
    unit, first = "", True
    for char in text:
        breakable = bool(unit) and (
            (_CJK.match(char) or _CJK.match(unit[-1]) or unit[-1] in _BREAK_AFTER)
            and char not in _NO_START
            and unit[-1] not in _NO_END
            and not (unit[-1] in _BREAK_AFTER and not char.isalnum())
            and not _in_number(unit, char)
        )
        if breakable:
            yield unit, not first
            unit, first = "", False
        unit += char
    if unit:
        yield unit, not first


class Setter:
    """Turns inline spans into tokens, and tokens into lines of a given width.

    Tokens are measured at size 1 and cached, so the fitter's passes at other
    sizes only redo the line filling.
    """

    def __init__(self, fonts: FontSet, link_color: Color) -> None:
        self.fonts = fonts
        self.link_color = link_color
        # Keyed by the inline's identity: a sheet's texts are the same objects in
        # every pass, and hashing them (tuples of spans) cost more than the lookup
        # saved. The entry holds the inline itself, so its id cannot be reused.
        self._cache: dict[tuple[int, str, Color], tuple[Inline, list[Token]]] = {}

    def tokens(self, inline: Inline, face: str, color: Color) -> list[Token]:
        key = (id(inline), face, color)
        entry = self._cache.get(key)
        if entry is None or entry[0] is not inline:
            if len(self._cache) > CACHE_LIMIT:  # a long-lived server sees many sheets
                del self._cache[next(iter(self._cache))]  # the oldest (dicts keep order)
            entry = self._cache[key] = (inline, self._tokenize(inline, face, color))
        return entry[1]

    def _tokenize(self, inline: Inline, face: str, color: Color) -> list[Token]:
        tokens: list[Token] = []
        pending_space: Piece | None = None
        current: list[Piece] = []
        for index, span in enumerate(inline):
            span_face = _face(face, span.bold, span.italic)
            span_color = self.link_color if span.href else color
            for part in _SPACES.split(span.text):
                if not part:
                    continue
                if part.isspace():
                    if current:
                        tokens.append(token(current, pending_space))
                        current = []
                    space_font = self.fonts.primary(span_face)
                    pending_space = piece(" ", space_font, span_color, span.href, index)
                    continue
                for unit, breaks_before in _units(part):
                    if breaks_before and current:
                        tokens.append(token(current, pending_space))
                        current, pending_space = [], None
                    current.extend(self._pieces(unit, span_face, span_color, span.href, index))
        if current:
            tokens.append(token(current, pending_space))
        return tokens

    def _pieces(
        self, text: str, face: str, color: Color, href: str | None, span: int
    ) -> Iterator[Piece]:
        """Split text where the font must change (a Latin word inside Chinese text)."""
        start, font = 0, None
        for i, char in enumerate(text):
            wanted = self.fonts.font_for(char, face) or self.fonts.primary(face)
            if font is None:
                font = wanted
            elif wanted != font:
                yield piece(text[start:i], font, color, href, span, self.fonts.embolden(font, face))
                start, font = i, wanted
        if font is not None:
            yield piece(text[start:], font, color, href, span, self.fonts.embolden(font, face))

    def lines(self, tokens: list[Token], width: float, size: float) -> list[Line]:
        """Greedy line filling; a token wider than a whole line is cut by characters."""
        limit = width / size + 1e-6
        lines: list[Line] = []
        current: list[Segment] = []
        used = 0.0
        for tok in tokens:
            space = tok.space.unit if tok.space and current else 0.0
            if current and used + space + tok.unit > limit:
                lines.append(Line(current, used))
                current, used, space = [], 0.0, 0.0
            if not current and tok.unit > limit:
                for part in _cut(tok.pieces, limit):
                    if current and used + part.unit > limit:
                        lines.append(Line(current, used))
                        current, used = [], 0.0
                    _add(current, part)
                    used += part.unit
                continue
            last = current[-1] if current else None
            if last is not None and tok.key is not None and last.first.key is tok.key:
                # The common case, one step per word: it continues the current run.
                last.parts.append(tok.spaced if space else tok.text)
                last.unit += space + tok.unit
            else:
                if space and tok.space:
                    _add(current, tok.space)
                for part in tok.pieces:
                    _add(current, part)
            used += space + tok.unit
        if current:
            lines.append(Line(current, used))
        return lines

    def count_lines(self, tokens: list[Token], width: float, size: float) -> int:
        """How many lines `lines` would make, without making them (fitter trials)."""
        limit = width / size + 1e-6
        count, used, started = 0, 0.0, False
        for tok in tokens:
            if tok.unit > limit:  # an over-long word: the slow path knows how to cut it
                return len(self.lines(tokens, width, size))
            space = tok.space.unit if tok.space and started else 0.0
            if started and used + space + tok.unit > limit:
                count, used = count + 1, tok.unit
            else:
                used += space + tok.unit
            started = True
        return count + 1 if started else 0


def _cut(pieces: tuple[Piece, ...], limit: float) -> Iterator[Piece]:
    """Emergency breaking of an over-long word: one character at a time."""
    for whole in pieces:
        if whole.unit <= limit:
            yield whole
            continue
        for char in whole.text:
            yield piece(char, whole.font, whole.color, whole.href, whole.span, whole.embolden)


def _face(base: str, bold: bool, italic: bool) -> str:
    bold = bold or base in ("bold", "bold_italic")
    italic = italic or base in ("italic", "bold_italic")
    if bold and italic:
        return "bold_italic"
    return "bold" if bold else "italic" if italic else "regular"
