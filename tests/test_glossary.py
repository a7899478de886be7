"""The series glossary: local drug names a translation may use, and brand–generic pairing."""

from __future__ import annotations

from pathlib import Path

import pytest

from factsheet.content.i18n import open_edition
from factsheet.content.i18n.glossary import load_glossary
from factsheet.errors import ContentError
from tests.i18n_helpers import write_catalog

PAIN = (
    "Besides bone-strengthening drugs, other treatments can also ease bone pain. For mild pain, "
    "you may get relief from pain relievers like ibuprofen (Advil or Motrin), naproxen (Aleve or "
    "Naprosyn) or acetaminophen (Tylenol). For severe pain, tramadol or opioids (such as morphine "
    "or oxycodone) can be added."
)
SPANISH = (
    "Además de los medicamentos para fortalecer los huesos, otros tratamientos también alivian el "
    "dolor. Para el dolor leve pueden ayudar ibuprofeno (Advil o Motrin), naproxeno (Aleve o "
    "Naprosyn) o acetaminofén (paracetamol; Tylenol). Para el dolor intenso se puede añadir "
    "tramadol u opioides (como morfina u oxicodona)."
)


def catalog_with(sheet: Path, lang: str, msgstr: str, comment: str = "") -> None:
    def change(entry: object) -> None:
        if entry.msgid == PAIN:  # type: ignore[attr-defined]
            entry.msgstr = msgstr  # type: ignore[attr-defined]
            entry.tcomment = comment  # type: ignore[attr-defined]

    write_catalog(sheet, lang, change=change)


def messages(sheet: Path, lang: str) -> list[str]:
    with pytest.raises(ContentError) as error:
        open_edition(sheet, lang)
    return [problem.message for problem in error.value.problems]


def test_every_sheet_gets_the_series_names_with_kinds_and_local_forms(sheet_copy: Path) -> None:
    glossary = load_glossary(sheet_copy)
    advil = glossary.entry("Advil")
    assert advil is not None and advil.kind == "brand" and advil.generic == "ibuprofen"
    ibuprofen = glossary.entry("ibuprofen")
    assert ibuprofen is not None and "ibuprofeno" in ibuprofen.forms("es")
    assert "ibuprofeno" in ibuprofen.forms("es-MX")  # a regional tag uses its language's forms
    assert ibuprofen.forms("de") == ("ibuprofen",)
    # the sheet's own addition sits beside the series' names
    assert glossary.entry("Komen Metastatic Breast Cancer (Stage IV) Group") is not None


def test_local_generic_names_pass_the_guard(sheet_copy: Path) -> None:
    catalog_with(sheet_copy, "es", SPANISH)
    edition = open_edition(sheet_copy, "es")
    assert any("ibuprofeno (Advil o Motrin)" in s.text for s in edition.strings)


def test_a_local_name_from_another_language_is_not_accepted(sheet_copy: Path) -> None:
    catalog_with(sheet_copy, "vi", SPANISH)  # "ibuprofeno" is Spanish, not Vietnamese
    found = messages(sheet_copy, "vi")
    assert 'the translation drops the name "ibuprofen" that the source has' in found


def test_a_brand_moved_to_another_generic_is_refused(sheet_copy: Path) -> None:
    swapped = SPANISH.replace("(Advil o Motrin)", "(Aleve o Naprosyn)", 1).replace(
        "naproxeno (Aleve o Naprosyn)", "naproxeno (Advil o Motrin)"
    )
    catalog_with(sheet_copy, "es", swapped)
    found = messages(sheet_copy, "es")
    assert (
        'the translation puts the brand "Advil" with "naproxen"; the source puts it with '
        '"ibuprofen"' in found
    )
    assert any('"Aleve" with "ibuprofen"' in message for message in found)


def test_a_brand_must_name_a_listed_generic(sheet_copy: Path) -> None:
    (sheet_copy / "glossary.yaml").write_text(
        "names:\n  - {name: Fosamax, kind: brand, generic: alendronate}\n"
        "  - {name: Boniva, kind: brand}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as error:
        load_glossary(sheet_copy)
    found = [str(p) for p in error.value.problems]
    assert any(
        "'Fosamax' belongs to 'alendronate', which is not listed as a generic" in f for f in found
    )
    assert any("'Boniva' does not say which generic" in f and "glossary.yaml:3" in f for f in found)


def test_a_local_form_stands_for_one_drug_only(sheet_copy: Path) -> None:
    (sheet_copy / "glossary.yaml").write_text(
        "names:\n  - {name: Ibandronate, kind: generic, local: {es: [paracetamol]}}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="the es form 'paracetamol' already stands for"):
        load_glossary(sheet_copy)


def test_a_drug_in_a_table_or_resource_missing_from_the_glossary_is_reported(
    sheet_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from typing import Any

    from factsheet.cli import main
    from tests.helpers import edit_sheet

    def add_drugs(data: dict[str, Any]) -> None:
        table = data["pages"][1]["main"][4]["table"]
        table["header"]["cells"][0] = "Alendronate (Fosamax)"
        resources = data["pages"][0]["sidebar"][1]["resources"]
        resources["items"][1]["description"] += " Ask about olaparib."

    edit_sheet(sheet_copy, add_drugs)
    assert main(["check", str(sheet_copy)]) == 0
    err = capsys.readouterr().err
    for name in ("Alendronate", "Fosamax", "olaparib"):
        assert f"'{name}' looks like a drug name the glossary does not protect" in err
    assert "hint: add it to content/glossary.yaml" in err
    assert "'Pamidronate'" not in err  # listed names are not reported
