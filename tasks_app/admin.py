from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from tasks_app import access
from tasks_app.models import (
    CollectiveDesignation,
    Evidence,
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
    Report,
    TargetMetric,
    Task,
    Unit,
    UnitAlias,
    User,
)
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
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "needs_review", "requires_head_approval", "sort_order"]
    list_filter = ["kind", "needs_review", "requires_head_approval"]
    search_fields = ["name", "aliases__name"]
    filter_horizontal = ["members"]
    inlines = [UnitAliasInline]

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


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "start_date", "end_date", "is_default"]


@admin.register(Phase)
class PhaseAdmin(admin.ModelAdmin):
    list_display = ["header", "plan", "start_date", "end_date"]


@admin.register(PlanRevision)
class PlanRevisionAdmin(admin.ModelAdmin):
    list_display = ["plan", "number", "created_at", "created_by", "source_name", "note"]
    readonly_fields = [f.name for f in PlanRevision._meta.fields]

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
