"""Admin: for looking things up. Changes go through the portal's pages, which call the services."""

from django.contrib import admin

from workshops.models import CarriedMatter, Contribution, ProgrammeItem, Registration, Workshop


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProgrammeInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Workshop)
class WorkshopAdmin(ReadOnlyAdmin):
    list_display = ["title", "starts_at", "city", "state", "capacity"]
    list_filter = ["state", "focus"]
    search_fields = ["title", "theme_question"]
    inlines = [ProgrammeInline]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "workshop", "status", "sector", "gender", "checked_in_at"]
    list_filter = ["status", "workshop"]
    search_fields = ["name", "organisation_name"]
    exclude = ["token_hash"]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "workshop", "kind", "sector", "theme", "is_hidden"]
    list_filter = ["kind", "workshop"]


@admin.register(CarriedMatter)
class CarriedMatterAdmin(ReadOnlyAdmin):
    list_display = ["title", "workshop", "agenda_item", "resolved_at"]
