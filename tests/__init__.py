"""The test suite: a package, so `tests.helpers` is ours.

(textstat ships a top-level `tests` package, which would otherwise shadow this folder.)
"""
