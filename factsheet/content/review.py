"""Review governance: the review dates every edition prints and carries, and the release rule.

Each edition prints, at the foot of its last page, when it was medically reviewed and
when it must be reviewed again, in its own language (the sheet's `labels.review`
with dates formatted by Babel from CLDR: "27 de noviembre de 2026", "2026년
11월 27일"), and carries both dates in its keywords (the PDF's Keywords and XMP
dc:subject). The next review is `dates.next_review`, or `dates.reviewed` plus
the series' `review_interval_months` (content/series.yaml). A release refuses a
sheet past its next review date (`release_problems`); building one is a warning (so
`--strict`, `batch --strict` and CI refuse it) and the printed line still says when
the review was due.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import replace
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

from factsheet.content import model as m
from factsheet.content.series import Series, load_series
from factsheet.errors import Problem

REVIEWED_KEYWORD = "reviewed"
NEXT_REVIEW_KEYWORD = "next review"


def next_review(sheet: m.Sheet, series: Series) -> dt.date:
    """`dates.next_review`, or the review date plus the series' interval."""
    if sheet.dates.next_review is not None:
        return sheet.dates.next_review
    return add_months(sheet.dates.reviewed, series.review_interval_months)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter: 31 Jan → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def format_day(day: dt.date, lang: str) -> str:
    """A date as the edition's language writes it in full ("27 de noviembre de 2026")."""
    try:
        locale = Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    return format_date(day, "long", locale=locale)


def review_line(sheet: m.Sheet, series: Series) -> str | None:
    """The printed review line, or None for a sheet without `labels.review`."""
    if not sheet.review_label:
        return None
    return sheet.review_label.replace(
        "{reviewed}", format_day(sheet.dates.reviewed, sheet.language)
    ).replace("{next_review}", format_day(next_review(sheet, series), sheet.language))


def with_review(sheet: m.Sheet, sheet_dir: Path) -> tuple[m.Sheet, str | None]:
    """The sheet with its review line at the foot of the last page and the dates in its keywords."""
    series = load_series(sheet_dir)
    due = next_review(sheet, series)
    keywords = (
        *sheet.keywords,
        f"{REVIEWED_KEYWORD} {sheet.dates.reviewed.isoformat()}",
        f"{NEXT_REVIEW_KEYWORD} {due.isoformat()}",
    )
    line = review_line(sheet, series)
    pages = sheet.pages if line is None else _with_line(sheet.pages, line, sheet.source)
    warnings = (*sheet.warnings, *_overdue(sheet, due, dt.date.today()))
    dates = replace(sheet.dates, next_review=due)  # the XMP carries it
    return replace(
        sheet, keywords=keywords, pages=pages, warnings=warnings, dates=dates
    ), line


def _overdue(sheet: m.Sheet, due: dt.date, today: dt.date) -> tuple[str, ...]:
    """A build warning (an error with --strict) for a sheet past its next review: a clinic
    printing it should know the medical information may be out of date."""
    if today <= due:
        return ()
    return (
        f"{sheet.source.file}: dates.reviewed: past its next medical review "
        f"({due.isoformat()}): the medical information may be out of date; check for a "
        "newer edition before printing",
    )


def _with_line(pages: tuple[m.Page, ...], line: str, source: m.Source) -> tuple[m.Page, ...]:
    """The line as small print at the foot of the last page.

    Small print where a reader looks for the fine details, on the page that
    usually has room left: the layout needs no region of its own.
    """
    last = pages[-1]
    added = m.Disclaimer((m.Span(line),), source)
    return _replaced(pages, len(pages) - 1, replace(last, footer=(*last.footer, added)))


def _replaced(pages: tuple[m.Page, ...], index: int, page: m.Page) -> tuple[m.Page, ...]:
    return (*pages[:index], page, *pages[index + 1 :])


def release_problems(sheet: m.Sheet, sheet_dir: Path, today: dt.date) -> list[Problem]:
    """A sheet past its next review date may not be released."""
    due = next_review(sheet, load_series(sheet_dir))
    if today <= due:
        return []
    message = (
        f"the sheet was due for medical review on {due.isoformat()} (reviewed "
        f"{sheet.dates.reviewed.isoformat()}); a release cannot include it"
    )
    hint = (
        "have it reviewed, then set dates.reviewed (and dates.next_review, if the reviewer "
        "sets one) in en.yaml; docs/medical-review.md"
    )
    return [Problem(sheet.source.file, 0, 0, "dates", message, hint)]
