"""Settings for Yiwang, read from the environment (see README "Configuration").

Embedded default: SQLite under ``var/``; production: ``YIWANG_ENV=production`` with
``DATABASE_URL=postgresql://…``, a real ``YIWANG_SECRET_KEY`` and ``YIWANG_DATA_KEY``.
"""

import json
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from yiwang import __version__


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("YIWANG_HOME", PACKAGE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("YIWANG_VAR_DIR", PROJECT_DIR / "var")).resolve()
KEYS_DIR = Path(os.environ.get("YIWANG_KEYS_DIR", VAR_DIR / "keys")).resolve()
MEDIA_ROOT = Path(os.environ.get("YIWANG_MEDIA_DIR", VAR_DIR / "media")).resolve()

YIWANG_VERSION = __version__
PRODUCTION = os.environ.get("YIWANG_ENV", "development").strip().lower() == "production"
DEMO_MODE = env_flag("YIWANG_DEMO")
# Only for the benchmark harness: production settings served over plain HTTP on loopback.
ALLOW_HTTP = env_flag("YIWANG_ALLOW_HTTP")
DEBUG = env_flag("YIWANG_DEBUG") and not PRODUCTION
if PRODUCTION and DEMO_MODE:
    raise ImproperlyConfigured("生产环境（YIWANG_ENV=production）不能开启演示模式（YIWANG_DEMO）。")


def _secret_key() -> str:
    key = os.environ.get("YIWANG_SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("生产环境必须设置 YIWANG_SECRET_KEY。")
    # Embedded default: one random key per installation, kept beside the data key, never committed.
    path = KEYS_DIR / "secret_key"
    if not path.exists():
        KEYS_DIR.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("YIWANG_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("YIWANG_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "yiwang.core",
    "yiwang.org",
    "yiwang.accounts",
    "yiwang.catalog",
    "yiwang.cases",
    "yiwang.certificates",
    "yiwang.sharing",
    "yiwang.notifications",
    "yiwang.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "yiwang.core.middleware.ClientIPMiddleware",
    "yiwang.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "yiwang.accounts.middleware.StaffTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yiwang.portal.middleware.DisplayPreferencesMiddleware",
]

ROOT_URLCONF = "yiwang.urls"
WSGI_APPLICATION = "yiwang.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yiwang.portal.context_processors.site",
                "yiwang.notifications.context_processors.inbox",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "yiwang.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{SQLITE_PATH}"), conn_max_age=0
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server and worker both write: WAL, IMMEDIATE transactions and a generous busy timeout.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"].setdefault("TEST", {})
    if os.environ.get("YIWANG_TEST_SQLITE_FILE"):
        DATABASES["default"]["TEST"]["NAME"] = os.environ["YIWANG_TEST_SQLITE_FILE"]
else:
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("YIWANG_DB_CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    # Rate limits and lockouts must hold across processes: keep them in the database.
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "yiwang_cache",
        # Django culls a database cache beyond MAX_ENTRIES (default 300), which would silently
        # reset rate-limit counters when many clients are counted at once.
        "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 10},
    }
}

# --- Accounts and authentication --------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["yiwang.accounts.backends.MultiIdentifierBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "yiwang.accounts.passwords.CharacterClassValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "portal:home"

# Idle timeout: the session expires after this many seconds without a request.
SESSION_COOKIE_AGE = int(os.environ.get("YIWANG_SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

YIWANG_LOCKOUT_FAILURES = 5
YIWANG_LOCKOUT_WINDOW_SECONDS = 15 * 60
YIWANG_LOCKOUT_SECONDS = 15 * 60
YIWANG_IP_RATE_LIMIT = int(os.environ.get("YIWANG_IP_RATE_LIMIT", "300"))  # auth attempts / IP / window
YIWANG_IP_RATE_WINDOW_SECONDS = 15 * 60
YIWANG_SMS_CODE_TTL_SECONDS = 5 * 60
YIWANG_SMS_RESEND_SECONDS = 60
YIWANG_SMS_PER_PHONE_PER_HOUR = 10
YIWANG_TOKEN_TTL_SECONDS = int(os.environ.get("YIWANG_TOKEN_TTL_SECONDS", str(8 * 3600)))
# Reverse proxies whose X-Forwarded-For we believe (addresses or CIDR ranges).
YIWANG_TRUSTED_PROXIES = env_list("YIWANG_TRUSTED_PROXIES", "")
YIWANG_SMS_PROVIDER = os.environ.get("YIWANG_SMS_PROVIDER", "yiwang.accounts.sms.DevelopmentSmsProvider")
YIWANG_IDENTITY_PROVIDER = os.environ.get(
    "YIWANG_IDENTITY_PROVIDER", "yiwang.accounts.identity.DevelopmentIdentityVerifier"
)
YIWANG_STAFF_2FA_REQUIRED = PRODUCTION or env_flag("YIWANG_STAFF_2FA")
OTP_TOTP_ISSUER = "一网 Yiwang"

# --- Personal-data key ------------------------------------------------------------------------
YIWANG_DATA_KEY = os.environ.get("YIWANG_DATA_KEY", "")
if PRODUCTION and not YIWANG_DATA_KEY:
    raise ImproperlyConfigured("生产环境必须设置 YIWANG_DATA_KEY（个人信息加密密钥）。")

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it even when using finders
FILE_UPLOAD_PERMISSIONS = 0o600

# --- Security headers -------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
YIWANG_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'self'; object-src 'none'"
)
if PRODUCTION:
    SESSION_COOKIE_SECURE = not ALLOW_HTTP
    CSRF_COOKIE_SECURE = not ALLOW_HTTP
    LANGUAGE_COOKIE_SECURE = not ALLOW_HTTP
    SECURE_SSL_REDIRECT = not ALLOW_HTTP
    SECURE_HSTS_SECONDS = 0 if ALLOW_HTTP else 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = not ALLOW_HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- E-mail -----------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("YIWANG_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("YIWANG_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("YIWANG_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("YIWANG_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_flag("YIWANG_EMAIL_TLS")
EMAIL_USE_SSL = env_flag("YIWANG_EMAIL_SSL")
DEFAULT_FROM_EMAIL = os.environ.get("YIWANG_EMAIL_FROM", "一网 Yiwang <noreply@localhost>")
# Without an SMTP host (the embedded setup) mails are written to the console log.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_TIMEOUT = int(os.environ.get("YIWANG_EMAIL_TIMEOUT", "10"))
YIWANG_SITE_URL = os.environ.get("YIWANG_SITE_URL", "http://127.0.0.1:8000")

# --- Background work: django-tasks (database backend) + our leases, retries and scheduler --------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Seconds a claimed outbox batch or delivery stays ours; a crashed worker's rows come back after it.
YIWANG_WORKER_LEASE_SECONDS = float(os.environ.get("YIWANG_WORKER_LEASE_SECONDS", "60"))
YIWANG_WORKER_BATCH = int(os.environ.get("YIWANG_WORKER_BATCH", "200"))
YIWANG_WORKER_IDLE_SECONDS = float(os.environ.get("YIWANG_WORKER_IDLE_SECONDS", "0.5"))
# Retry backoff: base * 2**(attempt-1) seconds, capped; after MAX attempts a dead letter.
YIWANG_RETRY_BASE_SECONDS = float(os.environ.get("YIWANG_RETRY_BASE_SECONDS", "30"))
YIWANG_RETRY_MAX_SECONDS = float(os.environ.get("YIWANG_RETRY_MAX_SECONDS", "3600"))
YIWANG_RETRY_MAX_ATTEMPTS = int(os.environ.get("YIWANG_RETRY_MAX_ATTEMPTS", "8"))
# Periodic jobs, seconds between runs (the scheduler table makes each run happen once).
# Electronic certificates (issue 7): software signing keys ("SM2-SM3" or "Ed25519"), 用证授权 limits.
YIWANG_CERT_KEY_ALGORITHM = os.environ.get("YIWANG_CERT_KEY_ALGORITHM", "SM2-SM3")
YIWANG_LOG_KEY_ALGORITHM = os.environ.get("YIWANG_LOG_KEY_ALGORITHM", "SM2-SM3")
YIWANG_CERT_GRANT_MAX_HOURS = int(os.environ.get("YIWANG_CERT_GRANT_MAX_HOURS", "24"))
YIWANG_CERT_GRANT_LOOKUPS_PER_HOUR = int(os.environ.get("YIWANG_CERT_GRANT_LOOKUPS_PER_HOUR", "30"))
YIWANG_SHARING_REPLY_WORKING_DAYS = int(os.environ.get("YIWANG_SHARING_REPLY_WORKING_DAYS", "10"))
YIWANG_SHARING_OBJECTION_WORKING_DAYS = int(os.environ.get("YIWANG_SHARING_OBJECTION_WORKING_DAYS", "5"))
# HTTP-backed resources: the breaker opens after this many consecutive failed reads, for this long
YIWANG_SHARING_BREAKER_FAILURES = int(os.environ.get("YIWANG_SHARING_BREAKER_FAILURES", "5"))
YIWANG_SHARING_BREAKER_SECONDS = float(os.environ.get("YIWANG_SHARING_BREAKER_SECONDS", "30"))
# Hosts a department system may be reached at (comma-separated; "*.example.gov.cn" allowed). Empty:
# any host outside production; production refuses HTTP-backed resources until it is set.
YIWANG_SHARING_PROVIDER_HOSTS = [h.strip().lower() for h in os.environ.get("YIWANG_SHARING_PROVIDER_HOSTS", "").split(",")
                                 if h.strip()]
# Who the platform reads for when it checks an enterprise binding, and where 企业登记信息 lives
YIWANG_SHARING_PLATFORM_DEPARTMENT = os.environ.get("YIWANG_SHARING_PLATFORM_DEPARTMENT", "approval")
YIWANG_SHARING_ENTERPRISE_RESOURCE = os.environ.get("YIWANG_SHARING_ENTERPRISE_RESOURCE", "SJ-SCZT")
YIWANG_SHARING_ENTERPRISE_PROVIDER = os.environ.get("YIWANG_SHARING_ENTERPRISE_PROVIDER", "market")  # its keeper
YIWANG_CERT_VERIFY_PER_HOUR = int(os.environ.get("YIWANG_CERT_VERIFY_PER_HOUR", "600"))  # verify by id, per address

YIWANG_SCHEDULE = {
    "deliveries.retry": float(os.environ.get("YIWANG_SCHEDULE_RETRY_SECONDS", "15")),
    "deadlines.scan": float(os.environ.get("YIWANG_SCHEDULE_DEADLINES_SECONDS", "300")),
    "corrections.expire": float(os.environ.get("YIWANG_SCHEDULE_CORRECTIONS_SECONDS", "3600")),
    "housekeeping.cleanup": float(os.environ.get("YIWANG_SCHEDULE_CLEANUP_SECONDS", "3600")),
}
YIWANG_KEEP_DISPATCHED_DAYS = int(os.environ.get("YIWANG_KEEP_DISPATCHED_DAYS", "30"))
# SMS: signature (签名) and quiet hours applied when a user has set none ("22:00-08:00"; empty: none).
YIWANG_SMS_SIGN_NAME = os.environ.get("YIWANG_SMS_SIGN_NAME", "一网通办")
YIWANG_SMS_QUIET_HOURS = os.environ.get("YIWANG_SMS_QUIET_HOURS", "")
# Provider template codes per event, as registered with the SMS provider (JSON, e.g.
# {"case.accepted": {"code": "SMS_123", "params": ["number", "due_date"]}}); defaults in notifications/rules.py.
YIWANG_SMS_TEMPLATES = json.loads(os.environ.get("YIWANG_SMS_TEMPLATES", "{}") or "{}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        "yiwang": {"handlers": ["console"], "level": os.environ.get("YIWANG_LOG_LEVEL", "INFO")},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}
