"""django-import-export resources and file formats: the unit directory and the task list.

Units are rows, so they use the library as designed: a ``ModelResource``
(one row per unit, matched by its canonical name) with its per-row preview.

A task list is not rows of one model: a file becomes a ``TaskList`` (any of
the accepted formats and layouts, merged cells included), which is compared
with the plan's current list and applied as one revision. ``TaskListResource``
therefore plugs the library's two-step admin flow (upload → dry run → preview
→ confirm) into ``tasks_app.services.imports``; the preview it returns carries
the ``TaskListDiff`` instead of per-row diffs.
"""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from import_export import fields, resources, widgets
from import_export.formats.base_formats import Format
from import_export.results import Result

from tasks_app.models import ImportJob, Unit, UnitKind
from tasks_app.services.imports import ImportJobError, tasklist_job_confirm, tasklist_job_start
from tasks_app.services.units import unit_alias_add
from tasks_app.tasklist.export import csv_safe, set_text
from tasks_app.tasklist.problems import TaskListError
from tasks_app.tasklist.sources import check_zip, decode_text
from tasks_app.unit_names import split_unit_cell

LIST_SEPARATOR = "、"


# --- formats ------------------------------------------------------------------------------


class _OwnFormat(Format):
    """Formats of this project; the library passes ``encoding`` when it re-creates one at confirm."""

    def __init__(self, encoding: str | None = None):
        self.encoding = encoding

    def can_import(self) -> bool:
        return True


class UnitFileRejected(ValueError):
    """A unit directory upload refused for what it contains; the message says why, in Chinese."""


UNIT_FILE = "单位目录文件"


def units_dataset(data: bytes):
    """The unit directory from an upload, told apart by its content, not by the format chosen in the
    form: an XLSX (a zip holding ``xl/workbook.xml``, size- and ratio-checked before it is opened, as
    task list files are) or CSV text. Raises UnitFileRejected."""
    limit = settings.TASKLIST_MAX_UPLOAD_BYTES
    if len(data) > limit:
        raise UnitFileRejected(f"文件大小 {len(data) / 1024 / 1024:.1f} MB，超过上限 {limit // 1024 // 1024} MB。")
    if not data.strip():
        raise UnitFileRejected("文件是空的。")
    if data.startswith(b"PK\x03\x04"):
        try:
            names = check_zip(UNIT_FILE, data)
        except TaskListError as exc:  # damaged, or a zip bomb
            raise UnitFileRejected(exc.problems[0].message) from exc
        if "xl/workbook.xml" not in names:
            raise UnitFileRejected("这是一个压缩包，但不是 Excel（.xlsx）文件。")
        return _xlsx_dataset(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnitFileRejected("这是旧版 Excel 文件（.xls），请在 Office/WPS 中另存为 .xlsx 后再导入。")
    try:
        text = decode_text(UNIT_FILE, data)
    except TaskListError as exc:
        raise UnitFileRejected("无法识别的文件：单位目录应为 Excel（.xlsx）或 CSV（GB18030 或 UTF-8 编码）。") from exc
    return _csv_dataset(text)


def _xlsx_dataset(data: bytes):
    """The sheet whose first row names 规范名称 (a 说明 sheet may come first), else the first sheet."""
    import tablib
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl and the XML parser raise many kinds on a damaged workbook
        raise UnitFileRejected(f"无法读取 Excel 文件（{type(exc).__name__}）。") from exc
    sheet = next(
        (s for s in workbook.worksheets if "规范名称" in [c.value for c in next(s.iter_rows(max_row=1), [])]),
        workbook.worksheets[0],
    )
    rows = [["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)]
    dataset = tablib.Dataset(headers=[str(h) for h in rows[0]] if rows else [])
    for row in rows[1:]:
        if any(str(v).strip() for v in row):
            dataset.append(row)
    return dataset


def _csv_dataset(text: str):
    import tablib

    rows = list(csv.reader(io.StringIO(text, newline="")))
    dataset = tablib.Dataset(headers=rows[0] if rows else [])
    for row in rows[1:]:
        if any(v.strip() for v in row):
            dataset.append(row + [""] * (len(dataset.headers) - len(row)))
    return dataset


class UnitsXLSX(_OwnFormat):
    """A workbook of units: the sheet whose first row names 规范名称 (a 说明 sheet may come first)."""

    CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def get_title(self) -> str:
        return "xlsx"

    def get_extension(self) -> str:
        return "xlsx"

    def get_content_type(self) -> str:
        return self.CONTENT_TYPE

    def can_export(self) -> bool:
        return True

    def create_dataset(self, in_stream: bytes):
        return units_dataset(in_stream)

    def export_data(self, dataset, **kwargs) -> bytes:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "单位目录"
        for r, row in enumerate([dataset.headers, *dataset], start=1):
            for c, value in enumerate(row, start=1):
                set_text(sheet.cell(row=r, column=c), value)  # = + - @ stay text
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


class UnitsCSV(_OwnFormat):
    """CSV of units in GB18030, UTF-8 or UTF-8 with BOM, told apart by content."""

    def get_title(self) -> str:
        return "csv"

    def get_extension(self) -> str:
        return "csv"

    def get_content_type(self) -> str:
        return "text/csv"

    def can_export(self) -> bool:
        return True

    def create_dataset(self, in_stream: bytes):
        return units_dataset(in_stream)

    def export_data(self, dataset, **kwargs) -> bytes:
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        for row in [dataset.headers, *dataset]:
            writer.writerow([csv_safe("" if v is None else v) for v in row])
        return buffer.getvalue().encode("utf-8-sig")


class TaskListFile:
    """What the task list format hands the resource: the upload as it came, not a tablib dataset
    (merged cells, several sheets and Word tables do not survive tablib)."""

    def __init__(self, data: bytes):
        self.data = data

    def __len__(self) -> int:
        return 1 if self.data else 0


class TaskListFormat(_OwnFormat):
    def get_title(self) -> str:
        return "任务清单文件（Excel .xlsx、Word .docx 或 CSV；格式与版式自动识别）"

    def create_dataset(self, in_stream: bytes) -> TaskListFile:
        return TaskListFile(in_stream)


# --- units --------------------------------------------------------------------------------


class KindWidget(widgets.Widget):
    """类别 by its label (市直部门) or its code (city_department)."""

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        for code, label in UnitKind.choices:
            if text in (code, label):
                return code
        raise ValueError(f"类别“{text}”无效，应为：{'、'.join(UnitKind.labels)}。")

    def render(self, value, obj=None, **kwargs):
        return UnitKind(value).label if value else ""


class YesNoWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return str(value or "").strip() in ("是", "1", "True", "true", "TRUE", "Y", "y")

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class UnitNamesWidget(widgets.ManyToManyWidget):
    """成员单位 as names; a name not in the directory is an error, never silently dropped."""

    def __init__(self):
        super().__init__(Unit, separator=LIST_SEPARATOR, field="name")

    def clean(self, value, row=None, **kwargs):
        names = split_unit_cell(str(value or ""))
        units = {unit.name: unit for unit in Unit.objects.filter(name__in=names)}
        unknown = [name for name in names if name not in units]
        if unknown:
            raise ValueError(f"单位目录中没有：{'、'.join(unknown)}（成员单位须先作为单位导入）。")
        return Unit.objects.filter(pk__in=[unit.pk for unit in units.values()])


class UnitResource(resources.ModelResource):
    name = fields.Field(attribute="name", column_name="规范名称")
    kind = fields.Field(attribute="kind", column_name="类别", widget=KindWidget())
    aliases = fields.Field(column_name="别名")  # no attribute: written in after_save_instance
    members = fields.Field(attribute="members", column_name="成员单位", widget=UnitNamesWidget())
    needs_review = fields.Field(attribute="needs_review", column_name="待审核", widget=YesNoWidget())
    sort_order = fields.Field(attribute="sort_order", column_name="排序", widget=widgets.IntegerWidget())
    note = fields.Field(attribute="note", column_name="备注")

    class Meta:
        model = Unit
        name = "单位目录"
        import_id_fields = ["name"]
        fields = ["name", "kind", "aliases", "members", "needs_review", "sort_order", "note"]
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False

    def import_instance(self, instance, row, **kwargs):
        # Check the member names with the other fields, so that one preview lists every problem
        # of the row as a validation error (the library reads m2m fields only after saving).
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            self.fields["members"].clean(row)
        except ValueError as exc:
            errors["members"] = [str(exc)]
        if errors:
            raise ValidationError(errors)

    def dehydrate_aliases(self, unit: Unit) -> str:
        return LIST_SEPARATOR.join(alias.name for alias in unit.aliases.all())

    def after_save_instance(self, instance: Unit, row, **kwargs) -> None:
        # Aliases are only ever added here; removing one is done by hand in the admin.
        for alias in split_unit_cell(str(row.get("别名") or "")):
            if alias != instance.name:
                try:
                    unit_alias_add(unit=instance, name=alias)
                except ValidationError as exc:
                    raise ValidationError({"aliases": exc.messages}) from exc


# --- the task list ------------------------------------------------------------------------


class TaskListResult(Result):
    """A task list import's outcome as the library's templates expect a ``Result``."""

    def __init__(self, job: ImportJob | None, error: str = ""):
        super().__init__()
        self.job = job
        self.error = error

    def has_errors(self) -> bool:
        return bool(self.error) or (self.job is not None and self.job.state == ImportJob.State.FAILED)

    def has_validation_errors(self) -> bool:
        return self.job is not None and self.job.state == ImportJob.State.INVALID


class TaskListResource(resources.Resource):
    """Hands the upload to the import job services; never writes through the library.

    The fields are only what the upload page lists as the columns it reads."""

    task = fields.Field(column_name="重点任务（附件原表中含序号“1.…”）")
    measure = fields.Field(column_name="关键举措")
    lead = fields.Field(column_name="牵头单位")
    support = fields.Field(column_name="责任单位/地区")
    phases = fields.Field(column_name="阶段列，如“2026-2027年（筑基期）”")
    number = fields.Field(column_name="序号、板块、领域（平铺模板）")

    @classmethod
    def get_display_name(cls) -> str:
        return "任务清单"

    def import_data(self, dataset, dry_run=False, raise_errors=False, user=None, upload=None, options=None, **kw):
        job = ImportJob.objects.filter(token=upload, kind=ImportJob.Kind.TASKLIST).select_related("plan").first()
        if job is None:
            return TaskListResult(None, "上传的文件已过期或已导入，请重新上传。")
        try:
            if dry_run:
                for key, value in (options or {}).items():
                    setattr(job, key, value)
                job.created_by = user
                job.save(update_fields=[*(options or {}), "created_by"])
                tasklist_job_start(job=job)
            else:
                tasklist_job_confirm(job=job, user=user)
        except ImportJobError as exc:
            return TaskListResult(job, str(exc))
        job.refresh_from_db()
        return TaskListResult(job)
