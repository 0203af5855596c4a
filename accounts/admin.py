from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import ErasureRecord, ErasureRequest, Invitation, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login", "erased_at"]
    readonly_fields = ["erased_at"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined", "erased_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


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
