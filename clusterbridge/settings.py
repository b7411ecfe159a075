"""ClusterBridge settings: read only from environment variables (see README, Configuration).

Two modes:
- embedded (DATABASE_URL unset): SQLite under VAR_DIR, a secret key generated once and
  kept in VAR_DIR, plain HTTP on localhost — what `make run` starts;
- production (DATABASE_URL set): SECRET_KEY is required, HTTPS hardening is on by default.
"""

import re
import secrets
from pathlib import Path

import dj_database_url
import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from clusterbridge.env import env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("CLUSTERBRIDGE_VAR_DIR", str(Path.cwd() / "var")))

DATABASE_URL = env_str("DATABASE_URL")
EMBEDDED = DATABASE_URL is None

DEBUG = env_bool("DEBUG", False)


def _secret_key() -> str:
    key = env_str("SECRET_KEY")
    if key:
        if len(key) < 50:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long.")
        return key
    if not EMBEDDED:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DATABASE_URL is set (production mode)."
        )
    # Embedded default: generate once and keep it, so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"] if EMBEDDED else []
)
if not EMBEDDED and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DATABASE_URL is set.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "clusterbridge.core",
    "clusterbridge.accounts",
    "clusterbridge.taxonomy",
    "clusterbridge.funding",
    "clusterbridge.projects",
    "clusterbridge.matching",
    "clusterbridge.clusters",
    "clusterbridge.organisations",
    "clusterbridge.marketplace",
    "clusterbridge.benchmarking",
    "clusterbridge.interop",
    "clusterbridge.suggestions",
    "clusterbridge.alerts",
    "clusterbridge.events",
    "clusterbridge.notifications",
    "clusterbridge.analytics",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "clusterbridge.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "clusterbridge.accounts.middleware.TwoFactorRequiredMiddleware",
    "clusterbridge.accounts.middleware.VerificationRequiredMiddleware",
]

ROOT_URLCONF = "clusterbridge.urls"
WSGI_APPLICATION = "clusterbridge.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clusterbridge.accounts.context_processors.roles",
                "clusterbridge.core.context_processors.main_nav",
            ],
        },
    },
]

# Database -------------------------------------------------------------------------------
if EMBEDDED:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "clusterbridge.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE avoids
                # "database is locked" upgrades from read to write transactions.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
else:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL cannot be parsed: {error}") from None
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"}
        )
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Lets several test runs share one PostgreSQL server (SQLite tests run in memory).
    DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Funding search: the per-process index (off: the ORM answers every query); with
# SEARCH_INDEX_BACKGROUND the index is rebuilt in a thread while the ORM answers.
SEARCH_INDEX = env_bool("SEARCH_INDEX", True)
SEARCH_INDEX_BACKGROUND = env_bool("SEARCH_INDEX_BACKGROUND", False)

# Cache: shared by every server process (throttles, sign-in limits, the search index's
# version check). The database by default, so the embedded mode needs nothing more;
# Redis when CACHE_URL says so, e.g. redis://127.0.0.1:6379/1.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL and CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "clusterbridge",
        }
    }
elif CACHE_URL:
    raise ImproperlyConfigured("CACHE_URL must be a redis:// or rediss:// address.")
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "clusterbridge_cache",
        }
    }

# Accounts ---------------------------------------------------------------------------------
# Sign-up, sign-in (by e-mail or user name), e-mail addresses, password reset and two-factor
# authentication are django-allauth's (see docs/decisions.md, "Accounts").
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "profile"
LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "clusterbridge.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {
    "login": "clusterbridge.accounts.forms.LoginForm",
    "signup": "clusterbridge.accounts.forms.SignupForm",
    "add_email": "clusterbridge.accounts.forms.AddEmailForm",
}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# "optional": a new account may sign in and browse before its address is confirmed; acting
# towards others waits for it (roles.is_verified).
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 7
ACCOUNT_MAX_EMAIL_ADDRESSES = 5
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ClusterBridge] "
ACCOUNT_USERNAME_BLACKLIST = ["admin", "administrator", "root", "deleted-user", "clusterbridge"]
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
# Before two-factor settings change: the password, or a code of the authenticator app
# (no sign-in codes by e-mail: the site has no sign-in by e-mail code either).
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")

# Failed sign-ins (accounts/lockout.py): one (account, address) pair is locked after
# LOGIN_FAILURE_LIMIT failures, so nobody can lock someone else's account from elsewhere;
# one address is locked for everyone after LOGIN_ADDRESS_FAILURE_LIMIT failures (password
# spraying). Counted in the shared cache, over a sliding window of LOGIN_LOCKOUT_MINUTES.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 50, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
_lockout_window = f"{LOGIN_LOCKOUT_MINUTES * 60}s"
ACCOUNT_RATE_LIMITS = {
    # allauth's own per-login and per-address counter is replaced by the two below.
    "login_failed": None,
    "clusterbridge_login_pair": f"{LOGIN_FAILURE_LIMIT}/{_lockout_window}/key",
    "clusterbridge_login_address": f"{LOGIN_ADDRESS_FAILURE_LIMIT}/{_lockout_window}/ip",
}
# Behind a reverse proxy the client's address is the last one it appends to X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if env_bool("BEHIND_PROXY", False) else 0

MFA_ADAPTER = "clusterbridge.accounts.adapter.TwoFactorAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "ClusterBridge"

# Mail -----------------------------------------------------------------------------------
_email = dj_email_url.parse(env_str("EMAIL_URL", "console:") or "console:")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ClusterBridge <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Notifications that are not urgent wait this long, so several go out as one digest.
NOTIFICATION_DIGEST_MINUTES = env_int("NOTIFICATION_DIGEST_MINUTES", 60, minimum=0)

# Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Brussels")
USE_I18N = True
USE_TZ = True

# Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)
# Spreadsheets are read as a stream, within these ceilings (a workbook that declares a
# million rows or unpacks to gigabytes is refused with a message, not read).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000, minimum=10)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 200, minimum=10)
IMPORT_MAX_UNZIPPED_BYTES = env_int("IMPORT_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024, minimum=1024)

# Security ---------------------------------------------------------------------------------
HTTPS = env_bool("HTTPS", not EMBEDDED)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS else "http"  # links in account e-mails
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}


# API ----------------------------------------------------------------------------------------
def _throttle_rate(name: str, default: str) -> str:
    """A request rate such as "300/min" (per second, minute, hour or day)."""
    value = env_str(name, default)
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", value):
        raise ImproperlyConfigured(f"{name} must be a rate such as 300/min, not {value!r}.")
    return value


REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "clusterbridge.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON with a ceiling on nesting (a body of 50,000 "[" is a 400, not a crash).
    "DEFAULT_PARSER_CLASSES": [
        "clusterbridge.core.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "clusterbridge.core.api.Pagination",
    "DEFAULT_SCHEMA_CLASS": "clusterbridge.core.openapi.ApiSchema",
    "EXCEPTION_HANDLER": "clusterbridge.core.api.exception_handler",
    # Counted in the shared cache (CACHES above), so every server process sees one count.
    "DEFAULT_THROTTLE_CLASSES": [
        "clusterbridge.core.throttling.AnonRateThrottle",
        "clusterbridge.core.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _throttle_rate("API_THROTTLE_ANON", "300/min"),
        "user": _throttle_rate("API_THROTTLE_USER", "1200/min"),
    },
    # Behind a proxy the client is the last X-Forwarded-For hop (as for sign-in limits).
    "NUM_PROXIES": 1 if env_bool("BEHIND_PROXY", False) else None,
    "PAGE_SIZE": 20,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ClusterBridge API",
    "DESCRIPTION": "Funding instruments, clusters, projects and the feature taxonomy.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a "status"; each choice set gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "MembershipStatusEnum": "clusterbridge.organisations.models.Membership.Status",
        "ClusterMembershipStatusEnum": (
            "clusterbridge.organisations.models.ClusterMembership.Status"
        ),
    },
}

# Main navigation: (url name, label, what the section offers), in order.
MAIN_NAV = [
    (
        "funding:search",
        "Funding",
        "Search open funding calls and programmes by features, country "
        "and text; see deadlines and what each instrument funds.",
    ),
    (
        "matching:match",
        "Match my solution",
        "Tick what your solution does and needs: get the "
        "open calls that fit, ranked, with the reasons.",
    ),
    ("projects:list", "Projects", "Funded projects described by features, and their matches."),
    (
        "clusters:directory",
        "Clusters",
        "The directory of cluster organisations across Europe, "
        "with their sectors, ecosystems, services and labels.",
    ),
    (
        "organisations:directory",
        "Organisations",
        "Companies, research organisations and public bodies on ClusterBridge: what they "
        "do, where, and the clusters they belong to.",
    ),
    (
        "marketplace:list",
        "Marketplace",
        "Offers, needs and partner searches of organisations, pre-validated by their "
        "clusters and matched automatically.",
    ),
    (
        "events:list",
        "Events",
        "Webinars, info days, conferences and brokerage events with one-to-one meetings.",
    ),
    (
        "taxonomy:index",
        "Taxonomy",
        "The feature taxonomy and vocabularies that describe calls, projects and clusters alike.",
    ),
    (
        "analytics:index",
        "Analytics",
        "Regional specialisation, the network of clusters and organisations and its "
        "keystone agents, projects grouped around end-user areas.",
    ),
]

# Reference data: each loader is `module.function(*, stdout) -> dict of counts`, run in order.
REFERENCE_LOADERS = [
    "clusterbridge.taxonomy.reference.load",
    "clusterbridge.funding.reference.load",
    "clusterbridge.clusters.reference.load",
    "clusterbridge.projects.reference.load",
    "clusterbridge.benchmarking.reference.load",
    "clusterbridge.analytics.reference.load",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
