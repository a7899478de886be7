"""Medical fidelity of the printed English: how strongly each risk and benefit is stated.

A review against the reference found the sheet softening risks ("can break easily" where
the reference says the metastases *cause* the bone to break easily) and dropping or adding
hedges ("Ease pain" where the reference says the drugs *help* reduce it). These tests read
the text a patient gets, extracted from the built PDF, so a later edit of en.yaml cannot
quietly bring a shift back. Each wording is the sheet's own; docs/medical-review.md says
how a change to one of them is reviewed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest

from factsheet.content.i18n.glossary import load_glossary
from factsheet.publish.build import BuildResult, build_edition
from tests.helpers import SHEET_DIR, normalize


def _readings(reader: pypdf.PdfReader) -> list[str]:
    """Both pages as one line of text, read two ways: a hyphen at a line end kept (a
    compound such as "receptor-positive") and dropped (a word the setter hyphenated)."""
    raw = "\n".join(page.extract_text() for page in reader.pages)
    return [normalize(raw), normalize(re.sub(r"(?<=[a-z])[-\u2010]\n(?=[a-z])", "", raw))]


@pytest.fixture(scope="module")
def texts(builds: dict[str, BuildResult]) -> dict[str, list[str]]:
    """The English text of every layout's PDF, in both readings."""
    out = {}
    for layout, result in builds.items():
        assert result.path is not None
        out[layout] = _readings(pypdf.PdfReader(result.path))
    return out


# (what the reference says, the words that must be printed, a pattern of the softened or
# strengthened wording that must not come back)
HEDGES = [
    (
        "lytic metastases weaken the bones and cause them to break easily (a fact, not a 'can')",
        "This weakens the bone and makes it break easily.",
        r"can break\s+easily",
    ),
    (
        "pressure on the spinal cord can interfere with bladder and bowel control",
        "interfere with bladder and bowel control",
        r"affect bladder and bowel control",
    ),
    (
        "the drugs reduce bone complications",
        "protect them and reduce bone complications",
        r"lower the chance of bone complications",
    ),
    (
        "the drugs help reduce pain (a hedge, not a promise)",
        "Help ease pain caused by bone metastases.",
        r"(?<!Help )\bEase pain caused by bone metastases",
    ),
    (
        "radiation can prevent fractures (not only help)",
        "prevent the bone from breaking",
        r"help keep the bone from breaking",
    ),
    (
        "the drugs can cause bone, joint or muscle pain",
        "denosumab can cause pain in the bones",
        r"denosumab may cause pain",
    ),
    (
        "in the group, people can find support (a place offered, not a promise)",
        "those who love them can find support",
        r"those who love them find support",
    ),
]


@pytest.mark.parametrize(("fact", "printed", "shifted"), HEDGES, ids=[h[0] for h in HEDGES])
def test_each_risk_and_benefit_is_as_strong_as_the_reference(
    texts: dict[str, list[str]], fact: str, printed: str, shifted: str
) -> None:
    for layout, readings in texts.items():
        assert any(printed in text for text in readings), (
            f"{layout}: {fact}: {printed!r} is not printed"
        )
        for text in readings:
            back = re.search(shifted, text)
            assert back is None, f"{layout}: {fact}: the shifted wording {back.group()!r} is back"


# A term a patient may not know, and the plain explanation that must come with its first use.
TERMS = [
    (
        "estrogen receptor-positive",
        "estrogen receptor-positive (its cells have receptors that the hormone estrogen"
        " can attach to)",
    ),
    ("RANK", "blocks a protein called RANK ligand (a RANKL inhibitor)"),
    ("an IV", "Through an IV (a drip into a vein)"),  # the route, not "Stage IV"
    ("osteonecrosis of the jaw", "osteonecrosis of the jaw (part of the jawbone dies)"),
    ("Orthopedic", "Orthopedic surgery (surgery on the bones)"),
]


@pytest.mark.parametrize(("term", "explained"), TERMS, ids=[t[0] for t in TERMS])
def test_each_technical_term_is_explained_where_it_is_first_printed(
    texts: dict[str, list[str]], term: str, explained: str
) -> None:
    for layout, readings in texts.items():
        assert any(_explained_at_first_use(text, term, explained) for text in readings), (
            f"{layout}: {term!r} is not first printed with its explanation {explained!r}"
        )


def _explained_at_first_use(text: str, term: str, explained: str) -> bool:
    """Whether the first printed `term` lies inside the printed `explained`."""
    first = re.search(rf"\b{re.escape(term)}\b", text)
    at = text.find(explained)
    return first is not None and at >= 0 and at <= first.start() < at + len(explained)


# --- local drug names -------------------------------------------------------------------------

SHIPPED = sorted(SHEET_DIR.glob("*.po"))


@pytest.mark.parametrize("catalog", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_each_edition_names_the_drugs_as_its_readers_know_them(
    catalog: Path, tmp_path: Path, texts: dict[str, list[str]]
) -> None:
    """Where the glossary lists a local form of a generic for the edition's language (the
    name a patient there knows: ibuprofeno, paracetamol, 布洛芬), the edition prints it; the
    English form alone would leave the reader to guess it is the same drug."""
    lang = catalog.stem
    result = build_edition(SHEET_DIR, lang, "letter", tmp_path / f"{lang}.pdf")
    assert result.path is not None
    printed = normalize(" ".join(p.extract_text() for p in pypdf.PdfReader(result.path).pages))
    english = texts["letter"][0]
    missing = []
    for entry in load_glossary(SHEET_DIR).entries:
        forms = entry.local.get(lang, ())
        if entry.kind != "generic" or not forms or not _has_name(english, entry.name):
            continue
        if not any(_has_name(printed, form) for form in forms):
            missing.append(f"{entry.name} (one of {', '.join(forms)})")
    assert not missing, f"{lang}: printed without its local name: {missing}"


_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def _has_name(text: str, name: str) -> bool:
    """`name` printed in `text`. A Latin name must be a whole word ("morphin" is not in
    "morphine"); any other is looked for with the line breaks removed, since Chinese and
    Korean lines may break inside a word and the extracted text then has a break there."""
    if _LATIN.match(name[0]) and _LATIN.match(name[-1]):
        pattern = rf"(?<![^\W\d_]){re.escape(name)}(?![^\W\d_])"
        return re.search(pattern, text, re.IGNORECASE) is not None
    return re.sub(r"\s+", "", name) in re.sub(r"\s+", "", text)
