"""Settings for Đảng vụ, from environment variables (see README: configuration)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("DANGVU_DATA_DIR", PROJECT_DIR / "data")).resolve()


def _secret_key() -> str:
    if os.environ.get("DANGVU_SECRET_KEY"):
        return os.environ["DANGVU_SECRET_KEY"]
    path = DATA_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        path.write_text(key)
        path.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("DANGVU_DEBUG", "") == "1"
ALLOWED_HOSTS = [h for h in os.environ.get("DANGVU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DANGVU_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "auditlog",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "dangvu.core",
    "dangvu.organizations",
    "dangvu.accounts",
    "dangvu.members",
    "dangvu.assessment",
    "dangvu.lifecycle",
    "dangvu.admission",
    "dangvu.imports",
    "dangvu.reports",
    "dangvu.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dangvu.core.i18n.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Every page needs a login unless marked login_not_required (login, language switch); the API
    # authenticates on its own (DRF views are exempt and answer 401/403).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Admins and organizers verify a second factor (TOTP) after the password before anything else.
    "dangvu.accounts.middleware.TwoFactorMiddleware",
    # Authenticated answers (dossiers, exports, the API) are never kept by a browser or a proxy.
    "dangvu.accounts.middleware.NoStoreMiddleware",
    "dangvu.core.audit.AuditMiddleware",
]

ROOT_URLCONF = "dangvu.urls"
WSGI_APPLICATION = "dangvu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "dangvu.accounts.context_processors.app",
            ],
        },
    }
]

DATABASE_URL = os.environ.get("DANGVU_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'dangvu.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # jit = off for the app's sessions: PostgreSQL's JIT compiles the costlier report queries, which takes
    # seconds (a commune's badges report: 9.6 s with JIT, 0.3 s without; bench/load/results.md). Options of
    # the URL (?options=…) come after, so they may still set it.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = " ".join(filter(None, ["-c jit=off", _options.get("options")]))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

#: Background work (large imports, long reports): django-tasks with its database backend, so that the
#: embedded default needs no other service. `dangvu serve` starts one worker beside the web server
#: (`--no-worker` to run `dangvu worker` apart instead); tests run tasks at once (conftest).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

#: Web server processes of `dangvu serve` (its --processes option wins): 0 chooses — one per core, at most
#: 4, on Linux with PostgreSQL; 1 on SQLite and on Windows (core/management/commands/serve.py).
SERVE_PROCESSES = int(os.environ.get("DANGVU_SERVE_PROCESSES", "0") or 0)

AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes): 5 failures lock for 30 minutes, counted apart for the username (from
# any address) and for the address (whatever the usernames): each entry of the list is its own counter.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
#: Served behind a TLS-terminating proxy (nginx): HTTPS is told by X-Forwarded-Proto, HSTS for a year,
#: secure cookies, and the client's address read from X-Forwarded-For (login throttling per address).
BEHIND_TLS = os.environ.get("DANGVU_BEHIND_TLS", "") == "1"
SESSION_COOKIE_SECURE = BEHIND_TLS or os.environ.get("DANGVU_SECURE_COOKIES", "") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if BEHIND_TLS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Content-Security-Policy (django-csp): scripts and styles from the site's own files only — no inline
# script, no eval (htmx runs with allowEval off). Style attributes stay allowed (layout values in the
# templates; they cannot run code). The API's ReDoc page loosens its own policy (core/api_redoc.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
#: Roles that must verify a second factor (TOTP, or a recovery code) after the password.
TWO_FACTOR_ROLES = ("admin", "organizer")
OTP_TOTP_ISSUER = "Đảng vụ"
#: API tokens expire this long after they were issued (POST /api/token/ issues a new one).
API_TOKEN_TTL_HOURS = int(os.environ.get("DANGVU_API_TOKEN_TTL_HOURS", "24"))

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
FORMAT_MODULE_PATH = ["dangvu.formats"]
USE_I18N = True
USE_THOUSAND_SEPARATOR = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"  # filled by collectstatic when wanted; WhiteNoise also serves from the apps
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "uploads"
#: Replacement .docx templates for generated documents, looked up before the shipped ones (core/documents.py).
DANGVU_TEMPLATE_DIR = Path(os.environ.get("DANGVU_TEMPLATE_DIR") or DATA_DIR / "templates")
#: The administrator's settings of the UNCONFIRMED Party rules (core/rule_settings.py; README "Rules").
DANGVU_RULES_FILE = Path(os.environ.get("DANGVU_RULES_FILE") or DATA_DIR / "rules.toml")
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
#: Limits of what an import reads, checked before a workbook is parsed (imports/limits.py; README).
IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("DANGVU_IMPORT_MAX_UNCOMPRESSED_MB", "300")) * 1024 * 1024
IMPORT_MAX_SHEETS = int(os.environ.get("DANGVU_IMPORT_MAX_SHEETS", "20"))
IMPORT_MAX_ROWS = int(os.environ.get("DANGVU_IMPORT_MAX_ROWS", "500000"))
IMPORT_MAX_CELL_CHARS = int(os.environ.get("DANGVU_IMPORT_MAX_CELL_CHARS", "32767"))
#: Errors (and warnings) an import keeps and shows; the rest are counted.
IMPORT_MAX_ISSUES = int(os.environ.get("DANGVU_IMPORT_MAX_ISSUES", "200"))
#: Report exports (xlsx, docx, json, pdf) of an organization with more members than this (in its subtree
#: today) are prepared in the background worker and offered on the page "My exports" (reports/jobs.py).
EXPORT_BACKGROUND_MEMBERS = int(os.environ.get("DANGVU_EXPORT_BACKGROUND_MEMBERS", "10000"))
#: Hours a file prepared in the background stays downloadable; then it is deleted.
EXPORT_KEEP_HOURS = int(os.environ.get("DANGVU_EXPORT_KEEP_HOURS", "24"))
#: The place written before the date in the printed reports' header ("Mường Chà, ngày … tháng … năm …").
REPORT_PLACE = os.environ.get("DANGVU_REPORT_PLACE", "").strip()
#: Folder of pg_dump/pg_restore when neither the PATH nor /usr/lib/postgresql/N/bin has the server's version.
DANGVU_PG_BIN_DIR = os.environ.get("DANGVU_PG_BIN_DIR", "")
# Lower bounds (years) of the bands of `report profile` (reports.queries.profile: defaults there, HD 11 form 3).
DANGVU_REPORT_AGE_BANDS = os.environ.get("DANGVU_REPORT_AGE_BANDS", "")
DANGVU_REPORT_PARTY_AGE_BANDS = os.environ.get("DANGVU_REPORT_PARTY_AGE_BANDS", "")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "dangvu.accounts.api.PasswordOnlyBasicAuthentication",
        "dangvu.accounts.api.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["dangvu.accounts.api.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "dangvu.core.api.AutoSchema",
    "EXCEPTION_HANDLER": "dangvu.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Đảng vụ API",
    "DESCRIPTION": "Organizations, members and reports of a party organization, limited to the caller's scope.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs pages are for logged-in users only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc assets are served from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {"OrganizationKindEnum": "dangvu.organizations.models.OrganizationKind",
                            "CandidateStageEnum": "dangvu.admission.models.CandidateStage",
                            "CandidateStepKindEnum": "dangvu.admission.models.StepKind",
                            "AssessmentStepKindEnum": "dangvu.assessment.models.StepKind"},
}

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False
# Loading fixtures (`loaddata`) writes rows as they were: no audit entries of its own.
AUDITLOG_DISABLE_ON_RAW_SAVE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DANGVU_LOG_LEVEL", "WARNING")},
}
