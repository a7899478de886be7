"""Plain language: the reading level of an edition and its long sentences.

Patients read these sheets under stress, so the series sets a target reading
level per language and a longest sentence (content/series.yaml). The level is
measured with textstat's maintained formulas: Flesch-Kincaid grade for English
(the US grade a reader needs; the series asks for 8 or below), and for Spanish
Fernández-Huerta or Szigriszt-Pazos reading ease (0-100, higher is easier).
A language without a formula in the settings gets only the long-sentence count.

What is measured is what a patient reads as prose: paragraphs and bullets of
every region and box, not headings, tables, names of resources or small print.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factsheet.content import model as m
from factsheet.content.series import Series, Target

# A sentence ends at . ! ? (and their CJK, Arabic and Devanagari forms) before a space or the end.
_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟।])\s+|(?<=[。！？])")
_WORD = re.compile(r"[^\s]+")
_FORMULAS = {
    "flesch_kincaid_grade": ("Flesch-Kincaid grade", "max"),
    "fernandez_huerta": ("Fernández-Huerta reading ease", "min"),
    "szigriszt_pazos": ("Szigriszt-Pazos perspicuity", "min"),
}


@dataclass(frozen=True)
class LongSentence:
    words: int
    text: str
    where: str  # "en.yaml:45" or "es.po:329"


@dataclass(frozen=True)
class Reading:
    lang: str
    formula: str  # its name, "" when the language has no formula in the settings
    score: float | None
    target: Target | None
    sentences: int
    words: int
    long: tuple[LongSentence, ...]
    max_words: int

    @property
    def above_target(self) -> bool:
        if self.score is None or self.target is None:
            return False
        if self.target.max is not None and self.score > self.target.max:
            return True
        return self.target.min is not None and self.score < self.target.min

    def describe(self) -> str:
        level = "no reading-level formula for this language in content/series.yaml"
        if self.target is not None and self.score is None:  # a sheet of tables and headings
            level = "nothing to measure (the level is read from paragraphs and bullets)"
        if self.score is not None and self.target is not None:
            bound = (
                f"at most {self.target.max:g}"
                if self.target.max is not None
                else f"at least {self.target.min:g}"
            )
            verdict = "ABOVE the target" if self.above_target else "within the target"
            level = f"{self.formula} {self.score:.1f} (target: {bound}; {verdict})"
        return (
            f"reading level: {level}; {self.sentences} sentences, {self.words} words, "
            f"{len(self.long)} over {self.max_words} words"
        )


def prose(sheet: m.Sheet) -> list[tuple[str, m.Source]]:
    """The paragraphs and bullets a patient reads, with where each was written."""
    found: list[tuple[str, m.Source]] = []

    def visit(blocks: tuple[m.Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, m.Paragraph):
                found.append((m.plain(block.text), block.source))
            elif isinstance(block, m.BulletList):
                found.extend((m.plain(item), block.source) for item in block.items)
            elif isinstance(block, m.Callout):
                visit(block.blocks)

    for page in sheet.pages:
        for name, blocks in page.parts():
            if name != "footer":  # the helpline and disclaimer are not the sheet's prose
                visit(blocks)
    return found


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def reading(sheet: m.Sheet, series: Series, where: dict[str, str] | None = None) -> Reading:
    """The reading level of `sheet` in its language, and its sentences over the series' length.

    `where` maps a source key path to where a person fixes it ("es.po:329"), so a
    long translated sentence points at its catalog entry.
    """
    parts = prose(sheet)
    lang = sheet.language
    base = lang.split("-")[0]
    target = series.targets.get(lang) or series.targets.get(base)
    all_sentences: list[tuple[str, str]] = []
    for text, source in parts:
        place = _place(where or {}, source)
        all_sentences += [(s, place) for s in sentences(text)]
    long = tuple(
        LongSentence(len(_WORD.findall(s)), s, place)
        for s, place in all_sentences
        if len(_WORD.findall(s)) > series.max_sentence_words
    )
    text = " ".join(s for s, _ in all_sentences)
    formula, score = "", None
    if target is not None and text:
        formula, score = _FORMULAS[target.formula][0], _score(target.formula, text, base)
    words = sum(len(_WORD.findall(s)) for s, _ in all_sentences)
    return Reading(
        lang, formula, score, target, len(all_sentences), words, long, series.max_sentence_words
    )


def _place(where: dict[str, str], source: m.Source) -> str:
    """Where a person fixes the block: its catalog entry in a translation, else en.yaml."""
    for path, place in where.items():
        if path == source.path or path.startswith((source.path + ".", source.path + "[")):
            return place
    return f"{source.file}:{source.line}"


def _score(formula: str, text: str, lang: str) -> float:
    import textstat  # imported here: only `check` measures, and textstat loads dictionaries

    textstat.set_lang(lang)
    try:
        return float(getattr(textstat, formula)(text))
    finally:
        textstat.set_lang("en_US")
