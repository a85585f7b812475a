"""Settings, read from the environment with safe defaults.

TATULYQ_ENV=dev (default) is a laptop: SQLite under var/, a generated secret key,
e-mail to the console. TATULYQ_ENV=prod refuses to start without SECRET_KEY and
ALLOWED_HOSTS and turns on every transport-security setting.
"""

import secrets
from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("TATULYQ_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
TATULYQ_ENV = env.str("TATULYQ_ENV", default="dev")
if TATULYQ_ENV not in {"dev", "prod"}:
    raise environ.ImproperlyConfigured("TATULYQ_ENV must be 'dev' or 'prod'")
IS_PROD = TATULYQ_ENV == "prod"


def _dev_secret_key() -> str:
    """A random key kept in var/ so sessions survive restarts on a laptop."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


if IS_PROD:
    SECRET_KEY = env.str("SECRET_KEY")
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="") or _dev_secret_key()
    ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# A user sees the site as it will be in production: no debug pages unless asked for.
DEBUG = env.bool("DEBUG", default=False)

INSTALLED_APPS = [
    "tatulyq.lib",
    "tatulyq.audit",
    "tatulyq.orgs",
    "tatulyq.accounts",
    "tatulyq.access",
    "tatulyq.directives",
    "tatulyq.cases",
    "tatulyq.grants",
    "tatulyq.monitoring",
    "tatulyq.documents",
    "tatulyq.lib.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
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
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tatulyq.audit.middleware.AuditContextMiddleware",
    "tatulyq.accounts.middleware.ActiveMembershipMiddleware",
    "tatulyq.accounts.middleware.TwoFactorRequiredMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tatulyq.urls"
WSGI_APPLICATION = "tatulyq.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tatulyq" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tatulyq.accounts.context_processors.membership",
                "tatulyq.lib.navigation.navigation",
            ],
        },
    }
]

# Database: SQLite under var/ by default, PostgreSQL in production (DATABASE_URL).
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tatulyq.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers, which the audit hash chain needs;
    # WAL lets the worker and the web server read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background tasks: Django's tasks framework on the database, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}

# Accounts and authentication.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # an invitation link stays valid for three days

# Lockout after repeated failures, per account and, separately, per address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The login form sends the e-mail as "username"; count it lower-cased, as login matches it.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "tatulyq.accounts.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Tatulyq"

# A session ends after this much inactivity (every request renews it).
SESSION_COOKIE_AGE = 60 * env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Languages: Kazakh first, then Russian, then English; the language is in the URL.
LANGUAGE_CODE = "kk"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "tatulyq" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"
FORMAT_MODULE_PATH = ["tatulyq.formats"]
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "tatulyq" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media")},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# E-mail: the console on a laptop, EMAIL_URL (smtp+tls://user:password@host:587) in production.
if "EMAIL_URL" in env or IS_PROD:  # production must say how to send mail
    _email = env.email_url("EMAIL_URL")
    MAILERS = {
        "default": {
            "BACKEND": _email["EMAIL_BACKEND"],
            "OPTIONS": {
                "host": _email.get("EMAIL_HOST"),
                "port": _email.get("EMAIL_PORT"),
                "username": _email.get("EMAIL_HOST_USER"),
                "password": _email.get("EMAIL_HOST_PASSWORD"),
                "use_tls": _email.get("EMAIL_USE_TLS", False),
                "use_ssl": _email.get("EMAIL_USE_SSL", False),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Tatulyq <noreply@tatulyq.localhost>")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Content Security Policy: nothing from outside the site, no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if IS_PROD:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
    # Behind a proxy, django-axes must count failures per real client address.
    AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)
    if AXES_IPWARE_PROXY_COUNT:
        AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Uploads: kept small; attachments have their own limits per module.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = 10 * 1024 * 1024

# Reminder e-mails go this many days before an instruction's deadline, and on overdue.
REMINDER_DAYS_BEFORE = env.int("REMINDER_DAYS_BEFORE", default=3)

# Closed mediation cases lose their personal data after this period (manage.py
# anonymise_closed_cases, run daily in production).
CASE_RETENTION = env.str("CASE_RETENTION", default="3y")

# Demo data (`manage.py load_demo`) is refused in production.
DEMO_PASSWORD = env.str("TATULYQ_DEMO_PASSWORD", default="tatulyq-demo-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
