"""Django settings. The database comes from DATABASE_URL (default: SQLite in RISKATLAS_HOME)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url

from riskatlas.config import database_url, home, node_modules_dir

BASE_DIR = Path(__file__).resolve().parent
PRODUCTION = os.environ.get("RISKATLAS_PRODUCTION", "") == "1"

DEBUG = os.environ.get("RISKATLAS_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("RISKATLAS_SECRET_KEY") or (
    "insecure-development-key-only-for-the-local-demo" if not PRODUCTION else ""
)
if PRODUCTION and not SECRET_KEY:  # pragma: no cover - configuration error
    raise RuntimeError("RISKATLAS_SECRET_KEY must be set when RISKATLAS_PRODUCTION=1")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("RISKATLAS_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "riskatlas.apps.accounts",
    "riskatlas.apps.geography",
    "riskatlas.apps.intelligence",
    "riskatlas.apps.assessments",
    "riskatlas.apps.drafts",
    # Audit log of every change (riskatlas/apps/audit); htmx.min.js from a PyPI package.
    "riskatlas.apps.audit",
    # Background work (riskatlas/apps/jobs) on Huey: docs/decisions/0006-background-work-on-huey.md
    "riskatlas.apps.jobs",
    # Trips, travellers, travel policy and approvals (issue 14; decisions in riskatlas/travel)
    "riskatlas.apps.travel",
    # Notifications and alerts: in the app, email over SMTP, team webhooks; sent by the worker.
    "riskatlas.apps.notifications",
    # Duty of care (issue 14): check-ins, alerts about trips, who is where, calendar files.
    "riskatlas.apps.care",
    # Live feeds of advice and hazards: their scheduled refresh and the "What changed" page.
    "riskatlas.apps.feeds",
    "huey.contrib.djhuey",
    "js_lib_htmx",
    # The JSON API (riskatlas/api): REST framework, tokens, filters, OpenAPI description.
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy on every response (django-csp; CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # Login throttling: locks a username + address out after repeated failures.
    "axes.middleware.AxesMiddleware",
    # Who is changing things, for the audit log.
    "riskatlas.apps.audit.middleware.AuditUserMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("RISKATLAS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# ...and an address is locked after this many failures across all usernames
# (riskatlas/apps/accounts/lockout.py). The address is REMOTE_ADDR, which waitress sets from
# X-Forwarded-For for the trusted proxy only; never a header read here.
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("RISKATLAS_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_HANDLER = "riskatlas.apps.accounts.lockout.UserAndAddressLockout"
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Map tiles: none unless an operator names a tile server (a URL template with {z}/{x}/{y});
# the area outlines are drawn offline from the packaged boundaries either way.
RISKATLAS_MAP_TILES = os.environ.get("RISKATLAS_MAP_TILES", "").strip()
RISKATLAS_MAP_ATTRIBUTION = os.environ.get("RISKATLAS_MAP_ATTRIBUTION", "").strip()
_TILES = urlsplit(RISKATLAS_MAP_TILES.replace("{s}", "*"))
_TILE_ORIGINS = [f"{_TILES.scheme}://{_TILES.netloc}"] if _TILES.scheme in ("http", "https") else []
# Content-Security-Policy, the same in every mode: scripts and styles only from our own
# static files (no inline script, no style attributes); see docs/security.md.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_TILE_ORIGINS],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

ROOT_URLCONF = "riskatlas.urls"
WSGI_APPLICATION = "riskatlas.wsgi.application"

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
                "riskatlas.apps.accounts.context_processors.roles",
                "riskatlas.apps.notifications.context_processors.unread",
                "riskatlas.apps.care.context_processors.whereabouts",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(database_url(), conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite in WAL mode with synchronous=NORMAL (docs/decisions/0008-sqlite-wal.md): readers
    # never wait for a writer, and a commit appends to the log without a sync of its own (a
    # power loss may lose the last commits, never corrupt the file). Transactions begin
    # IMMEDIATE: a read-then-write transaction waits for the write lock at its start (up to
    # the timeout) instead of failing with "database is locked" when another process wrote
    # first. An in-memory database (the tests') stays in memory: the pragma answers "memory".
    # Connections are kept between requests (each thread its own, for up to 10 minutes): when
    # the last connection to the file closes, SQLite writes the log back into the file with
    # two syncs, which closing after every request made as slow as the rollback journal.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The task queue: an SQLite file beside the data by default (no server to run), Redis when
# REDIS_URL is set. Never "immediate": work always runs in a worker (`riskatlas worker`, or
# the one `riskatlas serve`/`demo` start beside the server).
REDIS_URL = os.environ.get("REDIS_URL", "")
HUEY: dict[str, object] = {
    "name": "riskatlas",
    "immediate": False,
    "results": False,  # results are Job rows (riskatlas/apps/jobs), not queue results
    "consumer": {"workers": int(os.environ.get("RISKATLAS_WORKER_THREADS", "2"))},
}
if REDIS_URL:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": REDIS_URL})
else:
    home().mkdir(parents=True, exist_ok=True)  # the queue file is opened when Django starts
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(home() / "queue.sqlite3")})
#: A running job whose worker has given no sign of life for this long is taken as stopped.
JOB_STALL_SECONDS = int(os.environ.get("RISKATLAS_JOB_STALL_SECONDS", "60"))
JOB_ATTEMPTS = 2
#: An events file uploaded on Import open data may hold at most this many MB: a bigger one is
#: refused as it arrives, nothing kept (`riskatlas data import` reads files of any size).
_OPEN_DATA_UPLOAD_MAX_MB = os.environ.get("RISKATLAS_OPEN_DATA_UPLOAD_MAX_MB", "100").strip()
if not _OPEN_DATA_UPLOAD_MAX_MB.isdigit() or int(_OPEN_DATA_UPLOAD_MAX_MB) < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"RISKATLAS_OPEN_DATA_UPLOAD_MAX_MB: {_OPEN_DATA_UPLOAD_MAX_MB!r} is not a whole number"
        " of MB from 1"
    )
OPEN_DATA_UPLOAD_MAX_MB = int(_OPEN_DATA_UPLOAD_MAX_MB)

# Email (notifications, check-in links): SMTP when EMAIL_HOST is set, otherwise each message is
# written as a file in RISKATLAS_HOME/outbox (the demo). Sent by the worker, never a request.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "") == "1"
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("RISKATLAS_EMAIL_FROM", "riskatlas <riskatlas@localhost>")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(home() / "outbox")
#: Where links in emails and webhooks point (the web app's address as people reach it).
RISKATLAS_SITE_URL = os.environ.get("RISKATLAS_SITE_URL", "http://localhost:8000")
WEBHOOK_TIMEOUT_SECONDS = 10
# Check-ins (riskatlas/apps/care): a check-in not done this long after it was due is escalated
# to the trip's approvers; it opens (the link and the web app record it) this many minutes
# before it is due, its emailed link records it until this many hours after it was due,
# and no link signed more than this many days ago is accepted.
CHECK_IN_GRACE_MINUTES = int(os.environ.get("RISKATLAS_CHECK_IN_GRACE_MINUTES", "60"))
CHECK_IN_EARLY_MINUTES = max(0, int(os.environ.get("RISKATLAS_CHECK_IN_EARLY_MINUTES", "60")))
CHECK_IN_OPEN_HOURS = int(os.environ.get("RISKATLAS_CHECK_IN_OPEN_HOURS", "48"))
CHECK_IN_LINK_DAYS = int(os.environ.get("RISKATLAS_CHECK_IN_LINK_DAYS", "90"))
# Alerts on trips: this many imported events in an area of an upcoming trip over the last
# so many days tell its travellers and approvers.
TRIP_EVENTS_THRESHOLD = int(os.environ.get("RISKATLAS_TRIP_EVENTS_THRESHOLD", "5"))
TRIP_EVENTS_DAYS = int(os.environ.get("RISKATLAS_TRIP_EVENTS_DAYS", "7"))
# Live feeds the worker refreshes every hour (riskatlas/apps/feeds): a comma-separated list of
# `riskatlas data import` feed names, "all" for every feed, empty (the default) for none.
_FEEDS = ("canada-advice", "australia-advice", "germany-advice", "us-advice", "gdacs", "usgs",
          "who-don")  # fmt: skip
_FEED_REFRESH = os.environ.get("RISKATLAS_FEED_REFRESH", "").strip()
FEED_REFRESH = list(_FEEDS) if _FEED_REFRESH == "all" else [
    name.strip() for name in _FEED_REFRESH.split(",") if name.strip()
]  # fmt: skip
if set(FEED_REFRESH) - set(_FEEDS):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"RISKATLAS_FEED_REFRESH: {', '.join(sorted(set(FEED_REFRESH) - set(_FEEDS)))} is not a"
        f" feed; known: {', '.join(_FEEDS)}, or all"
    )

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Served by WhiteNoise straight from the installed package (finders); `collectstatic` into
# RISKATLAS_STATIC_ROOT for production.
STATIC_ROOT = os.environ.get("RISKATLAS_STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True
# Third-party JS/CSS comes from npm packages installed at set-up time (package-lock.json).
_VENDOR = {"leaflet": "leaflet/dist"}
STATICFILES_DIRS = [str(BASE_DIR / "static")] + [
    (f"vendor/{name}", str(node_modules_dir() / path))
    for name, path in _VENDOR.items()
    if (node_modules_dir() / path).is_dir()
]
WHITENOISE_AUTOREFRESH = DEBUG

if PRODUCTION:  # pragma: no cover - exercised by `manage.py check --deploy` in CI
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # No SECURE_PROXY_SSL_HEADER: waitress (`riskatlas serve`) decides whether a request came
    # over https, trusting X-Forwarded-Proto/-For/-Host only from RISKATLAS_TRUSTED_PROXY and
    # removing them from anyone else (docs/deployment.md).

# `riskatlas serve`: the reverse proxy whose X-Forwarded-* headers are believed (its address,
# as the app sees it; unset: none), how many proxies in a chain, and the worker threads.
TRUSTED_PROXY = os.environ.get("RISKATLAS_TRUSTED_PROXY", "").strip() or None
TRUSTED_PROXY_COUNT = int(os.environ.get("RISKATLAS_TRUSTED_PROXY_COUNT", "1"))
SERVE_THREADS = int(os.environ.get("RISKATLAS_THREADS", "4"))
# App processes (`riskatlas serve --processes`, docs/deployment.md): more than one runs
# gunicorn's threaded workers instead of waitress.
SERVE_PROCESSES = int(os.environ.get("RISKATLAS_PROCESSES", "1"))

# The cache every app process shares (evidence read for an assessment): Redis when REDIS_URL
# is set, else a table in the database (made by the jobs app's migration).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "riskatlas_cache",
        }
    )
}

# The JSON API: team rules live in riskatlas/api/access.py; see docs/api.md.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "riskatlas.api.pagination.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("RISKATLAS_TOKEN_RATE", "10/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "riskatlas API",
    "DESCRIPTION": "Assessments, risks, incidents, actors and areas of your teams. "
    "See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "riskatlas.api.schema.state_date_patterns",
    ],
    "ENUM_NAME_OVERRIDES": {  # a version's status, and an actor's
        "StatusEnum": "riskatlas.apps.assessments.models.Status",
        "ActorStatusEnum": "riskatlas.api.serializers.intelligence.ACTOR_STATUSES",
        "ThreatCodeEnum": "riskatlas.apps.assessments.api_fields.THREAT_CODES",
        "ChangeKindEnum": "riskatlas.evidence.changes.KINDS",  # what changed: a feed's change
        "SourceKindEnum": "riskatlas.apps.intelligence.serializers.SOURCE_KINDS",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
