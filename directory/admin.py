"""Admin for the directory. Content is edited in the portal's own pages (which write the
history); the admin links editors to organisations and manages people and contact points,
going through the services for every write it makes."""

from django.contrib import admin

from directory import services
from directory.models import (
    Area,
    ContactRole,
    LegalForm,
    Municipality,
    Organisation,
    OrganisationChange,
    Person,
    Region,
    Sector,
    Suggestion,
    TargetGroup,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sector, LegalForm, Area, TargetGroup)
class TermAdmin(ReadOnlyAdmin):
    list_display = ["code", "label_sv", "label_en"]


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "authority_name"]


@admin.register(Municipality)
class MunicipalityAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "state", "last_confirmed_at"]
    list_filter = ["state", "sector"]
    search_fields = ["name", "name_normalised", "slug"]
    fields = ["name", "slug", "sector", "state", "last_confirmed_at", "editors"]
    readonly_fields = ["name", "slug", "sector", "state", "last_confirmed_at"]
    filter_horizontal = ["editors"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        pass  # only the editors are editable here; save_related handles them

    def save_related(self, request, form, formsets, change):
        organisation = form.instance
        wanted = set(form.cleaned_data["editors"])
        current = set(organisation.editors.all())
        for user in wanted - current:
            services.organisation_editor_add(
                organisation=organisation, user=user, added_by=request.user
            )
        for user in current - wanted:
            services.organisation_editor_remove(
                organisation=organisation, user=user, removed_by=request.user
            )


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "erased_at"]
    search_fields = ["name", "email"]
    fields = ["name", "email", "phone", "gender", "user"]
    raw_id_fields = ["user"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            form.instance = services.person_create(**form.cleaned_data)
            obj.pk = form.instance.pk


@admin.register(ContactRole)
class ContactRoleAdmin(admin.ModelAdmin):
    list_display = ["person", "organisation", "title", "consent_given_at"]
    raw_id_fields = ["person", "organisation"]
    fields = [
        "organisation",
        "person",
        "title",
        "public_email",
        "public_phone",
        "consent_given_at",
        "consent_note",
    ]

    def save_model(self, request, obj, form, change):
        if change:
            services.contact_role_consent_record(
                contact_role=obj,
                given=obj.consent_given_at is not None,
                note=obj.consent_note,
                changed_by=request.user,
            )
        else:
            created = services.contact_role_create(added_by=request.user, **form.cleaned_data)
            obj.pk = created.pk

    def delete_model(self, request, obj):
        services.contact_role_remove(contact_role=obj, removed_by=request.user)


@admin.register(Suggestion, OrganisationChange)
class LogAdmin(ReadOnlyAdmin):
    pass
