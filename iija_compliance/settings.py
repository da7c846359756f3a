"""Settings for the DMCA desk.

Everything comes from the environment (or a `.env` file beside manage.py). The defaults
are the embedded setup that `make run` uses: SQLite, kombu's filesystem broker and
e-mail written to files, all under `var/`. See `.env.example` and the README.
"""

from datetime import date, timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from iija_compliance.lib.repeat_policy import DEFAULT as REPEAT_POLICY_DEFAULT
from iija_compliance.lib.repeat_policy import parse_policy

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)

# Only good for a throwaway local run with DEBUG on; refused otherwise (see below).
INSECURE_SECRET_KEY = "insecure-local-development-key-do-not-use"
SECRET_KEY = env("SECRET_KEY", default=INSECURE_SECRET_KEY)
if not DEBUG and SECRET_KEY == INSECURE_SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is the insecure default while DEBUG is off. Set SECRET_KEY in the "
        "environment or in .env (`make .env` writes a random one)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public address used in links inside letters (status links, counter-notice links).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "notices",
    "counternotices",
]

MIDDLEWARE = [
    "iija_compliance.lib.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "iija_compliance.lib.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "iija_compliance.lib.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iija_compliance.urls"
WSGI_APPLICATION = "iija_compliance.wsgi.application"

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
                "iija_compliance.lib.context_processors.designated_agent",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the worker share one SQLite file: WAL lets readers run beside
    # a writer, and IMMEDIATE transactions make writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Parameters sent apart from the statement (psycopg's server-side binding), and a
    # statement the connection ran this many times kept prepared: PostgreSQL then parses
    # and plans it once, and Python does not quote every value into the SQL. Set it empty
    # behind a pooler that cannot keep prepared statements (PgBouncer before 1.21 in
    # transaction mode).
    _prepare_after = env("DATABASE_PREPARE_THRESHOLD", default="5")
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": int(_prepare_after) if _prepare_after else None,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one account,
# or from one address, both are refused for LOGIN_LOCKOUT_MINUTES after the last try.
# `manage.py axes_reset_username <name>` unlocks an account (see the README).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_STR_CALLABLE = "iija_compliance.lib.logs.login_client"
# The client's address as every other limit reads it: X-Forwarded-For only from
# TRUSTED_PROXIES (a forwarded header from anyone else can be forged).
AXES_CLIENT_IP_CALLABLE = "iija_compliance.lib.client_address.client_address"
# Failed attempts are kept (and expire with the lockout); a row per successful login,
# with its address and browser, would be kept forever for no use of the desk.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False  # no start-up banner on every command
# Attempts are read and cleared with axes' management commands, not in the admin: its
# pages show every address and browser tried, and its "Clean up expired attempts" action
# fails (500) outside a login request in 8.3.1.
AXES_ENABLE_ADMIN = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The Designated Agent works in New York; the statute's business days are counted there.
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Abuse limits on public forms. The size cap answers 413 before Django parses the body.
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=4 * 1024 * 1024)
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger uploads are spooled to disk
# Django's own cap is the largest of ours; RequestSizeLimitMiddleware applies each per path.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("API_MAX_BYTES", default=32 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
# Notices filed per client address; every post of the form (refused ones too) counts
# against the looser attempt rate, against floods.
NOTICE_FORM_RATE = env("NOTICE_FORM_RATE", default="10/h")
NOTICE_FORM_ATTEMPT_RATE = env("NOTICE_FORM_ATTEMPT_RATE", default="60/h")
RATELIMIT_VIEW = None
# Per client, behind our own proxies too (see below); IPv6 clients per /64, its default.
RATELIMIT_IP_META_KEY = "iija_compliance.lib.client_address.rate_limit_address"
# A rate counter that cannot be read (Redis down) must not turn notices away.
RATELIMIT_FAIL_OPEN = True

# Caches: Redis when configured (shared by every process), else files under var/.
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default="")


def redis_cache(location: str) -> dict:
    # The cache only holds counters and copies: while Redis is down, a page must still be
    # served and a notice still taken, so its errors are logged and read as a cache miss.
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }


if REDIS_CACHE_URL:
    CACHES = {"default": redis_cache(REDIS_CACHE_URL)}
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    SILENCED_SYSTEM_CHECKS = []
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    # django-ratelimit wants an atomic shared cache. The embedded setup runs a single web
    # process, so the file cache counts correctly there; compose sets REDIS_CACHE_URL.
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

# Security. HTTPS_ONLY is for deployments behind TLS; the local run is plain HTTP.
HTTPS_ONLY = env.bool("HTTPS_ONLY", default=False)
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_HSTS_SECONDS = 31536000 if HTTPS_ONLY else 0
# Opt-in: includeSubDomains binds every host under the domain, which the desk does not run,
# and a preloaded domain stays HTTPS-only in browsers for months after it is withdrawn.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", default=False)
# `check --deploy` would ask for both (security.W005, W021): they are the operator's choice.
SILENCED_SYSTEM_CHECKS += ["security.W005", "security.W021"]
# The proxies in front of the desk (addresses or networks, e.g. 10.0.0.5,10.1.0.0/16): only
# from them are X-Forwarded-For (the client's address) and X-Forwarded-Proto believed.
# TrustedProxyMiddleware drops X-Forwarded-Proto from anyone else before Django reads it.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content Security Policy: nothing from other sites, no inline script. Inline styles are
# allowed for the admin's own widgets; the API documentation page is exempt (its
# bundled Swagger UI configures itself with an inline script).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Celery: the broker only delivers work; deadlines and letters live in the database.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "broker"
    _queue_dir.mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "control_folder": str(_queue_dir / "control"),
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 120
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Publishing must not hold a web request while the broker is down: the letter row is
# already stored, and the sweep queues it again once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_max": 1}

# E-mail: SMTP when EMAIL_HOST is set, else each message is written under var/mail/.
EMAIL_HOST = env("EMAIL_HOST", default="")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env.int("EMAIL_PORT", default=25)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
    EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
    EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
    EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# The Designated Agent under § 512(c)(2), as published in the provider's copyright policy.
DESIGNATED_AGENT = {
    "organization": env("AGENT_ORGANIZATION", default="IIJ America Inc."),
    "attention": env("AGENT_ATTENTION", default="ATT: CPO"),
    "street": env("AGENT_STREET", default="55 East 59th Street, Suite 18C"),
    "city_line": env("AGENT_CITY_LINE", default="New York, NY 10022"),
    "email": env("AGENT_EMAIL", default="copyright@iij-america.com"),
    "fax": env("AGENT_FAX", default="212-869-8267"),
    # § 512(c)(2) lists "name, address, phone number, and electronic mail address"; the
    # published policy gives no telephone for the agent, so the desk warns until it is set.
    "phone": env("AGENT_PHONE", default=""),
}
# The designation filed with the Copyright Office (37 C.F.R. § 201.38): its number and
# the date it was filed or last renewed. It lapses after three years unless renewed.
AGENT_DESIGNATION_NUMBER = env("AGENT_DESIGNATION_NUMBER", default="")
AGENT_DESIGNATION_DATE = (
    date.fromisoformat(env("AGENT_DESIGNATION_DATE"))
    if env("AGENT_DESIGNATION_DATE", default="")
    else None
)
# A case left received or in review this many days is flagged on the desk: a notice that
# substantially complies calls for a prompt attempt to contact the sender (§ 512(c)(3)(B)(ii)).
REVIEW_ALERT_DAYS = env.int("REVIEW_ALERT_DAYS", default=3)
# The provider's own domains. In a message the reader takes in, links to them are the
# provider's pages (never the material to remove) and addresses at them are the provider's
# (never the sender's contact details).
PROVIDER_DOMAINS = env.list(
    "PROVIDER_DOMAINS", default=["iij-america.com", "iij.ad.jp", "iij.net", "iijglobal.com"]
)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL",
    default=f"{DESIGNATED_AGENT['organization']} Designated Agent <{DESIGNATED_AGENT['email']}>",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Letters: how long to wait between attempts when the SMTP server fails for a while.
LETTER_RETRY_BACKOFF = [60, 300, 900, 3600, 4 * 3600, 12 * 3600]

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Private-link tokens are taken out of log lines (iija_compliance/lib/logs.py): on the
# loggers that write request paths, so every handler gets the redacted line, and on the
# console for anything else.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "iija_compliance.lib.logs.RedactTokens"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"filters": ["redact_tokens"]},
        # Django's own setup for the development server, plus the filter.
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_tokens"],
        },
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# § 512(i): notices actioned against one subscriber before it is flagged as a repeat infringer.
REPEAT_INFRINGER_THRESHOLD = env.int("REPEAT_INFRINGER_THRESHOLD", default=3)
# § 512(i): the repeat-infringer policy's steps (iija_compliance/lib/repeat_policy.py), the
# one source of what /copyright/ publishes and what the policy sweep does. A policy that
# does not read is refused here, at start-up.
try:
    REPEAT_POLICY = parse_policy(env("REPEAT_POLICY", default=REPEAT_POLICY_DEFAULT))
except ValueError as error:
    raise ImproperlyConfigured(f"REPEAT_POLICY: {error}") from None
# Notices count against a subscriber for this many days (a rolling window).
REPEAT_WINDOW_DAYS = env.int("REPEAT_WINDOW_DAYS", default=365)
# Days the Designated Agent has to decide a suspension or termination review.
POLICY_REVIEW_DAYS = env.int("POLICY_REVIEW_DAYS", default=5)
# Hours between the letter announcing a suspension or termination and its effect.
SUSPENSION_NOTICE_HOURS = env.int("SUSPENSION_NOTICE_HOURS", default=72)
# Days a hosting customer keeps access to retrieve its data after a termination.
DATA_RETRIEVAL_DAYS = env.int("DATA_RETRIEVAL_DAYS", default=30)
for _name in ("REPEAT_WINDOW_DAYS", "POLICY_REVIEW_DAYS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")
for _name in ("SUSPENSION_NOTICE_HOURS", "DATA_RETRIEVAL_DAYS"):
    if globals()[_name] < 0:
        raise ImproperlyConfigured(f"{_name} cannot be negative.")
# The desk's own target for acting on a new or accepted case ("expeditiously",
# § 512(c)(1)(C)): this many business days after receipt. The queue orders by it.
DESK_ACT_WITHIN_BUSINESS_DAYS = env.int("DESK_ACT_WITHIN_BUSINESS_DAYS", default=2)

# § 512(g)(3)(D): a subscriber outside the United States consents to any judicial district
# in which the provider may be found; this is the one named in the consent they sign.
PROVIDER_JUDICIAL_DISTRICT = env(
    "PROVIDER_JUDICIAL_DISTRICT",
    default="United States District Court for the Southern District of New York",
)
# Who restores material when a restoration window opens, and how: a dotted path to a
# function (see notices/core/restoration.py). The default e-mails operations.
OPERATIONS_EMAIL = env("OPERATIONS_EMAIL", default="noc@iij-america.com")
RESTORATION_ACTION = env("RESTORATION_ACTION", default="notices.core.restoration.email_operations")
COUNTER_NOTICE_FORM_RATE = env("COUNTER_NOTICE_FORM_RATE", default="10/h")
# Hosted material (§ 512(c)): the customer removes what a network notice reports within
# this many business days (counted like the counter-notice clock); past it, the agent
# decides whether to disable the address, through DISABLE_ACTION (a dotted path to a
# function, see notices/core/hosted.py; the default e-mails operations).
HOSTED_REMOVAL_BUSINESS_DAYS = env.int("HOSTED_REMOVAL_BUSINESS_DAYS", default=2)
DISABLE_ACTION = env("DISABLE_ACTION", default="notices.core.hosted.email_operations")
COUNTER_NOTICE_FORM_ATTEMPT_RATE = env("COUNTER_NOTICE_FORM_ATTEMPT_RATE", default="60/h")

# How long personal data is kept after a case ends (years), then anonymized.
RETENTION_YEARS = env.int("RETENTION_YEARS", default=7)
# How long an export's ZIP is kept for its maker to download (days), then deleted.
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=3)

# The API for bulk senders (/api/v1/): JSON only, token per sender, rate per token.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["notices.api.auth.SenderTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["notices.api.auth.IsSender"],
    "DEFAULT_PARSER_CLASSES": ["notices.api.auth.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_THROTTLE_CLASSES": ["notices.api.auth.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env("API_RATE", default="2000/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "notices.api.auth.exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DMCA desk API",
    "DESCRIPTION": (
        "File takedown notices under 17 U.S.C. § 512(c)(3)(A) by machine and follow them. "
        "Errors are keyed by the statute's element ids."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
API_MAX_BYTES = DATA_UPLOAD_MAX_MEMORY_SIZE
# Invalid tokens per client address; past it, every token from there is refused for a while.
API_INVALID_TOKEN_RATE = env("API_INVALID_TOKEN_RATE", default="10/m")
# Each web process remembers a valid token this long: a revoked token (or a deactivated
# sender) is refused at the latest this many seconds later.
API_TOKEN_CACHE_SECONDS = env.int("API_TOKEN_CACHE_SECONDS", default=10)

# The Designated Agent's mailbox, read over IMAP by a periodic task when IMAP_HOST is set.
IMAP_HOST = env("IMAP_HOST", default="")
IMAP_PORT = env.int("IMAP_PORT", default=993)
IMAP_SSL = env.bool("IMAP_SSL", default=True)
IMAP_USER = env("IMAP_USER", default="")
IMAP_PASSWORD = env("IMAP_PASSWORD", default="")
IMAP_FOLDER = env("IMAP_FOLDER", default="INBOX")
# Acknowledgements of mailed notices go to the address each came from, at most this many
# to one address in 24 hours (counted in the database); past it the case is made unanswered.
MAIL_ACKNOWLEDGEMENTS_PER_DAY = env.int("MAIL_ACKNOWLEDGEMENTS_PER_DAY", default=20)
# An uploaded message whose headers date its arrival further back than this (or in the
# future) is taken as arriving when uploaded; the agent is shown the date not believed.
MAIL_MAX_AGE_DAYS = env.int("MAIL_MAX_AGE_DAYS", default=30)
# A notice sent as an attachment (the body a cover note, or empty): the mailbox reads at
# most this many attachments of a message, none larger than this, no PDF longer than this.
MAIL_ATTACHMENTS_READ = env.int("MAIL_ATTACHMENTS_READ", default=5)
MAIL_ATTACHMENT_MAX_BYTES = env.int("MAIL_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
MAIL_ATTACHMENT_MAX_PAGES = env.int("MAIL_ATTACHMENT_MAX_PAGES", default=50)
# A network notice whose event is older than this when it reaches the desk is kept as
# "too old" and joins no case.
NETWORK_NOTICE_MAX_AGE_DAYS = env.int("NETWORK_NOTICE_MAX_AGE_DAYS", default=90)
# A network notice's event that reached no customer (not ours, too old, a duplicate) keeps
# its address, port, files and complainant, and its mail, this long after it arrived;
# events on a customer's case keep them RETENTION_YEARS (the § 512(i) record).
NETWORK_UNMATCHED_RETENTION_DAYS = env.int("NETWORK_UNMATCHED_RETENTION_DAYS", default=90)
# A transit customer gets at most one letter of forwarded network notices in this many
# hours, listing every notice since the last.
NETWORK_DIGEST_HOURS = env.int("NETWORK_DIGEST_HOURS", default=24)
