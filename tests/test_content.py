"""The content stage's promises: a good sheet becomes the model it says, and every
mistake in a bad one is reported together, at its line, with a hint.

Bad-input cases are data: `content_cases/<case>/en.yaml` beside `en.expected`, the
exact problem lines it must produce (file names shortened to `en.yaml`). Run with
FACTSHEET_UPDATE_GOLDEN=1 to rewrite the `.expected` files, then review the diff.
Pictures and oversized files are made by the recipes below rather than stored.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from PIL import Image

from factsheet.content import load_sheet
from factsheet.content import model as m
from factsheet.content.inline import parse_inline
from factsheet.content.translatable import is_translatable, translatable_strings
from factsheet.content.validate import SCHEMA_PATH, sheet_schema
from factsheet.content.yamlfile import KeyPath, load_yaml, validate_schema
from factsheet.errors import ContentError, LayoutThemeError, Problem

ROOT = Path(__file__).resolve().parents[1]
CASES = Path(__file__).with_name("content_cases")
UPDATE_GOLDEN = os.environ.get("FACTSHEET_UPDATE_GOLDEN") == "1"


# --- files the cases need, made rather than stored --------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _bilevel_png(width: int, height: int, *, with_pixels: bool) -> bytes:
    """A 1-bit greyscale PNG; with pixels it is valid (all black), without it is a bare header.

    8000 × 8000 at 1 bit is 8 MB of zero rows that deflate to a few KB: a cheap,
    honest decompression bomb.
    """
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    chunks = _png_chunk(b"IHDR", header)
    if with_pixels:
        row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
        chunks += _png_chunk(b"IDAT", zlib.compress(row * height, 9))
    return b"\x89PNG\r\n\x1a\n" + chunks + _png_chunk(b"IEND", b"")


def _small_png(path: Path) -> None:
    Image.new("RGB", (4, 3), "white").save(path, format="PNG")


def _not_png(folder: Path) -> None:
    Image.new("P", (4, 3)).save(folder / "picture.gif", format="GIF")
    (folder / "notes.png").write_text("just some text\n", encoding="utf-8")
    _small_png(folder / "scan.dat")  # a good picture, but not named as one


def _corrupt(folder: Path) -> None:
    _small_png(folder / "good.png")
    data = bytearray((folder / "good.png").read_bytes())
    data[data.index(b"IDAT") + 6] ^= 0xFF  # one flipped byte: the chunk's checksum fails
    (folder / "broken.png").write_bytes(bytes(data))


def _bombs(folder: Path) -> None:
    (folder / "large.png").write_bytes(_bilevel_png(8000, 8000, with_pixels=True))
    (folder / "huge.png").write_bytes(_bilevel_png(30000, 30000, with_pixels=False))


def _pad_past_cap(folder: Path) -> None:
    path = folder / "en.yaml"
    text = path.read_text(encoding="utf-8")
    comment = "# " + "padding " * 12 + "\n"  # 99 bytes
    path.write_text(text + comment * (1_048_576 // len(comment) + 1), encoding="utf-8")


def _symlink_out(folder: Path) -> None:
    _small_png(folder.parent / "outside.png")
    try:
        (folder / "escape.png").symlink_to(folder.parent / "outside.png")
    except OSError:
        pytest.skip("symbolic links are not available here")


def _unlike_viewer(folder: Path) -> None:
    """Pictures a viewer shows right that the PDF would not: 16-bit grey, EXIF-turned."""
    Image.new("I;16", (40, 30), 20000).save(folder / "scan.png", format="PNG")
    turned = Image.Exif()
    turned[0x0112] = 6  # shown rotated 90° clockwise by viewers
    Image.new("RGB", (40, 30), "red").save(folder / "photo.jpg", exif=turned.tobytes())
    upright = Image.Exif()
    upright[0x0112] = 1
    Image.new("RGB", (40, 30), "red").save(folder / "upright.jpg", exif=upright.tobytes())


RECIPES: dict[str, Callable[[Path], None]] = {
    "image-prints-unlike-viewer": _unlike_viewer,
    "image-not-png": _not_png,
    "image-corrupt": _corrupt,
    "image-bomb": _bombs,
    "plain-fields": lambda folder: _small_png(folder / "good.png"),
    "over-size": _pad_past_cap,
    "symlink-escape": _symlink_out,
}


# --- the data-driven bad-input cases -----------------------------------------------------


def _case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if (p / "en.yaml").is_file())


def _problem_lines(problems: list[Problem]) -> list[str]:
    return [str(dataclasses.replace(p, file=Path(p.file).name)) for p in problems]


def _load_case(case: str, tmp_path: Path) -> list[Problem]:
    """Copy the case into a folder named after it, run its recipe, return its problems."""
    folder = tmp_path / case
    shutil.copytree(CASES / case, folder, ignore=shutil.ignore_patterns("*.expected"))
    RECIPES.get(case, lambda _: None)(folder)
    with pytest.raises(ContentError) as caught:
        load_sheet(folder / "en.yaml")
    return caught.value.problems


@pytest.mark.parametrize("case", _case_names())
def test_bad_sheet_reports_exactly_the_expected_problems(case: str, tmp_path: Path) -> None:
    lines = _problem_lines(_load_case(case, tmp_path))
    expected = CASES / case / "en.expected"
    if UPDATE_GOLDEN:
        expected.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    assert expected.exists(), f"no {expected.name}; run with FACTSHEET_UPDATE_GOLDEN=1"
    assert lines == expected.read_text(encoding="utf-8").splitlines()


def test_every_case_has_its_expected_file() -> None:
    missing = [case for case in _case_names() if not (CASES / case / "en.expected").exists()]
    assert not missing


def test_many_problems_in_one_file_are_reported_together(tmp_path: Path) -> None:
    problems = _load_case("many-problems", tmp_path)
    # title markup, email, http link, heading level, bullet type, group spans,
    # row length, 3 cell types, image path, unknown block kind: schema and rule
    # problems together, the table's shape checked although its cells are bad
    assert len(problems) == 12
    assert len({p.line for p in problems}) == 9


def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n", encoding="utf-8")
    with pytest.raises(LayoutThemeError) as caught:
        load_yaml(path, max_bytes=100, error_cls=LayoutThemeError)
    (problem,) = caught.value.problems
    assert problem.message == "file is 204 bytes, over the limit of 100 bytes"


def test_a_missing_file_is_a_content_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="file not found"):
        load_sheet(tmp_path / "nothing" / "en.yaml")


def test_an_alias_bomb_is_refused_without_expanding(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 30)]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_yaml(path)  # 10**30 strings if expanded: finishing at all is the test
    assert len(caught.value.problems) == 30 + 29 * 10  # every anchor and every alias


# --- a good sheet --------------------------------------------------------------------------

GOOD = """\
sheet: good-sheet
language: en
series: Test Series
title: Test Sheet
subject: A sheet for testing.
keywords: [testing, sheets]
publisher:
  name: Example Org
  website: https://www.example.org
  email: help@example.org
  helpline:
    label: Helpline
    display: 1-800 EXAMPLE
    number: "+1-800-555-0100"
    hours: Weekdays, 9 to 5
dates:
  updated: 2026-11-27
  reviewed: 2026-10-01
pages:
  - main:
      - paragraph: Plain, **bold *both***, *italic* and [a **bold** link](https://www.example.org).
      - heading: A section
      - heading: {text: A subsection, level: 3}
      - bullets: ["**Term** then text.", Second item.]
      - image: {path: bones.png, alt: A white square, width: 0.5}
      - table:
          caption: Two drugs.
          groups: [{label: Group, span: 2}]
          header: {label: Drug, cells: [One, Two]}
          rows: [{label: Given, cells: [By mouth, By injection]}]
    sidebar:
      - callout:
          title: Good to know
          blocks:
            - paragraph: Inside the box.
            - notice: {text: Se habla español., lang: es}
      - resources:
          title: Resources
          items:
            - name: Example Org
              description: What it does.
              phone: {text: 1-800 EXAMPLE, number: "+1 (800) 555-0100"}
              web: https://www.example.org/
              email: {text: Write to us, address: help@example.org}
      - related:
          title: Related
          items:
            - {title: Another sheet, url: "https://www.example.org/another"}
            - title: No link
    footer:
      - footer: Call [1-800 EXAMPLE](tel:+1-800-555-0100).
      - disclaimer: Small print.
"""


@pytest.fixture
def good_sheet(tmp_path: Path) -> Path:
    folder = tmp_path / "good-sheet"
    folder.mkdir()
    (folder / "en.yaml").write_text(GOOD, encoding="utf-8")
    _small_png(folder / "bones.png")
    return folder / "en.yaml"


def S(text: str, *, b: bool = False, i: bool = False, href: str | None = None) -> m.Span:
    return m.Span(text, b, i, href)


def test_a_good_sheet_has_the_expected_metadata(good_sheet: Path) -> None:
    sheet = load_sheet(good_sheet)
    assert (sheet.id, sheet.language, sheet.title, sheet.keywords) == (
        "good-sheet",
        "en",
        "Test Sheet",
        ("testing", "sheets"),
    )
    assert sheet.dates == m.Dates(dt.date(2026, 11, 27), dt.date(2026, 10, 1))
    assert sheet.publisher.helpline.number == "+1-800-555-0100"
    assert sheet.source.line == 1 and sheet.source.path == ""


def test_a_good_sheets_main_column_becomes_styled_blocks(good_sheet: Path) -> None:
    main = load_sheet(good_sheet).pages[0].main
    assert main[0] == m.Paragraph(
        (
            S("Plain, "),
            S("bold ", b=True),
            S("both", b=True, i=True),
            S(", "),
            S("italic", i=True),
            S(" and "),
            S("a ", href="https://www.example.org"),
            S("bold", b=True, href="https://www.example.org"),
            S(" link", href="https://www.example.org"),
            S("."),
        ),
        m.Source(main[0].source.file, 21, 9, "pages[0].main[0]"),
    )
    assert [(h.text, h.level) for h in main[1:3]] == [  # type: ignore[union-attr]
        ((S("A section"),), 2),
        ((S("A subsection"),), 3),
    ]
    assert main[3] == m.BulletList(
        ((S("Term", b=True), S(" then text.")), (S("Second item."),)), main[3].source
    )
    image = main[4]
    assert isinstance(image, m.Image)
    assert (image.path, image.alt, image.width) == (
        good_sheet.parent.resolve() / "bones.png",
        "A white square",
        0.5,
    )
    table = main[5]
    assert isinstance(table, m.Table)
    assert table.groups == (m.ColumnGroup((S("Group"),), 2),)
    assert table.rows[0].cells == ((S("By mouth"),), (S("By injection"),))


def test_a_good_sheets_sidebar_and_footer_keep_their_links(good_sheet: Path) -> None:
    page = load_sheet(good_sheet).pages[0]
    sidebar, footer = page.sidebar, page.footer
    callout = sidebar[0]
    assert isinstance(callout, m.Callout)
    assert callout.blocks[1] == m.Notice((S("Se habla español."),), "es", callout.blocks[1].source)
    assert callout.blocks[1].source.path == "pages[0].sidebar[0].callout.blocks[1]"
    resources = sidebar[1]
    assert isinstance(resources, m.ResourceList)
    assert resources.items[0].links == (  # in the order written
        m.Link("phone", "1-800 EXAMPLE", "tel:+18005550100"),
        m.Link("web", "www.example.org", "https://www.example.org/"),
        m.Link("email", "Write to us", "mailto:help@example.org"),
    )
    related = sidebar[2]
    assert isinstance(related, m.RelatedList)
    assert [item.href for item in related.items] == ["https://www.example.org/another", None]
    assert footer[0] == m.Footer(
        (S("Call "), S("1-800 EXAMPLE", href="tel:+18005550100"), S(".")), footer[0].source
    )
    assert isinstance(footer[1], m.Disclaimer)


def test_literal_html_and_entities_print_as_typed(tmp_path: Path) -> None:
    folder = tmp_path / "good-sheet"
    folder.mkdir()
    text = GOOD.replace("- heading: A section", "- heading: '<b>&amp; \"quoted\" 5 > 3'")
    (folder / "en.yaml").write_text(text, encoding="utf-8")
    _small_png(folder / "bones.png")
    heading = load_sheet(folder / "en.yaml").pages[0].main[1]
    assert isinstance(heading, m.Heading)
    assert heading.text == (S('<b>&amp; "quoted" 5 > 3'),)


# --- translation ----------------------------------------------------------------------------


def test_translate_is_applied_before_markdown_and_only_to_translatable_text(
    good_sheet: Path,
) -> None:
    calls: list[KeyPath] = []

    def translate(text: str, path: KeyPath) -> str:
        calls.append(path)
        return "**T**" if path == ("pages", 0, "main", 1, "heading") else f"T:{text}"

    sheet = load_sheet(good_sheet, translate=translate)
    assert sheet.title == "T:Test Sheet"
    assert sheet.language == "en" and sheet.id == "good-sheet"  # not translatable
    assert sheet.publisher.website == "https://www.example.org"
    assert sheet.pages[0].main[1] == m.Heading((S("T", b=True),), 2, sheet.pages[0].main[1].source)
    image = sheet.pages[0].main[4]
    assert isinstance(image, m.Image) and image.alt == "T:A white square"
    assert image.path.name == "bones.png"
    # the hook sees exactly the strings an extractor would list
    listed = [s.path for s in translatable_strings(load_yaml(good_sheet))]
    assert sorted(calls, key=str) == sorted(listed, key=str)


def test_translatable_strings_are_the_human_readable_ones(good_sheet: Path) -> None:
    strings = translatable_strings(load_yaml(good_sheet))
    texts = [s.text for s in strings]
    assert texts[:5] == ["Test Series", "Test Sheet", "A sheet for testing.", "testing", "sheets"]
    for kept in (
        "Helpline",
        "1-800 EXAMPLE",
        "Two drugs.",
        "Good to know",
        "Write to us",
        "Small print.",
    ):
        assert kept in texts
    for left_out in (
        "good-sheet",
        "en",
        "es",
        "bones.png",
        "help@example.org",
        "+1-800-555-0100",
        "https://www.example.org/another",
    ):
        assert left_out not in texts
    assert texts.count("Example Org") == 1  # the resource's name; the publisher's is a brand
    line_of = {s.text: s.line for s in strings}
    assert line_of["Good to know"] == GOOD.splitlines().index("          title: Good to know") + 1


def test_a_broken_translation_is_reported_like_source_text(good_sheet: Path) -> None:
    def translate(text: str, path: KeyPath) -> str:
        return "Unclosed **bold" if path == ("title",) else text

    with pytest.raises(ContentError) as caught:
        load_sheet(good_sheet, translate=translate)
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("title", "unclosed or stray inline markup '**'")
    ]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            ("pages", 0, "main", 1, "callout", "blocks", 0, "callout", "blocks", 2, "bullets", 3),
            True,
        ),
        (("pages", 1, "footer", 0, "footer"), True),
        (("pages", 0, "main", 0, "notice", "lang"), False),
        (("pages", 0, "main", 0, "image", "path"), False),
        (("pages", 0, "sidebar", 0, "resources", "items", 0, "web", "url"), False),
        (("publisher", "helpline", "number"), False),
        (("sheet",), False),
    ],
)
def test_is_translatable(path: KeyPath, expected: bool) -> None:
    assert is_translatable(path) is expected


# --- inline Markdown ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("***both***", (S("both", b=True, i=True),)),
        ("a \\* b \\[c\\]", (S("a * b [c]"),)),
        ("snake_case stays", (S("snake_case stays"),)),
        ("two\n  lines", (S("two lines"),)),
        (
            "[**x** y](mailto:a@b.org)",
            (S("x", b=True, href="mailto:a@b.org"), S(" y", href="mailto:a@b.org")),
        ),
        ("no\u00a0break", (S("no\u00a0break"),)),
    ],
)
def test_inline_markdown_becomes_spans(text: str, spans: m.Inline) -> None:
    assert parse_inline(text) == (spans, [])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("**open", "unclosed or stray inline markup '**'"),
        ("a [b", "unclosed or stray inline markup '['"),
        ("_x", "unclosed or stray inline markup '_'"),
        ("[x](javascript:alert(1))", "'javascript:' links are not allowed ('javascript:alert(1)')"),
        ("[x](tel:12)", "the phone number '12' has 2 digits, not 7 to 15"),
    ],
)
def test_inline_mistakes_are_named(text: str, message: str) -> None:
    spans, issues = parse_inline(text)
    assert [issue.message for issue in issues] == [message]
    assert all(
        span.href is None or span.href.startswith(("https:", "mailto:", "tel:")) for span in spans
    )


# --- the generic YAML loader and the schema ----------------------------------------------


def test_where_points_at_values_and_falls_back_to_ancestors(tmp_path: Path) -> None:
    path = tmp_path / "w.yaml"
    path.write_text("a:\n  b: [x, 'y']\n  c:\n    - d: 1\n", encoding="utf-8")
    doc = load_yaml(path)
    assert doc.data == {"a": {"b": ["x", "y"], "c": [{"d": 1}]}}
    assert doc.where(("a", "b", 1)) == (2, 10)
    assert doc.where(("a", "c", 0, "d")) == (4, 10)
    assert doc.where(("a", "c")) == (3, 3)  # a list under a key: the key's line
    assert doc.where(("a", "c", 0, "nope", 3)) == (4, 7)
    assert doc.where_key(("a", "c", 0, "d")) == (4, 7)


def _walk(schema: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(schema, dict):
        yield path, schema
        for key, value in schema.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from _walk(value, f"{path}/{index}")


def test_schema_documents_every_property_and_closes_every_object() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    undocumented = [
        f"{path}/{name}"
        for path, node in _walk(schema)
        if path.endswith("/properties") is False and isinstance(node.get("properties"), dict)
        for name, prop in node["properties"].items()
        if not prop.get("description")
    ]
    assert not undocumented
    open_objects = [
        path
        for path, node in _walk(schema)
        if node.get("type") == "object" and node.get("additionalProperties") is not False
        # a page's own content parts: open, but only to names its `propertyNames` allow
        and "propertyNames" not in node
    ]
    assert not open_objects


def test_the_example_in_the_format_doc_matches_the_schema(tmp_path: Path) -> None:
    doc_text = (ROOT / "docs" / "content-format.md").read_text(encoding="utf-8")
    example = doc_text.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    assert validate_schema(load_yaml(path), sheet_schema(), "example.yaml") == []


@pytest.mark.parametrize(
    "sheet_dir", sorted((ROOT / "content").glob("*/en.yaml")), ids=lambda p: p.parent.name
)
def test_the_shipped_sheets_load(sheet_dir: Path) -> None:
    sheet = load_sheet(sheet_dir)
    assert sheet.id == sheet_dir.parent.name
    assert sheet.pages


def test_validate_schema_explains_mistakes_against_any_schema(tmp_path: Path) -> None:
    """The same loader and messages serve layout files: nothing here is sheet-specific."""
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["margin", "colour"],
        "properties": {
            "margin": {"type": "number", "description": "Page margin in points."},
            "colour": {"type": "string", "description": "A #RRGGBB colour."},
            "label": {"type": "string"},
        },
    }
    path = tmp_path / "layout.yaml"
    path.write_text("margn: 36\nlabel: Yes\n", encoding="utf-8")
    problems = validate_schema(load_yaml(path), schema, "layout.yaml")
    assert sorted(str(p) for p in problems) == [
        "layout.yaml:1:1: margn: unknown key 'margn' (hint: did you mean 'margin'? "
        "allowed here: margin, colour, label)",
        "layout.yaml:1:1: missing required key 'colour' (hint: A #RRGGBB colour.)",
        "layout.yaml:1:1: missing required key 'margin' (hint: Page margin in points.)",
        "layout.yaml:2:8: label: expected text, got true (a yes/no value) (hint: YAML reads "
        "yes/no/on/off/true/false as a yes/no value; put the text in quotes)",
    ]


@pytest.mark.parametrize(
    "schema_path",
    sorted((Path(__file__).resolve().parents[1] / "factsheet").glob("*/schemas/*.schema.json")),
    ids=lambda p: p.name,
)
def test_every_shipped_schema_is_a_valid_json_schema(schema_path: Path) -> None:
    # Builds skip the metaschema check for speed; this is where it happens.
    jsonschema.Draft202012Validator.check_schema(json.loads(schema_path.read_text("utf-8")))
