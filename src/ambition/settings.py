"""The one settings module. Every value a deployment may change is read here, from the
environment, through `SETTINGS`: each entry has a type, a default and a help text, and
`docs/settings.md` lists them all (a test fails if one is undocumented)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
DEMO_SECRET_KEY = "ambition-demo-secret-key-not-for-production"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def raw(self) -> str:
        return os.environ.get(self.name, self.default)

    def as_bool(self) -> bool:
        return self.raw().strip().lower() in {"1", "true", "yes", "on"}

    def as_list(self) -> list[str]:
        return [part.strip() for part in self.raw().split(",") if part.strip()]


SETTINGS = {
    s.name: s
    for s in [
        Setting(
            "DATABASE_URL",
            f"sqlite:///{PROJECT_DIR / 'var' / 'ambition.sqlite3'}",
            "Where the operational database is: a SQLite file by default, "
            "`postgres://user@host:5432/name` in production.",
        ),
        Setting(
            "AMBITION_DEBUG",
            "false",
            "Django's DEBUG: detailed error pages. Never on in production.",
        ),
        Setting(
            "AMBITION_SECRET_KEY",
            DEMO_SECRET_KEY,
            "Signs sessions and tokens. Production refuses to start with the demo key.",
        ),
        Setting(
            "AMBITION_ENVIRONMENT",
            "demo",
            "`demo`, `test` or `production`. Production requires a real secret key.",
        ),
        Setting(
            "AMBITION_ALLOWED_HOSTS",
            "127.0.0.1,localhost,[::1]",
            "Comma-separated host names this site answers to. Django's test runner adds "
            "`testserver` for the tests; a deployment never needs it.",
        ),
        Setting(
            "AMBITION_DATA_DIR",
            str(PROJECT_DIR / "data"),
            "The shipped reference and demo data (registry, indicator catalogue, observations).",
        ),
        Setting(
            "AMBITION_VAR_DIR",
            str(PROJECT_DIR / "var"),
            "Where the site writes: the SQLite database, uploads and collected static files.",
        ),
        Setting(
            "AMBITION_PARTNERSHIP",
            "capital-ambition",
            "The slug of the partnership whose members the home page shows.",
        ),
        Setting(
            "AMBITION_IMPORT_BATCH_ROWS",
            "20000",
            "How many rows an import validates and writes at a time; bounds its memory.",
        ),
        Setting(
            "AMBITION_UPLOAD_MAX_MB",
            "100",
            "The largest file an upload may be, in MB (import files, review reports). A larger "
            "upload is refused while it streams, and nothing of it is kept.",
        ),
        Setting(
            "AMBITION_IMPORT_MAX_ROWS",
            "2000000",
            "The most rows of data (after the header) an import file may have.",
        ),
        Setting(
            "AMBITION_IMPORT_MAX_COLUMNS",
            "1000",
            "The most columns a row of an import file may have (empty cells at its end aside).",
        ),
        Setting(
            "AMBITION_IMPORT_MAX_EXPANDED_MB",
            "512",
            "What a compressed import file (gzip or XLSX) may expand to, in MB; checked from "
            "the sizes the file states before it is expanded, and while it expands.",
        ),
        Setting(
            "AMBITION_IMPORT_MAX_RATIO",
            "100",
            "How many times its own size a compressed import file may expand to (beyond "
            "16 MB): more is a zip or gzip bomb, refused before it fills memory or time.",
        ),
        Setting(
            "AMBITION_TASKS",
            "database",
            "How background jobs (imports and assessment runs asked for from a page) run: "
            "`database`, queued for `ambition run-worker` (which `ambition serve` starts and "
            "restarts), or "
            "`immediate`, in the request.",
        ),
        Setting(
            "AMBITION_UPLOAD_RETENTION_DAYS",
            "30",
            "How many days a file uploaded on the import page is kept after its last use, so "
            "that a failed import can be run again; the worker deletes older ones when it "
            "starts and after each import. A refused file is deleted at once.",
        ),
        Setting(
            "AMBITION_RESET_MAILS_PER_ADDRESS",
            "3",
            "Password-reset mails sent to one email address in an hour; more requests get the "
            "same answer page but no mail.",
        ),
        Setting(
            "AMBITION_RESET_MAILS_PER_CLIENT",
            "10",
            "Password-reset mails asked for from one client (IP address) in an hour; more "
            "requests get the same answer page but no mail.",
        ),
        Setting(
            "AMBITION_LOGIN_ATTEMPTS",
            "5",
            "Failed logins for one user name from one address before it is locked for an hour.",
        ),
        Setting(
            "AMBITION_EMAIL",
            "console",
            "How mail (password reset links) is sent: `console` prints it, as the demo does; "
            "`smtp` uses Django's EMAIL_HOST settings.",
        ),
        Setting(
            "AMBITION_API_MAX_PAGE",
            "1000",
            "The largest `limit` a JSON API list accepts.",
        ),
        Setting(
            "AMBITION_SUPPORT_WEIGHTS",
            "experience=3,similarity=2,neighbour=1,control=1,history=1,preference=2",
            "How much each part of a match's suitability counts (`part=weight`, comma-"
            "separated; a part left out counts nothing): relevant experience, similarity of "
            "context, boundary neighbour, same political control, past relationship and the "
            "requester's preference met.",
        ),
        Setting(
            "AMBITION_SUPPORT_METHOD",
            "ambition-default",
            "The methodology whose stored assessment runs give the evidence of relevant "
            "experience (strong now, or weak and recovered) that the broker weighs.",
        ),
        Setting(
            "AMBITION_SUPPORT_MAX_SHARE",
            "0.25",
            "The fairness rule of the broker: no authority supports more than this share "
            "(0 to 1) of all the staff days a run's requests want; 1 switches the rule off.",
        ),
        Setting(
            "AMBITION_GRANTS_360G_PREFIX",
            "ambition",
            "The publisher's 360Giving prefix, without `360G-`: grants are published as "
            "`360G-<prefix>-<award>`, and bodies in no official register as "
            "`360G-<prefix>-<ONS code>`. Letters, digits, - and _; 360Giving registers it.",
        ),
        Setting(
            "AMBITION_EFFICIENCY_TARGET_SHARE",
            "0.03",
            "Each authority's cash-releasing savings target for a year, as a share (0 to 1) "
            "of its net revenue budget for that year: 3% was the national expectation.",
        ),
        Setting(
            "AMBITION_EFFICIENCY_MAX_CLAIM_SHARE",
            "0.10",
            "A savings return claiming more than this share (0 to 1) of the authority's net "
            "revenue budget for the year is flagged for the performance office to check.",
        ),
        Setting(
            "AMBITION_SPEND_ENGINE",
            "duckdb",
            "The engine that queries stored spend (SQL over the Parquet files) and resolves "
            "suppliers (Splink's backend): `duckdb`, in process, on one machine; or `spark`, "
            "Apache Spark at `AMBITION_SPARK_MASTER` (needs Java 17 and pyspark).",
        ),
        Setting(
            "AMBITION_SPARK_MASTER",
            "local[2]",
            "Where the `spark` spend engine runs: `local[N]` for N cores of this machine, or "
            "a cluster's master URL (`spark://host:7077`, `yarn`, `k8s://...`) at scale.",
        ),
    ]
}


class ImproperlyConfiguredSecret(RuntimeError):
    pass


def _var_dir() -> Path:
    path = Path(SETTINGS["AMBITION_VAR_DIR"].raw())
    path.mkdir(parents=True, exist_ok=True)
    return path


ENVIRONMENT = SETTINGS["AMBITION_ENVIRONMENT"].raw()
DEBUG = SETTINGS["AMBITION_DEBUG"].as_bool()
SECRET_KEY = SETTINGS["AMBITION_SECRET_KEY"].raw()
if ENVIRONMENT == "production" and SECRET_KEY == DEMO_SECRET_KEY:
    raise ImproperlyConfiguredSecret(
        "AMBITION_SECRET_KEY is the demo key; set a real one for production."
    )
ALLOWED_HOSTS = SETTINGS["AMBITION_ALLOWED_HOSTS"].as_list()
DATA_DIR = Path(SETTINGS["AMBITION_DATA_DIR"].raw())
VAR_DIR = _var_dir()
PARTNERSHIP_SLUG = SETTINGS["AMBITION_PARTNERSHIP"].raw()
IMPORT_BATCH_ROWS = int(SETTINGS["AMBITION_IMPORT_BATCH_ROWS"].raw())
UPLOAD_MAX_MB = int(SETTINGS["AMBITION_UPLOAD_MAX_MB"].raw())
IMPORT_MAX_ROWS = int(SETTINGS["AMBITION_IMPORT_MAX_ROWS"].raw())
IMPORT_MAX_COLUMNS = int(SETTINGS["AMBITION_IMPORT_MAX_COLUMNS"].raw())
IMPORT_MAX_EXPANDED_MB = int(SETTINGS["AMBITION_IMPORT_MAX_EXPANDED_MB"].raw())
IMPORT_MAX_RATIO = int(SETTINGS["AMBITION_IMPORT_MAX_RATIO"].raw())
UPLOAD_RETENTION_DAYS = int(SETTINGS["AMBITION_UPLOAD_RETENTION_DAYS"].raw())
RESET_MAILS_PER_ADDRESS = int(SETTINGS["AMBITION_RESET_MAILS_PER_ADDRESS"].raw())
RESET_MAILS_PER_CLIENT = int(SETTINGS["AMBITION_RESET_MAILS_PER_CLIENT"].raw())
API_MAX_PAGE = int(SETTINGS["AMBITION_API_MAX_PAGE"].raw())
SUPPORT_WEIGHTS = SETTINGS["AMBITION_SUPPORT_WEIGHTS"].raw()
SUPPORT_METHOD = SETTINGS["AMBITION_SUPPORT_METHOD"].raw()
SUPPORT_MAX_SHARE = float(SETTINGS["AMBITION_SUPPORT_MAX_SHARE"].raw())
GRANTS_360G_PREFIX = SETTINGS["AMBITION_GRANTS_360G_PREFIX"].raw()
EFFICIENCY_TARGET_SHARE = Decimal(SETTINGS["AMBITION_EFFICIENCY_TARGET_SHARE"].raw())
EFFICIENCY_MAX_CLAIM_SHARE = Decimal(SETTINGS["AMBITION_EFFICIENCY_MAX_CLAIM_SHARE"].raw())
SPEND_ENGINE = SETTINGS["AMBITION_SPEND_ENGINE"].raw()
SPARK_MASTER = SETTINGS["AMBITION_SPARK_MASTER"].raw()

INSTALLED_APPS = [
    "ambition.web",
    "ambition.registry",
    "ambition.indicators",
    "ambition.accounts",
    "ambition.assessment",
    "ambition.spend",
    "ambition.fund",
    "ambition.efficiency",
    "ambition.support",
    "ambition.knowledge",
    "ambition.reports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "ninja",  # serves the API docs from its own static files, not a CDN
    "simple_history",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ambition.web.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ambition.accounts.middleware.AuditMiddleware",
    # Signed-out GETs answered from the kept page until the data changes (reports.caching).
    "ambition.reports.caching.PublicPageCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it answers a locked-out login.
    "axes.middleware.AxesMiddleware",
]

# The site search (indicators.search) adds the results of these functions, each
# `(query, viewer) -> section`: apps above indicators answer the one search box without
# indicators importing them.
SEARCH_PROVIDERS = ["ambition.knowledge.search.site_section"]

ROOT_URLCONF = "ambition.urls"
WSGI_APPLICATION = "ambition.wsgi.application"

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
                "ambition.web.context.site",
                "ambition.reports.context.own_pack",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(SETTINGS["DATABASE_URL"].raw(), conn_max_age=60),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins before anything else
    "django.contrib.auth.backends.ModelBackend",
    "ambition.accounts.backends.PolicyBackend",  # has_perm from roles scoped to authorities
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "uploads"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Every upload passes the size limit first, so one over it is dropped as it streams.
FILE_UPLOAD_HANDLERS = [
    "ambition.web.uploads.UploadLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Lock an account (for that user name and address) after repeated failed logins.
AXES_FAILURE_LIMIT = int(SETTINGS["AMBITION_LOGIN_ATTEMPTS"].raw())
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed login is kept, not only the count
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# A sign-in writes nothing to the database unless it must (see accounts/sign_in.py), so that
# it never waits for an import's write: no log row for each success (failures are logged),
# attempts cleared only when there are some, and (on SQLite, whose one write lock an import
# holds) the session in a file cache, not a table. PostgreSQL locks rows, so there sessions
# stay in the database, shared by every server.
AXES_DISABLE_ACCESS_LOG = True
AXES_HANDLER = "ambition.accounts.sign_in.SignInLockoutHandler"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    SESSION_CACHE_ALIAS = "sessions"

SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
# Served over HTTPS everywhere but the demo on a laptop, which is plain http://127.0.0.1.
SECURE = not DEBUG and ENVIRONMENT != "demo"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
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
    }
}

EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
}[SETTINGS["AMBITION_EMAIL"].raw()]
DEFAULT_FROM_EMAIL = "ambition@localhost"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 200},
    },
    # Residents' pages, kept per server process until the data changes (reports.caching).
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    # Counts that every server process must share (password-reset mails): files under the
    # var directory, not the database, so they never wait for an import's write lock.
    "throttle": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "throttle"),
    },
    # Sessions: shared by every server process, and a sign-in never waits for the database.
    "sessions": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "sessions"),
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}

TASK_BACKENDS = {
    "database": "django_tasks_db.backend.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[SETTINGS["AMBITION_TASKS"].raw()]}}
