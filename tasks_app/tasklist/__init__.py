"""Task lists in and out: read the files the government circulates, compare them
with the current list, apply them as a revision, and write them back.

- ``sources``: bytes → grids of cell texts (XLSX, CSV; detected by content)
- ``layouts``: grids → a ``TaskList`` (the flat template)
- ``data``: ``TaskList`` and its JSON form (a revision's snapshot)
- ``diff`` / ``apply``: what a revision changes, and writing it
- ``export``: the current list or any revision back to a file
"""
