"""Render stage: a laid-out `frames.Document` in, PDF bytes out (see `pdf.render_pdf`)."""
