"""Recourse settings: one module, driven by environment variables (see .env.example).

With nothing set, the app runs locally on SQLite and Celery's filesystem broker under var/.
"""

import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.cache import redis_caches
from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("RECOURSE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Tests run with DEBUG off, like production, but need no secret of their own.
TESTING = "pytest" in sys.modules
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
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
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "accounts",
    "cases",
    "notifications",
    "deadlines",
    "channels",
    "evidence",
    "bundles",
    "desk",
    "conversations",
    "demo",
    "outbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it inspects the response of a failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'recourse.sqlite3'}")
# Opening a PostgreSQL connection forks a server process: done per request it costs more CPU
# than a queue page's queries. So each web thread keeps its connection for a minute (checked
# before reuse), unless the pool is chosen instead.
DATABASE_POOL = env_bool("DATABASE_POOL", False)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=0 if DATABASE_POOL else env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker write at once in the embedded setup; WAL and
    # IMMEDIATE transactions avoid "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # Web requests are many short queries: a parallel plan's worker start-up and JIT
    # compilation each cost more CPU than the query (a search probe: 8 ms with two workers,
    # under 1 ms without), and the dashboard's scans, measured, gain little from them
    # (1.2 s against 1.4 s at a million cases). `?options=` in DATABASE_URL overrides this.
    DATABASES["default"]["OPTIONS"] = {
        "options": "-c jit=off -c max_parallel_workers_per_gather=0",
        **DATABASES["default"].get("OPTIONS", {}),
        **({"pool": True} if DATABASE_POOL else {}),
    }
if env_str("DATABASE_TEST_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env_str("DATABASE_TEST_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when configured, so throttles are shared by every process ----------------
# config.cache.ResilientRedisCache keeps serving while Redis is unreachable (one Redis holds the
# broker and the cache) from this process's memory. See that module.
REDIS_URL = env_str("REDIS_URL")
# Sessions stay in the database (Django's default engine), not the cache: one indexed query a
# request, and a sign-out holds in every process even through a Redis outage.
if REDIS_URL:
    CACHES = redis_caches(REDIS_URL)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "cases:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Web login lockout: after N failures for one username from one address, wait.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# How many proxies of ours stand in front of the web and append to X-Forwarded-For (the TLS
# proxy of docker-compose.yml: 1). Forwarded addresses beyond them are the client's to forge:
# throttles and lockouts never trust them (config.client_ip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
# Whose working days and holidays deadline periods count (deadlines/calendar.py): an ISO country
# code, optionally with a subdivision ("CN", "US-CA"). China counts its adjusted working days.
DEADLINE_REGION = env_str("DEADLINE_REGION", "CN")
USE_I18N = True
USE_TZ = True
DEFAULT_CURRENCY = "CNY"

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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
MEDIA_ROOT = VAR_DIR / "media"

# --- Evidence: private storage, never under a served path; files only through access checks --
EVIDENCE_S3_BUCKET = env_str("EVIDENCE_S3_BUCKET")
if EVIDENCE_S3_BUCKET:
    # S3-compatible object storage (needs `pip install django-storages[s3]`); see the README.
    STORAGES["evidence"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": EVIDENCE_S3_BUCKET,
            "endpoint_url": env_str("EVIDENCE_S3_ENDPOINT_URL") or None,
            "region_name": env_str("EVIDENCE_S3_REGION") or None,
            "access_key": env_str("EVIDENCE_S3_ACCESS_KEY") or None,
            "secret_key": env_str("EVIDENCE_S3_SECRET_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    STORAGES["evidence"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env_str("EVIDENCE_DIR", str(VAR_DIR / "evidence")),
            "base_url": None,
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    }
EVIDENCE_MAX_FILE_SIZE = env_int("EVIDENCE_MAX_FILE_SIZE", 50 * 1024 * 1024)
EVIDENCE_MAX_FILES_PER_CASE = env_int("EVIDENCE_MAX_FILES_PER_CASE", 200)
EVIDENCE_MAX_BYTES_PER_CASE = env_int("EVIDENCE_MAX_BYTES_PER_CASE", 2 * 1024 * 1024 * 1024)

# --- Mail (Django 6.1 MAILERS): SMTP when SMTP_HOST is set, else files in MAIL_DIR or the console
SMTP_HOST = env_str("SMTP_HOST")
if SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": env_int("SMTP_PORT", 587),
                "username": env_str("SMTP_USER"),
                "password": env_str("SMTP_PASSWORD"),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "timeout": 10,
            },
        }
    }
elif env_str("MAIL_DIR"):
    # Development: each e-mail a file in that folder (`make run` uses var/mail), so the
    # worker's mail does not scroll the terminal.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env_str("MAIL_DIR")},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Recourse <noreply@recourse.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL == "filesystem://":
    _queue = VAR_DIR / "broker" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(VAR_DIR / "broker" / "processed"),
        "store_processed": False,
        # Broadcast exchanges (worker control); kombu's default is ./control in the cwd.
        "control_folder": str(VAR_DIR / "broker" / "control"),
    }
    # kombu does not create its folders; the first process to start (web or worker) does.
    for _folder in ("queue", "processed", "control"):
        (VAR_DIR / "broker" / _folder).mkdir(parents=True, exist_ok=True)
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # kombu waits for ever on a silent Redis by default: a publish from a web request (an
    # upload's thumbnail) would hang until gunicorn kills the worker. The worker's own waits
    # (BRPOP, a second) stay well inside these.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 10}
    CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Expired sessions pile up in the database table; once a day keeps it small.
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": 24 * 3600,
    },
    # Re-hashing every stored file reads all of them: weekly proves integrity without
    # keeping the disks busy.
    "verify-evidence": {"task": "evidence.tasks.verify_all_evidence", "schedule": 7 * 24 * 3600},
    # Thumbnails are made after each upload; this catches the few whose task was lost with a
    # worker (a broker outage is outbox's: see send-held-back-tasks).
    "sweep-thumbnails": {"task": "evidence.tasks.sweep_thumbnails", "schedule": 15 * 60},
    # Tasks the web could not publish while the broker was down (outbox.PendingTask): sent
    # within a minute of its return. A tick with nothing held back is one indexed query.
    "send-held-back-tasks": {
        "task": "outbox.tasks.send_pending",
        "schedule": 60,
        "options": {"expires": 60},
    },
    # The staff dashboard's aggregates scan the cases table (seconds at a million cases):
    # computed once a minute here instead of on a staff member's request.
    "refresh-dashboard": {
        "task": "desk.tasks.refresh_dashboard",
        "schedule": 60,
        "options": {"expires": 60},
    },
    # Deadlines are shown to the minute and a breach must be told promptly; an empty sweep is
    # two indexed queries. expires: ticks queued while no worker ran are dropped, not replayed
    # (one sweep catches up on everything due).
    "sweep-deadlines": {
        "task": "deadlines.tasks.sweep_deadlines_task",
        "schedule": 60,
        "options": {"expires": 60},
    },
    # The e-mail outbox: each change enqueues its own delivery, so this only re-sends what a
    # broker or SMTP outage held back (and retries after backoff); a minute keeps that delay
    # short, and a tick with nothing pending is one indexed query. expires as above.
    "resend-notifications": {
        "task": "notifications.tasks.deliver_notifications",
        "schedule": 60,
        "options": {"expires": 60},
    },
}

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env_str("API_THROTTLE_USER", "1200/min"),
        "anon": env_str("API_THROTTLE_ANON", "60/min"),
        "token": env_str("API_THROTTLE_TOKEN", "10/min"),
        # Token requests for one username, from anywhere: guessing one account's password from
        # many addresses meets this limit as well as the lockout.
        "token_username": env_str("API_THROTTLE_TOKEN_USERNAME", "10/min"),
    },
    # The same rule as the lockout's (config.client_ip): only our own proxies' addresses count.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "EXCEPTION_HANDLER": "config.errors.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "config.api_parsing.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_METADATA_CLASS": "config.api_parsing.ViewMetadata",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Recourse API",
    "DESCRIPTION": (
        "Cases that sellers have with the platforms they sell on: list, file, read, update and "
        "move them through their lifecycle. Authenticate with `Authorization: Token <key>` "
        "(POST /api/v1/auth/token/) or a browser session."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api_schema.document_common_errors",
    ],
    # One component per choice set: several serializers share them, and fields called "kind"
    # (a case's and an event's) would otherwise collide.
    "ENUM_NAME_OVERRIDES": {
        "CaseKindEnum": "cases.choices.CaseKind",
        "PlatformEnum": "cases.choices.Platform",
        "PartyRoleEnum": "cases.choices.PartyRole",
        "CaseStatusEnum": "cases.choices.Status",
        "PriorityEnum": "cases.choices.Priority",
        "OutcomeEnum": "cases.choices.Outcome",
        "EventKindEnum": "cases.choices.EventKind",
        "EvidenceKindEnum": "evidence.choices.EvidenceKind",
        "ChannelEnum": "channels.choices.Channel",
        "DirectionEnum": "channels.choices.Direction",
        "FilingTypeEnum": "cases.choices.FilingType",
        "BodyKindEnum": "channels.choices.BodyKind",
        # A clock's state; the name it had before a case's next clock got its own below.
        "StateEnum": "deadlines.choices.DeadlineState",
        # A case's next clock: always a running one (cases.api.serializers).
        "NextDeadlineStateEnum": [("running", "Running")],
    },
}

# --- Security -------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": ["'self'"],
    # CSP.NONCE is Django's placeholder, replaced by a fresh nonce when a page uses one; a
    # literal "'nonce'" reaches the browser as an invalid source and no nonce ever works.
    "script-src": ["'self'", CSP.NONCE],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # /healthz is probed over plain HTTP from inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
