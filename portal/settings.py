"""Settings for the pilot-programme portal, all read from the environment (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path

from celery.schedules import crontab

from portal.env import database_from_url, env_bool, env_int, env_list, local_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR") or BASE_DIR / "var")

# PORTAL_PRODUCTION switches on every transport-security setting that `check --deploy` asks for.
PRODUCTION = env_bool("PORTAL_PRODUCTION", False)
# Off unless asked for: only `make run`'s development server sets DJANGO_DEBUG=1. A process started
# any other way (gunicorn, a worker, a test) never serves tracebacks or the settings.
DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or local_secret_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if not PRODUCTION else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks); none by default.
PORTAL_TRUSTED_PROXIES = env_list("PORTAL_TRUSTED_PROXIES", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",  # django-bootstrap-static: Bootstrap 5 CSS/JS from the package, no CDN
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "portal.core",
    "portal.audit",
    "portal.orgs",
    "portal.accounts",
    "portal.api",
    "portal.formspec",
    "portal.programmes",
    "portal.review",
    "portal.experts",
    "portal.reports",
    "portal.notifications",
    "portal.projects",
    "zones",
    "schools",
    "budgets",
    "evaluation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After sign-in is known, so a refusal page shows the user's own header; before any view.
    "portal.core.boundary.BoundaryMiddleware",
    "portal.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.accounts.middleware.IdleTimeoutMiddleware",
    "portal.accounts.middleware.ForcePasswordChangeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.core.context_processors.portal",
                "portal.notifications.context_processors.unread",
            ],
        },
    },
]

# --- data stores -------------------------------------------------------------------------------
DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL") or f"sqlite:////{(VAR_DIR / 'db.sqlite3').as_posix().lstrip('/')}",
        base_dir=BASE_DIR,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers run beside a writer; IMMEDIATE takes the write lock when a transaction begins,
    # so two requests that read and then write (an autosave beside an upload) queue for up to
    # `timeout` seconds instead of one failing at once with "database is locked" when it upgrades.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL: the role the web and worker processes connect as. `migrate` (run as the owner) grants
# it everything but UPDATE, DELETE and TRUNCATE on the audit log (portal/audit/db_roles.py).
PORTAL_DB_APP_ROLE = os.environ.get("PORTAL_DB_APP_ROLE", "portal_app")

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("PORTAL_CACHE_PREFIX", "portal"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery: without a broker the tasks run in-process (the embedded default) -------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not (os.environ.get("CELERY_BROKER_URL") or REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # acks_late alone loses a task whose worker is SIGKILLed
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Portals sharing one Redis keep apart by queue name (the worker consumes it: `celery worker -Q`).
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("PORTAL_CELERY_QUEUE", "celery")
# A report whose worker is silent this long is put back in the queue (portal/reports/liveness.py).
PORTAL_REPORT_SILENT_SECONDS = env_int("PORTAL_REPORT_SILENT_SECONDS", 30)
# Redis redelivers an unacknowledged message after this: a few silent periods, not Celery's hour. A
# redelivered job that is alive elsewhere is left alone; no task here is scheduled with an ETA,
# which a short timeout would redeliver early.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4 * PORTAL_REPORT_SILENT_SECONDS}
CELERY_TIMEZONE = "Asia/Shanghai"
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {"task": "accounts.clear_expired_sessions", "schedule": crontab(hour=3, minute=0)},
    # Reminders of each step's deadline to whoever must still act (3 days and 1 day before).
    "deadline-reminders": {"task": "review.send_deadline_reminders", "schedule": crontab(hour=8, minute=0)},
    # Report jobs whose worker died are put back in the queue; expired files are deleted.
    "sweep-reports": {"task": "reports.sweep", "schedule": crontab(minute="*/5")},
    # Projects: due progress reports generated; overdue milestones and reports reminded once a day.
    "project-sweep": {"task": "projects.daily_sweep", "schedule": crontab(hour=7, minute=30)},
    # Evaluation: overdue rectifications escalated once; missing monthly pilot reports reminded.
    "evaluation-sweep": {"task": "evaluation.daily_sweep", "schedule": crontab(hour=7, minute=45)},
}

# --- auth and the 等保 2.0 sign-in rules ----------------------------------------------------------
AUTH_USER_MODEL = "orgs.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    # Django's rules with the portal's Chinese messages (portal/accounts/validators.py).
    {"NAME": "portal.accounts.validators.UserAttributeSimilarityValidator"},
    {"NAME": "portal.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "portal.accounts.validators.CommonPasswordValidator"},
    {"NAME": "portal.accounts.validators.NumericPasswordValidator"},
    {"NAME": "portal.accounts.validators.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
PORTAL_LOGIN_MAX_FAILURES = env_int("PORTAL_LOGIN_MAX_FAILURES", 5)
PORTAL_LOGIN_LOCKOUT_MINUTES = env_int("PORTAL_LOGIN_LOCKOUT_MINUTES", 15)
PORTAL_IDLE_TIMEOUT_MINUTES = env_int("PORTAL_IDLE_TIMEOUT_MINUTES", 30)
# API tokens lapse after this long unused, and this long after issue at the latest.
PORTAL_TOKEN_IDLE_HOURS = env_int("PORTAL_TOKEN_IDLE_HOURS", 8)
PORTAL_TOKEN_MAX_DAYS = env_int("PORTAL_TOKEN_MAX_DAYS", 7)
# The idle rule is enforced by IdleTimeoutMiddleware (so the logout can be audited); the cookie
# itself lives for a working day at most.
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- language, time -----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- files --------------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("PORTAL_STATIC_ROOT") or BASE_DIR / "staticfiles")
# Uploaded files are private: kept outside any web root and served only through checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PORTAL_PRIVATE_MEDIA_ROOT") or VAR_DIR / "private")
PORTAL_IMPORT_MAX_BYTES = env_int("PORTAL_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# A request body above this is refused from its Content-Length before it is read (the reverse proxy
# should refuse the same: nginx `client_max_body_size 50m;`). Uploads above 2.5 MB stream to a
# temporary file instead of memory; form fields may take 5 MB in all.
PORTAL_MAX_REQUEST_BYTES = env_int("PORTAL_MAX_REQUEST_MB", 50) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
WHITENOISE_USE_FINDERS = not PRODUCTION  # outside production, served straight from the packages
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": PRIVATE_MEDIA_ROOT}},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- e-mail -------------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND") or (
    "django.core.mail.backends.smtp.EmailBackend"
    if os.environ.get("EMAIL_HOST")
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 465)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "pilot-portal@localhost")
# Report files are kept this long, then deleted; a running job silent this long is requeued.
PORTAL_REPORT_TTL_HOURS = env_int("PORTAL_REPORT_TTL_HOURS", 72)
PORTAL_REPORT_STALE_MINUTES = env_int("PORTAL_REPORT_STALE_MINUTES", 10)
# The key and certificate that sign issued PDFs (generated on first use when absent).
PORTAL_SIGNING_KEY_FILE = os.environ.get("PORTAL_SIGNING_KEY_FILE") or str(VAR_DIR / "keys" / "signing.pem")
# Printed forms use a Song (serif) face like the paper forms; fonts-noto-cjk is installed by the set-up.
PORTAL_PDF_FONT = os.environ.get("PORTAL_PDF_FONT", "Noto Serif CJK SC")
# Links in e-mails and on printed documents point here; unset, printed links follow the address the
# request came in on (portal/core/addresses.py).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "")

# --- UI -----------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
PORTAL_SITE_NAME = os.environ.get("PORTAL_SITE_NAME", "基础教育信息化融合创新实验区（校）管理平台")

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.accounts.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.JSONParser",
        "portal.api.parsers.FormParser",
        "portal.api.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "portal.api.validation.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "基础教育信息化融合创新实验区（校）管理平台 API",
    "DESCRIPTION": "申报、审核、评审与项目管理接口。所有数据均按调用者的机构范围过滤。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Uploads are binary in request bodies, not URIs.
    "COMPONENT_SPLIT_REQUEST": True,
    # Two choice sets are called "outcome": an opinion's and an objection's handling.
    "ENUM_NAME_OVERRIDES": {
        "ReviewOutcomeEnum": "portal.review.chain.Outcome",
        "ObjectionOutcomeEnum": "portal.review.models.ObjectionOutcome",
    },
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "portal.api.schema.error_responses"],
}

# --- production hardening (python manage.py check --deploy) -------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every page: scripts, styles, images and fonts from the portal itself only, nothing inline, no
# frames. Templates carry no inline script or style attribute (tests/deploy/test_safe_defaults.py
# checks every page); widths set at run time go through the CSSOM (static/portal/js/portal.js).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors_plain": {"()": "portal.core.logs.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["client_errors_plain"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("PORTAL_LOG_LEVEL", "WARNING")},
}
