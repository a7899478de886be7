"""The clinic block: a co-branded edition's titled box in the slot the layout reserves.

In: a checked `content.clinic.Clinic`, the layout pass's `Context` and the slot
(`clinic_slot` in the layout: the foot of one page's sidebar, reserved on every
edition so that adding a clinic moves nothing). Out: placed items, in reading
order, with their structure elements (Sect → H2, Figure with Alt, P, Link).

The box is set in the layout's callout styles at its own scale, not the
fitter's: the charity's content and the clinic block never push each other.
The text goes through the same setter as the sheet's, as plain spans, so a
clinic name can hold `<`, `&` or `*` and prints exactly as typed. A long name
makes the block's type smaller (down to 60 %) rather than overflow the slot;
the length limits in content/clinic.py keep every valid name above that.
"""

from __future__ import annotations

from PIL import Image as PILImage

from factsheet.content.clinic import Clinic
from factsheet.errors import ContentError, FitError, Problem
from factsheet.layout.flow import Context, Flow
from factsheet.layout.frames import ImageItem, Item, Rect
from factsheet.layout.text import simple
from factsheet.layout.theme import Box

TITLE = "Your clinic"
TITLE_LANG = "en"
LOGO_WORD = "Logo"  # the English default of `labels: {logo: …}`
GAP = 6.0  # points kept free above the box, between it and the sidebar's content
SCALES = (1.0, 0.9, 0.8, 0.7, 0.6)
LOGO_WIDTH = 60.0  # the logo's box in the top-right corner, at scale 1
LOGO_HEIGHT = 30.0


def clinic_items(
    ctx: Context,
    clinic: Clinic,
    slot: Box,
    heading: str | None = None,
    logo_word: str | None = None,
) -> list[Item]:
    """The clinic block's items, its bottom on the slot's bottom.

    `heading` is the box's title in the sheet's language (`labels: {clinic: …}`
    in the content); without one it is the English default, tagged as English.
    """
    _check_fonts(ctx, clinic)
    room = slot.height - GAP
    for scale in SCALES:
        # measure, no elements
        scratch = Context(ctx.theme, scale, ctx.setter, lang=ctx.lang, rtl=ctx.rtl)
        height = _ClinicBox(scratch, clinic, slot, heading, logo_word).place(slot.top).height
        if height <= room:
            break
    else:
        raise FitError([_problem(clinic, "name", "the clinic's details do not fit their box")])
    shared = Context(
        ctx.theme,
        scale,
        ctx.setter,
        elements=ctx.elements,  # the block's elements join the sheet's structure tree
        links=ctx.links,
        page=ctx.page,
        lang=ctx.lang,
        rtl=ctx.rtl,
        mirror=ctx.mirror,
    )
    return _ClinicBox(shared, clinic, slot, heading, logo_word).place(slot.y + height).items


def _check_fonts(ctx: Context, clinic: Clinic) -> None:
    """Refuse characters the layout's fonts cannot draw (they would print as boxes)."""
    problems = []
    for field, text in (("name", clinic.name), ("phone", clinic.phone), ("web", clinic.web)):
        missing = ctx.setter.fonts.missing(text or "")
        if missing:
            shown = " ".join(missing[:8])
            hint = "use the letters of the sheet's language, or leave them out"
            message = f"the sheet's fonts cannot print {shown}"
            problems.append(_problem(clinic, field, message, hint))
    if problems:
        raise ContentError(problems)


def _problem(clinic: Clinic, field: str, message: str, hint: str = "") -> Problem:
    return Problem(clinic.source, 0, 0, field, message, hint)


class _ClinicBox:
    """Lays out the box once from a given top; `items` and `height` are the result."""

    def __init__(
        self, ctx: Context, clinic: Clinic, slot: Box, heading: str | None, logo_word: str | None
    ) -> None:
        self.ctx = ctx
        self.clinic = clinic
        self.heading = heading
        self.logo_word = logo_word
        self.slot = slot
        self.pad = ctx.theme.callout_padding * ctx.scale
        self.items: list[Item] = []
        self.height = 0.0

    def place(self, top: float) -> _ClinicBox:
        ctx, slot, pad = self.ctx, self.slot, self.pad
        lang = self._lang()
        sect = ctx.elem("Sect", 0)
        inner = Flow(ctx, slot.x + pad, top - pad, slot.width - 2 * pad, sect)
        logo = self._logo_size()
        title_style = ctx.style("callout_title")
        title_width = inner.width - (logo[0] + pad if logo else 0.0)
        english = self.heading is None and lang != TITLE_LANG
        attrs = {"Lang": TITLE_LANG} if english else {}
        title = simple(self.heading or TITLE)
        inner.text(title, title_style, ctx.elem("H2", sect, **attrs), width=title_width)
        inner.y -= title_style.space_after
        if logo:
            inner.items.append(self._logo_item(sect, top, logo))
            inner.y = min(inner.y, top - pad - logo[1] - title_style.space_after)
        self._details(inner, sect)
        bottom = inner.y - pad
        fill = ctx.theme.callout_fill
        self.items = [Rect(slot.x, bottom, slot.width, top - bottom, fill), *inner.items]
        self.height = top - bottom
        return self

    def _lang(self) -> str:
        """The edition's language (the Document element's)."""
        elements = self.ctx.elements
        return elements[0].attrs.get("Lang", TITLE_LANG) if elements else TITLE_LANG

    def _details(self, inner: Flow, sect: int) -> None:
        ctx, clinic = self.ctx, self.clinic
        inner.text(simple(clinic.name), ctx.style("resource_name"), ctx.elem("P", sect))
        link = ctx.style("link")
        if clinic.phone:
            inner.text(simple(clinic.phone, clinic.phone_href), link, ctx.elem("P", sect))
        if clinic.web and clinic.web_text:
            inner.text(simple(clinic.web_text, clinic.web), link, ctx.elem("P", sect))

    def _logo_size(self) -> tuple[float, float] | None:
        """The logo's printed size: as large as fits its corner box, in proportion."""
        if self.clinic.logo is None:
            return None
        with PILImage.open(self.clinic.logo) as image:
            px_w, px_h = image.size
        fit = min(LOGO_WIDTH / px_w, LOGO_HEIGHT / px_h) * self.ctx.scale
        return px_w * fit, px_h * fit

    def _logo_item(self, sect: int, top: float, size: tuple[float, float]) -> ImageItem:
        assert self.clinic.logo is not None
        width, height = size
        x = self.slot.x + self.slot.width - self.pad - width
        # The Alt is in the edition's language ("Logotipo: …") when the content gives
        # the word (`labels: {logo: …}`); else the English default, tagged English.
        attrs = {"Alt": f"{self.logo_word or LOGO_WORD}: {self.clinic.name}"}
        if not self.logo_word and self._lang() != TITLE_LANG:
            attrs["Lang"] = TITLE_LANG
        figure = self.ctx.elem("Figure", sect, **attrs)
        return ImageItem(x, top - self.pad - height, width, height, self.clinic.logo, figure)
