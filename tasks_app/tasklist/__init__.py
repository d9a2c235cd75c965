"""Task lists in and out: read the files the government circulates, compare them
with the current list, apply them as a revision, and write them back.

- ``sources`` / ``docx_source``: bytes → grids of cell texts (XLSX, CSV, Word tables; detected by content)
- ``headers``: find the header row, and from it the layout
- ``rows``: what every layout parser does with a row (cells by field, units, task numbers, progress)
- ``flat`` / ``distributed``: grids → a ``TaskList`` (the flat template; the annex as distributed)
- ``reader``: all of the above for one file, every problem collected
- ``data``: ``TaskList`` and its JSON form (a revision's snapshot)
- ``diff`` / ``apply``: what a revision changes, and writing it (the single write path)
- ``export`` / ``export_distributed``: the current list or any revision back to a file
"""
