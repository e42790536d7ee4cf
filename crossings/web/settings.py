"""Django settings for Crossings, read from the environment in this one place.

| variable | default | meaning |
|---|---|---|
| DATABASE_URL | sqlite:///<VAR_DIR>/crossings.sqlite3 | SQLite (embedded) or postgres://... |
| CROSSINGS_VAR_DIR | ./var | where the embedded database and uploads live |
| CROSSINGS_SECRET_KEY | (random per run, dev only) | required when CROSSINGS_ENV=production |
| CROSSINGS_ENV | development | development, test or production |
| CROSSINGS_ALLOWED_HOSTS | localhost,127.0.0.1 | comma-separated host names |
| CROSSINGS_SESSION_IDLE_MINUTES | 30 | sign out after this long without a request |
| CROSSINGS_RECIPROCITY_MONTHS | 12 | give to get: window in which a country must have shared |
| CROSSINGS_PPRL_SECRET | (dev value) | key of cross-border PPRL encodings; required in production |
| CROSSINGS_LANGUAGES | en,km,th | interface languages; each needs crossings/locale/<code>/ |
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

ENVIRONMENT = os.environ.get("CROSSINGS_ENV", "development")
VAR_DIR = Path(os.environ.get("CROSSINGS_VAR_DIR", "var")).resolve()
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = os.environ.get("CROSSINGS_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("CROSSINGS_SECRET_KEY must be set in production.")
    SECRET_KEY = secrets.token_urlsafe(50)
DEBUG = os.environ.get("CROSSINGS_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("CROSSINGS_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves Swagger UI's files locally (offline docs)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "crossings.web.accounts",
    "crossings.web.reporting",
    "crossings.web.audit",
    "crossings.web.dashboards",
    "crossings.web.intelligence",
    "crossings.web.forms",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "crossings.web.middleware.SecurityHeadersMiddleware",
    "crossings.web.middleware.ApiErrorShapeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "crossings.web.middleware.SessionExpiryMiddleware",
    "crossings.web.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]
ROOT_URLCONF = "crossings.web.urls"
WSGI_APPLICATION = "crossings.web.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "crossings.web.accounts.navigation.navigation",
    ]},
}]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'crossings.sqlite3'}"
    config = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the server read while an import writes; busy timeout instead of "locked".
        config["OPTIONS"] = {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL;"
                             "PRAGMA synchronous=NORMAL;"}
    return config


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
] if ENVIRONMENT != "test" else ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Languages Django does not know yet; a language is added by naming it in CROSSINGS_LANGUAGES
# and putting its catalogue in crossings/locale/<code>/LC_MESSAGES (see docs/forms.md).
EXTRA_LANG_INFO = {
    "lo": {"bidi": False, "code": "lo", "name": "Lao", "name_local": "ລາວ"},
    "fil": {"bidi": False, "code": "fil", "name": "Filipino", "name_local": "Filipino"},
}


def _languages(codes: str) -> list[tuple[str, str]]:
    from django.conf.global_settings import LANGUAGES as KNOWN  # noqa: PLC0415
    from django.conf.locale import LANG_INFO  # noqa: PLC0415

    names = dict(KNOWN)
    chosen = []
    for code in (c.strip() for c in codes.split(",") if c.strip()):
        if code not in LANG_INFO and code in EXTRA_LANG_INFO:
            LANG_INFO[code] = EXTRA_LANG_INFO[code]
        if code not in LANG_INFO:
            raise ImproperlyConfigured(f"CROSSINGS_LANGUAGES: unknown language '{code}'.")
        chosen.append((code, names.get(code, LANG_INFO[code]["name"])))
    return chosen


LANGUAGES = _languages(os.environ.get("CROSSINGS_LANGUAGES", "en,km,th"))
LOCALE_PATHS = [Path(__file__).resolve().parents[1] / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out users first
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Lock the account, not the address: border offices share one address behind NAT, and an
# address lockout would lock a whole office out for an hour.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
OTP_TOTP_ISSUER = "Crossings"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600  # absolute: SessionExpiryMiddleware also ends sessions this old
SESSION_COOKIE_SAMESITE = "Lax"
CROSSINGS_SESSION_IDLE_MINUTES = int(os.environ.get("CROSSINGS_SESSION_IDLE_MINUTES", "30"))
CROSSINGS_RECIPROCITY_MONTHS = int(os.environ.get("CROSSINGS_RECIPROCITY_MONTHS", "12"))
# Key of the PPRL encodings that cross borders (docs/linkage.md): shared by the countries
# of an exchange, never by the hub's readers; at least 16 bytes.
CROSSINGS_PPRL_SECRET = os.environ.get("CROSSINGS_PPRL_SECRET", "")
if not CROSSINGS_PPRL_SECRET:
    if PRODUCTION:
        raise ImproperlyConfigured("CROSSINGS_PPRL_SECRET must be set in production.")
    CROSSINGS_PPRL_SECRET = "crossings-development-pprl-secret"  # noqa: S105 - dev only
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
