"""A strict reading of a PO file's syntax, before polib parses it.

polib forgives what a build must not: an unterminated `msgstr "Cada 4 semanas`
is read as if it were closed, a trailing backslash is printed, a duplicated
msgid silently keeps the last entry, and a NUL or U+0001 in a msgstr is kept.
A catalog is what a patient reads, so each of these is an error with its file
and line, all of them at once, before anything is built. The rules are those of
GNU gettext's PO format (`msgfmt --check`): every string is one double-quoted
line with the C escapes \\n \\t \\" \\\\ (and \\a \\b \\f \\r \\v, octal and hex);
no control characters but tab; one entry per (msgctxt, msgid).
"""

from __future__ import annotations

import re
import unicodedata

from factsheet.errors import Problem

_KEYWORD = re.compile(
    r"^(?P<keyword>msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(?P<rest>.*)$"
)
_ESCAPE = re.compile(r'\\(?:[ntrabfv"\\?\']|[0-7]{1,3}|x[0-9A-Fa-f]+)')
_HINT = "open it in Poedit, or run msgfmt --check on it, to see and fix the mistake"


def check_syntax(text: str, file: str) -> list[Problem]:
    """Every syntax problem of a PO file's text, each with its line."""
    problems: list[Problem] = []
    entries: dict[tuple[str | None, str], int] = {}
    context: str | None = None
    current: str | None = None  # the keyword whose string continues on the next line
    msgid: list[str] = []
    msgid_line = 0
    for number, line in enumerate(text.splitlines(), start=1):
        problems += _control_chars(line, file, number)
        stripped = line.strip()
        if stripped.startswith("#"):
            if stripped.startswith("#~"):
                current = None
            continue
        if not stripped:
            current = None
            continue
        match = _KEYWORD.match(stripped)
        if match:
            keyword, rest = match["keyword"], match["rest"]
            if keyword in ("msgid", "msgctxt") and msgid_line:
                _remember(entries, context, msgid, msgid_line, file, problems)
                msgid, msgid_line, context = [], 0, None
            if keyword == "msgid":
                msgid_line = number
            elif keyword == "msgctxt":
                context = ""
            current = keyword
        elif stripped.startswith('"') and current is not None:
            rest = stripped
        else:
            message = f"cannot read this line: {_short(stripped)}"
            problems.append(Problem(file, number, 0, "", message, _HINT))
            continue
        value = _string(rest, file, number, problems)
        if value is None:
            continue
        if current == "msgid":
            msgid.append(value)
        elif current == "msgctxt":
            context = (context or "") + value
    _remember(entries, context, msgid, msgid_line, file, problems)
    return problems


def _remember(
    entries: dict[tuple[str | None, str], int],
    context: str | None,
    msgid: list[str],
    line: int,
    file: str,
    problems: list[Problem],
) -> None:
    if not line:
        return
    key = (context, "".join(msgid))
    if key[1] == "" and context is None:
        return  # the header entry
    first = entries.get(key)
    if first is not None:
        message = f'the msgid "{_short(key[1])}" is here twice (first at line {first})'
        hint = "keep one entry per English string: merge the two, then delete one"
        problems.append(Problem(file, line, 0, "", message, hint))
    else:
        entries[key] = line


def _string(rest: str, file: str, number: int, problems: list[Problem]) -> str | None:
    """The text of a quoted string, or None after recording why it is not one."""
    if not rest.startswith('"'):
        problems.append(
            Problem(file, number, 0, "", "a string must start with a double quote", _HINT)
        )
        return None
    body, index, closed = [], 1, False
    while index < len(rest):
        char = rest[index]
        if char == "\\":
            escape = _ESCAPE.match(rest, index)
            if escape is None:
                what = (
                    "a backslash at the end of the line"
                    if index == len(rest) - 1
                    else (f"the unknown escape \\{rest[index + 1]}")
                )
                hint = 'write \\\\ for a backslash, \\" for a quote, \\n for a new line'
                problems.append(Problem(file, number, 0, "", f"bad escape: {what}", hint))
                return None
            body.append(escape.group())
            index = escape.end()
            continue
        if char == '"':
            closed = True
            break
        body.append(char)
        index += 1
    if not closed:
        message = "unterminated string: the line must end with a double quote"
        if rest.rstrip().endswith('\\"'):
            message += " (its last quote is escaped by the backslash before it)"
        problems.append(Problem(file, number, 0, "", message, _HINT))
        return None
    if rest[index + 1 :].strip():
        message = f"text after the closing quote: {_short(rest[index + 1 :].strip())}"
        problems.append(Problem(file, number, 0, "", message, _HINT))
        return None
    value = "".join(body)
    problems += _escaped_controls(value, file, number)
    return value


def _control_chars(line: str, file: str, number: int) -> list[Problem]:
    found = [c for c in line if unicodedata.category(c) == "Cc" and c != "\t"]
    return [_control(c, file, number) for c in dict.fromkeys(found)]


def _escaped_controls(value: str, file: str, number: int) -> list[Problem]:
    """Controls written as escapes ("\\001", "\\x00"); \\n and \\t are text."""
    found = []
    for escape in _ESCAPE.findall(value):
        code = escape[1:]
        if code[0] in "01234567":
            found.append(chr(int(code, 8)))
        elif code[0] == "x":
            found.append(chr(int(code[1:], 16) % 0x110000))
        elif code in "abfv":
            found.append({"a": "\a", "b": "\b", "f": "\f", "v": "\v"}[code])
    return [_control(c, file, number) for c in dict.fromkeys(found) if c not in "\n\t"]


def _control(char: str, file: str, number: int) -> Problem:
    name = unicodedata.name(char, "")
    message = f"U+{ord(char):04X} {name + ' ' if name else ''}(a control character) in the catalog"
    return Problem(file, number, 0, "", message, "delete it; the catalog is text a patient reads")


def _short(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
