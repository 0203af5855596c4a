from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from accounts.models import ErasureRecord, ErasureRequest, Invitation, RoleChange, User
from accounts.permissions import reauthentication_required
from accounts.roles import Role
from accounts.services import user_roles, user_roles_set


class UserRolesForm(UserChangeForm):
    """Roles are chosen here and written by accounts.services.user_roles_set, which checks
    the grant matrix and records the change; groups and the admin flags follow the roles."""

    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta(UserChangeForm.Meta):
        model = User
        fields = ["email", "password", "full_name", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = sorted(str(role) for role in user_roles(self.instance))


# Changing someone's roles is a sensitive action: a session authenticated more than
# ACCOUNT_REAUTHENTICATION_TIMEOUT ago re-authenticates before the change is saved.
@method_decorator(reauthentication_required, name="change_view")
@method_decorator(reauthentication_required, name="add_view")
@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserRolesForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login", "erased_at"]
    list_filter = ["is_active", "is_staff", "groups"]
    readonly_fields = ["erased_at"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["is_staff", "is_superuser", "last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name"]}),
        (_("Roles"), {"fields": ["is_active", "roles", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined", "erased_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "roles" in form.cleaned_data:
            try:
                user_roles_set(
                    user=form.instance,
                    roles=[Role(value) for value in form.cleaned_data["roles"]],
                    changed_by=request.user,
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), level="error")


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    """The role-change log: read only, for administrators."""

    list_display = ["changed_at", "user__email", "roles_before", "roles_after", "changed_by__email"]
    list_select_related = ["user", "changed_by"]
    search_fields = ["user__email", "changed_by__email"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "role", "invited_by", "created_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["token_hash", "created_at", "accepted_at", "user"]


@admin.register(ErasureRecord)
class ErasureRecordAdmin(admin.ModelAdmin):
    """The erasure log is read-only: it is written by the erasure service alone."""

    list_display = ["erased_at", "person_id", "user_id_erased", "erased_by", "reason"]
    readonly_fields = ["erased_at", "person_id", "user_id_erased", "erased_by", "counts", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "handled_at"]
    readonly_fields = ["created_at", "user", "message", "handled_at"]

    def has_add_permission(self, request):
        return False
