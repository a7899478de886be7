"""Link targets a printed sheet may carry: https: web pages, mailto: and tel: only.

A PDF link that runs a script, opens a local file or sends a reader to an
unencrypted page has no place on a patient handout, so everything else is
refused with a message saying what to write instead. Email addresses become
mailto: links and phone numbers tel: links holding only "+" and digits.
"""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit


class Issue(NamedTuple):
    """A problem found in one value; the caller knows where the value is."""

    message: str
    hint: str = ""


_EMAIL = re.compile(
    r'^[^@\s<>()\[\]\\,;:"]+@(?:[^@\s<>()\[\]\\,;:".]+\.)+[^@\s<>()\[\]\\,;:".]{2,}$'
)
_PHONE_CHARS = re.compile(r"^\+?[0-9 ().\-/]+$")
_SCHEMES = "only https:, mailto: and tel: links are allowed"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_url(url: str) -> Issue | None:
    """Why `url` is not a usable https:// web address, or None if it is."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "http":
        return Issue(f"'{_short(url)}' is an http: link", "use https:// instead")
    if scheme != "https":
        return _bad_scheme(url, scheme)
    parts = urlsplit(url)
    host = parts.hostname or ""
    if re.search(r"\s", url) or "." not in host.strip("."):
        return Issue(f"'{_short(url)}' is not a complete web address", "e.g. https://www.komen.org")
    try:
        parts.port  # noqa: B018  # urlsplit checks the port only when asked for it
    except ValueError:
        message = f"'{_short(url)}' has a port that is not a number from 0 to 65535"
        return Issue(message, "leave the port out (https://www.komen.org), or correct it")
    return None


def _bad_scheme(url: str, scheme: str) -> Issue:
    if not scheme:
        hint = "write the full address, starting with https://"
        return Issue(f"'{_short(url)}' is not a full link", hint)
    return Issue(f"'{scheme}:' links are not allowed ('{_short(url)}')", _SCHEMES)


def mailto(address: str) -> tuple[str, Issue | None]:
    """The mailto: link for `address` (a leading "mailto:" is accepted), and any problem."""
    address = address.removeprefix("mailto:")
    if not _EMAIL.match(address):
        issue = Issue(f"'{_short(address)}' is not an email address", "e.g. helpline@komen.org")
        return f"mailto:{address}", issue
    return f"mailto:{address}", None


def tel(number: str) -> tuple[str, Issue | None]:
    """The tel: link for `number` ("+" and digits only), and any problem.

    Separators people write (spaces, dashes, dots, brackets) are dropped; letters
    ("1-877 GO KOMEN") belong in the printed text, not the number dialled.
    """
    number = number.removeprefix("tel:").strip()
    digits = re.sub(r"\D", "", number)
    href = "tel:" + ("+" if number.startswith("+") else "") + digits
    if not _PHONE_CHARS.match(number):
        hint = "keep letters in the printed text; the number holds digits only"
        return href, Issue(f"'{_short(number)}' is not a phone number", hint)
    if not 7 <= len(digits) <= 15:
        message = f"the phone number '{number}' has {len(digits)} digits, not 7 to 15"
        return href, Issue(message, "write the whole number, with the country code")
    return href, None


def check_href(href: str) -> tuple[str, Issue | None]:
    """A link target from inline Markdown, normalised, and why it is refused, if it is."""
    scheme = href.split(":", 1)[0].lower() if ":" in href else ""
    if scheme == "mailto":
        return mailto(href[len("mailto:") :])
    if scheme == "tel":
        return tel(href[len("tel:") :])
    return href, check_url(href)
