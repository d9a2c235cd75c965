from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tasks_app.models import (
    Indicator,
    IndicatorTarget,
    Measure,
    MeasureUnit,
    Phase,
    PhaseTarget,
    Plan,
    PlanRevision,
    Task,
    Unit,
    UnitAlias,
    User,
)


class UnitAliasInline(admin.TabularInline):
    model = UnitAlias
    extra = 1


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "needs_review", "sort_order"]
    list_filter = ["kind", "needs_review"]
    search_fields = ["name", "aliases__name"]
    filter_horizontal = ["members"]
    inlines = [UnitAliasInline]


class MeasureUnitInline(admin.TabularInline):
    model = MeasureUnit
    extra = 0
    autocomplete_fields = ["unit"]


class PhaseTargetInline(admin.StackedInline):
    model = PhaseTarget
    extra = 0


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
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
