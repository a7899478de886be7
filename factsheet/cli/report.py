"""How problems look on stderr: one line each, plus the source line and a caret on a terminal.

    error: content/x/en.yaml:25:13: dates.reviewed: '2026-11-72' is not a date: …
       |
    25 |   reviewed: 2026-11-72
       |             ^^^^^^^^^^

Off a terminal (logs, CI, pipes) only the one-line form is printed, so a log
stays one line per problem. Colour only on a terminal and never with NO_COLOR
set (https://no-color.org). Text that came from input files is shown with its
control characters escaped: a terminal never receives an escape sequence
from a sheet, a catalog or a PDF.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from factsheet.errors import Problem

# C0/C1 controls, DEL, and the bidi overrides that can make a line read other than it is.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_UNSAFE_LINE = re.compile(_UNSAFE.pattern[:-1] + r"\n\t]")  # one-line output: no breaks
_TOKEN_END = re.compile(r"[\s,}\]#]")
MAX_SOURCE_BYTES = 1_048_576  # the YAML loader's cap: a bigger file was refused anyway


def plural(count: int, noun: str) -> str:
    """ "1 page", "2 pages": the count with its noun in the right number."""
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def escaped(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with control characters written as \\xNN / \\uNNNN (newlines kept if asked)."""
    return (_UNSAFE if keep_newlines else _UNSAFE_LINE).sub(_escape_one, text)


def _escape_one(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


@dataclass(frozen=True)
class Excerpt:
    """The source line of a problem and where its caret goes (display columns)."""

    line_number: int
    text: str  # escaped, tabs as spaces
    caret_column: int  # 0-based, in terminal cells
    caret_width: int


def excerpt(problem: Problem) -> Excerpt | None:
    """The line a problem points at, or None when it has no line or the file cannot be read."""
    if problem.line < 1:
        return None
    try:
        with Path(problem.file).open("rb") as stream:
            raw = stream.read(MAX_SOURCE_BYTES)
    except (OSError, ValueError):
        return None
    lines = raw.decode("utf-8", "replace").splitlines()
    if problem.line > len(lines):
        return None
    line = lines[problem.line - 1].replace("\t", " ")
    if problem.column < 1:  # the line is known, not the place in it: underline all of it
        start, end = len(line) - len(line.lstrip()), len(line.rstrip())
    else:
        start = min(problem.column - 1, len(line))
        end = _token_end(line, start)
    before = escaped(line[:start])
    token = escaped(line[start:end])
    return Excerpt(
        problem.line,
        before + token + escaped(line[end:]),
        cells(before),
        max(cells(token), 1),
    )


def _token_end(line: str, start: int) -> int:
    """Where the value starting at `start` ends: a quoted string to its quote, else a space."""
    if start < len(line) and line[start] in "\"'":
        close = line.find(line[start], start + 1)
        return close + 1 if close > 0 else len(line)
    found = _TOKEN_END.search(line, start)
    return found.start() if found else len(line)


def cells(text: str) -> int:
    """Terminal cells `text` takes: East Asian wide characters take two, combining marks none."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return width


class Reporter:
    """Writes problems to a stream, deciding once whether to show sources and colour."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        tty = _isatty(self.stream)
        self.sources = tty
        self.colour = tty and not os.environ.get("NO_COLOR")

    def _paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.colour else text

    def error(self, message: str) -> None:
        print(f"{self._paint('error:', '1;31')} {escaped(message)}", file=self.stream)

    def warning(self, message: str) -> None:
        print(f"{self._paint('warning:', '1;33')} {escaped(message)}", file=self.stream)

    def problem(self, problem: Problem) -> None:
        self.error(str(problem))
        found = excerpt(problem) if self.sources else None
        if found is None:
            return
        number = str(found.line_number)
        gutter = " " * len(number)
        bar = self._paint("|", "1;34")
        caret = self._paint("^" * found.caret_width, "1;31")
        print(f"{gutter} {bar}", file=self.stream)
        print(f"{self._paint(number, '1;34')} {bar} {found.text}", file=self.stream)
        print(f"{gutter} {bar} {' ' * found.caret_column}{caret}", file=self.stream)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
