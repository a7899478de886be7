"""Layout stage: a validated `Sheet` and a layout `Theme` in, fitted pages out.

`layout_sheet` returns a `frames.Document`: every page as a list of placed items
(text lines, rectangles, shapes, images, link areas) plus the structure tree, at
the largest type scale whose regions all hold their content.
"""
