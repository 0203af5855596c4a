"""One settings module for every way the portal runs.

With nothing in the environment it runs the embedded default: SQLite, tasks executed
in-process, files on local disk, DEBUG on, email to the console. Setting DATABASE_URL,
REDIS_URL, SECRET_KEY, ALLOWED_HOSTS, EMAIL_URL and DJANGO_ENV=production switches to the
real stack. Test-only overrides live in tests/conftest.py, not here.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
if PRODUCTION:
    # A production process without its own secret must not start.
    SECRET_KEY = env.str("SECRET_KEY")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="embedded-development-key-not-for-production-use")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "portal",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "accounts",
    "reports",
    "directory",
    "council",
    "workshops",
    "agreements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.RequestOriginMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.SwedishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",
    "portal.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.middleware.RefuseControlCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.SessionActivityMiddleware",
    "accounts.middleware.StaffMFARequiredMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", 60 if PRODUCTION else 0)
# A kept connection is checked before each request reuses it: after a database restart or a
# restore, the first requests get a fresh connection instead of a 500.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker, tasks -------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")


def _redis_database(url: str, offset: int) -> str:
    """The same Redis server, the database `offset` numbers above the one REDIS_URL names."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + offset
    return urlunsplit(parts._replace(path=f"/{number}"))


if REDIS_URL:
    # Shared by every process: allauth's rate limits only hold when all workers count together.
    # Fails open (portal/cache.py): with Redis down, logins and pages go on working, rate
    # limits are not enforced and a warning is logged.
    # Every key has a TTL (TIMEOUT, never None): with Redis's volatile-lru policy only keys with
    # a TTL can be evicted, so a full Redis drops cached pages, never queued tasks.
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The broker lives in the next Redis database (REDIS_URL .../0 -> .../1): clearing or filling
# the cache never touches the queue. CELERY_BROKER_URL overrides it (another Redis, say).
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL", default=_redis_database(REDIS_URL, 1) if REDIS_URL else "memory://"
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Embedded run: no broker, so tasks run in the process that enqueues them.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The longest job (a report) is cut off at REPORT_TIME_LIMIT. A message still unacknowledged
# REPORT_VISIBILITY_MARGIN after that belongs to a worker that is gone (a live one has been
# stopped by the time limit), so Redis hands it out again: 15 + 5 = 20 minutes by default.
# The margin covers the kill after the limit and clock differences between machines.
REPORT_TIME_LIMIT = env.int("REPORT_TIME_LIMIT", default=15 * 60)
REPORT_VISIBILITY_MARGIN = 5 * 60
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": REPORT_TIME_LIMIT + REPORT_VISIBILITY_MARGIN,
    # A broker that does not answer fails the send within seconds (the job says "try again").
    "socket_connect_timeout": 5,
    "socket_timeout": 10,
}
CELERY_TASK_TIME_LIMIT = REPORT_TIME_LIMIT
CELERY_TASK_SOFT_TIME_LIMIT = REPORT_TIME_LIMIT - min(30, REPORT_TIME_LIMIT // 10)
# The report sweep (reports.services.report_job_sweep, every REPORT_SWEEP_SECONDS from beat,
# and on report pages): a job queued longer than REPORT_REQUEUE_AFTER is sent again (its
# message was lost with the broker); a running job whose worker showed no sign of life for
# REPORT_STALE_AFTER (the time limit plus a minute) is sent again or, after repeated losses,
# marked failed with a retry button.
REPORT_SWEEP_SECONDS = env.int("REPORT_SWEEP_SECONDS", default=60)
REPORT_REQUEUE_AFTER = env.int("REPORT_REQUEUE_AFTER", default=5 * 60)
REPORT_STALE_AFTER = REPORT_TIME_LIMIT + 60
CELERY_TIMEZONE = "Europe/Stockholm"
# The embedded run has no beat: `manage.py serve` (make run) runs this same table in-process
# (portal/scheduler.py), checking every PORTAL_SCHEDULER_TICK_SECONDS.
PORTAL_EMBEDDED_SCHEDULER = env.bool("PORTAL_EMBEDDED_SCHEDULER", default=True)
PORTAL_SCHEDULER_TICK_SECONDS = env.float("PORTAL_SCHEDULER_TICK_SECONDS", default=30)
CELERY_BEAT_SCHEDULE = {
    "reports-sweep": {
        "task": "reports.sweep",
        "schedule": timedelta(seconds=REPORT_SWEEP_SECONDS),
    },
    "reports-purge-expired": {
        "task": "reports.purge_expired",
        "schedule": timedelta(hours=24),
    },
    # Every minute: one indexed query, and a reminder goes out as soon as it falls due.
    "council-meeting-reminders": {
        "task": "council.send_meeting_reminders",
        "schedule": timedelta(minutes=1),
    },
    "council-overdue-action-items": {
        "task": "council.send_overdue_action_reminders",
        "schedule": timedelta(hours=24),
    },
    "workshops-erase-expired-registrations": {
        "task": "workshops.erase_expired_registrations",
        "schedule": timedelta(hours=24),
    },
    # Personal data past its retention period (issue 11; the periods are set below).
    "directory-purge-expired-suggestions": {
        "task": "directory.purge_expired_suggestions",
        "schedule": timedelta(hours=24),
    },
    "accounts-purge-expired-invitations": {
        "task": "accounts.purge_expired_invitations",
        "schedule": timedelta(hours=24),
    },
    "accounts-purge-expired-sessions": {
        "task": "accounts.purge_expired_sessions",
        "schedule": timedelta(hours=1),
    },
    "agreements-due-reminders": {
        "task": "agreements.send_due_reminders",
        "schedule": timedelta(hours=24),
    },
    # Daily check; each organisation's editors get the yearly question once it is due.
    "directory-confirmation-reminders": {
        "task": "directory.send_confirmation_reminders",
        "schedule": timedelta(hours=24),
    },
}

# --- Accounts and authentication ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapter.InvitationOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
}
# Sensitive actions (inviting, changing roles, erasing a person) ask for the password or a
# TOTP code again when the session's last authentication is older than this.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 15 * 60
# The portal's own open doors (portal/ratelimit.py, allauth's syntax: amount/period/per, where
# per is ip, user or key = the target, such as one workshop). Past a limit: 429.
PORTAL_RATE_LIMITS = {
    # Public registration: a household or an office shares an address; a bot does not stop.
    "workshop_register": env.str("RATE_LIMIT_WORKSHOP_REGISTER", default="10/10m/ip,100/h/key"),
    # Participants in one room share the venue's network: generous per address.
    "workshop_contribute": env.str("RATE_LIMIT_WORKSHOP_CONTRIBUTE", default="60/10m/ip,600/h/key"),
    "workshop_walk_in": env.str("RATE_LIMIT_WORKSHOP_WALK_IN", default="120/h/user"),
    "workshop_contribution_staff": env.str(
        "RATE_LIMIT_WORKSHOP_CONTRIBUTION_STAFF", default="300/h/user"
    ),
    "directory_suggest": env.str("RATE_LIMIT_DIRECTORY_SUGGEST", default="3/m/ip,20/d/ip"),
    # Asked for as one types (htmx): a few per second is normal, thousands are not.
    "directory_name_lookup": env.str("RATE_LIMIT_DIRECTORY_NAME_LOOKUP", default="120/m/ip"),
    "report_request": env.str("RATE_LIMIT_REPORT_REQUEST", default="20/h/user"),
    "invitation_accept": env.str("RATE_LIMIT_INVITATION_ACCEPT", default="10/h/ip,5/h/key"),
    # A respondent's personal link (agreement rounds): a few saves per person, no guessing.
    "round_answer": env.str("RATE_LIMIT_ROUND_ANSWER", default="30/10m/ip,30/h/key"),
}
# Reports one person may have waiting or in production at once (reports.services).
REPORT_QUEUED_PER_USER = env.int("REPORT_QUEUED_PER_USER", default=3)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# How many reverse proxies in front of gunicorn append to X-Forwarded-For (1 with the README's
# set-up). Rate limits then key on the visitor's own address, not the proxy's; 0 (the embedded
# run, no proxy) uses the connection's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Samverkansrådet")
USERSESSIONS_TRACK_ACTIVITY = True
# Production: staff and secretariat pages are out of reach until the user has set up TOTP.
# The embedded demo relaxes this (the README says so); set it to true to try the flow locally.
PORTAL_REQUIRE_MFA_FOR_STAFF = env.bool("PORTAL_REQUIRE_MFA_FOR_STAFF", default=PRODUCTION)
INVITATION_VALID_DAYS = 14

# Django's database sessions (in PostgreSQL), read with a statement compiled once per process.
SESSION_ENGINE = "accounts.sessions"
# Session ends after this much inactivity. Activity renews it at most once a minute
# (accounts.middleware.SessionActivityMiddleware), not with a write on every request.
SESSION_COOKIE_AGE = env.int("SESSION_INACTIVITY_SECONDS", default=60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ACTIVITY_WRITE_SECONDS = env.int("SESSION_ACTIVITY_WRITE_SECONDS", default=60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Messages live in the session (whose cookie is __Host- in production), not in a cookie of
# their own.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Security ------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    # __Host- cookies need Secure, path / and no domain; browsers refuse them over plain HTTP,
    # which is why the embedded run keeps the ordinary names.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
CSRF_COOKIE_HTTPONLY = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
    },
}

# --- Language and time ----------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Report files and documents are served through views that check permissions, never by URL.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# `manage.py backup` writes its archives here unless told otherwise (portal/backup.py).
BACKUP_ROOT = Path(env.str("BACKUP_ROOT", default=str(BASE_DIR / "backups")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# The embedded run serves static files straight from the source folders.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# --- Email ----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Samverkansrådet <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's name in emails and calendars, and the secretariat's real mailbox: the ORGANIZER
# of calendar invitations (replies to an invitation go there, not to the no-reply sender).
PORTAL_NAME = env.str("PORTAL_NAME", default="Samverkansrådet")
PORTAL_SECRETARIAT_EMAIL = env.str("PORTAL_SECRETARIAT_EMAIL", default="sekretariat@example.org")

# Links in emails sent by background jobs (reminders, invitations from tasks) start with this.
# Links in emails sent while serving a request use that request's host; links in emails sent
# by background jobs (reminders, invitations from tasks) start with this. Production refuses to
# start without it (portal/checks.py).
PORTAL_BASE_URL = env.str("PORTAL_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
PORTAL_BASE_URL_SET = "PORTAL_BASE_URL" in os.environ
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{PORTAL_NAME}] "

# --- Portal rules ---------------------------------------------------------------------------
# The 60/40 rule: a group is gender-balanced when neither women nor men fall below this
# share of those whose gender is known.
BALANCE_THRESHOLD = env.float("BALANCE_THRESHOLD", default=0.40)
REPORT_RETENTION_DAYS = env.int("REPORT_RETENTION_DAYS", default=90)
# Personal data (issue 11): how long each kind is kept; the beat jobs below apply them.
WORKSHOP_RETENTION_MONTHS = env.int("WORKSHOP_RETENTION_MONTHS", default=12)
SUGGESTION_RETENTION_MONTHS = env.int("SUGGESTION_RETENTION_MONTHS", default=12)
INVITATION_RETENTION_DAYS = env.int("INVITATION_RETENTION_DAYS", default=30)
# Public pages for anonymous visitors come from the shared cache (portal/page_cache.py); every
# write to the domain tables empties it, this bounds how far a page may lag behind the clock.
# Only with a cache every process shares (Redis) or a single process (the embedded run): with
# per-process memory, a write in one gunicorn worker would not reach the others' copies.
PORTAL_PAGE_CACHE_SECONDS = env.int(
    "PORTAL_PAGE_CACHE_SECONDS", default=60 if REDIS_URL or not PRODUCTION else 0
)
# The parts of members' pages that are the same for everyone (portal/fragment_cache.py), kept
# under the same content version and rule; 0 renders them on every request.
PORTAL_FRAGMENT_CACHE_SECONDS = env.int(
    "PORTAL_FRAGMENT_CACHE_SECONDS", default=PORTAL_PAGE_CACHE_SECONDS
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
