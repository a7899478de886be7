"""Checks on the pictures a sheet names: inside its folder, PNG or JPEG, sane in size.

Images are untrusted input like the YAML: a path could reach outside the
sheet's folder (directly or through a symbolic link), and a small file can
claim billions of pixels and exhaust memory when decoded. Pillow reads only
the header and verifies the file's structure here; nothing is decoded.
"""

from __future__ import annotations

import difflib
import warnings
from pathlib import Path, PurePosixPath, PureWindowsPath

from PIL import Image, UnidentifiedImageError

from factsheet.content.links import Issue

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # 40 megapixels: far above print needs, far below a memory bomb
_FORMATS = ("PNG", "JPEG")
# A picture is named as what it is: the batch's fingerprints (publish/inputs.py)
# count files of these kinds in a sheet folder as inputs, and no others.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")
_SIGNATURES = (
    (b"GIF8", "a GIF"),
    (b"RIFF", "a WebP or other RIFF file"),
    (b"%PDF", "a PDF"),
    (b"<svg", "an SVG drawing"),
    (b"<?xml", "an XML or SVG file"),
    (b"BM", "a BMP"),
    (b"II*\x00", "a TIFF"),
    (b"MM\x00*", "a TIFF"),
)


def resolve_image(folder: Path, name: str) -> tuple[Path | None, Issue | None]:
    """The image file `name` inside `folder`, or why it cannot be used."""
    inside = f"put the picture in the sheet's folder ({folder.name}/) and give its file name"
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or PureWindowsPath(name).drive or ".." in pure.parts:
        return None, Issue(f"the image path '{name}' leads outside the sheet's folder", inside)
    root = folder.resolve()
    try:
        real = (root / pure).resolve(strict=True)
    except (FileNotFoundError, NotADirectoryError):
        return None, Issue(f"image not found: '{name}'", _nearby(root, pure.name))
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic-link loop
        return None, Issue(f"cannot open the image '{name}': {exc}")
    if not real.is_relative_to(root):
        message = f"the image path '{name}' leads outside the sheet's folder (a symbolic link)"
        return None, Issue(message, inside)
    if not real.is_file():
        return None, Issue(f"the image path '{name}' is not a file")
    return real, None


def _nearby(root: Path, name: str) -> str:
    """A hint naming the pictures that are in the folder, or a near miss of `name`."""
    pictures = sorted(p.name for p in root.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    close = difflib.get_close_matches(name, pictures, n=1)
    if close:
        return f"did you mean '{close[0]}'?"
    if pictures:
        return f"pictures in {root.name}/: {', '.join(pictures[:8])}"
    return f"there are no PNG or JPEG files in {root.name}/"


def check_image(file: Path) -> Issue | None:
    """Why `file` is not a usable PNG or JPEG picture, or None if it is."""
    size = file.stat().st_size
    if size > MAX_IMAGE_BYTES:
        message = f"the image is {size / 1048576:.1f} MiB, over the 5 MiB limit"
        return Issue(message, "export it at print size (300 dpi is plenty)")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        return _open_and_verify(file)


def _open_and_verify(file: Path) -> Issue | None:
    export = "export it as PNG or JPEG"
    try:
        with Image.open(file, formats=_FORMATS) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return _too_many_pixels(f"{width} × {height}")
            # Pillow's own limit is higher; this one is checked first, from the header
            image.verify()
        # verify() checks the file's structure only: a JPEG cut short or a PNG whose
        # compressed stream is corrupt passes it and fails (or prints grey) when decoded.
        # Decoding every pixel here is what makes a damaged picture an error, not a crash.
        with Image.open(file, formats=_FORMATS) as image:
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return _too_many_pixels("far more than 40 million")
    except UnidentifiedImageError:
        found = _sniff(file)
        return Issue(
            f"not a PNG or JPEG image{f' (it looks like {found})' if found else ''}", export
        )
    except Exception:  # Pillow raises many types on damaged files; all mean "damaged"
        return Issue("the image file is damaged or incomplete", export)
    return None


_SIXTEEN_BIT_GREY = ("I", "I;16", "I;16L", "I;16B", "I;16N")
_SIDE, _MIRRORED_SIDE = "on its side", "mirrored and on its side"
_TURNED = {
    2: "mirrored",
    3: "upside down",
    4: "mirrored upside down",
    5: _MIRRORED_SIDE,
    6: _SIDE,
    7: _MIRRORED_SIDE,
    8: _SIDE,
}  # EXIF orientations


def print_issue(file: Path) -> Issue | None:
    """Why a checked picture would not print as an image viewer shows it, from its header:
    the PDF embeds its pixels as stored, so a 16-bit greyscale PNG prints white and a
    photo stored turned (an EXIF orientation) prints turned."""
    with Image.open(file, formats=_FORMATS) as image:
        mode, orientation = image.mode, image.getexif().get(0x0112, 1)
    if mode in _SIXTEEN_BIT_GREY:
        return Issue(
            "the picture is 16-bit greyscale, which would print white",
            "export it as 8-bit greyscale or RGB",
        )
    if orientation in _TURNED:
        return Issue(
            f"the picture is stored {_TURNED[orientation]} and turned upright only by its "
            f"EXIF orientation ({orientation}), which the PDF would not apply",
            "rotate it in an image editor and save it again, so its pixels are upright",
        )
    return None


def _too_many_pixels(count: str) -> Issue:
    limit = f"{MAX_PIXELS // 1_000_000} megapixels"
    return Issue(f"the image claims {count} pixels, over the {limit} limit", "export it smaller")


def _sniff(file: Path) -> str:
    with file.open("rb") as stream:
        head = stream.read(16)
    if head[4:12] in (b"ftypheic", b"ftypheix", b"ftypmif1"):
        return "a HEIC photo"
    return next((name for magic, name in _SIGNATURES if head.startswith(magic)), "")
