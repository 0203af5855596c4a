"""Admin for the council: read-only lists for looking things up. Every write goes through the
council's own pages (which call council.services), so nothing here bypasses the rules."""

from django.contrib import admin

from council.models import ActionItem, AgendaItem, Council, Decision, Meeting, Membership


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Council)
class CouncilAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug")


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ("person", "role", "organisation", "start_date", "end_date", "work_share")
    list_filter = ("role",)
    list_select_related = ("person", "organisation")


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ("title", "starts_at", "place", "agenda_published_at", "cancelled_at")


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "meeting", "state", "position")
    list_select_related = ("meeting",)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "meeting")
    list_select_related = ("meeting",)


@admin.register(ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "owner", "due_date", "status")
    list_select_related = ("owner",)
