"""The XMP metadata packet: the document's title, language and dates, and the PDF/UA claim.

PDF/UA-1 requires the title in XMP (dc:title) and the `pdfuaid:part` entry that
says which part of the standard the file claims. Everything comes from the
content's metadata (never the clock), so the packet is the same on every build.
"""

from __future__ import annotations

from html import escape as _html_escape


def escape(text: str) -> str:
    """&, < and > as entities (xml.sax.saxutils.escape's output, without importing it: it
    pulls in urllib.request, http and ssl, a tenth of a cold build's imports)."""
    return _html_escape(text, quote=False)


_NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    # The sheet's review governance, for document-management systems that read XMP rather
    # than keywords: no published schema has "medically reviewed" and "next review", so
    # the project names its own (a URN: it claims no web domain).
    "factsheet": "urn:x-factsheet:ns:review:1.0/",
}


def xmp_packet(meta: dict[str, str]) -> bytes:
    """The packet for `meta` (title, author, subject, keywords, lang, creator, date)."""
    date = f"{meta['date']}T00:00:00Z"
    keywords = [k.strip() for k in meta.get("keywords", "").split(",") if k.strip()]
    fields = [
        _description(
            "dc",
            [
                "<dc:format>application/pdf</dc:format>",
                _alt("dc:title", meta["title"]),
                _seq("dc:creator", [meta["author"]]),
                _alt("dc:description", meta["subject"]),
                _bag("dc:language", [meta["lang"]]),
                _bag("dc:subject", keywords),
            ],
        ),
        _description(
            "pdf",
            [
                _simple("pdf:Producer", meta["creator"]),
                _simple("pdf:Keywords", meta.get("keywords", "")),
            ],
        ),
        _description(
            "xmp",
            [
                _simple("xmp:CreatorTool", meta["creator"]),
                _simple("xmp:CreateDate", date),
                _simple("xmp:ModifyDate", date),
                _simple("xmp:MetadataDate", date),
            ],
        ),
        _description("pdfuaid", [_simple("pdfuaid:part", "1")]),
        *_review(meta),
    ]
    body = "\n".join(fields)
    packet = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        f"{body}\n</rdf:RDF>\n</x:xmpmeta>\n"
        '<?xpacket end="r"?>'
    )
    return packet.encode("utf-8")


def _review(meta: dict[str, str]) -> list[str]:
    """factsheet:reviewed and factsheet:nextReview (when known), as ISO dates."""
    if not meta.get("reviewed"):
        return []
    lines = [_simple("factsheet:reviewed", meta["reviewed"])]
    if meta.get("next_review"):
        lines.append(_simple("factsheet:nextReview", meta["next_review"]))
    return [_description("factsheet", lines)]


def _description(prefix: str, lines: list[str]) -> str:
    inner = "\n".join(f"  {line}" for line in lines)
    return (
        f'<rdf:Description rdf:about="" xmlns:{prefix}="{_NS[prefix]}">\n'
        f"{inner}\n</rdf:Description>"
    )


def _simple(tag: str, value: str) -> str:
    return f"<{tag}>{escape(value)}</{tag}>"


def _alt(tag: str, value: str) -> str:
    item = f'<rdf:li xml:lang="x-default">{escape(value)}</rdf:li>'
    return f"<{tag}><rdf:Alt>{item}</rdf:Alt></{tag}>"


def _seq(tag: str, values: list[str]) -> str:
    items = "".join(f"<rdf:li>{escape(v)}</rdf:li>" for v in values)
    return f"<{tag}><rdf:Seq>{items}</rdf:Seq></{tag}>"


def _bag(tag: str, values: list[str]) -> str:
    items = "".join(f"<rdf:li>{escape(v)}</rdf:li>" for v in values)
    return f"<{tag}><rdf:Bag>{items}</rdf:Bag></{tag}>"
