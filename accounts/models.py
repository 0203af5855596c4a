from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import Role
from accounts.sessions import authenticating
from portal.compiled_queries import PreparedGet


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get(self, *args, **kwargs):
        # `get(pk=...)` is how every signed-in request's user is read (ModelBackend.get_user):
        # with the session's own statement (accounts/sessions.py), else the ORM's statement
        # compiled once (portal/compiled_queries.py).
        # Anything else (other lookups, a historical model in a migration, a key out of the
        # column's range, which the ORM answers without asking) goes to the ORM.
        if args or kwargs.keys() != {"pk"} or self._db is not None or self.model is not User:
            return super().get(*args, **kwargs)
        value = kwargs["pk"]
        if isinstance(value, (int, str)):
            value = self.model._meta.pk.get_prep_value(value)
            if 0 < value < 2**31:
                # While the request's user is worked out: the one read with its session.
                take = getattr(authenticating.get(), "take_user", None)
                user = take(value) if take is not None else None
                return user if user is not None else _by_pk.get(self.db, value)
        return super().get(*args, **kwargs)

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. Email is the user name; what we know about the person is in directory.Person."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Can log in to the Django admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    # The language the person last chose in the portal: what their email is written in.
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)
    # Set when the person behind the login was erased: the row stays (other rows point to
    # it) with a placeholder address, no name, no password and no roles.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        permissions = [("access_secretariat", _("Can use the secretariat's pages"))]

    def __str__(self):
        if self.erased_at is not None:
            return str(_("Erased person"))
        return self.full_name or self.email

    def get_full_name(self):
        return str(self)

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email


_by_pk = PreparedGet(User, lambda manager, pk: manager.filter(pk=pk))


class Invitation(models.Model):
    """An email invitation to an account with a role: the only way council accounts begin."""

    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    # Only a hash is stored: a leaked database does not hand out working invitation links.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="invitations_sent",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    user = models.ForeignKey(
        User,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def status_label(self) -> str:
        if self.accepted_at:
            return pgettext_lazy("invitation status", "Accepted")
        if self.revoked_at:
            return _("Revoked")
        if self.expires_at <= timezone.now():
            return _("Expired")
        return _("Waiting")


class RoleChange(models.Model):
    """One change of a user's roles: who changed them, when, from what and to what."""

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="role_changes"
    )
    changed_by = models.ForeignKey(
        User,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="role_changes_made",
    )
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    roles_before = models.JSONField(_("roles before"), default=list)
    roles_after = models.JSONField(_("roles after"), default=list)

    class Meta:
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        ordering = ["-changed_at"]

    def __str__(self):
        before = ", ".join(self.roles_before) or "-"
        after = ", ".join(self.roles_after) or "-"
        return f"{self.user}: {before} -> {after}"


class ErasureRequest(models.Model):
    """A logged-in person asks the secretariat to erase what the portal holds about them."""

    user = models.ForeignKey(
        User,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="erasure_requests",
    )
    message = models.TextField(_("message"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class ErasureRecord(models.Model):
    """The log of one erasure: who erased which person (by id) when, and how many rows.

    Nothing that identified the person is kept here: only ids and counts per holding.
    """

    person_id = models.PositiveBigIntegerField(_("person (id)"), null=True, blank=True)
    user_id_erased = models.PositiveBigIntegerField(_("account (id)"), null=True, blank=True)
    erased_by = models.ForeignKey(
        User,
        verbose_name=_("erased by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    erased_at = models.DateTimeField(_("erased"), default=timezone.now)
    counts = models.JSONField(_("rows per kind"), default=dict)
    reason = models.CharField(_("reason"), max_length=40, default="request")

    class Meta:
        verbose_name = _("erasure record")
        verbose_name_plural = _("erasure records")
        ordering = ["-erased_at"]

    def __str__(self):
        return f"{self.erased_at:%Y-%m-%d %H:%M}"


class NotificationOptOut(models.Model):
    """A kind of email notification this person has turned off (accounts.notifications)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_opt_outs",
    )
    kind = models.CharField(_("kind of notification"), max_length=60)
    created_at = models.DateTimeField(_("turned off"), default=timezone.now)

    class Meta:
        verbose_name = _("notification turned off")
        verbose_name_plural = _("notifications turned off")
        ordering = ["user", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="accounts_optout_unique")
        ]

    def __str__(self):
        return f"{self.user}: {self.kind}"
