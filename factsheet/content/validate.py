"""A sheet's YAML file → a validated `model.Sheet`, or one ContentError listing every problem.

Three passes, each collecting rather than stopping: the safe YAML load, the
JSON Schema (structure, types, which blocks go where), then the rules a schema
cannot express (the sheet id matches its folder, links, phone numbers, table
shape, images, inline Markdown, words too long to wrap). A block the schema
already rejected is skipped in the last pass, so one mistake is reported once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from factsheet.content import model
from factsheet.content.images import (
    IMAGE_SUFFIXES,
    MAX_IMAGE_BYTES,
    check_image,
    print_issue,
    resolve_image,
)
from factsheet.content.inline import long_words, parse_inline
from factsheet.content.links import Issue, check_url, mailto, tel
from factsheet.content.reads import note_file
from factsheet.content.series import SERIES_FILE, Series, load_series
from factsheet.content.translatable import is_translatable
from factsheet.content.yamlfile import (
    Document,
    KeyPath,
    empty_text_hint,
    format_path,
    load_schema,
    load_yaml,
    validate_schema,
)
from factsheet.errors import ContentError, Problem

SCHEMA_PATH = Path(__file__).parent / "schemas" / "sheet.schema.json"

Translate = Callable[[str, KeyPath], str]
T = TypeVar("T")

# BCP 47, the common shapes: language, optional script, region and variants ("zh-Hans-CN").
_LANGUAGE_TAG = re.compile(
    r"^[a-zA-Z]{2,3}"  # language
    r"(-[a-zA-Z]{4})?"  # script
    r"(-(?:[a-zA-Z]{2}|[0-9]{3}))?"  # region
    r"(-(?:[a-zA-Z0-9]{5,8}|[0-9][a-zA-Z0-9]{3}))*$"  # variants
)


def sheet_schema() -> dict[str, Any]:
    """The sheet JSON Schema shipped with the package (loaded once)."""
    return load_schema(SCHEMA_PATH)


def load_sheet(
    path: Path, *, translate: Translate | None = None, doc: Document | None = None
) -> model.Sheet:
    """Load, check and build the sheet at `path` (e.g. content/bone-protection/en.yaml).

    `translate(text, key_path)` is applied to every translatable string (see
    `translatable.py`) before its Markdown is parsed, so translations are held
    to the same rules as the source. `doc` is the file as `load_yaml` read it,
    when the caller has it already (an edition reads the YAML for its strings
    too: parsing once saves a fifth of a load). Raises ContentError listing
    every problem.
    """
    if doc is None:
        doc = load_yaml(path)
    problems = validate_schema(doc, sheet_schema(), doc.file)
    builder = _SheetBuilder(doc, path.parent, translate, lenient=bool(problems))
    sheet = builder.sheet()
    problems += builder.problems
    if problems or sheet is None:
        raise ContentError(_unique(problems))
    return sheet


def _picture_name(name: str) -> Issue | None:
    """A picture is named as what it is: batch fingerprints count only such files as inputs."""
    if Path(name).suffix.lower() in IMAGE_SUFFIXES:
        return None
    message = f"the picture '{name}' is not named .png, .jpg or .jpeg"
    return Issue(message, "rename the file (and the path here) to end in .png, .jpg or .jpeg")


def _unique(problems: list[Problem]) -> list[Problem]:
    """Drop repeats: the schema and the rules can both notice, e.g., an empty text."""
    seen: dict[tuple[int, int, str, str], Problem] = {}
    for problem in problems:
        seen.setdefault((problem.line, problem.column, problem.path, problem.message), problem)
    return list(seen.values())


class _Malformed(Exception):
    """A value has the wrong shape; the schema pass has already said so."""


def _expect(value: Any, kind: type[T]) -> T:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise _Malformed
    return value


def _built(part: T | None) -> T:
    """A part of the sheet that was built; a skipped part leaves no sheet to return."""
    if part is None:
        raise _Malformed
    return part


class _SheetBuilder:
    """Builds the model from schema-checked data, recording the rules it breaks."""

    def __init__(
        self, doc: Document, folder: Path, translate: Translate | None, *, lenient: bool
    ) -> None:
        self.doc = doc
        self.folder = folder
        self.translate = translate
        self.lenient = lenient  # the schema found problems: skip what it rejected
        self.problems: list[Problem] = []
        self._series: Series | None = None  # content/series.yaml, read when a link needs it
        self.warnings: list[str] = []  # travel with the sheet (`--strict` makes them fatal)

    # --- plumbing ---------------------------------------------------------------------

    def report(self, path: KeyPath, issue: Issue) -> None:
        self.problems.append(self.doc.problem(path, issue.message, issue.hint))

    def source(self, path: KeyPath) -> model.Source:
        line, column = self.doc.where(path)
        return model.Source(self.doc.file, line, column, format_path(path))

    def guarded(self, build: Callable[[], T]) -> T | None:
        """Run one part of the build; a malformed part is skipped, since it is reported."""
        try:
            return build()
        except _Malformed as exc:
            if not self.lenient:  # a bug: the schema and this builder disagree
                message = "the sheet schema accepted data the builder cannot read"
                raise RuntimeError(message) from exc
            return None

    def field(self, mapping: Any, key: str, kind: type[T]) -> T:
        return _expect(_expect(mapping, dict).get(key), kind)

    # --- text -------------------------------------------------------------------------

    def text(self, path: KeyPath, value: Any) -> model.Inline:
        """A text field's spans, translated first when it is translatable."""
        if isinstance(value, dt.date):
            value = value.isoformat()  # `title: 2026-11-27` means the text, not a date
        if not isinstance(value, str):
            if self.lenient:  # reported by the schema; go on to check the rest
                return ()
            raise _Malformed
        if self.translate is not None and is_translatable(path):
            value = self.translate(value, path)
        inline, issues = parse_inline(value)
        if not inline:
            issues.append(Issue("empty text", empty_text_hint(path, sheet_schema())))
        issues += long_words(model.plain(inline))
        for issue in issues:
            self.report(path, issue)
        return inline

    def plain(self, path: KeyPath, value: Any) -> str:
        """A field printed without styling: formatting would be silently lost, so refuse it."""
        return model.plain(self.unstyled(path, value))

    def unstyled(self, path: KeyPath, value: Any) -> model.Inline:
        """`plain`'s check, keeping the spans (a translation may mark a name's language)."""
        inline = self.text(path, value)
        if any(span.bold or span.italic or span.href for span in inline):
            hint = "remove the ** / * / [](…) markup; this text is printed plain"
            self.report(path, Issue("bold, italic and links are not shown here", hint))
        return inline

    def optional_text(self, path: KeyPath, mapping: dict[str, Any], key: str) -> model.Inline:
        return self.text((*path, key), mapping[key]) if key in mapping else ()

    # --- the sheet --------------------------------------------------------------------

    def sheet(self) -> model.Sheet | None:
        return self.guarded(self._sheet)

    def _sheet(self) -> model.Sheet:
        data = _expect(self.doc.data, dict)
        self._check_id(data.get("sheet"))
        part = self.guarded  # each part on its own, so one bad part hides no other problem
        sheet_id = part(lambda: self.field(data, "sheet", str))
        language = part(lambda: self._language(("language",), data.get("language")))
        series = part(lambda: self.plain(("series",), data.get("series")))
        title = part(lambda: self.plain(("title",), data.get("title")))
        subject = part(lambda: self.plain(("subject",), data.get("subject")))
        keywords = part(lambda: self._keywords(data.get("keywords", [])))
        publisher = part(lambda: self._publisher(self.field(data, "publisher", dict)))
        dates = part(lambda: self._dates(self.field(data, "dates", dict)))
        pages = part(lambda: self._pages(self.field(data, "pages", list)))
        heading = part(lambda: self._label(data, "clinic"))
        logo = part(lambda: self._label(data, "logo"))
        review = part(lambda: self._review_label(data))
        return model.Sheet(
            id=_built(sheet_id),
            language=_built(language),
            series=_built(series),
            title=_built(title),
            subject=_built(subject),
            keywords=_built(keywords),
            publisher=_built(publisher),
            dates=_built(dates),
            pages=_built(pages),
            source=self.source(()),
            clinic_heading=heading,
            clinic_logo=logo,
            review_label=review,
            warnings=tuple(self.warnings),
        )

    def _review_label(self, data: dict[str, Any]) -> str | None:
        """The review line's words; both dates must have their place in it."""
        label = self._label(data, "review")
        missing = [p for p in ("{reviewed}", "{next_review}") if label and p not in label]
        if label and missing:
            hint = "keep {reviewed} and {next_review} where the dates go, in any order"
            self.report(("labels", "review"), Issue(f"no {' or '.join(missing)} in it", hint))
        return label

    def _label(self, data: dict[str, Any], name: str) -> str | None:
        """An optional label the layout prints (`labels: {clinic: …}`), or None."""
        labels = data.get("labels")
        if not isinstance(labels, dict) or name not in labels:
            return None
        return self.plain(("labels", name), labels[name])

    def _keywords(self, words: Any) -> tuple[str, ...]:
        return tuple(
            self.plain(("keywords", i), word) for i, word in enumerate(_expect(words, list))
        )

    def _check_id(self, sheet_id: Any) -> None:
        folder = self.folder.resolve().name
        if isinstance(sheet_id, str) and sheet_id != folder:
            message = f"the sheet id '{sheet_id}' does not match its folder '{folder}'"
            hint = "they must be equal: rename the folder or change 'sheet'"
            self.report(("sheet",), Issue(message, hint))

    def _language(self, path: KeyPath, tag: Any) -> str:
        if not isinstance(tag, str):
            raise _Malformed
        if not _LANGUAGE_TAG.match(tag):
            message = f"'{tag}' is not a language tag"
            self.report(path, Issue(message, "use a BCP 47 tag such as en, es, zh-Hans or pt-BR"))
        return tag

    def _publisher(self, data: dict[str, Any]) -> model.Publisher:
        path: KeyPath = ("publisher",)
        website = self.field(data, "website", str)
        self._url((*path, "website"), website)
        email = self.field(data, "email", str)
        self._link_issue((*path, "email"), mailto(email)[1])
        return model.Publisher(
            name=self.plain((*path, "name"), data.get("name")),
            website=website,
            email=email.removeprefix("mailto:"),
            helpline=self._helpline((*path, "helpline"), self.field(data, "helpline", dict)),
        )

    def _helpline(self, path: KeyPath, data: dict[str, Any]) -> model.Helpline:
        number = self.field(data, "number", str)
        self._link_issue((*path, "number"), tel(number)[1])
        return model.Helpline(
            label=self.plain((*path, "label"), data.get("label")),
            display=self.plain((*path, "display"), data.get("display")),
            number=number,
            hours=self.plain((*path, "hours"), data.get("hours")),
        )

    def _dates(self, data: dict[str, Any]) -> model.Dates:
        next_review = data.get("next_review")
        return model.Dates(
            updated=self._date(data.get("updated")),
            reviewed=self._date(data.get("reviewed")),
            next_review=None if next_review is None else self._date(next_review),
        )

    @staticmethod
    def _date(value: Any) -> dt.date:
        if isinstance(value, dt.datetime):
            raise _Malformed  # the schema's date format rejects a time of day
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                raise _Malformed from None
        return _expect(value, dt.date)

    def _url(self, path: KeyPath, url: str) -> None:
        self._link_issue(path, check_url(url))

    def _link_issue(self, path: KeyPath, issue: Issue | None) -> None:
        if issue is not None:
            self.report(path, issue)

    # --- pages and blocks -------------------------------------------------------------

    def _pages(self, pages: list[Any]) -> tuple[model.Page, ...]:
        built = [
            self.guarded(partial(self._page, ("pages", i), page)) for i, page in enumerate(pages)
        ]
        return tuple(page for page in built if page is not None)

    def _page(self, path: KeyPath, data: Any) -> model.Page:
        data = _expect(data, dict)
        regions = {
            name: self._blocks((*path, name), _expect(data.get(name, []), list))
            for name in model.STANDARD_PARTS
        }
        others = tuple(
            (str(name), self._blocks((*path, name), _expect(blocks, list)))
            for name, blocks in data.items()
            if name not in model.STANDARD_PARTS and not self._misspelt_part(path, str(name))
        )
        return model.Page(**regions, others=others)

    def _misspelt_part(self, path: KeyPath, name: str) -> bool:
        """A page may name parts of a layout's own (`notes`), but one a letter away from
        main, sidebar or footer is a typo whose blocks would silently go missing."""
        close = difflib.get_close_matches(name, model.STANDARD_PARTS, n=1, cutoff=0.8)
        if close:
            allowed = ", ".join(model.STANDARD_PARTS)
            hint = f"did you mean '{close[0]}'? allowed here: {allowed}, or a layout's own part"
            self.report((*path, name), Issue(f"unknown key '{name}'", hint))
        return bool(close)

    def _blocks(self, path: KeyPath, items: list[Any]) -> tuple[model.Block, ...]:
        built = [
            self.guarded(partial(self._block, (*path, i), item)) for i, item in enumerate(items)
        ]
        return tuple(block for block in built if block is not None)

    def _block(self, path: KeyPath, data: Any) -> model.Block:
        data = _expect(data, dict)
        if len(data) != 1:
            raise _Malformed
        kind, value = next(iter(data.items()))
        build = _BLOCK_BUILDERS.get(kind)
        if build is None:
            raise _Malformed
        return build(self, path, value)

    def heading(self, path: KeyPath, value: Any) -> model.Heading:
        at = (*path, "heading")
        if isinstance(value, dict):
            level = _expect(value.get("level", 2), int)
            return model.Heading(
                self.text((*at, "text"), value.get("text")), level, self.source(path)
            )
        return model.Heading(self.text(at, value), 2, self.source(path))

    def paragraph(self, path: KeyPath, value: Any) -> model.Paragraph:
        return model.Paragraph(self.text((*path, "paragraph"), value), self.source(path))

    def bullets(self, path: KeyPath, value: Any) -> model.BulletList:
        at = (*path, "bullets")
        items = tuple(self.text((*at, i), item) for i, item in enumerate(_expect(value, list)))
        return model.BulletList(items, self.source(path))

    def checklist(self, path: KeyPath, value: Any) -> model.BulletList:
        at = (*path, "checklist")
        items = tuple(self.text((*at, i), item) for i, item in enumerate(_expect(value, list)))
        return model.BulletList(items, self.source(path), checkbox=True)

    def notice(self, path: KeyPath, value: Any) -> model.Notice:
        at, value = (*path, "notice"), _expect(value, dict)
        lang = self._language((*at, "lang"), self.field(value, "lang", str))

        return model.Notice(self.text((*at, "text"), value.get("text")), lang, self.source(path))

    def footer(self, path: KeyPath, value: Any) -> model.Footer:
        return model.Footer(self.text((*path, "footer"), value), self.source(path))

    def disclaimer(self, path: KeyPath, value: Any) -> model.Disclaimer:
        return model.Disclaimer(self.text((*path, "disclaimer"), value), self.source(path))

    def callout(self, path: KeyPath, value: Any) -> model.Callout:
        at, value = (*path, "callout"), _expect(value, dict)
        title = self.text((*at, "title"), self.field(value, "title", str))
        blocks = self._blocks((*at, "blocks"), self.field(value, "blocks", list))
        return model.Callout(title, blocks, self.source(path))

    def image(self, path: KeyPath, value: Any) -> model.Image:
        at, value = (*path, "image"), _expect(value, dict)
        name = self.field(value, "path", str)
        alt = self.plain((*at, "alt"), value.get("alt"))
        width = value.get("width", 1.0)
        if isinstance(width, bool) or not isinstance(width, int | float):
            raise _Malformed
        file, issue = resolve_image(self.folder, name)
        if issue is None and file is not None:
            note_file(file, MAX_IMAGE_BYTES)  # the picture is an input of the edition
            issue = check_image(file) or print_issue(file) or _picture_name(name)
        self._link_issue((*at, "path"), issue)
        return model.Image(file or self.folder / name, alt, float(width), self.source(path))

    def table(self, path: KeyPath, value: Any) -> model.Table:
        at, value = (*path, "table"), _expect(value, dict)
        groups = tuple(
            self._group((*at, "groups", i), group)
            for i, group in enumerate(self.field(value, "groups", list))
        )
        header = self._row((*at, "header"), self.field(value, "header", dict))
        rows = tuple(
            self._row((*at, "rows", i), row)
            for i, row in enumerate(self.field(value, "rows", list))
        )
        self._check_table_shape(at, groups, header, rows)
        caption = self.unstyled((*at, "caption"), value.get("caption"))
        return model.Table(caption, groups, header, rows, self.source(path))

    def _group(self, path: KeyPath, data: Any) -> model.ColumnGroup:
        data = _expect(data, dict)
        span = self.field(data, "span", int)
        return model.ColumnGroup(self.text((*path, "label"), data.get("label")), span)

    def _row(self, path: KeyPath, data: Any) -> model.TableRow:
        data = _expect(data, dict)
        cells = self.field(data, "cells", list)
        label = self.text((*path, "label"), data.get("label"))
        return model.TableRow(
            label, tuple(self.text((*path, "cells", i), cell) for i, cell in enumerate(cells))
        )

    def _check_table_shape(
        self,
        path: KeyPath,
        groups: tuple[model.ColumnGroup, ...],
        header: model.TableRow,
        rows: tuple[model.TableRow, ...],
    ) -> None:
        columns = len(header.cells)
        total = sum(group.span for group in groups)
        if total != columns:
            message = f"the group spans add up to {total}, but the header has {columns} cells"
            self.report((*path, "groups"), Issue(message, f"make the spans add up to {columns}"))
        for i, row in enumerate(rows):
            if len(row.cells) != columns:
                message = f"this row has {len(row.cells)} cells, but the header has {columns}"
                hint = "give one cell per column (the row's label is not a cell)"
                self.report((*path, "rows", i, "cells"), Issue(message, hint))

    def resources(self, path: KeyPath, value: Any) -> model.ResourceList:
        at, value = (*path, "resources"), _expect(value, dict)
        title = self.text((*at, "title"), value.get("title"))
        items = self.field(value, "items", list)
        built = tuple(self._resource((*at, "items", i), item) for i, item in enumerate(items))
        return model.ResourceList(title, built, self.source(path))

    def _resource(self, path: KeyPath, data: Any) -> model.Resource:
        data = _expect(data, dict)
        name = self.text((*path, "name"), self.field(data, "name", str))
        description = self.optional_text(path, data, "description") or None
        links = [
            self._contact((*path, key), key, value)
            for key, value in data.items()
            if key in ("web", "email", "phone")
        ]
        return model.Resource(name, description, tuple(links))

    def _contact(self, path: KeyPath, key: str, value: Any) -> model.Link:
        if key == "web":
            return self._web(path, value)
        if key == "email":
            return self._email(path, value)
        value = _expect(value, dict)
        text = self.plain((*path, "text"), value.get("text"))
        href, issue = tel(self.field(value, "number", str))
        self._link_issue((*path, "number"), issue)
        return model.Link("phone", text, href)

    def _web(self, path: KeyPath, value: Any) -> model.Link:
        if isinstance(value, str):
            self._url(path, value)
            shown = value.removeprefix("https://").removesuffix("/")
            return model.Link("web", shown, value)
        url = self.field(value, "url", str)
        self._url((*path, "url"), url)
        return model.Link("web", self.plain((*path, "text"), value.get("text")), url)

    def _email(self, path: KeyPath, value: Any) -> model.Link:
        if isinstance(value, str):
            href, issue = mailto(value)
            self._link_issue(path, issue)
            return model.Link("email", value.removeprefix("mailto:"), href)
        href, issue = mailto(self.field(value, "address", str))
        self._link_issue((*path, "address"), issue)
        return model.Link("email", self.plain((*path, "text"), value.get("text")), href)

    def related(self, path: KeyPath, value: Any) -> model.RelatedList:
        at, value = (*path, "related"), _expect(value, dict)
        title = self.text((*at, "title"), value.get("title"))
        items = self.field(value, "items", list)
        built = tuple(self._related_item((*at, "items", i), item) for i, item in enumerate(items))
        return model.RelatedList(title, built, self.source(path))

    def _related_item(self, path: KeyPath, data: Any) -> model.RelatedSheet:
        data = _expect(data, dict)
        title = self.text((*path, "title"), self.field(data, "title", str))
        url = data.get("url")
        if url is not None:
            self._url((*path, "url"), _expect(url, str))
        sheet = data.get("sheet")
        if sheet is not None and url is not None:
            hint = "`sheet` links to that sheet's page on the series' website; `url` to any page"
            self.report((*path, "sheet"), Issue("give either `url` or `sheet`, not both", hint))
        elif sheet is not None:
            url = self._sheet_url((*path, "sheet"), _expect(sheet, str))
        return model.RelatedSheet(title, url)

    def _sheet_url(self, path: KeyPath, sheet: str) -> str | None:
        """The website's page of another sheet of the series, or None (with a warning).

        A warning, not an error: a sheet folder copied on its own (to try a change, or
        by a clinic) still builds, its related titles printed without links; `--strict`,
        which release builds use, makes it fatal.
        """
        series = self.series()
        line, column = self.doc.where(path)
        at = f"{self.doc.file}:{line}:{column}: {format_path(path)}"
        if sheet not in series.sheets:
            known = ", ".join(sorted(series.sheets)) or "none"
            self.warnings.append(
                f"{at}: no sheet '{sheet}' beside this one, so its title prints without a link "
                f"(sheets here: {known})"
            )
            return None
        if series.site is None:
            self.warnings.append(
                f"{at}: the link to sheet '{sheet}' needs the series' website address: add "
                f"`site: https://…` to {SERIES_FILE} in the folder that holds the sheet folders"
            )
            return None
        return series.sheet_url(sheet)

    def series(self) -> Series:
        if self._series is None:
            self._series = load_series(self.folder)
        return self._series


_BLOCK_BUILDERS: dict[str, Callable[[_SheetBuilder, KeyPath, Any], model.Block]] = {
    "heading": _SheetBuilder.heading,
    "paragraph": _SheetBuilder.paragraph,
    "bullets": _SheetBuilder.bullets,
    "checklist": _SheetBuilder.checklist,
    "notice": _SheetBuilder.notice,
    "footer": _SheetBuilder.footer,
    "disclaimer": _SheetBuilder.disclaimer,
    "callout": _SheetBuilder.callout,
    "image": _SheetBuilder.image,
    "table": _SheetBuilder.table,
    "resources": _SheetBuilder.resources,
    "related": _SheetBuilder.related,
}
