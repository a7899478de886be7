"""Inline Markdown in text fields: **bold**, *italic* and [links](https://…), nothing else.

markdown-it-py does the parsing (the "zero" preset with only emphasis, links and
backslash escapes switched on), so nesting, escapes and edge cases behave as in
CommonMark. Everything else is literal: no HTML, no entities ("&amp;" prints as
typed), no autolinks. What markdown-it leaves as stray markup (`**` never
closed, a lone `[`) is reported, because in a fact sheet it is almost always a
typo. Link targets are checked here too: https:, mailto: and tel: only.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from factsheet.content.links import Issue, check_href
from factsheet.content.model import Inline, Span

__all__ = ["MAX_WORD", "Issue", "long_words", "parse_inline"]

MAX_WORD = 60  # characters; a longer unbroken word cannot wrap in a column


def _parser() -> MarkdownIt:
    md = MarkdownIt("zero").enable(["emphasis", "link", "escape"])
    md.disable("text_join")  # keeps escaped characters apart from stray markup
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # check_href decides
    return md


_MD = _parser()
_MARKUP = re.compile(r"[*_\[\]\\`<&!]")  # any character markdown-it could act on
_SPACES = re.compile(r"[ \t\r\n]+")  # not no-break spaces: those are meant to hold
_STRAY = re.compile(r"\*+|\[|\]|(?<!\w)_+|_+(?!\w)")
_EMPTY_LINK = "a link with no text: nothing would print and nothing could be clicked"
_EMPTY_LINK_HINT = "write the words a reader clicks between the brackets: [helpline](tel:…)"
_STRAY_HINTS = {
    "*": "close it, or write \\* for a literal asterisk",
    "_": "close it, or write \\_ for a literal underscore",
    "[": "a link is [text](https://…); write \\[ for a literal bracket",
    "]": "a link is [text](https://…); write \\] for a literal bracket",
}


def parse_inline(text: str) -> tuple[Inline, list[Issue]]:
    """Spans for `text` (whitespace runs become one space) and what is wrong with it."""
    spans, issues = _parsed(text)
    return spans, list(issues)  # the caller's own list: it may add to it


# A string is parsed by the model builder, then again by the glyph check (and the
# guard, for a translation), and a sheet loaded again has the same strings: parsed
# once, by text, in a bounded cache (a server meets every clinic's text).
@lru_cache(maxsize=8192)
def _parsed(text: str) -> tuple[Inline, tuple[Issue, ...]]:
    source = _SPACES.sub(" ", text).strip()
    if source and not _MARKUP.search(source):
        return (Span(source),), ()  # most strings: nothing for markdown-it to find
    issues: list[Issue] = []
    tokens = _MD.parseInline(source)
    children = tokens[0].children if tokens and tokens[0].children else []
    spans = _merge(_spans(children, issues))
    return spans, tuple(dict.fromkeys(issues))  # one report per distinct mistake


def _spans(tokens: list[Token], issues: list[Issue]) -> list[Span]:
    """Walk the token stream keeping the current bold/italic depth and link."""
    spans: list[Span] = []
    bold = italic = 0
    href: str | None = None
    link_start = 0  # where the open link's spans begin
    for token in tokens:
        kind = token.type
        if kind in ("text", "text_special"):
            if kind == "text":
                issues.extend(_stray(token.content))
            spans.append(Span(token.content, bold > 0, italic > 0, href))
        elif kind in ("strong_open", "strong_close"):
            bold += 1 if kind == "strong_open" else -1
        elif kind in ("em_open", "em_close"):
            italic += 1 if kind == "em_open" else -1
        elif kind == "link_open":
            href = _link(str(token.attrGet("href") or ""), issues)
            link_start = len(spans)
        elif kind == "link_close":
            if not "".join(span.text for span in spans[link_start:]).strip():
                issues.append(Issue(_EMPTY_LINK, _EMPTY_LINK_HINT))
            href = None
        elif kind in ("softbreak", "hardbreak"):
            spans.append(Span(" ", bold > 0, italic > 0, href))
    return spans


def _link(href: str, issues: list[Issue]) -> str | None:
    """The link target to keep, or None after recording why it is refused."""
    normalised, problem = check_href(href)
    if problem is not None:
        issues.append(problem)
        return None
    return normalised


def _stray(text: str) -> list[Issue]:
    """Markup characters markdown-it left as text: unclosed or stray, never wanted."""
    issues = []
    for match in _STRAY.finditer(text):
        mark = match.group()
        message = f"unclosed or stray inline markup '{mark}'"
        issues.append(Issue(message, _STRAY_HINTS[mark[0]]))
    return issues


def _merge(spans: list[Span]) -> Inline:
    """Join neighbours with the same style, so renderers get the fewest runs."""
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        last = merged[-1] if merged else None
        if last and (last.bold, last.italic, last.href) == (span.bold, span.italic, span.href):
            merged[-1] = Span(last.text + span.text, span.bold, span.italic, span.href)
        else:
            merged.append(span)
    return tuple(merged)


# Letters of scripts written without spaces (CJK, kana, hangul) are break points of their own.
_WORD_CHAR = r"(?:[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|[\u00a0\u2007\u202f])"
_WORD_START = (
    r"(?<![^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef])(?<![\u00a0\u2007\u202f])"
)


@lru_cache(maxsize=4)
def _longer_than(limit: int) -> re.Pattern[str]:
    """Whole words of more than `limit` characters (the regex engine skips the rest)."""
    return re.compile(f"{_WORD_START}{_WORD_CHAR}{{{limit + 1},}}")


# No-break spaces hold a word together: read as letters, a split at whitespace then gives
# runs at least as long as the words (a CJK letter only ever ends one sooner).
_JOINED = str.maketrans("\u00a0\u2007\u202f", "xxx")


def long_words(text: str, limit: int = MAX_WORD) -> list[Issue]:
    """Words in the visible `text` too long to wrap (no-break spaces do not break them)."""
    if max(map(len, text.translate(_JOINED).split()), default=0) <= limit:
        return []  # nearly every text: no run of that length at all
    seen: set[str] = set()
    issues = []
    for match in _longer_than(limit).finditer(text):
        word = match.group()
        if word not in seen:
            seen.add(word)
            message = f"the word '{word[:30]}…' is {len(word):,} characters long"
            issues.append(Issue(message, "it cannot wrap; add spaces or shorten it"))
    return issues
