"""Series settings: content/series.yaml → `Series` (defaults when the file is absent).

One file beside the sheet folders holds what the whole series agrees on: how
long a medical review holds, and the plain-language targets per language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from factsheet.content.yamlfile import load_schema, load_yaml, validate_schema
from factsheet.errors import ContentError

SERIES_FILE = "series.yaml"
SCHEMA_PATH = Path(__file__).parent / "schemas" / "series.schema.json"


@dataclass(frozen=True)
class Target:
    formula: str  # a textstat function name
    max: float | None = None  # a grade: higher is harder
    min: float | None = None  # a reading ease: lower is harder


@dataclass(frozen=True)
class Series:
    review_interval_months: int = 24
    max_sentence_words: int = 25
    targets: dict[str, Target] = field(
        default_factory=lambda: {"en": Target("flesch_kincaid_grade", max=8)}
    )
    file: str = ""  # where they were read from, "" for the defaults
    # The https address the series' website (`factsheet release`) is served from: related
    # entries naming another sheet (`sheet: <id>`) link to its page there. None: not set.
    site: str | None = None
    sheets: frozenset[str] = frozenset()  # ids of the sheets beside this one (folders with en.yaml)

    def sheet_url(self, sheet: str) -> str:
        """The website's page of `sheet` (it answers in the visitor's language)."""
        assert self.site is not None
        return f"{self.site.rstrip('/')}/sheets/{sheet}/"


def load_series(sheet_dir: Path) -> Series:
    """The settings of the series `sheet_dir` belongs to (the folder that holds it)."""
    path = sheet_dir.resolve().parent / SERIES_FILE
    sheets = frozenset(p.parent.name for p in path.parent.glob("*/en.yaml"))
    if not path.is_file():
        return Series(sheets=sheets)
    doc = load_yaml(path, max_bytes=65_536)
    problems = validate_schema(doc, load_schema(SCHEMA_PATH), doc.file)
    if problems:
        raise ContentError(problems)
    data = doc.data or {}
    reading = data.get("reading", {}) or {}
    defaults = Series()
    targets = {
        lang: Target(str(t["formula"]), t.get("max"), t.get("min"))
        for lang, t in (reading.get("targets") or {}).items()
    }
    return Series(
        review_interval_months=int(data.get("review_interval_months", 24)),
        max_sentence_words=int(reading.get("max_sentence_words", defaults.max_sentence_words)),
        targets=targets or defaults.targets,
        file=doc.file,
        site=data.get("site"),
        sheets=sheets,
    )
