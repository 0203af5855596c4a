from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    from accounts.services import roles_sync

    roles_sync()


def _remember_language(sender, request, user, **kwargs):
    """A person who never chose a language gets email in the one they signed in with."""
    code = getattr(request, "LANGUAGE_CODE", "")
    if not user.language and code:
        type(user).objects.filter(pk=user.pk).update(language=code)
        user.language = code


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Keeping the role groups in step with the code is schema upkeep, like Django's own
        # permissions, so it runs after migrate rather than in a data migration.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="accounts.sync_roles")
        # Login starts the activity clock (the session is written then anyway), so the first
        # page after it does not write again; allauth records the login in its session list.
        from django.contrib.auth.signals import user_logged_in

        from accounts import personal_data  # noqa: F401 - registers what accounts holds
        from accounts.middleware import session_activity_start

        user_logged_in.connect(session_activity_start, dispatch_uid="accounts.activity_start")
        user_logged_in.connect(_remember_language, dispatch_uid="accounts.remember_language")
