"""Settings for the taskboard project.

Everything that differs between a laptop and a government server comes from the
environment, with defaults that make ``make run`` work with nothing installed
but Python: SQLite in ``data/``, and a Celery broker that needs no server when
Redis does not answer. Production sets ``DJANGO_SECRET_KEY``, ``DATABASE_URL``,
``CELERY_BROKER_URL`` and ``DJANGO_DEBUG=0``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from kombu import Queue

from taskboard.broker import broker_settings

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("TASKBOARD_DATA_DIR", BASE_DIR / "data"))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
TASKBOARD_VERSION = "0.1.0"

# Only a development key is generated; a server without DJANGO_SECRET_KEY refuses to start.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "dev-only-" + "x" * 50

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "guardian",
    "import_export",
    "simple_history",
    "django_celery_beat",
    "axes",
    "csp",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "tasks_app",
    "notifications",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a login unless its view is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last: it inspects the response of a failed login (django-axes' own requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "taskboard.urls"

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
                "tasks_app.context_processors.navigation",
                "notifications.context_processors.inbox",
            ],
        },
    },
]

WSGI_APPLICATION = "taskboard.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'taskboard.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file in the embedded setup: wait for
    # the lock instead of failing at once, and let writers not block readers.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # Tests run a real Celery worker in threads: a file, not shared-cache memory, so writers
    # wait for each other (busy timeout) instead of failing with "table is locked".
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test_taskboard.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "tasks_app.User"

AUTHENTICATION_BACKENDS = [
    # First: a locked-out user and IP are refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", DATA_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", DATA_DIR / "media"))
MEDIA_URL = "/media/"

# --- Security -------------------------------------------------------------------
# Production (DJANGO_DEBUG=0) gets HTTPS-only cookies, HSTS and the other headers that
# `manage.py check --deploy` asks for; a laptop on http://127.0.0.1 keeps working.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer or monitor asks a web server directly, over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/web)?$"]
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_SECONDS", str(8 * 3600)))  # one working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")
# Every page's scripts and styles are files of this site: no inline script, no CDN.
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
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Login throttling (django-axes): a user name tried from one address is locked after
# AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_TIME hours, or until an admin unlocks it.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Behind nginx (DJANGO_BEHIND_PROXY=1) every request comes from nginx's address: the client's is the
# X-Forwarded-For that nginx sets, overwriting whatever the client sent (deploy/nginx.conf). Without a
# proxy only the TCP peer counts, so nobody escapes a lockout by sending a made-up header. Read by
# django-ipware on axes' behalf.
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if BEHIND_PROXY else ["REMOTE_ADDR"]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Circular PDFs are printed by headless Chromium (notifications/circulars/pdf.py).
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "")
PDF_TIMEOUT_SECONDS = int(os.environ.get("PDF_TIMEOUT_SECONDS", "300"))

# Uploaded task lists are parsed in memory; bigger files are refused with a clear message.
TASKLIST_MAX_UPLOAD_BYTES = int(os.environ.get("TASKLIST_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
# A task list file at least this big is previewed and applied by a Celery worker, with a progress bar;
# a smaller one (附件1 is about 20 KB) in the request itself.
TASKLIST_BACKGROUND_BYTES = int(os.environ.get("TASKLIST_BACKGROUND_BYTES", 256 * 1024))

# django-import-export: an upload waits for its confirm in the database, which every web server
# shares, not in one server's temporary folder; importing needs the model's "add" permission.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "tasks_app.import_storage.DatabaseTmpStorage"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# The plan loaded by ``make run`` and by tests that need the real 附件1.
ANNEX1_FIXTURE = BASE_DIR / "fixtures" / "annex1.xlsx"
UNIT_DIRECTORY_FIXTURE = BASE_DIR / "fixtures" / "units.json"

# --- Celery -----------------------------------------------------------------
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The database scheduler otherwise writes last_run_at only every 3 minutes, so /healthz (beat
# fresh within 3 minutes) and the admin's 上次运行 would lag; one small write per job sent.
CELERY_BEAT_SYNC_EVERY = 1
# Separate queues so that a big fan-out of reminders, a long document render and an import
# never wait behind each other; a worker started without -Q consumes them all (make run, tests),
# production runs workers per queue (README, "Deployment").
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "reminders", "documents", "imports")]
CELERY_TASK_ROUTES = {
    "notifications.*": {"queue": "reminders"},
    "tasks_app.tasks.*": {"queue": "imports"},
    "circulars.*": {"queue": "documents"},
}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
globals().update(broker_settings(os.environ, DATA_DIR))

LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "taskboard.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# The admin lives under a configurable path (not guessable /admin/ on a server).
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"
ANNEX1_PLAN_NAME = "《关于推进呼伦贝尔市“十五五”工业经济高质量发展实施方案》任务清单"
ANNEX1_INDICATORS_FIXTURE = BASE_DIR / "fixtures" / "indicators.json"
ANNEX1_CADENCES_FIXTURE = BASE_DIR / "fixtures" / "cadences.json"
EVIDENCE_MAX_BYTES = int(os.environ.get("EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))

# --- Notifications ------------------------------------------------------------
SITE_NAME = os.environ.get("TASKBOARD_SITE_NAME", "重点任务督查督办系统")
SITE_URL = os.environ.get("TASKBOARD_SITE_URL", "http://127.0.0.1:8000")
EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_TIMEOUT = 10
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", str(DATA_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "督查督办系统 <noreply@localhost>")
# A transient failure is retried after 1, 2, 4 … minutes, at most this many times.
DELIVERY_MAX_ATTEMPTS = int(os.environ.get("DELIVERY_MAX_ATTEMPTS", "6"))
# A delivery still 'sending' after this long was left by a dead process (sends time out far sooner).
DELIVERY_STUCK_AFTER_SECONDS = int(os.environ.get("DELIVERY_STUCK_AFTER_SECONDS", "300"))
# A web request that queues work never waits long for the broker: one quick try, then the sweeper.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}

# --- Cache, public page, REST API (issue 7) -------------------------------------------------
# One process's memory by default; set DJANGO_CACHE_URL=redis://host:6379/1 to share the cache
# between the web processes of a server.
if os.environ.get("DJANGO_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["DJANGO_CACHE_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "taskboard"}}
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("PUBLIC_PAGE_CACHE_SECONDS", 300))

REST_FRAMEWORK = {
    # Tokens for other platforms; the session for a logged-in user trying the API in a browser.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "重点任务督查督办系统 API",
    "DESCRIPTION": (
        "只读接口：方案、重点任务、关键举措、推进状态与红黄绿灯、主要指标、报告。"
        "使用令牌认证：请求头 `Authorization: Token <令牌>`。权限与网页一致：单位令牌只能读取本单位的举措和报告。"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
}
