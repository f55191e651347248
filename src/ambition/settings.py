"""The one settings module. Every value a deployment may change is read here, from the
environment, through `SETTINGS`: each entry has a type, a default and a help text, and
`docs/settings.md` lists them all (a test fails if one is undocumented)."""

from __future__ import annotations

import os
from dataclasses import dataclass
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
            "127.0.0.1,localhost,[::1],testserver",
            "Comma-separated host names this site answers to.",
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
            "AMBITION_TASKS",
            "database",
            "How background jobs (imports from the page) run: `database`, queued for "
            "`ambition db-worker` (which `ambition serve` starts), or `immediate`, in the request.",
        ),
        Setting(
            "AMBITION_API_MAX_PAGE",
            "1000",
            "The largest `limit` a JSON API list accepts.",
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
API_MAX_PAGE = int(SETTINGS["AMBITION_API_MAX_PAGE"].raw())

INSTALLED_APPS = [
    "ambition.web",
    "ambition.registry",
    "ambition.indicators",
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
    "ninja",  # serves the API docs from its own static files, not a CDN
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
]

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
LOGIN_URL = "/admin/login/"

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
    }
}

TASK_BACKENDS = {
    "database": "django_tasks_db.backend.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": TASK_BACKENDS[SETTINGS["AMBITION_TASKS"].raw()]}}
