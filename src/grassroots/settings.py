"""Django settings for Grassroots, read from the environment with safe local defaults.

Environment variables:
- ``DATABASE_URL``: any dj-database-url URL; default is the embedded SQLite file ``var/grassroots.sqlite3``.
- ``SECRET_KEY``: when absent, one is generated once into ``var/secret_key``.
- ``DEBUG``: ``1``/``true`` to enable; off by default.
- ``ALLOWED_HOSTS``: comma-separated; default ``127.0.0.1,localhost``.
- ``TLS``: ``1`` when served behind TLS (turns on HSTS, secure cookies and the HTTPS redirect).
- ``GRASSROOTS_VAR``: the folder for the SQLite file, the secret key and uploads; default ``var/``.
- ``CACHE_DIR``: the folder of the figures cache; default ``var/cache/``.
- ``DATABASE_REPLICA_URL``: a PostgreSQL streaming replica of ``DATABASE_URL`` for figures,
  reports, lists and exports (``grassroots.core.replica``); ``REPLICA_PIN_SECONDS`` (5): how
  long a browser that wrote reads from the primary.
- ``CACHE_URL``: ``redis://host:6379/N`` — one Redis cache shared by several web nodes (instead
  of the folder of ``CACHE_DIR``).
- ``DATA_UPLOAD_MAX_MEMORY_SIZE``, ``FILE_UPLOAD_MAX_MEMORY_SIZE``: Django's, 2.5 MB by default.
- ``GRASSROOTS_IMPORT_…``: the limits of imports (``policy.py``, ``IMPORT_*``).
"""

import os
import secrets
import time
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("GRASSROOTS_VAR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = VAR_DIR / "secret_key"
    try:  # created once, by whichever process comes first (`make run` starts two at once)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(50))
    for _ in range(50):  # the other process may still be writing it
        if key := path.read_text().strip():
            return key
        time.sleep(0.1)
    raise RuntimeError(f"{path} is empty")


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
TLS = env_bool("TLS")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "axes",
    "auditlog",
    "django_tasks",
    "django_tasks_db",
    # django-ninja's own templates and static files: the API docs page loads Swagger UI from
    # this site (the CSP forbids a CDN), see grassroots.api.
    "ninja",
    "grassroots.core",
    "grassroots.accounts",
    "grassroots.places",
    "grassroots.organizations",
    "grassroots.members",
    "grassroots.admissions",
    "grassroots.ratings",
    "grassroots.statistics",
    "grassroots.resolutions",
    "grassroots.cadres",
    "grassroots.cells",
    "grassroots.inspections",
    "grassroots.reports",
    "grassroots.interchange",
    "grassroots.news",
    "grassroots.operations",
    "grassroots.demo",
    # The public news pages (grassroots.news) are Wagtail pages; its admin is mounted at /cms/.
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.images",
    "wagtail.documents",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Personal data and downloads: Cache-Control no-store (core.access).
    "grassroots.core.access.NoStoreMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "grassroots.core.middleware.ContentSecurityPolicyMiddleware",
    "grassroots.core.middleware.RefuseControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "grassroots.core.middleware.AsOfMiddleware",
    "grassroots.core.replica.PrimaryPinMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "grassroots.urls"
WSGI_APPLICATION = "grassroots.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "grassroots.core.context_processors.grassroots",
            ],
            "builtins": ["django.templatetags.static", "grassroots.core.templatetags.vn"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'grassroots.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE avoids upgrade deadlocks.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;"
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it costs 0.1–0.2 s a statement once a plan looks large (the country's
    # coverage: 0.44 s with it, 0.22 s without), more than it saves on queries of this size.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if test_name := os.environ.get("TEST_DATABASE_NAME"):
    # Lets two test runs share one PostgreSQL server without fighting over test_<name>.
    DATABASES["default"]["TEST"] = {"NAME": test_name}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A PostgreSQL streaming replica for figures, reports, lists and exports (grassroots.core.replica):
# reads go there only while it has replayed the primary's last change, and never for a browser
# that has just written (pinned to the primary for REPLICA_PIN_SECONDS).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
    DATABASES["replica"]["OPTIONS"] = {"options": "-c jit=off"}
    # Tests read the test database through the default connection.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["grassroots.core.replica.ReplicaRouter"]
REPLICA_PIN_SECONDS = int(os.environ.get("REPLICA_PIN_SECONDS", "5"))

# --- Cache ----------------------------------------------------------------------------------
# Figures and list counts are cached under the data version (grassroots.core.dataversion), so
# a cached value is never stale; the cache only saves recomputing them. On one machine, files,
# so that every server process shares one cache; with several web nodes, ``CACHE_URL``
# (``redis://host:6379/N``) makes them share one Redis database — a database of its own:
# clearing the cache (after ``migrate`` or a restore) empties it. The key prefix keeps two
# Grassroots databases apart.
CACHE_URL = os.environ.get("CACHE_URL", "")
_CACHE_SHARED = {
    "KEY_PREFIX": str(DATABASES["default"]["NAME"]).replace("/", "_")[-60:],
    "TIMEOUT": 24 * 3600,
}
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"CACHE_URL must be a Redis URL (redis://, rediss:// or unix://), not {CACHE_URL!r}"
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            **_CACHE_SHARED,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(VAR_DIR / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 5000},
            **_CACHE_SHARED,
        }
    }

# --- Users ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: 10 failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["grassroots.formats"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
# --- Uploads (docs/interchange.md, "Limits") ---------------------------------------------------
# Fields other than files: at most 2.5 MB in memory; files over 2.5 MB go to a temporary file,
# never to memory; a file past policy IMPORT_MAX_UPLOAD_BYTES (env GRASSROOTS_IMPORT_MAX_UPLOAD_BYTES,
# 100 MB by default) is stopped while it arrives by the first handler.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440))
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_HANDLERS = [
    "grassroots.interchange.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
WHITENOISE_AUTOREFRESH = DEBUG

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SESSION_COOKIE_SECURE = not DEBUG
    CSRF_COOKIE_SECURE = not DEBUG
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]
# Only the app's own scripts and styles; images may be inline data (SVG charts, photos).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)

# --- Background tasks -----------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        # imports_large: uploads past policy IMPORT_LARGE_BYTES (interchange.tasks)
        "QUEUES": ["default", "imports_large"],
    }
}

# --- News (Wagtail) ---------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Tin tức"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt")]
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_EXTENSIONS = ["pdf"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILADMIN_LOGIN_URL = "accounts:login"
# Slugs in ASCII ("xay-dung-dang"), as the rest of the site's addresses.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
# Static files are hashed by the manifest storage already (and tests swap the storage).
WAGTAILADMIN_STATIC_FILE_VERSION_STRINGS = DEBUG
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
TAGGIT_CASE_INSENSITIVE = True

# --- Audit ----------------------------------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False

# One line per request refused with 4xx (django.request logs them as warnings); tracebacks only
# for server errors (grassroots.core.logfilters.RoutineClientErrors).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"routine_4xx": {"()": "grassroots.core.logfilters.RoutineClientErrors"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["routine_4xx"]},
    },
}
