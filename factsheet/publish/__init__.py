"""Publish stage: builds editions and writes them out (files and batch; the website is `web`).

In: a sheet folder, a language and a layout name. Out: PDF files written
atomically, and a `BuildResult` saying what was written and how it was fitted.
"""
