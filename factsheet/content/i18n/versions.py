"""Editorial and clinical changes of the English, and where each translation stands.

The English carries its version and a change log in en.yaml:

    version: 3
    changes:
      - {version: 3, date: 2026-12-01, kind: editorial, summary: "…", signed_off_by: "…"}
      - {version: 2, date: 2026-11-29, kind: clinical, summary: "…", signed_off_by: "…"}

and each catalog records the version it translates in its `X-Source-Version`
header (written by `factsheet i18n update` once the catalog is complete). A
translation of an older version is:

- **behind** when every later change is editorial: it still builds, from the
  translations it has (a fuzzy entry uses its previous translation), marked in
  its keywords/XMP as one version behind;
- **withdrawn** when a later change is clinical (or has no record saying it is
  not): it does not build until a translator has updated it.

`translation_state` is what the website asks before publishing an edition.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from factsheet.errors import FactsheetError, InputError

SOURCE_VERSION_HEADER = "X-Source-Version"
BEHIND_KEYWORD = "translation one version behind the English"

State = Literal["current", "behind", "withdrawn"]


@dataclass(frozen=True)
class Change:
    version: int
    date: dt.date | None
    kind: str  # "clinical" | "editorial"
    summary: str
    signed_off_by: str

    def describe(self) -> str:
        when = f" ({self.date.isoformat()})" if self.date else ""
        return (
            f"version {self.version}{when} is a {self.kind} change signed off by "
            f'{self.signed_off_by}: "{self.summary}"'
        )


@dataclass(frozen=True)
class History:
    version: int | None  # None: the sheet does not record versions
    changes: tuple[Change, ...]

    def since(self, translates: int) -> list[Change]:
        """The changes after version `translates`, oldest first; a version with no record
        counts as clinical (nobody has said it is safe to keep the old translation)."""
        if self.version is None:
            return []
        recorded = {c.version: c for c in self.changes}
        return [
            recorded.get(v) or Change(v, None, "clinical", "no change record", "nobody")
            for v in range(translates + 1, self.version + 1)
        ]


@dataclass(frozen=True)
class TranslationState:
    """Where one translation stands against the current English."""

    state: State
    current: int | None  # the English version
    translates: int | None  # the version the catalog translates (None: not recorded)
    reason: str = ""  # why it is behind or withdrawn


def history(data: Any) -> History:
    """The version and change log of an en.yaml's data (already schema-checked)."""
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        return History(None, ())
    changes = tuple(
        Change(
            int(item["version"]),
            _date(item.get("date")),
            str(item["kind"]),
            str(item["summary"]),
            str(item["signed_off_by"]),
        )
        for item in data.get("changes") or []
        if isinstance(item, dict) and {"version", "kind", "summary", "signed_off_by"} <= item.keys()
    )
    return History(int(data["version"]), changes)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def catalog_version(metadata: dict[str, str]) -> int | None:
    """The English version a catalog translates, from its header; None if absent or unreadable."""
    raw = str(metadata.get(SOURCE_VERSION_HEADER, "")).strip()
    return int(raw) if raw.isdigit() else None


def standing(source: History, translates: int | None) -> tuple[State, list[Change]]:
    """current, behind (editorial changes only) or withdrawn (a clinical one), and why."""
    if source.version is None or translates is None or translates >= source.version:
        return "current", []
    later = source.since(translates)
    if any(change.kind != "editorial" for change in later):
        return "withdrawn", [c for c in later if c.kind != "editorial"]
    return "behind", later


def translation_state(sheet_dir: Path, lang: str) -> TranslationState:
    """Whether the website may publish `lang`'s edition of the sheet, and why not.

    withdrawn: a clinical change since the catalog's version, or the edition
    does not build for any other reason; behind: it builds, one or more
    editorial versions behind (its PDF says so); current otherwise.
    """
    from factsheet.content.i18n.catalog import read_catalog
    from factsheet.content.i18n.edition import open_edition
    from factsheet.content.yamlfile import load_yaml

    try:
        source = history(load_yaml(sheet_dir / "en.yaml").data)
        translates = catalog_version(read_catalog(sheet_dir / f"{lang}.po").po.metadata)
        state, changes = standing(source, translates)
        open_edition(sheet_dir, lang)
    except (InputError, FactsheetError) as error:
        problems = getattr(error, "problems", None)
        reason = str(problems[0]) if problems else str(error)
        return TranslationState("withdrawn", None, None, reason)
    reason = "; ".join(change.describe() for change in changes)
    return TranslationState(state, source.version, translates, reason)
