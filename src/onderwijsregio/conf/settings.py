"""All settings, read from the environment in one place.

SQLite is the default database so that `make run` needs nothing installed; set DATABASE_URL
(for example postgres://user@127.0.0.1:5432/onderwijsregio) for PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[3]
SRC_DIR = BASE_DIR / "src" / "onderwijsregio"
VAR_DIR = Path(os.environ.get("ONDERWIJSREGIO_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
# Commands and tests may run on a fixed development key. The WSGI entry point (production) refuses
# it unless DJANGO_DEBUG or ONDERWIJSREGIO_ALLOW_DEV_SECRET is set, and `check --deploy` flags it.
DEV_SECRET_KEY = "django-insecure-development-only-key-set-DJANGO_SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "") or DEV_SECRET_KEY
ALLOW_DEV_SECRET = env_bool("ONDERWIJSREGIO_ALLOW_DEV_SECRET", False)

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("ONDERWIJSREGIO_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "onderwijsregio.conf.apps.ThemedAdminConfig",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "onderwijsregio.core",
    "onderwijsregio.organisations",
    "onderwijsregio.accounts",
    "onderwijsregio.routes",
    "onderwijsregio.loket",
    "onderwijsregio.pool",
    "onderwijsregio.workforce",
    "onderwijsregio.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise (static files keep their caching) and outside the API middleware, so that the
    # problems it rewrites get `no-store` too.
    "onderwijsregio.core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication and messages: ends idle and old sessions with a message on the login page.
    "onderwijsregio.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "onderwijsregio.api.middleware.ApiVersionHeaderMiddleware",
    # Axes last, as its documentation asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "onderwijsregio.conf.urls"
WSGI_APPLICATION = "onderwijsregio.conf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onderwijsregio.core.context_processors.platform",
            ],
        },
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'onderwijsregio.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time for the whole database; web processes and the worker take turns:
    # - IMMEDIATE: every transaction (transaction.atomic) takes the write lock when it begins. A default
    #   (DEFERRED) transaction reads first and asks for the lock at its first write; if another connection
    #   wrote in between, SQLite answers "database is locked" at once, without waiting for the timeout.
    # - timeout: how long a connection waits for that lock (the busy timeout), in seconds; well below
    #   gunicorn's 30-second request timeout.
    # - WAL: pages read while someone writes; synchronous=NORMAL is safe with WAL (a power cut may lose the
    #   last commits, never corrupt the file). On the tests' in-memory database WAL is a no-op.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits (login, registration, login codes) live in the cache, so every web process must share it:
# a file cache on the machine's disk does that without extra services.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR", str(VAR_DIR / "cache")),
        "TIMEOUT": 3600,
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

# django-allauth: staff log in with email + password; accounts are made by the regional team.
ACCOUNT_ADAPTER = "onderwijsregio.accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "onderwijsregio.accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = False
# OpenID Connect logs in an existing staff account whose verified email matches; it creates none.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        "APPS": (
            [
                {
                    "provider_id": os.environ.get("OIDC_PROVIDER_ID", "surfconext"),
                    "name": os.environ.get("OIDC_NAME", "SURFconext"),
                    "client_id": os.environ.get("OIDC_CLIENT_ID", ""),
                    "secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
                    "settings": {"server_url": OIDC_ISSUER},
                }
            ]
            if OIDC_ISSUER
            else []
        ),
        "OAUTH_PKCE_ENABLED": True,
    }
}

# django-axes: lock an email + address pair after repeated failures, at the allauth login and the admin
# login alike. The allauth login and the admin login name the email differently (`email`, `username`), so
# one callable finds it, lower-cased, both where axes records a failure and where it checks for a lockout.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"  # the user model's USERNAME_FIELD: where axes files the address itself
AXES_USERNAME_CALLABLE = "onderwijsregio.accounts.adapters.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
FORMAT_MODULE_PATH = ["onderwijsregio.conf.formats"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every start when it is missing
STATICFILES_DIRS = [SRC_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Candidates' documents: outside MEDIA_ROOT, so only the permission-checked download view serves them.
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "private"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("ONDERWIJSREGIO_MANIFEST_STATIC", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
IMPORT_UPLOAD_DIR = VAR_DIR / "imports"

# Behind a TLS-terminating reverse proxy: trust its X-Forwarded-Proto so links and cookies are https.
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
    # Axes must lock out the client, not the proxy: take the address the proxy forwarded.
    AXES_CLIENT_IP_CALLABLE = "onderwijsregio.core.client_ip.forwarded_client_ip"
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))

SESSION_COOKIE_HTTPONLY = True
# Sessions end after inactivity and at a maximum age (accounts.middleware.SessionTimeoutMiddleware).
# Staff: an hour idle, twelve hours at most. Candidates, who log in with an emailed code and see only
# their own record, may stay longer: a day idle, at most SESSION_COOKIE_AGE (14 days).
STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "60"))
STAFF_SESSION_MAX_HOURS = int(os.environ.get("STAFF_SESSION_MAX_HOURS", "12"))
CANDIDATE_SESSION_IDLE_MINUTES = int(os.environ.get("CANDIDATE_SESSION_IDLE_MINUTES", str(24 * 60)))
CANDIDATE_SESSION_MAX_HOURS = int(os.environ.get("CANDIDATE_SESSION_MAX_HOURS", str(14 * 24)))
SESSION_COOKIE_AGE = CANDIDATE_SESSION_MAX_HOURS * 3600
CANDIDATE_LOGIN_URL = "loket:candidate_login"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Open Onderwijsregio <noreply@onderwijsregio.localhost>")

# Background jobs: the Django tasks API with its database backend; `manage.py db_worker` runs them.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header turns "not logged in" into 401 instead of 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "onderwijsregio.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "onderwijsregio.api.problems.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_FILTER_BACKENDS": [],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
API_VERSION = "1.0.0"
SPECTACULAR_SETTINGS = {
    "TITLE": "Open Onderwijsregio API",
    "DESCRIPTION": "REST API of Open Onderwijsregio, following the NL API Design Rules.",
    "VERSION": API_VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Sorted, so the generated document is byte-stable and the committed copy can be compared.
    "SORT_OPERATIONS": True,
    "ENUM_NAME_OVERRIDES": {
        "SectorEnum": "onderwijsregio.organisations.models.Sector",
        "MembershipRoleEnum": "onderwijsregio.accounts.models.Role",
        "RegionMemberRoleEnum": "onderwijsregio.organisations.models.RegionMember.Role",
    },
    "CONTACT": {"name": "Open Onderwijsregio", "url": "https://github.com/open-onderwijsregio"},
    "LICENSE": {"name": "EUPL-1.2"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Candidate desk: how long personal data stays after the last trajectory closed (AVG, Dutch DPA
# guidance for applicants: 4 weeks, or up to 1 year with consent).
LOKET_RETENTION_DAYS = int(os.environ.get("LOKET_RETENTION_DAYS", "28"))
LOKET_RETENTION_DAYS_WITH_CONSENT = int(os.environ.get("LOKET_RETENTION_DAYS_WITH_CONSENT", "365"))
# A record nobody worked on for this long (no timeline event, no change) needs the desk's decision ("te
# beoordelen"); after this plus the retention period above it is erased, even with a trajectory never closed.
LOKET_MAX_INACTIVE_DAYS = int(os.environ.get("LOKET_MAX_INACTIVE_DAYS", "730"))

# Demo data: the labour-market regions whose schools make up the demo region.
DEMO_LABOUR_MARKET_REGIONS = env_list("ONDERWIJSREGIO_DEMO_AM", "AM14,AM13,AM12,AM10")
DATA_DIR = BASE_DIR / "data"
