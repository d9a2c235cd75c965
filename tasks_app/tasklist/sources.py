"""Turn an uploaded file into grids of cell texts, whatever its extension claims.

The kind of file is told by its content: an XLSX or DOCX is a zip with a known
inside, anything else must be text (CSV in GB18030, UTF-8 or UTF-8 with BOM).
Zip archives are checked before they are opened, so a small file that inflates
to gigabytes (a zip bomb dressed as .xlsx) is refused without inflating it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from openpyxl.utils.cell import range_boundaries

from tasks_app.tasklist.problems import Problem, TaskListError

MAX_CELL_CHARS = 20_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_ZIP_ENTRIES = 5_000
MAX_COMPRESSION_RATIO = 150
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class Grid:
    """One table: a sheet of a workbook, a CSV file, or a table of a Word document."""

    file_name: str
    sheet: str | None
    rows: list[list[str]]
    # (row, col) of a cell inside a merged range → (row, col) of the range's top-left cell; 0-based.
    merged_into: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    kind: str = "xlsx"

    def problem(self, message: str, *, row: int | None = None, column: int | None = None, **extra) -> Problem:
        """A problem at a 0-based (row, column) of this grid, reported 1-based."""
        return Problem(
            message=message,
            file=self.file_name,
            sheet=self.sheet,
            row=None if row is None else row + 1,
            column=None if column is None else column + 1,
            sheet_label="" if self.kind == "docx" else "工作表",
            **extra,
        )

    def cell(self, row: int, column: int) -> str:
        values = self.rows[row]
        return values[column] if column < len(values) else ""

    def is_merged_continuation(self, row: int, column: int) -> bool:
        origin = self.merged_into.get((row, column))
        return origin is not None and origin != (row, column)


def read_grids(file_name: str, data: bytes) -> list[Grid]:
    """Every table in the file. Raises TaskListError (nothing read) on a bad file."""
    limit = settings.TASKLIST_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise TaskListError(
            [Problem(f"文件大小 {len(data) / 1024 / 1024:.1f} MB，超过上限 {limit // 1024 // 1024} MB。", file_name)]
        )
    if not data.strip():
        raise TaskListError([Problem("文件是空的。", file_name)])
    if data.startswith(b"PK\x03\x04"):
        names = check_zip(file_name, data)
        if "xl/workbook.xml" in names:
            return _read_xlsx(file_name, data)
        if "word/document.xml" in names:
            from tasks_app.tasklist.docx_source import read_docx_tables

            return read_docx_tables(file_name, data)
        raise TaskListError([Problem("这是一个压缩包，但不是 Excel（.xlsx）或 Word（.docx）文件。", file_name)])
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise TaskListError(
            [
                Problem(
                    "这是旧版 Office 文件（.xls/.doc），请在 Office/WPS 中另存为 .xlsx 或 .docx 后再导入。", file_name
                )
            ]
        )
    return [_read_csv(file_name, data)]


def check_zip(file_name: str, data: bytes) -> set[str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise TaskListError([Problem(f"文件已损坏，无法打开（{exc}）。", file_name)]) from exc
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos) or 1
    if len(infos) > MAX_ZIP_ENTRIES or total > MAX_UNCOMPRESSED_BYTES or total / packed > MAX_COMPRESSION_RATIO:
        raise TaskListError(
            [
                Problem(
                    f"文件解压后约 {total / 1024 / 1024:.0f} MB（压缩比 {total / packed:.0f} 倍），"
                    "超出安全上限，疑似压缩炸弹，已拒绝。",
                    file_name,
                )
            ]
        )
    return {info.filename for info in infos}


def cell_text(value) -> str:
    """A cell's value as the text a person sees; numbers without a spurious .0."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != dt.time() else value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def _read_xlsx(file_name: str, data: bytes) -> list[Grid]:
    # Read-only mode streams the cells. The normal mode also gives merged ranges, but binds each
    # one by re-styling its border cells: 8 of 10 seconds on an annex of 5,000 measures. The
    # ranges are read from the sheets' XML instead (``_merged_ranges``).
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        merges = _merged_ranges(data)
    except Exception as exc:  # openpyxl and the XML parser raise many kinds on a damaged workbook
        raise TaskListError([Problem(f"无法读取 Excel 文件（{type(exc).__name__}: {exc}）。", file_name)]) from exc
    grids = []
    for sheet in workbook.worksheets:
        sheet.reset_dimensions()  # the stored dimensions may be wrong: read every cell there is
        rows = [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        for ref in merges.get(sheet.title, []):
            min_col, min_row, max_col, max_row = range_boundaries(ref)
            origin = (min_row - 1, min_col - 1)
            for r in range(min_row - 1, max_row):
                for c in range(min_col - 1, max_col):
                    merged[(r, c)] = origin
        grids.append(Grid(file_name, sheet.title, rows, merged, kind="xlsx"))
    workbook.close()
    return grids


SPREADSHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _merged_ranges(data: bytes) -> dict[str, list[str]]:
    """Sheet title → its merged ranges (``A2:F2`` …), streamed from each sheet's XML."""
    from xml.etree.ElementTree import fromstring, iterparse

    ranges: dict[str, list[str]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        relations = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target", "") for rel in relations}
        for sheet in fromstring(archive.read("xl/workbook.xml")).iter(f"{SPREADSHEET_NS}sheet"):
            target = targets.get(sheet.get(f"{RELATIONSHIP_NS}id"), "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            if path not in archive.namelist():
                continue
            refs = ranges.setdefault(sheet.get("name"), [])
            with archive.open(path) as stream:
                for _, element in iterparse(stream):
                    if element.tag == f"{SPREADSHEET_NS}mergeCell":
                        refs.append(element.get("ref"))
                    elif element.tag == f"{SPREADSHEET_NS}row":
                        element.clear()  # keep memory flat on a long sheet
    return ranges


def decode_text(file_name: str, data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise TaskListError([Problem("无法识别的文件：既不是 Excel/Word 文件，也不是 CSV 文本。", file_name)])
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text[:4096])
        if printable < 0.95 * min(len(text), 4096):
            break
        return text
    raise TaskListError(
        [Problem("无法识别的文件：既不是 Excel/Word 文件，也不是 GB18030 或 UTF-8 编码的 CSV。", file_name)]
    )


def _read_csv(file_name: str, data: bytes) -> Grid:
    text = decode_text(file_name, data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows = [[cell_text(value) for value in row] for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    # A spreadsheet program quotes text that starts with = + - @ with a leading apostrophe
    # when we export it (formula injection); read it back as the text it stands for.
    rows = [[unquote_formula_text(value) for value in row] for row in rows]
    return Grid(file_name, None, rows, {}, kind="csv")


FORMULA_STARTS = ("=", "+", "-", "@")


def unquote_formula_text(value: str) -> str:
    if value.startswith("'") and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def check_cell_lengths(grid: Grid) -> list[Problem]:
    problems = []
    for r, row in enumerate(grid.rows):
        for c, value in enumerate(row):
            if len(value) > MAX_CELL_CHARS:
                problems.append(
                    grid.problem(f"单元格有 {len(value)} 个字符，超过上限 {MAX_CELL_CHARS}。", row=r, column=c)
                )
    return problems
