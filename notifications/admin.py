from django.contrib import admin

from notifications.models import (
    Attempt,
    Circular,
    CircularSettings,
    Delivery,
    DocumentSequence,
    Endpoint,
    InboxMessage,
    SupervisionNotice,
)


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "address", "enabled", "disabled_reason"]
    list_filter = ["kind", "enabled"]
    search_fields = ["address", "unit__name", "user__username"]
    autocomplete_fields = ["unit", "user"]


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    readonly_fields = ["at", "ok", "permanent", "error"]
    can_delete = False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["subject", "channel", "user", "endpoint", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["subject", "key"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    inlines = [AttemptInline]

    def has_add_permission(self, request):
        return False


@admin.register(SupervisionNotice)
class SupervisionNoticeAdmin(admin.ModelAdmin):
    list_display = ["number", "unit", "period", "issued_on", "deadline"]
    list_filter = ["year"]
    readonly_fields = ["number", "year", "sequence", "period", "unit", "issued_on", "reports"]


@admin.register(InboxMessage)
class InboxMessageAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "created_at", "read_at"]
    search_fields = ["subject", "recipient__username"]


admin.site.register(DocumentSequence)


@admin.register(CircularSettings)
class CircularSettingsAdmin(admin.ModelAdmin):
    """The office's rules: issuer, document numbers, who is named, how units are scored."""

    list_display = ["plan", "issuer", "number_prefix", "name_if_missing_at_least", "name_if_late_at_least"]
    fieldsets = [
        ("发文", {"fields": ["plan", "issuer", "number_prefix", "addressees"]}),
        ("点名通报规则", {"fields": ["name_if_missing_at_least", "name_if_late_at_least", "late_grace_workdays"]}),
        ("年度考核评分权重", {"fields": ["score_weight_on_time", "score_weight_not_returned", "score_weight_targets"]}),
    ]


@admin.register(Circular)
class CircularAdmin(admin.ModelAdmin):
    """A read-only register: circulars are edited and issued on their own pages, never here."""

    list_display = ["__str__", "kind", "year", "quarter", "version", "status", "issued_on", "compile_state"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["number", "title"]
    exclude = ["snapshot"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
