"""Quarterly circulars (季通报) and the annual summary (年总结).

compile (snapshot of the reports) → draft (the office edits the narrative) → issue (numbered,
frozen, content hash) → documents (HTML, DOCX, PDF) → archive. A correction is a new version.
"""
