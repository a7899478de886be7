"""The website: static site (`site`) and download service (`app`), apart from batch publishing.

In: the editions `publish.catalogue` finds, built through `publish.build`.
Out: HTML pages (`views` + `templates/`), PDFs and thumbnails kept by `store`,
served by a Starlette application (`app`) or written to a folder (`site`).
"""
