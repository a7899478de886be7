"""Words in another script than the language they are tagged with.

A Korean, Chinese, Arabic or Hindi voice cannot read Latin letters: in text
whose language (its own /Lang or an ancestor's, up to the catalog's) is
written in another script, a word in Latin letters must carry a /Lang of its
own (a Span with /Lang en), or it is spelt out or skipped. Links are exempt:
an address is read as it is written. A Latin-script document is not checked:
there, which words are foreign is a matter of content, not of script.
"""

from __future__ import annotations

import re

from factsheet.audit.report import Finding
from factsheet.audit.text import TextMap, join
from factsheet.audit.tree import Content, Node
from factsheet.content.langspans import LATIN_RUN, script_of_language

_LATIN = re.compile(rf"(?<![A-Za-z0-9])(?:{LATIN_RUN})(?![A-Za-z0-9])")


def check_languages(roots: list[Node], text: TextMap, document_lang: str) -> list[Finding]:
    failures: list[Finding] = []
    for root in roots:
        _visit(root, root.attrs.get("Lang") or document_lang, text, failures)
    return failures


def _visit(node: Node, lang: str, text: TextMap, failures: list[Finding]) -> None:
    lang = node.attrs.get("Lang") or lang
    if node.role == "Link" or not lang or script_of_language(lang) in ("Latn", ""):
        return
    own = join([(kid.page, kid.mcid) for kid in node.kids if isinstance(kid, Content)], text)
    words = _LATIN.findall(own) if not node.attrs.get("ActualText") else []
    if words:
        shown = ", ".join(dict.fromkeys(words[:3]))
        message = f"Latin-script words ({shown}) in {lang} text have no /Lang of their own"
        failures.append(Finding("lang", node.where, message))
    for kid in node.kids:
        if isinstance(kid, Node):
            _visit(kid, lang, text, failures)
