"""Safe loading of the YAML files people edit: sheets, layouts, brand themes.

`load_yaml` turns a file into plain Python data plus a map of where every value
was written, so later checks can point at a line and column. It refuses what a
hand-edited data file never needs and an attacker could abuse: anchors and
aliases (expanding them is a memory bomb), duplicate keys (the later one would
silently win), non-text keys, custom tags, files over a size cap and bytes that
are not UTF-8. Every problem in the file is collected before one error is
raised, so an author fixes them all in one pass.

`validate_schema` checks that data against a JSON Schema and turns each failure
into a one-line message a person can act on. A compiled validator
(jsonschema-rs) answers the common case, a valid file, in a fraction of a
millisecond; only a file it rejects goes through the `jsonschema` package,
imported then, whose error objects the messages are written from.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import functools
import json
import math
import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from factsheet.content.reads import note_bytes
from factsheet.errors import ContentError, InputError, Problem

if TYPE_CHECKING:  # imported when a file breaks its schema: explaining needs its errors
    import jsonschema

KeyPath = tuple[str | int, ...]
Position = tuple[int, int]  # 1-based line and column; (0, 0) when unknown

MAX_YAML_BYTES = 1_048_576  # a sheet is tens of kilobytes; bigger is a mistake or an attack
MAX_DEPTH = 64  # far deeper than any sheet or layout; stops stack-exhaustion input
_STR = "tag:yaml.org,2002:str"
_PLAIN_TAGS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_ALLOWED_TAGS = _PLAIN_TAGS | {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


# --- the loaded document -------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """Plain data from a YAML file, and where each value in it was written."""

    file: str  # as shown in messages: relative to the working directory when possible
    data: Any  # dict / list / str / int / float / bool / None / datetime.date
    positions: Mapping[KeyPath, Position] = field(repr=False)
    key_positions: Mapping[KeyPath, Position] = field(repr=False)
    # Values YAML could read but no field may hold (an impossible date, .nan, a control
    # character): kept as None in `data` and reported by `validate_schema` with the rest.
    value_problems: tuple[Problem, ...] = field(default=(), repr=False)

    def where(self, path: Iterable[str | int]) -> Position:
        """Line and column of the value at `path`, or of its nearest written ancestor.

        Scalars point at the value itself; a mapping or list under a key points at
        the key, which is the line an author looks for.
        """
        return _nearest(self.positions, tuple(path))

    def where_key(self, path: Iterable[str | int]) -> Position:
        """Line and column of the key that ends `path` (for "unknown key" messages)."""
        path = tuple(path)
        return self.key_positions.get(path) or self.where(path)

    def problem(self, path: Iterable[str | int], message: str, hint: str = "") -> Problem:
        """A problem located at the value at `path`."""
        path = tuple(path)
        line, column = self.where(path)
        return Problem(self.file, line, column, format_path(path), message, hint)


def _nearest(positions: Mapping[KeyPath, Position], path: KeyPath) -> Position:
    for end in range(len(path), -1, -1):
        found = positions.get(path[:end])
        if found:
            return found
    return (0, 0)


def format_path(path: Iterable[str | int]) -> str:
    """`("pages", 0, "main", 2, "paragraph")` → `"pages[0].main[2].paragraph"`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def display_name(path: Path) -> str:
    """The file name people see in messages: relative to the working directory if inside it."""
    if not path.is_absolute():
        return str(path)
    try:
        return str(path.relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


# --- loading -------------------------------------------------------------------------


def load_yaml(
    path: Path,
    *,
    max_bytes: int = MAX_YAML_BYTES,
    error_cls: type[InputError] = ContentError,
) -> Document:
    """Read one YAML document safely, or raise `error_cls` listing every problem."""
    file = display_name(path)
    text = read_text(path, file, max_bytes, error_cls)
    problems: list[Problem] = []
    root = _compose(text, file, problems)
    builder = _DataBuilder(file)
    data = builder.build_root(root) if root is not None else None
    problems += builder.problems
    if problems:
        raise error_cls(problems + builder.value_problems)
    return Document(
        file, data, builder.positions, builder.key_positions, tuple(builder.value_problems)
    )


def _compose(text: str, file: str, problems: list[Problem]) -> Node | None:
    """Parse to a node tree, adding anchor, alias and syntax problems to `problems`.

    libyaml parses a valid file ten times faster; when it finds a syntax error,
    the pure-Python parser runs again to word the message, as its wording is
    clearer ("found character '\\t'" rather than "found character").
    """
    if _C_NODES is not None and _plainly_safe(text):
        try:
            return _compose_in_c(text)
        except yaml.YAMLError:
            pass  # composed again below, to report it in the usual words
    found: list[Problem] = []
    try:
        return _compose_with(_FAST_COMPOSER, text, file, found)
    except yaml.YAMLError:
        found.clear()
    finally:
        problems.extend(found)
    try:
        return _compose_with(_Composer, text, file, problems)
    except yaml.YAMLError as exc:
        problems.append(_syntax_problem(exc, text, file))
        return None


# A file with no '&' has no anchor, so no alias can reach one (libyaml refuses an alias
# to an unknown anchor), and one whose indentation and bracket nesting are shallow is
# far from MAX_DEPTH: libyaml may then compose the whole tree itself, in C, with the
# same nodes and marks, which is 3 to 4 times faster than composing its events in Python.
_LEAD = re.compile(r"^[ \-]*", re.MULTILINE)  # indentation, and "- " list markers
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


def _plainly_safe(text: str) -> bool:
    if "&" in text:
        return False
    indent = max(map(len, _LEAD.findall(text)), default=0)
    flow = deepest = 0
    for bracket in _NOT_BRACKET.sub("", text):  # an upper bound: brackets in text count too
        flow += 1 if bracket in "[{" else -1
        deepest = max(deepest, flow)
    return indent + deepest + 2 < MAX_DEPTH // 2


def _compose_in_c(text: str) -> Node | None:
    composer = _C_NODES(text)  # type: ignore[misc]
    try:
        node: Node | None = composer.get_single_node()
        return node
    finally:
        composer.dispose()


def _compose_with(
    composer_cls: type[_RefusingComposer], text: str, file: str, problems: list[Problem]
) -> Node | None:
    composer = composer_cls(text, file, problems)  # type: ignore[call-arg]
    try:
        return composer.get_single_node()
    except _TooDeep:
        return None
    finally:
        composer.dispose()


def read_text(
    path: Path, file: str, max_bytes: int, error_cls: type[InputError] = ContentError
) -> str:
    """A hand-edited text file (YAML, a catalog): at most `max_bytes`, UTF-8 only."""
    return _decode_utf8(_read_capped(path, file, max_bytes, error_cls), file, error_cls)


def _read_capped(path: Path, file: str, max_bytes: int, error_cls: type[InputError]) -> bytes:
    """Read at most `max_bytes` (+1 to notice more), so a huge file is never read whole."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(max_bytes + 1)
            size = max(len(raw), _size_of(stream.fileno()))
    except FileNotFoundError:
        note_bytes(path, max_bytes, None)
        raise error_cls([Problem(file, 0, 0, "", "file not found")]) from None
    except IsADirectoryError:
        raise error_cls([Problem(file, 0, 0, "", "is a folder, not a file")]) from None
    except OSError as exc:
        message = f"cannot read the file: {exc.strerror or exc}"
        raise error_cls([Problem(file, 0, 0, "", message)]) from None
    if len(raw) > max_bytes:
        message = f"file is {size:,} bytes, over the limit of {_size(max_bytes)}"
        hint = "split it, or remove what does not belong in a fact sheet"
        raise error_cls([Problem(file, 0, 0, "", message, hint)])
    note_bytes(path, max_bytes, raw)  # a cache of checked editions re-checks these bytes
    return raw


def _size_of(fileno: int) -> int:
    try:
        return os.fstat(fileno).st_size
    except OSError:
        return 0


def _size(count: int) -> str:
    """1048576 → "1 MiB (1,048,576 bytes)"; 100 → "100 bytes"."""
    for unit, scale in (("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:.3g} {unit} ({count:,} bytes)"
    return f"{count:,} bytes"


def _decode_utf8(raw: bytes, file: str, error_cls: type[InputError]) -> str:
    """Decode, or say exactly where the first byte that is not UTF-8 sits."""
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        message = f"the file is not UTF-8 (byte 0x{raw[exc.start]:02X} cannot be decoded)"
        problem = Problem(file, line, column, "", message, "save the file as UTF-8")
        raise error_cls([problem]) from None


def _syntax_problem(exc: yaml.YAMLError, text: str, file: str) -> Problem:
    """A YAML error as a Problem with a plain-words message and, when known, a fix."""
    if isinstance(exc, yaml.reader.ReaderError):
        line, column = _line_col(text, exc.position)
        code = exc.character if isinstance(exc.character, int) else 0
        message = f"the file contains the control character U+{code:04X}, which YAML forbids"
        return Problem(file, line, column, "", message, "delete it; it is usually invisible")
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        reason = _syntax_reason(exc)
        return Problem(file, mark.line + 1, mark.column + 1, "", reason, _syntax_hint(reason))
    return Problem(file, 0, 0, "", f"YAML syntax error: {exc}")


_SYNTAX_HINTS = (
    ("mapping values are not allowed", "text containing ': ' must be put in quotes"),
    ("cannot start any token", "indent with spaces, not tabs; quote text starting with @ or `"),
    ("could not find expected ':'", "a key needs ': ' after it; check the indentation"),
    ("expected <block end>", "check the indentation: items in one list line up"),
    ("found unexpected end of stream", "a quote or bracket is not closed"),
    ("expected ',' or ']'", "a '[' list is not closed, or text inside it needs quotes"),
    ("expected ',' or '}'", "a '{' mapping is not closed, or text inside it needs quotes"),
    ("expected a single document", "remove the second '---' and what follows it"),
)


def _syntax_reason(exc: yaml.MarkedYAMLError) -> str:
    """ "YAML syntax error: <problem> (<context> that starts on line N)"."""
    problem, context = exc.problem or "invalid YAML", exc.context or ""
    if problem.startswith("but "):  # the composer words it "expected X" / "but found Y"
        return f"YAML syntax error: {context}, {problem}"
    if context and exc.context_mark is not None:
        context += f" that starts on line {exc.context_mark.line + 1}"
    return f"YAML syntax error: {problem}" + (f" ({context})" if context else "")


def _syntax_hint(reason: str) -> str:
    return next((hint for needle, hint in _SYNTAX_HINTS if needle in reason), "")


def _line_col(text: str, index: int) -> Position:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


class _TooDeep(Exception):
    """Nesting beyond MAX_DEPTH; stops composing at once (already recorded as a problem)."""


class _RefusingComposer(yaml.composer.Composer):
    """SafeLoader's composer, refusing anchors and aliases before anything is expanded.

    An alias becomes a null placeholder and an anchor is never registered, so a
    "billion laughs" file costs no more than its own size. A mixin: the events
    come from either PyYAML's pure-Python parser or libyaml's.
    """

    file: str
    problems: list[Problem]
    _depth: int

    if TYPE_CHECKING:  # provided by the parser and resolver this is mixed with

        def check_event(self, *choices: Any) -> bool: ...
        def peek_event(self) -> Any: ...
        def get_event(self) -> Any: ...
        def descend_resolver(self, parent: Node | None, index: Any) -> None: ...
        def ascend_resolver(self) -> None: ...
        def dispose(self) -> None: ...

    def _start(self, file: str, problems: list[Problem]) -> None:
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)  # type: ignore[arg-type]
        yaml.resolver.Resolver.__init__(self)  # type: ignore[arg-type]
        self.file = file
        self.problems = problems
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:  # type: ignore[override]
        if self.check_event(AliasEvent):
            event = self.get_event()
            self._refuse(event.start_mark, f"alias '*{event.anchor}'")
            return ScalarNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        event = self.peek_event()
        if event.anchor is not None:
            self._refuse(event.start_mark, f"anchor '&{event.anchor}'")
        self._depth += 1
        if self._depth > MAX_DEPTH:
            mark = event.start_mark
            message = f"nested more than {MAX_DEPTH} levels deep"
            self.problems.append(Problem(self.file, mark.line + 1, mark.column + 1, "", message))
            raise _TooDeep
        self.descend_resolver(parent, index)
        node = self._compose_kind()
        self.ascend_resolver()
        self._depth -= 1
        return node

    def _compose_kind(self) -> Node:
        # No anchor is passed on, so nothing is ever registered for an alias to reach.
        if self.check_event(ScalarEvent):
            return self.compose_scalar_node(None)  # type: ignore[arg-type]
        if self.check_event(SequenceStartEvent):
            return self.compose_sequence_node(None)  # type: ignore[arg-type]
        if self.check_event(MappingStartEvent):
            return self.compose_mapping_node(None)  # type: ignore[arg-type]
        raise yaml.composer.ComposerError(
            None, None, "unexpected event", self.peek_event().start_mark
        )

    def _refuse(self, mark: Any, what: str) -> None:
        message = f"anchors and aliases are not allowed (found {what})"
        hint = "write the value out in full where it is needed"
        self.problems.append(Problem(self.file, mark.line + 1, mark.column + 1, "", message, hint))


class _Composer(
    _RefusingComposer,
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    yaml.constructor.SafeConstructor,
    yaml.resolver.Resolver,
):
    """The refusing composer over PyYAML's pure-Python parser (clearest error messages)."""

    def __init__(self, text: str, file: str, problems: list[Problem]) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        self._start(file, problems)


_FAST_COMPOSER: type[_RefusingComposer] = _Composer
_C_NODES: type | None = None
if hasattr(yaml, "CSafeLoader"):
    from yaml._yaml import CParser

    class _CNodes(CParser, yaml.resolver.Resolver):  # type: ignore[misc]
        """libyaml's own composer (anchors allowed: only used where none can occur)."""

        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            yaml.resolver.Resolver.__init__(self)

    _C_NODES = _CNodes

    class _CComposer(
        _RefusingComposer, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver
    ):
        """The refusing composer over libyaml's parser (ten times faster)."""

        def __init__(self, text: str, file: str, problems: list[Problem]) -> None:
            CParser.__init__(self, text)
            self._start(file, problems)

    _FAST_COMPOSER = _CComposer


_KEY_KINDS = {
    "bool": "a yes/no value",
    "int": "a number",
    "float": "a number",
    "null": "an empty value",
    "timestamp": "a date",
}


class _DataBuilder:
    """Turns composed nodes into plain data, recording positions and key problems."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.constructor = yaml.SafeLoader("")  # builds scalars: ints, dates, booleans
        self.problems: list[Problem] = []
        self.value_problems: list[Problem] = []
        self.positions: dict[KeyPath, Position] = {}
        self.key_positions: dict[KeyPath, Position] = {}

    def build_root(self, node: Node) -> Any:
        self.positions[()] = _mark(node)
        return self.build(node, ())

    def build(self, node: Node, path: KeyPath) -> Any:
        if node.tag not in _ALLOWED_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self._add(node, path, f"the tag '{tag}' is not allowed", "remove it")
            return None
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            return [self._child(item, (*path, i), None) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        return self._scalar(node, path)

    def _child(self, node: Node, path: KeyPath, key_node: Node | None) -> Any:
        """Record where the child was written, then build it."""
        value_mark = _mark(node)
        key_mark = _mark(key_node) if key_node is not None else value_mark
        if key_node is not None:
            self.key_positions[path] = key_mark
        has_text = isinstance(node, ScalarNode) and (node.value or node.style)
        self.positions[path] = value_mark if key_node is None or has_text else key_mark
        return self.build(node, path)

    def _mapping(self, node: MappingNode, path: KeyPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, path)
            if key is None:
                continue
            if key in first_line:
                message = f"duplicate key '{key}' (first written on line {first_line[key]})"
                self._add(key_node, path, message, "keep one of them")
                continue
            first_line[key] = key_node.start_mark.line + 1
            result[key] = self._child(value_node, (*path, key), key_node)
        return result

    def _key(self, node: Node, path: KeyPath) -> str | None:
        """The key as text, or None after recording why it is not usable."""
        if isinstance(node, ScalarNode) and node.tag == _STR:
            return str(node.value)
        if isinstance(node, ScalarNode) and node.tag == "tag:yaml.org,2002:merge":
            self._add(node, path, "merge keys ('<<') are not allowed", "write the keys out")
        elif isinstance(node, ScalarNode):
            kind = _KEY_KINDS.get(node.tag.rsplit(":", 1)[-1], "value")
            message = f"the key '{node.value}' is read as {kind}, not as text"
            self._add(node, path, message, f'put it in quotes: "{node.value}"')
        else:
            self._add(node, path, "a key must be text, not a list or mapping")
        return None

    def _scalar(self, node: ScalarNode, path: KeyPath) -> Any:
        try:
            # Text (most values) is the node's own value: what the constructor returns.
            value = node.value if node.tag == _STR else self.constructor.construct_object(node)
        except (yaml.constructor.ConstructorError, ValueError) as exc:
            if node.tag == "tag:yaml.org,2002:timestamp":  # 2026-11-72: a value problem
                message, hint = _impossible_date(str(node.value), exc)
                return self._refuse_value(node, path, message, hint)
            reason = getattr(exc, "problem", None) or str(exc)
            self._add(node, path, f"cannot read this value: {reason}", "put it in quotes")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            message = f"'{node.value}' is not a usable number (YAML reads it as {value})"
            hint = "write an ordinary number, such as 16 or 0.5"
            return self._refuse_value(node, path, message, hint)
        if isinstance(value, str) and (control := _CONTROL.search(value)):
            code = ord(control.group())
            message = f"the text contains the control character U+{code:04X}"
            hint = "remove it: it cannot be printed or be part of a file name"
            return self._refuse_value(node, path, message, hint)
        return value

    def _refuse_value(self, node: Node, path: KeyPath, message: str, hint: str) -> None:
        """Record a bad value and go on, so the schema and later checks still run."""
        line, column = _mark(node)
        self.value_problems.append(
            Problem(self.file, line, column, format_path(path), message, hint)
        )

    def _add(self, node: Node, path: KeyPath, message: str, hint: str = "") -> None:
        line, column = _mark(node)
        self.problems.append(Problem(self.file, line, column, format_path(path), message, hint))


# C0 and C1 controls and DEL; tab and newline are ordinary in a block of text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _impossible_date(text: str, exc: Exception) -> tuple[str, str]:
    """Message and hint for a date-shaped value that is no date (2026-11-72, 2026-02-30)."""
    match = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})$", text)
    if match is None:
        return f"'{text}' is not a date ({exc})", "write it as year-month-day, e.g. 2026-11-27"
    year, month, _ = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return f"'{text}' is not a date: there is no month {month}", "months go from 01 to 12"
    days = calendar.monthrange(year, month)[1]
    name = calendar.month_name[month]
    return (
        f"'{text}' is not a date: {name} {year} has {days} days",
        f"write year-month-day with a day from 01 to {days}",
    )


def _mark(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


# --- schema validation ---------------------------------------------------------------


@functools.cache
def load_schema(path: Path) -> dict[str, Any]:
    """Read a shipped JSON Schema once; the same object comes back on every call.

    Returning the same object lets `validate_schema` reuse its compiled validator.
    Callers must not modify it.
    """
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def _fast_validator(schema: dict[str, Any]) -> Any:
    """jsonschema-rs's compiled validator for `schema`, built once per schema object.

    It only says valid or not: a test holds it to the same verdict as the
    explaining validator below on every bad-input case, so a file it passes
    has nothing to explain. Formats are checked ("date"), as below.
    """
    found = _FAST.get(id(schema))
    if found is None or found[0] is not schema:
        import jsonschema_rs

        found = (schema, jsonschema_rs.validator_for(schema, validate_formats=True))
        _FAST[id(schema)] = found
    return found[1]


_FAST: dict[int, tuple[dict[str, Any], Any]] = {}


@dataclass(frozen=True)
class _Compiled:
    source: dict[str, Any]  # as written, with its $refs
    schema: dict[str, Any]  # as validated: $refs expanded where possible
    validator: jsonschema.protocols.Validator
    all_tags: frozenset[str]  # every kind key of every tagged union in the schema


_COMPILED: dict[int, _Compiled] = {}


def _compiled(schema: dict[str, Any]) -> _Compiled:
    """The validator for `schema`, built once per schema object.

    The schemas ship with the package and a test checks each against the
    metaschema, so a build need not: that check alone took 70 ms a process.
    """
    cached = _COMPILED.get(id(schema))
    if cached is None or cached.source is not schema:
        import jsonschema

        flat = _without_refs(schema)
        formats = jsonschema.FormatChecker(formats=("date",))
        validator = jsonschema.Draft202012Validator(flat, format_checker=formats)
        cached = _Compiled(schema, flat, validator, _collect_tags(flat))
        _COMPILED[id(schema)] = cached
    return cached


class _Cycle(Exception):
    """A schema refers to itself; it is validated with its `$ref`s as they are."""


def _without_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with every local `$ref` replaced by its target: twice as fast to validate.

    A `$ref`'s sibling keys (usually a more specific `description`) win over the
    target's. Recursive schemas are returned unchanged.
    """

    def expand(node: Any, trail: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [expand(item, trail) for item in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            if ref in trail:
                raise _Cycle
            target = expand(resolve_ref(schema, {"$ref": ref}), (*trail, ref))
            siblings = {k: expand(v, trail) for k, v in node.items() if k != "$ref"}
            return {**target, **siblings}
        return {k: expand(v, trail) for k, v in node.items() if k != "$defs"}

    try:
        flat: dict[str, Any] = expand(schema, ())
    except _Cycle:
        return schema
    return flat


def validate_schema(doc: Document, schema: dict[str, Any], file: str) -> list[Problem]:
    """Every way `doc.data` breaks `schema`, one plain-words problem per mistake."""
    instance = _as_json(doc.data)
    if not doc.value_problems and _fast_validator(schema).is_valid(instance):
        return []
    compiled = _compiled(schema)
    describer = _Describer(doc, compiled, file)
    problems: dict[tuple[int, int, str, str], Problem] = {}
    refused = {p.path for p in doc.value_problems}  # already said better than "not text"
    for problem in doc.value_problems:
        problems[(problem.line, problem.column, problem.path, problem.message)] = problem
    for error in compiled.validator.iter_errors(instance):
        for problem in describer.describe(error):
            if problem.path in refused:
                continue
            problems.setdefault(
                (problem.line, problem.column, problem.path, problem.message), problem
            )
    return list(problems.values())


def _as_json(value: Any) -> Any:
    """Dates as ISO text, the form JSON Schema's `"format": "date"` checks."""
    if isinstance(value, dict):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping (key: value lines)",
    "null": "nothing",
}


def describe_value(value: Any) -> str:
    """How a value reads to an author: "text", "a list", "true/false", …"""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a yes/no value)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _json_type(value: Any) -> str:
    for name, kinds in (("boolean", bool), ("string", str), ("array", list), ("object", dict)):
        if isinstance(value, kinds):
            return name
    if value is None:
        return "null"
    return "integer" if isinstance(value, int) or float(value).is_integer() else "number"


def empty_text_hint(path: KeyPath, schema: dict[str, Any] | None = None) -> str:
    """What to write for a text left empty: an item of a list has no key to remove, a
    table cell must say something (a reader cannot tell a blank cell from a lost one),
    and a key the schema requires cannot be removed."""
    if path and isinstance(path[-1], int):
        if len(path) > 1 and path[-2] == "cells":
            return "write the text; a cell with nothing to say takes a mark such as '—' or 'n/a'"
        return "write the text, or delete the item's line"
    return f"write the text, {_or_remove(path, schema)}"


def _or_remove(path: KeyPath, schema: dict[str, Any] | None = None) -> str:
    """How to do without a value: a block's kind key goes with its block; a required key
    cannot go; another key may be removed."""
    block = path[:-1]  # ("pages", 0, "main", 3) or (…, "callout", "blocks", 1)
    if block and isinstance(block[-1], int) and (len(block) == 4 or block[-2] == "blocks"):
        return f"or delete the block (its '- {path[-1]}:' line)"
    required = is_required(schema, path) if schema is not None else None
    if required:
        return "which is required here"
    return "or remove the key" if required is False else "or remove the key if it is optional"


def is_required(schema: dict[str, Any], path: KeyPath) -> bool | None:
    """Whether the schema requires the key at `path` (None when it cannot tell: the path
    leaves the schema, or ends at a list item). Follows $ref, oneOf, anyOf and allOf."""
    if not path or not isinstance(path[-1], str):
        return None
    nodes: list[Any] = [schema]
    parents: list[dict[str, Any]] = []
    for key in path:
        expanded = [node for start in nodes for node in _branches(schema, start)]
        if isinstance(key, int):
            nodes = [node["items"] for node in expanded if isinstance(node.get("items"), dict)]
            continue
        parents = [node for node in expanded if key in node.get("properties", {})]
        nodes = [node["properties"][key] for node in parents]
    return any(path[-1] in node.get("required", ()) for node in parents) if parents else None


def _branches(schema: dict[str, Any], node: Any) -> list[dict[str, Any]]:
    """`node` and every schema it stands for through $ref, oneOf, anyOf and allOf."""
    found: list[dict[str, Any]] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if not isinstance(current, dict) or len(found) > 500:
            continue
        found.append(current)
        ref = current.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            stack.append(schema.get("$defs", {}).get(ref.removeprefix("#/$defs/")))
        for key in ("oneOf", "anyOf", "allOf"):
            stack.extend(current.get(key, ()))
    return found


def _type_hint(
    value: Any, expected: Sequence[str], path: KeyPath = (), schema: dict[str, Any] | None = None
) -> str:
    if expected == ["array"] and isinstance(value, str):
        return "write each item on its own line, starting with '- '"
    if "string" not in expected:
        return ""
    if isinstance(value, bool):
        return "YAML reads yes/no/on/off/true/false as a yes/no value; put the text in quotes"
    if isinstance(value, int | float):
        return "put it in quotes to keep it as text"
    if value is None:
        if path and isinstance(path[-1], int):
            return empty_text_hint(path, schema)
        return f"write the text after the colon, {_or_remove(path, schema)}"
    return ""


def _key_hint(error: jsonschema.ValidationError, key: str, allowed: list[str]) -> str:
    if " " in key and error.instance.get(key) is None:
        return "inside { }, a comma separates keys: put text containing a comma in quotes"
    owner = _owner_of(error.schema, key)
    if owner:
        return f"'{key}' belongs to '{owner}': move it inside '{owner}'"
    close = did_you_mean(key, allowed)
    listing = f"allowed here: {', '.join(allowed)}" if allowed else "no keys are allowed here"
    return f"{close} {listing}" if close else listing


def _owner_of(schema: Mapping[str, Any], key: str) -> str:
    """The sibling property whose own mapping allows `key` (a line indented too little)."""
    for name, child in schema.get("properties", {}).items():
        if isinstance(child, dict) and key in child.get("properties", {}):
            return str(name)
    return ""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ "did you mean 'title'?" when `word` is a near miss of one of `choices`, else ""."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


class _Describer:
    """Turns jsonschema errors into Problems a person can act on."""

    def __init__(self, doc: Document, compiled: _Compiled, file: str) -> None:
        self.doc = doc
        self.schema = compiled.schema
        self.all_tags = compiled.all_tags
        self.file = file

    def describe(self, error: jsonschema.ValidationError) -> Iterator[Problem]:
        path = tuple(error.absolute_path)
        handler = getattr(self, f"_on_{error.validator}", None)
        if handler is not None:
            yield from handler(error, path)
        else:
            yield self._at(path, self._fallback(error), _schema_text(error.schema))

    def _at(self, path: KeyPath, message: str, hint: str = "", *, key: bool = False) -> Problem:
        line, column = self.doc.where_key(path) if key else self.doc.where(path)
        return Problem(self.file, line, column, format_path(path), message, hint)

    def _fallback(self, error: jsonschema.ValidationError) -> str:
        return str(error.message)

    def _on_additionalProperties(
        self, error: jsonschema.ValidationError, path: KeyPath
    ) -> Iterator[Problem]:
        allowed = list(error.schema.get("properties", {}))
        for key in error.instance:
            if key in allowed or _matches_pattern(error.schema, key):
                continue
            yield self._at(
                (*path, key), f"unknown key '{key}'", _key_hint(error, key, allowed), key=True
            )

    def _on_required(self, error: jsonschema.ValidationError, path: KeyPath) -> Iterator[Problem]:
        properties = error.schema.get("properties", {})
        for key in error.validator_value:
            if isinstance(error.instance, dict) and key not in error.instance:
                hint = _schema_text(properties.get(key, {}))
                yield self._at(path, f"missing required key '{key}'", hint)

    def _on_type(self, error: jsonschema.ValidationError, path: KeyPath) -> Iterator[Problem]:
        expected = error.validator_value
        expected = [expected] if isinstance(expected, str) else list(expected)
        words = " or ".join(_TYPE_WORDS.get(name, name) for name in expected)
        message = f"expected {words}, got {describe_value(error.instance)}"
        yield self._at(path, message, _type_hint(error.instance, expected, path, self.schema))

    def _on_enum(self, error: jsonschema.ValidationError, path: KeyPath) -> Iterator[Problem]:
        options = [json.dumps(option) for option in error.validator_value]
        message = f"expected one of {', '.join(options)}, got {json.dumps(error.instance)}"
        hint = did_you_mean(str(error.instance), [str(o) for o in error.validator_value])
        yield self._at(path, message, hint)

    def _on_const(self, error: jsonschema.ValidationError, path: KeyPath) -> Iterator[Problem]:
        yield self._at(path, f"expected {json.dumps(error.validator_value)}")

    def _on_pattern(self, error: jsonschema.ValidationError, path: KeyPath) -> Iterator[Problem]:
        message = f"'{error.instance}' is not in the expected form"
        yield self._at(path, message, _schema_text(error.schema))

    def _on_format(self, error: jsonschema.ValidationError, path: KeyPath) -> Iterator[Problem]:
        if error.validator_value == "date":
            message = f"'{error.instance}' is not a date"
            yield self._at(path, message, "write it as year-month-day, e.g. 2026-11-27")
        else:
            yield self._at(path, f"'{error.instance}' is not a valid {error.validator_value}")

    def _on_minLength(self, error: jsonschema.ValidationError, path: KeyPath) -> Iterator[Problem]:
        if error.instance == "":
            yield self._at(path, "empty text", empty_text_hint(path, self.schema))
        else:
            yield self._at(path, f"too short: at least {error.validator_value} characters")

    def _on_maxLength(self, error: jsonschema.ValidationError, path: KeyPath) -> Iterator[Problem]:
        count = len(error.instance)
        yield self._at(path, f"too long: {count} characters, at most {error.validator_value}")

    def _on_minItems(self, error: jsonschema.ValidationError, path: KeyPath) -> Iterator[Problem]:
        least = error.validator_value
        message = "empty list" if not error.instance else f"needs at least {least} items"
        yield self._at(path, message, f"give at least {least}, {_or_remove(path)}")

    def _on_maxItems(self, error: jsonschema.ValidationError, path: KeyPath) -> Iterator[Problem]:
        count, most = len(error.instance), error.validator_value
        yield self._at(path, f"{count} items; at most {most} are allowed")

    def _on_minProperties(
        self, error: jsonschema.ValidationError, path: KeyPath
    ) -> Iterator[Problem]:
        keys = ", ".join(error.schema.get("properties", {}))
        yield self._at(path, "empty mapping", f"give at least one of: {keys}")

    def _on_minimum(self, error: jsonschema.ValidationError, path: KeyPath) -> Iterator[Problem]:
        yield self._at(path, f"{error.instance} is below the minimum {error.validator_value}")

    def _on_maximum(self, error: jsonschema.ValidationError, path: KeyPath) -> Iterator[Problem]:
        yield self._at(path, f"{error.instance} is above the maximum {error.validator_value}")

    def _on_exclusiveMinimum(
        self, error: jsonschema.ValidationError, path: KeyPath
    ) -> Iterator[Problem]:
        yield self._at(path, f"must be more than {error.validator_value}, got {error.instance}")

    def _on_oneOf(self, error: jsonschema.ValidationError, path: KeyPath) -> Iterator[Problem]:
        yield from _UnionDescriber(self, error, path).problems()

    _on_anyOf = _on_oneOf


class _UnionDescriber:
    """Explains a failed oneOf/anyOf by the one alternative the author meant.

    A "tagged union" (every alternative is a mapping with exactly one required
    key, as block kinds are) is decided by which key is present; other unions by
    the type of the value. Only that alternative's errors are shown, so the
    author never sees a wall of "or" branches.
    """

    def __init__(self, outer: _Describer, error: jsonschema.ValidationError, path: KeyPath) -> None:
        self.outer = outer
        self.error = error
        self.path = path
        self.alternatives = [resolve_ref(outer.schema, alt) for alt in error.validator_value]
        self.noun = str(error.schema.get("title", "kind"))
        self.where = str(error.schema.get("x-where", "here"))

    def problems(self) -> Iterator[Problem]:
        tags = _tags(self.alternatives)
        found = list(self._tagged(tags) if tags is not None else self._by_type())
        if not found:  # e.g. a oneOf matched twice: no branch has an error to show
            message = "does not match exactly one of the allowed forms"
            found = [self.outer._at(self.path, message, _schema_text(self.error.schema))]
        yield from found

    def _branch(self, index: int) -> Iterator[Problem]:
        for sub in self.error.context or ():
            if sub.relative_schema_path and sub.relative_schema_path[0] == index:
                yield from self.outer.describe(sub)

    def _tagged(self, tags: list[str]) -> Iterator[Problem]:
        instance = self.error.instance
        allowed = ", ".join(tags)
        if not isinstance(instance, dict):
            message = f"expected a {self.noun} ({allowed}), got {describe_value(instance)}"
            yield self.outer._at(self.path, message, f"start it with its kind, e.g. '{tags[0]}: …'")
            return
        present = [key for key in instance if key in tags]
        if len(present) == 1:
            yield from self._branch(tags.index(present[0]))
        elif len(present) > 1:
            found = " and ".join(f"'{key}'" for key in present)
            message = f"one {self.noun} per list item, found {found} together"
            yield self.outer._at(self.path, message, "start each with its own '- '")
        elif not instance:
            yield self.outer._at(self.path, f"empty {self.noun}", f"use one of: {allowed}")
        else:
            yield self._unknown(next(iter(instance)), tags)

    def _unknown(self, key: str, tags: list[str]) -> Problem:
        known = self.outer.all_tags
        listing = f"allowed {self.where}: {', '.join(tags)}"
        if key in known:
            message = f"a '{key}' {self.noun} is not allowed {self.where}"
            return self.outer._at((*self.path, key), message, listing, key=True)
        hint = did_you_mean(key, tags)
        hint = f"{hint} {listing}" if hint else listing
        message = f"unknown {self.noun} kind '{key}'"
        return self.outer._at((*self.path, key), message, hint, key=True)

    def _by_type(self) -> Iterator[Problem]:
        kind = _json_type(self.error.instance)
        fitting = [i for i, alt in enumerate(self.alternatives) if _accepts_type(alt, kind)]
        if len(fitting) == 1:
            yield from self._branch(fitting[0])
            return
        if not fitting:
            words = " or ".join(_alternative_words(self.alternatives))
            message = f"expected {words}, got {describe_value(self.error.instance)}"
            hint = _schema_text(self.error.schema)
            yield self.outer._at(self.path, message, hint)
            return
        from jsonschema.exceptions import best_match

        best = best_match(self.error.context or ())
        if best is not None:
            yield from self.outer.describe(best)


def resolve_ref(root: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` ("#/$defs/name") to the schema it names."""
    seen = 0
    while "$ref" in schema and seen < 32:
        ref = str(schema["$ref"])
        if not ref.startswith("#/"):
            return schema
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        schema, seen = target, seen + 1
    return schema


def _tags(alternatives: list[dict[str, Any]]) -> list[str] | None:
    """The kind keys of a tagged union, or None if `alternatives` is not one."""
    tags = []
    for alt in alternatives:
        required = alt.get("required", [])
        if alt.get("type") != "object" or len(required) != 1:
            return None
        tags.append(str(required[0]))
    return tags


def _collect_tags(schema: dict[str, Any]) -> frozenset[str]:
    """Every kind key of every tagged union (to tell a typo from a misplaced kind)."""
    found: set[str] = set()
    stack: list[Any] = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in ("oneOf", "anyOf"):
                if isinstance(node.get(key), list):
                    found.update(_tags([resolve_ref(schema, alt) for alt in node[key]]) or ())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return frozenset(found)


def _accepts_type(schema: dict[str, Any], kind: str) -> bool:
    declared = schema.get("type")
    if declared is None:
        return True
    declared = [declared] if isinstance(declared, str) else declared
    return kind in declared or (kind == "integer" and "number" in declared)


def _alternative_words(alternatives: list[dict[str, Any]]) -> list[str]:
    words: list[str] = []
    for alt in alternatives:
        declared = alt.get("type", "anything")
        for name in [declared] if isinstance(declared, str) else declared:
            word = _TYPE_WORDS.get(name, name)
            if word not in words:
                words.append(word)
    return words


def _matches_pattern(schema: Mapping[str, Any], key: str) -> bool:
    return any(re.search(pattern, key) for pattern in schema.get("patternProperties", {}))


def _schema_text(schema: Any) -> str:
    """A schema's own description, used as the hint for what belongs there."""
    if isinstance(schema, dict):
        return str(schema.get("description", ""))
    return ""
