"""What an audit finds: failures with their location, and the tag tree as an outline."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    """One failed check, with where it is (page, operator or structure path)."""

    check: str  # a short name: content, parent-tree, headings, tables, figures, links, …
    where: str  # e.g. "page 1, operator 57 (Tj) near (36, 675)" or "page 2, Document/Table[1]"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.check}]" if self.where else self.message


@dataclass(frozen=True)
class Counts:
    """What the audit looked at, for the summary line."""

    pages: int = 0
    elements: int = 0
    tagged: int = 0  # marked-content sequences belonging to an element
    artifacts: int = 0  # artifact sequences
    annotations: int = 0


@dataclass(frozen=True)
class AuditReport:
    """The result of auditing one file: `ok` when nothing failed."""

    file: str
    failures: tuple[Finding, ...]
    outline: tuple[str, ...]  # the tag tree, indented, in reading order
    text: str  # the text a screen reader gets, in structure (reading) order
    counts: Counts = field(default_factory=Counts)

    @property
    def ok(self) -> bool:
        return not self.failures
