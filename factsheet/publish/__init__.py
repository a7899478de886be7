"""Publish stage: builds editions and writes them out (files now; batch and website later).

In: a sheet folder, a language and a layout name. Out: PDF files written
atomically, and a `BuildResult` saying what was written and how it was fitted.
"""
