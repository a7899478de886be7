"""Typed errors shared by every stage.

Library code raises these; only the command line turns them into messages and
exit codes (2 for bad input, 1 for a build that failed on good input).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, with enough detail to fix it."""

    file: str
    line: int  # 1-based; 0 when the problem is about the whole file
    column: int  # 1-based; 0 when unknown
    path: str  # key path inside the file, e.g. "pages[0].main[2].paragraph"; "" for the file
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        text = f"{where}: {self.path + ': ' if self.path else ''}{self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


class FactsheetError(Exception):
    """Base class of every error factsheet raises on purpose."""


class InputError(FactsheetError):
    """Bad input: every problem found in the input, reported together (exit 2)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class ContentError(InputError):
    """A sheet's YAML (or a catalog) is malformed or breaks a content rule."""


class LayoutThemeError(InputError):
    """A layout file is malformed, or names a layout that does not exist."""


class FitError(InputError):
    """Content that cannot fit its regions even at the layout's smallest type."""


class BuildError(FactsheetError):
    """A build failed for a reason that is not the input's fault (exit 1)."""


class OutputError(BuildError):
    """A file could not be written for a reason outside the input: a full or read-only disk,
    no permission (exit 1). Its message is one line naming the file."""
