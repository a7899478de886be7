"""Fonts, measurement and line breaking.

In: inline spans and a text style. Out: lines of runs with their widths.

We break lines ourselves rather than through ReportLab's Paragraph: it keeps user
text away from Paragraph markup entirely, it gives us every run's exact position
(for links and tags), and widths measured once at unit size make the fitter's
repeated passes cheap.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from factsheet.content.model import Inline, Span
from factsheet.layout.bidi import levels, visual_order
from factsheet.layout.frames import Color
from factsheet.layout.hyphenate import address_points, cut_points, looks_like_address
from factsheet.layout.linebreak import SHY, SPACES, break_units
from factsheet.layout.shaping import shape

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
    (0x0600, 0x06FF, "arabic"),  # letters, ، ؛ ؟, Arabic-Indic digits
    (0x0750, 0x077F, "arabic"),  # supplement
    (0x08A0, 0x08FF, "arabic"),  # extended-A
    (0x0900, 0x097F, "devanagari"),  # letters, signs, danda, digits
    (0x1100, 0x11FF, "hangul"),  # jamo
    (0x1CD0, 0x1CFF, "devanagari"),  # Vedic extensions
    (0x2E80, 0x2FDF, "cjk"),  # radicals
    (0x3000, 0x303F, "cjk"),  # CJK symbols and punctuation
    (0x3040, 0x30FF, "cjk"),  # kana
    (0x3100, 0x312F, "cjk"),  # bopomofo
    (0x3130, 0x318F, "hangul"),  # compatibility jamo
    (0x31A0, 0x31FF, "cjk"),
    (0x3400, 0x4DBF, "cjk"),  # ideographs, extension A
    (0x4E00, 0x9FFF, "cjk"),  # ideographs
    (0xA8E0, 0xA8FF, "devanagari"),  # extended
    (0xA960, 0xA97F, "hangul"),
    (0xAC00, 0xD7FF, "hangul"),  # syllables and jamo extended-B
    (0xF900, 0xFAFF, "cjk"),  # compatibility ideographs
    (0xFB50, 0xFDFF, "arabic"),  # presentation forms A
    (0xFE30, 0xFE4F, "cjk"),  # vertical and compatibility forms
    (0xFE70, 0xFEFF, "arabic"),  # presentation forms B
    (0xFF00, 0xFFEF, "cjk"),  # full-width forms
    (0x20000, 0x3FFFF, "cjk"),  # ideographs, supplementary planes
)


def script_of(char: str) -> str:
    """The layout font key ("arabic", "devanagari", "hangul", "cjk") for `char`, or "" for
    any other."""
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
        own = self.by_script.get(script_of(char)) if code >= 0x0600 else None
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


@lru_cache(maxsize=16_384)  # bounded: a server measures every new clinic name (docs/web.md)
def unit_width(text: str, font: str, rtl: bool = False) -> float:
    """Width of `text` at size 1; widths scale linearly with size."""
    return shape(text, font, rtl).width  # HarfBuzz's advances: kerning, ligatures, joining


@dataclass(frozen=True)
class Piece:
    """An unbreakable fragment in one font, measured at size 1."""

    text: str
    font: str
    color: Color
    href: str | None
    span: int  # index of the source span, so links keep their identity
    unit: float  # width at size 1
    key: Key  # pieces with equal keys share a run
    embolden: bool = False  # bold asked of a font with no bold face: drawn stroked
    soft: bool = False  # the hyphen shown at a soft break: not part of the text
    level: int = 0  # bidi embedding level (layout/bidi.py): odd is set right to left


# font, colour, link, bold, soft, span, bidi level
Key = tuple[str, Color, str | None, bool, bool, int, int]
CACHE_LIMIT = 2_000  # tokenized texts per layout: a catalogue's (5 editions: 361), recent clinics


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
    return tuple(replace(s, href=href) for s in inline)


_KEYS: dict[Key, Key] = {}
_MAX_KEYS = 1_024  # every clinic's links are new keys: the oldest go (never those in use)


def piece(
    text: str,
    font: str,
    color: Color,
    href: str | None,
    span: int,
    embolden: bool = False,
    soft: bool = False,
    level: int = 0,
) -> Piece:
    # Interned keys: line building compares them by identity, once per piece. The
    # span is in the key so that a run never straddles two spans (a name marked as
    # another language gets runs, and so a tag, of its own).
    wanted = (font, color, href, embolden, soft, span, level)
    key = _KEYS[wanted] = _KEYS.pop(wanted, wanted)  # interned, and now the most recently used
    if len(_KEYS) > _MAX_KEYS:
        del _KEYS[next(iter(_KEYS))]  # the least recently used: never a key in use
    unit = unit_width(text, font, level % 2 == 1)
    return Piece(text, font, color, href, span, unit, key, embolden, soft, level)


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
    segments: list[Segment]  # in logical (reading) order
    unit: float  # width at size 1 of what shows (not the space at its end); times the size
    # The segments' indexes from left to right, when that is not their logical order
    # (right-to-left text: UAX #9's rule L2 over the segments' bidi levels).
    order: list[int] | None = None

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
    """A break unit: pieces that stay together, then the space after them.

    A line may end after any token. The space at a line end is still drawn (a
    screen reader must hear "called bone", not "calledbone") but takes no room;
    a token ending in a soft hyphen, or cut by hyphenation, shows `hyphen` only
    when a line ends after it.
    """

    pieces: tuple[Piece, ...]
    space: Piece | None  # the space after it, drawn but not measured at a line end
    hyphen: Piece | None  # shown when a line ends here (a soft or hyphenation break)
    unit: float  # width of the pieces at size 1
    # When the space and every piece share one style (most words), the token
    # joins a run as one string.
    key: Key | None
    text: str  # the pieces' text
    spaced: str  # the pieces' text and the space after it
    space_unit: float  # the space's width at size 1 (0 without one): read in every fill


def token(pieces: list[Piece], space: Piece | None, hyphen: Piece | None = None) -> Token:
    key: Key | None = pieces[0].key
    if not all(p.key is key for p in pieces) or (space is not None and space.key is not key):
        key = None
    text = "".join(p.text for p in pieces)
    spaced = text + (space.text if space else "")
    unit = sum(p.unit for p in pieces)
    space_unit = space.unit if space else 0.0
    return Token(tuple(pieces), space, hyphen, unit, key, text, spaced, space_unit)


class Setter:
    """Turns inline spans into tokens, and tokens into lines of a given width.

    Tokens are measured at size 1 and cached, so the fitter's passes at other
    sizes only redo the line filling. Break opportunities are UAX #14's
    (linebreak.py); a word wider than a whole line is hyphenated (hyphenate.py).
    """

    def __init__(self, fonts: FontSet, link_color: Color) -> None:
        self.fonts = fonts
        self.link_color = link_color
        # Keyed by the inline's identity: a sheet's texts are the same objects in
        # every pass, and hashing them (tuples of spans) cost more than the lookup
        # saved. The entry holds the inline itself, so its id cannot be reused.
        self._cache: dict[tuple[int, str, Color, str, bool], tuple[Inline, list[Token]]] = {}
        # Then by value, on an identity miss: a sheet loaded again (a rebuild from
        # files, an edit seen by `watch`) has new objects for the same texts, and
        # only the paragraphs whose text changed need tokenizing again.
        self._by_text: dict[tuple[Inline, str, Color, str, bool], list[Token]] = {}
        # A token's hyphenated fragments, keyed (and kept alive) the same way.
        self._split: dict[tuple[int, str], tuple[Token, tuple[Token, ...]]] = {}

    def tokens(
        self, inline: Inline, face: str, color: Color, lang: str = "", rtl: bool = False
    ) -> list[Token]:
        """`inline`'s break units as tokens; `rtl` when its paragraph is right to left."""
        key = (id(inline), face, color, lang, rtl)
        entry = self._cache.get(key)
        if entry is None or entry[0] is not inline:
            if len(self._cache) > CACHE_LIMIT:  # a long-lived server sees many sheets
                del self._cache[next(iter(self._cache))]  # the oldest (dicts keep order)
            entry = self._cache[key] = (inline, self._tokens_of(inline, face, color, lang, rtl))
        return entry[1]

    def _tokens_of(
        self, inline: Inline, face: str, color: Color, lang: str, rtl: bool
    ) -> list[Token]:
        key = (inline, face, color, lang, rtl)
        tokens = self._by_text.pop(key, None)  # re-inserted below: now the most recent
        if tokens is None:
            tokens = _Tokens(self._tokenize(inline, face, color, lang, rtl))
            if len(self._by_text) >= CACHE_LIMIT:
                del self._by_text[next(iter(self._by_text))]  # the least recently used
        self._by_text[key] = tokens
        return tokens

    def _tokenize(
        self, inline: Inline, face: str, color: Color, lang: str, rtl: bool
    ) -> list[Token]:
        text = "".join(span.text for span in inline)
        level = levels(text, rtl, _links(inline))  # None: all left to right, no bidi work
        styles = [
            (_face(face, s.bold, s.italic), self.link_color if s.href else color, s.href)
            for s in inline
        ]
        owner = [i for i, span in enumerate(inline) for _ in span.text]  # span of each char
        tokens: list[Token] = []
        start = 0
        for unit in break_units(text, lang):
            end = start + len(unit)
            stop = end
            while stop > start and text[stop - 1] in SPACES:
                stop -= 1
            pieces = self._run_pieces(text, owner, styles, start, stop, level)
            space = None
            if stop < end:
                span_face, span_color, href = styles[owner[stop]]
                font = self.fonts.primary(span_face)
                if pieces and 0x20 in covered_chars(pieces[-1].font):
                    font = pieces[-1].font  # the word's own font: one run, one text object
                at = level[stop] if level else 0
                space = piece(" ", font, span_color, href, owner[stop], level=at)
            if pieces:
                last = pieces[-1]
                hyphen = None
                if text[stop - 1] == SHY:
                    hyphen = _hyphen_piece(last)
                tokens.append(token(pieces, space, hyphen))
            elif space is not None and tokens and tokens[-1].space is None:
                tokens[-1] = token(list(tokens[-1].pieces), space, tokens[-1].hyphen)
            start = end
        return tokens

    def _run_pieces(
        self,
        text: str,
        owner: list[int],
        styles: list[tuple[str, Color, str | None]],
        start: int,
        stop: int,
        level: tuple[int, ...] | None,
    ) -> list[Piece]:
        """The pieces of text[start:stop], split where the span, the bidi level or the
        font changes."""
        out: list[Piece] = []
        i = start
        while i < stop:
            span = owner[i]
            at = level[i] if level else 0
            j = i
            while j < stop and owner[j] == span and (not level or level[j] == at):
                j += 1
            part = text[i:j].replace(SHY, "")
            if part:
                face, color, href = styles[span]
                out.extend(self._pieces(part, face, color, href, span, at))
            i = j
        return out

    def _pieces(
        self, text: str, face: str, color: Color, href: str | None, span: int, level: int = 0
    ) -> Iterator[Piece]:
        """Split text where the font must change (a Latin word inside Chinese text)."""
        start, font = 0, None
        for i, char in enumerate(text):
            if font is not None and _punctuation(char) and ord(char) in covered_chars(font):
                continue  # "छोटा-सा": a hyphen in the word's own font keeps it one run
            wanted = self.fonts.font_for(char, face) or self.fonts.primary(face)
            if font is None:
                font = wanted
            elif wanted != font:
                bold = self.fonts.embolden(font, face)
                yield piece(text[start:i], font, color, href, span, bold, level=level)
                start, font = i, wanted
        if font is not None:
            bold = self.fonts.embolden(font, face)
            yield piece(text[start:], font, color, href, span, bold, level=level)

    # -- words wider than a line ---------------------------------------------------

    def _hyphenated(self, tok: Token, lang: str) -> tuple[Token, ...]:
        """`tok` cut at every hyphenation point (links are never cut); (tok,) if none."""
        key = (id(tok), lang)
        entry = self._split.get(key)
        if entry is None or entry[0] is not tok:
            if any(p.href for p in tok.pieces) or looks_like_address(tok.text):
                # A link or an address is never hyphenated (a hyphen would change it);
                # it may break before a dot or @ and after a slash, with no mark.
                parts = _cut_token(tok, address_points(tok.text), hyphenate=False)
            else:
                parts = _cut_token(tok, cut_points(tok.text, lang))
            if len(self._split) > CACHE_LIMIT:  # bounded like the tokens (a server's memory)
                del self._split[next(iter(self._split))]
            entry = self._split[key] = (tok, parts)
        return entry[1]

    def _fitting(self, tokens: list[Token], limit: float, lang: str) -> list[Token]:
        """`tokens`, with any wider than `limit` replaced by its hyphenated fragments."""
        if getattr(tokens, "widest", limit + 1.0) <= limit or all(t.unit <= limit for t in tokens):
            return tokens  # a text's widest word is known (_Tokens): one comparison
        out: list[Token] = []
        for tok in tokens:
            out.extend(self._hyphenated(tok, lang) if tok.unit > limit else (tok,))
        return out

    def unfit_word(self, tokens: list[Token], width: float, size: float, lang: str = "") -> str:
        """The first word that cannot fit `width` even hyphenated ("" when all fit)."""
        limit = width / size + 1e-6
        if getattr(tokens, "widest", limit + 1.0) <= limit:
            return ""  # every word fits whole (most texts): no need to look further
        for tok in tokens:
            if tok.unit > limit:
                for part in self._hyphenated(tok, lang):
                    if part.unit + (part.hyphen.unit if part.hyphen else 0.0) > limit:
                        return tok.text
        return ""

    def min_content(self, tokens: list[Token], lang: str = "") -> tuple[float, str]:
        """The narrowest width at size 1 the text can be set in, and the word that sets
        it: the widest word fragment with its hyphen, hyphenating where the language
        allows (and links and numbers never). For tables sized by content."""
        widest, word = 0.0, ""
        for tok in tokens:
            for part in self._hyphenated(tok, lang):
                unit = part.unit + (part.hyphen.unit if part.hyphen else 0.0)
                if unit > widest:
                    widest, word = unit, tok.text
        return widest, word

    @staticmethod
    def natural_unit(tokens: list[Token]) -> float:
        """The width at size 1 of the text set on one line."""
        if not tokens:
            return 0.0
        return sum(t.unit + t.space_unit for t in tokens) - tokens[-1].space_unit

    # -- lines ---------------------------------------------------------------------

    def _starts(self, tokens: list[Token], limit: float) -> list[int]:
        """Greedy line filling: the index of the token that starts each line."""
        starts: list[int] = []
        used = 0.0
        last = len(tokens) - 1
        for i, tok in enumerate(tokens):
            need = tok.unit
            if tok.hyphen is not None and (
                i == last or used + tok.unit + tok.space_unit + tokens[i + 1].unit > limit
            ):
                need += tok.hyphen.unit  # the line may end here: room for the hyphen
            if not starts or used + need > limit:
                starts.append(i)
                used = 0.0
            used += tok.unit + tok.space_unit
        return starts

    def lines(self, tokens: list[Token], width: float, size: float, lang: str = "") -> list[Line]:
        """Greedy line filling; a word wider than a whole line is hyphenated."""
        limit = width / size + 1e-6
        tokens = self._fitting(tokens, limit, lang)
        starts = self._starts(tokens, limit)
        if not starts:
            return []
        return [
            _line(tokens[a:b], b < len(tokens))
            for a, b in zip(starts, [*starts[1:], len(tokens)], strict=True)
        ]

    def count_lines(self, tokens: list[Token], width: float, size: float, lang: str = "") -> int:
        """How many lines `lines` would make, without making them (fitter trials)."""
        limit = width / size + 1e-6
        return len(self._starts(self._fitting(tokens, limit, lang), limit))


def _line(tokens: list[Token], broken: bool) -> Line:
    """One line of `tokens`; `broken` when a line follows (a soft hyphen then shows)."""
    segments: list[Segment] = []
    for tok in tokens:
        last = segments[-1] if segments else None
        if last is not None and tok.key is not None and last.first.key is tok.key:
            # The common case, one step per word: it continues the current run.
            last.parts.append(tok.spaced)
            last.unit += tok.unit + tok.space_unit
            continue
        for part in tok.pieces:
            _add(segments, part)
        if tok.space is not None:
            _add(segments, tok.space)
    end = tokens[-1]
    unit = sum(t.unit + t.space_unit for t in tokens) - end.space_unit
    if broken and end.hyphen is not None:
        # The hyphen goes before the space (if any) so the line reads "osteo-".
        if end.space is not None:
            _pop_space(segments, end.space)
        _add(segments, end.hyphen)
        unit += end.hyphen.unit
    if any(segment.first.level for segment in segments):
        segments = [part for segment in segments for part in _neutral_end(segment)]
        return Line(segments, unit, visual_order([s.first.level for s in segments]))
    return Line(segments, unit)


_NEUTRAL = frozenset(("WS", "ON", "CS", "ES", "ET", "B", "S"))


def _neutral_end(segment: Segment) -> tuple[Segment, ...]:
    """A right-to-left segment, with the spaces and punctuation that end it ("العظمية. ")
    as a segment of their own: drawn after its letters, they are read after them by
    extractors that reorder glyphs themselves (pypdf keeps neutrals where they are
    until it meets a right-to-left letter)."""
    text = segment.text
    if segment.first.level % 2 == 0:
        return (segment,)
    cut = len(text)
    while cut and unicodedata.bidirectional(text[cut - 1]) in _NEUTRAL:
        cut -= 1
    if cut in (0, len(text)):
        return (segment,)
    tail = unit_width(text[cut:], segment.first.font, True)
    head = Segment(segment.first, [text[:cut]], segment.unit - tail)
    return head, Segment(segment.first, [text[cut:]], tail)


def _pop_space(segments: list[Segment], space: Piece) -> None:
    last = segments[-1]
    last.parts[-1] = last.parts[-1][: -len(space.text)]
    last.unit -= space.unit
    if not last.text:
        segments.pop()


def _hyphen_piece(last: Piece) -> Piece:
    return piece("-", last.font, last.color, last.href, last.span, last.embolden, True, last.level)


def _cut_token(tok: Token, points: tuple[int, ...], hyphenate: bool = True) -> tuple[Token, ...]:
    """Fragments of `tok` at `points` (offsets in tok.text), each but the last hyphenated
    (with `hyphenate`; an address breaks with no mark)."""
    if not points:
        return (tok,)
    bounds = [0, *points, len(tok.text)]
    out: list[Token] = []
    for a, b in itertools.pairwise(bounds):
        pieces = _slice_pieces(tok.pieces, a, b)
        if b == len(tok.text):
            out.append(token(pieces, tok.space, tok.hyphen))
        else:
            out.append(token(pieces, None, _hyphen_piece(pieces[-1]) if hyphenate else None))
    return tuple(out)


def _slice_pieces(pieces: tuple[Piece, ...], a: int, b: int) -> list[Piece]:
    out = []
    at = 0
    for p in pieces:
        lo, hi = max(a, at), min(b, at + len(p.text))
        if lo < hi:
            text = p.text[lo - at : hi - at]
            out.append(
                p
                if text == p.text
                else piece(text, p.font, p.color, p.href, p.span, p.embolden, level=p.level)
            )
        at += len(p.text)
    return out


class _Tokens(list[Token]):
    """A text's tokens, with the width of the widest (the common "all fit" test is one
    comparison)."""

    def __init__(self, tokens: list[Token]) -> None:
        super().__init__(tokens)
        self.widest = max((t.unit for t in tokens), default=0.0)


def _links(inline: Inline) -> tuple[tuple[int, int], ...]:
    """Where the linked spans are in the inline's text (phone numbers, addresses: they
    read left to right inside right-to-left text)."""
    out, at = [], 0
    for span in inline:
        if span.href:
            out.append((at, at + len(span.text)))
        at += len(span.text)
    return tuple(out)


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] == "P"


def _face(base: str, bold: bool, italic: bool) -> str:
    bold = bold or base in ("bold", "bold_italic")
    italic = italic or base in ("italic", "bold_italic")
    if bold and italic:
        return "bold_italic"
    return "bold" if bold else "italic" if italic else "regular"
