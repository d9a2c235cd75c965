from django.contrib import admin

from notifications.models import Attempt, Delivery, DocumentSequence, Endpoint, InboxMessage, SupervisionNotice


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
