from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from tasks_app import access
from tasks_app.admin_tasklist import KeptUploadMixin, TaskListImportMixin
from tasks_app.import_storage import DatabaseTmpStorage
from tasks_app.models import (
    Cadence,
    CalendarDay,
    CalendarYear,
    CollectiveDesignation,
    Evidence,
    ImportJob,
    Indicator,
    IndicatorFigure,
    IndicatorTarget,
    Measure,
    MeasureUnit,
    Period,
    Phase,
    PhaseTarget,
    Plan,
    PlanRevision,
    PublicPageSettings,
    ReminderStep,
    Report,
    TargetMetric,
    Task,
    Unit,
    UnitAlias,
    User,
)
from tasks_app.resources import UnitFileRejected, UnitResource, UnitsCSV, UnitsXLSX
from tasks_app.services.permissions import measure_permissions_sync, user_unit_membership_sync
from tasks_app.services.public_page import public_page_settings_save


# Guardian's admin does not filter by object permission: querysets of measures and
# reports go through tasks_app.access, the same as the web pages.
class ScopedAdminMixin:
    def get_queryset(self, request):
        return access.scope_for_admin(request.user, super().get_queryset(request))


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 1


@admin.register(Unit)
class UnitAdmin(KeptUploadMixin, ImportExportMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "needs_review", "requires_head_approval", "sort_order"]
    list_filter = ["kind", "needs_review", "requires_head_approval"]
    search_fields = ["name", "aliases__name"]
    filter_horizontal = ["members"]
    inlines = [UnitAliasInline]
    resource_classes = [UnitResource]
    formats = [UnitsXLSX, UnitsCSV]
    tmp_storage_class = DatabaseTmpStorage

    def get_import_data_kwargs(self, request=None, form=None, **kwargs):
        # At confirm the library commits the valid rows and skips the invalid ones unless told otherwise.
        kwargs = super().get_import_data_kwargs(request=request, form=form, **kwargs)
        return kwargs | {"rollback_on_validation_errors": True}

    def add_data_read_fail_error_to_form(self, form, e):
        # The library's message is English and names only the exception's class.
        if isinstance(e, UnitFileRejected):
            form.add_error("import_file", f"未导入：{e}")
        else:
            form.add_error(
                "import_file", f"未导入：无法读取文件（{type(e).__name__}），请上传 Excel（.xlsx）或 CSV 文件。"
            )

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            rows = sorted({line for line, _ in result.row_errors()} | {row.number for row in result.invalid_rows})
            where = f"第 {'、'.join(str(n) for n in rows)} 行有错误" if rows else "文件有错误"
            messages.error(
                request, f"单位目录导入失败，未写入任何内容：{where}。请修改后重新上传（预览会列出每一处错误）。"
            )
            return HttpResponseRedirect(reverse("admin:tasks_app_unit_import"))
        return super().process_result(result, request)

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).prefetch_related("aliases", "members")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A collective's members carry its rights: recompute them when the members change.
        measure_permissions_sync()


class MeasureUnitInline(admin.TabularInline):
    model = MeasureUnit
    extra = 0
    autocomplete_fields = ["unit"]


class PhaseTargetInline(admin.StackedInline):
    model = PhaseTarget
    extra = 0


@admin.register(Measure)
class MeasureAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "task", "archived_in"]
    list_filter = ["task__plan"]
    search_fields = ["text", "task__title"]
    inlines = [MeasureUnitInline, PhaseTargetInline]
    list_select_related = ["task", "archived_in"]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "sector", "archived_in"]
    list_filter = ["plan", "sector__part"]
    search_fields = ["title"]
    list_select_related = ["sector", "archived_in"]


def export_links(plan_id: int, revision: int | None = None) -> str:
    """Links to the list (current, or one revision) as the annex table, the flat template and CSV."""
    args = [plan_id] if revision is None else [plan_id, revision]
    name = "plan-export" if revision is None else "revision-export"
    formats = [("distributed", "附件原表 XLSX"), ("flat", "平铺模板 XLSX"), ("csv", "CSV")]
    return format_html_join(
        " · ", '<a href="{}">{}</a>', ((reverse(name, args=[*args, fmt]), label) for fmt, label in formats)
    )


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "start_date", "end_date", "is_default", "exports"]

    @admin.display(description="导出当前清单 / 修订记录")
    def exports(self, plan: Plan) -> str:
        return format_html(
            '{} · <a href="{}">修订记录</a>', export_links(plan.pk), reverse("revision-list", args=[plan.pk])
        )


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["header", "plan", "start_date", "end_date"]


@admin.register(PlanRevision)
class PlanRevisionAdmin(TaskListImportMixin, admin.ModelAdmin):
    """Each revision is an applied import; "导入" here uploads a revised list (preview, then confirm)."""

    list_display = ["plan", "number", "created_at", "created_by", "source_name", "note", "links"]
    list_filter = ["plan"]
    list_select_related = ["plan", "created_by"]
    readonly_fields = [f.name for f in PlanRevision._meta.fields]

    @admin.display(description="查看 / 导出此版")
    def links(self, revision: PlanRevision) -> str:
        page = reverse("revision-detail", args=[revision.plan_id, revision.number])
        return format_html(
            '<a href="{}">按当时原样查看</a> · {}', page, export_links(revision.plan_id, revision.number)
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        # A revision is history: it is never deleted.
        return False


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["name", "unit_of_measure", "baseline_value", "responsible_unit"]
    inlines = [IndicatorTargetInline]


@admin.register(User)
class TaskboardUserAdmin(UserAdmin):
    list_display = ["username", "first_name", "unit", "role", "is_active"]
    list_filter = ["role", "unit__kind", "is_active"]
    fieldsets = (*UserAdmin.fieldsets, ("单位与角色", {"fields": ("unit", "role", "phone")}))
    add_fieldsets = (*UserAdmin.add_fieldsets, ("单位与角色", {"fields": ("unit", "role")}))
    autocomplete_fields = ["unit"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The user's unit decides their rights: keep their unit group in step.
        user_unit_membership_sync(user=obj)


# --- Reporting ---------------------------------------------------------------


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "plan", "kind", "start_date", "end_date", "due_date"]
    list_filter = ["plan", "kind"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["original_name", "extension", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(Report)
class ReportAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["period", "measure", "unit", "role", "state", "progress_status", "submitted_at"]
    list_filter = ["state", "progress_status", "role", "period"]
    search_fields = ["unit__name", "measure__task__title", "progress"]
    list_select_related = ["period", "measure__task", "unit"]
    readonly_fields = ["period", "measure", "unit", "role", "via", "version", "first_submitted_at", "submitted_at"]
    inlines = [EvidenceInline]


@admin.register(TargetMetric)
class TargetMetricAdmin(admin.ModelAdmin):
    list_display = ["measure", "phase", "name", "target_value", "unit_of_measure"]
    list_filter = ["phase"]
    search_fields = ["name", "source_text"]
    list_select_related = ["measure__task", "phase"]


@admin.register(CollectiveDesignation)
class CollectiveDesignationAdmin(admin.ModelAdmin):
    list_display = ["measure", "collective"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["measure", "collective"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Who reports on the measure changed: rights follow at once.
        measure_permissions_sync(plan=form.instance.measure.task.plan)


# --- Cadence and calendar ----------------------------------------------------


class ReminderStepInline(admin.TabularInline):
    model = ReminderStep
    extra = 0


@admin.register(Cadence)
class CadenceAdmin(admin.ModelAdmin):
    list_display = ["name", "plan", "period_kind", "due_rule", "due_day", "due_workdays", "months", "is_active"]
    list_filter = ["plan", "period_kind", "is_active"]
    filter_horizontal = ["tasks"]
    inlines = [ReminderStepInline]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name", "source"]
    list_filter = ["is_workday", "source"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "note"]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Uploads and imports: who uploaded what, and what became of it. Read only."""

    list_display = ["file_name", "kind", "target", "state", "created_by", "created_at", "revision"]
    list_filter = ["kind", "state"]
    list_select_related = ["plan", "created_by", "revision__plan"]
    exclude = ["data"]
    readonly_fields = [f.name for f in ImportJob._meta.fields if f.name != "data"]

    @admin.display(description="方案")
    def target(self, job: ImportJob) -> str:
        return job.target_name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Indicators' figures and the public page (issue 7) ------------------------------------------


@admin.register(IndicatorFigure)
class IndicatorFigureAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "quarter", "value", "filed_by", "updated_at"]
    list_filter = ["indicator", "year"]
    list_select_related = ["indicator", "filed_by"]
    readonly_fields = ["filed_by", "filed_at", "updated_at"]


@admin.register(PublicPageSettings)
class PublicPageSettingsAdmin(admin.ModelAdmin):
    """One row: the switch of the public progress page (off until turned on here)."""

    list_display = ["__str__", "title", "updated_at"]

    def has_add_permission(self, request):
        return not PublicPageSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Through the service: the cached public page goes as soon as the switch changes.
        public_page_settings_save(settings=obj)
