"""A clinic's co-branding details: `clinic.yaml` or the web form in, a checked `Clinic` out.

The same rules hold however the details arrive, because both paths end in
`_ClinicBuilder`: the JSON Schema (`schemas/clinic.schema.json`: which keys,
lengths), then what a schema cannot say: text is plain (collapsed whitespace,
no control characters), the phone number is digits a tel: link can dial (an
extension kept apart), the web address is https, and the logo is a PNG or JPEG
within the size and pixel limits (the pixels are counted from the header, so
a decompression bomb is refused before anything is decoded; then every pixel
is decoded, so a damaged file is refused rather than printed broken). Nothing
here is markup: the layout sets the text as it is, so `<b>` or `&amp;` in a name print as typed.

Bad input raises `ContentError` listing every problem, located at the file's
line (clinic.yaml) or at the form field (file "form", path = field name).
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PIL import Image, ImageOps

from factsheet.content.direction import BIDI_CONTROLS
from factsheet.content.images import check_image, resolve_image
from factsheet.content.links import Issue, check_url, tel
from factsheet.content.yamlfile import Document, load_schema, load_yaml, validate_schema
from factsheet.errors import ContentError, Problem

SCHEMA_PATH = Path(__file__).parent / "schemas" / "clinic.schema.json"
FORM = "form"  # the "file" of problems found in form input
FIELDS = ("name", "phone", "web")
MAX_LOGO_BYTES = 2 * 1024 * 1024
MAX_LOGO_PIXELS = 4_000_000  # 2000 × 2000: a logo printed 1 inch wide needs a tenth of that
LOGO_EDGE = 600  # an uploaded logo is stored at most this many pixels wide or tall
_LOGO_FORMATS = ("PNG", "JPEG")


@dataclass(frozen=True)
class Clinic:
    """What the clinic block prints. Text is plain; links are checked."""

    name: str
    phone: str | None = None  # as printed, e.g. "+1 (555) 010-0199"
    web: str | None = None  # an https URL
    logo: Path | None = None  # a checked PNG or JPEG
    source: str = FORM  # where the details came from, for messages

    @property
    def phone_href(self) -> str | None:
        """The number dialled: `tel:+15550100199;ext=123` (RFC 3966) for "… ext. 123"."""
        if not self.phone:
            return None
        number, extension = split_extension(self.phone)
        return tel(number)[0] + (f";ext={extension}" if extension else "")

    @property
    def web_text(self) -> str | None:
        """The address as printed: without the scheme or a bare trailing slash."""
        if not self.web:
            return None
        return self.web.removeprefix("https://").removesuffix("/")


def load_clinic(path: Path) -> Clinic:
    """Read and check a clinic.yaml; its logo is a file in the same folder."""
    doc = load_yaml(path, max_bytes=64 * 1024)
    builder = _ClinicBuilder(doc)
    clinic = builder.build(logo=lambda name: builder.logo_file(path.parent, name))
    return builder.result(clinic)


def clinic_from_form(fields: Mapping[str, str], logo: Path | None = None) -> Clinic:
    """Check the web form's fields; `logo` is an upload already stored by the caller.

    Empty fields count as not given, as a browser sends every field of a form.
    """
    data = {key: fields[key] for key in FIELDS if fields.get(key, "").strip()}
    data["name"] = fields.get("name", "")  # an empty name is "empty text", not a missing key
    builder = _ClinicBuilder(Document(FORM, data, {}, {}))
    clinic = builder.build(logo=lambda _name: logo)
    if logo is not None and clinic is not None:
        clinic = _with_logo(clinic, logo)
    return builder.result(clinic)


def _with_logo(clinic: Clinic, logo: Path) -> Clinic:
    return Clinic(clinic.name, clinic.phone, clinic.web, logo, clinic.source)


class _ClinicBuilder:
    """Schema first, then the rules a schema cannot express; every problem is kept."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems = validate_schema(doc, load_schema(SCHEMA_PATH), doc.file)
        self.bad = {p.path for p in self.problems}  # fields the schema already refused

    def report(self, key: str, issue: Issue) -> None:
        self.problems.append(self.doc.problem((key,), issue.message, issue.hint))

    def build(self, logo: Any) -> Clinic | None:
        data = self.doc.data if isinstance(self.doc.data, dict) else {}
        if not isinstance(self.doc.data, dict) and not self.problems:
            self.problems.append(Problem(self.doc.file, 0, 0, "", "expected a mapping of keys"))
        name = self.text("name", data.get("name"))
        phone = self.phone(data.get("phone"))
        web = self.web(data.get("web"))
        logo_file = logo(data["logo"]) if isinstance(data.get("logo"), str) else None
        if name is None:
            return None
        return Clinic(name, phone, web, logo_file, self.doc.file)

    def result(self, clinic: Clinic | None) -> Clinic:
        if self.problems or clinic is None:
            raise ContentError(self.problems)
        return clinic

    def text(self, key: str, value: Any) -> str | None:
        if not isinstance(value, str) or key in self.bad:
            return None
        issue = plain_text_issue(value)
        if issue is not None:
            self.report(key, issue)
            return None
        return " ".join(value.split())

    def phone(self, value: Any) -> str | None:
        number = self.text("phone", value)
        if number is None:
            return None
        issue = tel(split_extension(number)[0])[1]
        if issue is not None:
            self.report("phone", issue)
            return None
        return number

    def web(self, value: Any) -> str | None:
        url = self.text("web", value)
        if url is None:
            return None
        issue = check_url(url)
        if issue is None and urlsplit(url).username is not None:
            issue = Issue("a web address may not hold a user name", "e.g. https://www.example.org")
        if issue is not None:
            self.report("web", issue)
            return None
        return url

    def logo_file(self, folder: Path, name: str) -> Path | None:
        if "logo" in self.bad:
            return None
        path, issue = resolve_image(folder, name)
        if path is not None:
            issue = check_logo(path)
        if issue is not None:
            self.report("logo", issue)
            return None
        return path


# "+1 555 010 0199 ext. 12", "x12", "extn 12", "#12", ", 12": the extension is dialled
# after the call connects, so it is kept apart from the number (tel: ;ext=, RFC 3966).
_EXTENSION = re.compile(r"\s*(?:,|;|#|x|ext\.?|extn\.?|extension)\s*(\d{1,6})\s*$", re.IGNORECASE)


def split_extension(number: str) -> tuple[str, str | None]:
    """(the number, its extension or None): the printed text itself is kept as typed."""
    found = _EXTENSION.search(number)
    if found is None or not found.string[: found.start()].strip():
        return number, None
    return number[: found.start()], found.group(1)


def plain_text_issue(value: str) -> Issue | None:
    """Why `value` cannot be printed as one plain line (line breaks collapse to spaces)."""
    collapsed = " ".join(value.split())
    if not any(_visible(char) for char in collapsed):  # spaces, ZWSP, a filler: a blank box
        return Issue("empty text", "write the text, or leave the field out")
    if any(unicodedata.category(char) == "Cc" for char in collapsed):
        return Issue("contains control characters", "type the text again without pasting it")
    hidden = next((char for char in collapsed if char in BIDI_CONTROLS), None)
    if hidden is not None:  # U+202E would print "Clinic" as "cinilC": refused as in content
        name = unicodedata.name(hidden)
        message = f"contains a hidden direction control (U+{ord(hidden):04X} {name})"
        return Issue(message, "type the text again without pasting it")
    return None


# Letters that print as nothing (Hangul fillers, the blank Braille pattern): a name of
# them alone is as empty as spaces.
_BLANK = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def _visible(char: str) -> bool:
    """Whether `char` prints something: a letter, digit, punctuation or symbol that is not
    a filler (not a space, format character such as U+200B, or a mark on nothing)."""
    return unicodedata.category(char)[0] in "LNPS" and char not in _BLANK


# --- logos ---------------------------------------------------------------------------


def check_logo(file: Path) -> Issue | None:
    """Why `file` is not a usable logo: PNG or JPEG, ≤ 2 MiB, ≤ 4 megapixels, undamaged."""
    size = file.stat().st_size
    if size > MAX_LOGO_BYTES:
        message = f"the logo is {size / 1048576:.1f} MiB, over the 2 MiB limit"
        return Issue(message, "export it smaller: 600 pixels across is plenty")
    pixels = _header_pixels(file)  # before decoding: a logo is never decoded past its limit
    if pixels is not None and pixels[0] * pixels[1] > MAX_LOGO_PIXELS:
        message = f"the logo is {pixels[0]} × {pixels[1]} pixels, over the 4 megapixel limit"
        return Issue(message, "export it smaller: 600 pixels across is plenty")
    return check_image(file)  # formats, structure, every pixel decoded, decompression bombs


def _header_pixels(file: Path) -> tuple[int, int] | None:
    """(width, height) from the header, or None when it is not a readable PNG or JPEG."""
    try:
        with Image.open(file, formats=_LOGO_FORMATS) as image:
            return image.size
    except Exception:  # Pillow raises many types on foreign or damaged files; check_image names it
        return None


def _eight_bit(image: Image.Image) -> Image.Image:
    """16-bit greyscale at 8 bits: Pillow's own conversion clips every value over 255 to
    white, so a 16-bit grey logo would print as a blank box."""
    if image.mode in ("I", "I;16", "I;16L", "I;16B", "I;16N"):
        return image.convert("I").point(lambda value: value / 256).convert("L")
    return image


def normalized_logo(file: Path) -> bytes:
    """A checked logo re-encoded as a PNG at most LOGO_EDGE pixels a side.

    The PDF then embeds pixels we decoded and encoded ourselves, never the
    uploaded file's bytes, and a large photo does not bloat every download.
    Call `check_logo` first: this decodes the image.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(file, formats=_LOGO_FORMATS) as image:
            image.load()
            has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
            picture = _eight_bit(ImageOps.exif_transpose(image))  # a phone photo upright
            picture = picture.convert("RGBA" if has_alpha else "RGB")
    picture.thumbnail((LOGO_EDGE, LOGO_EDGE))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()
