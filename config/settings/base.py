"""Settings shared by every environment; each value comes from the environment."""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from config.env import env_int, env_list, env_optional, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    # Static files: only the assets of the development documentation page (drf-spectacular-sidecar).
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "auditlog",
    "django_otp",
    "socle",
    "acces",
    "audit",
    "cispd",
    "cellules",
    "tig",
]

MIDDLEWARE = [
    "socle.middleware.RequestIdMiddleware",
    "socle.middleware.JsonErrorMiddleware",
    "socle.middleware.BadInputMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "socle.middleware.ApiHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Field encryption: unwrapped data keys live in a per-request cache, emptied when it ends.
    "acces.crypto.middleware.SessionClesMiddleware",
    # Change-log context (audit/): who and which request made each change.
    "audit.contexte.ContexteAuditMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/suivi"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "acces.Utilisateur"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
PASSWORD_RESET_TIMEOUT = 3600

LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

# Request bodies: JSON routes never need more than this.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 256 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
JSON_PROFONDEUR_MAX = 32

# Sessions and cookies.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 12 * 3600  # absolute lifetime
SESSION_INACTIVITE_MAX = 15 * 60  # idle timeout, enforced server-side
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = False
CSRF_FAILURE_VIEW = "socle.errors.csrf_failure"

# Security headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["socle.parsers.StrictJSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "socle.negotiation.JsonOnlyNegotiation",
    "DEFAULT_SCHEMA_CLASS": "noyau.schema.SchemaApi",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "socle.pagination.Pagination",
    "EXCEPTION_HANDLER": "socle.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "STRICT_JSON": True,
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "API des cellules de suivi personnalisé",
    "DESCRIPTION": (
        "Coordination des cellules de suivi personnalisé des CLSPD et du CISPD. "
        "Toutes les réponses d'erreur ont la forme {code, message, champs, request_id}."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Docstrings are for developers (English); the API document is in French: its descriptions
    # are written in ``extend_schema`` (routes) and ``extend_schema_serializer`` (payloads).
    "DISABLE_DOCSTRING_DESCRIPTIONS": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "noyau.schema.traduire",
    ],
    # The documentation page (/api/docs/, development only) loads Swagger UI from the project.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "TypeOrganisationEnum": "acces.enums.TypeOrganisation",
        "TypeQuartierEnum": "acces.enums.TypeQuartier",
        "RoleEnum": "acces.enums.Role",
        "CategorieInformationEnum": "acces.enums.CategorieInformation",
        "MotifLeveeEnum": "acces.enums.MotifLevee",
    },
}
API_DOCS_UI = False
API_SCHEMA_PUBLIC = False

# Celery: identifiers only in messages, JSON only, results not kept. Task modules beyond each
# app's ``tasks`` (autodiscovered) are listed here.
CELERY_IMPORTS = [
    "cellules.seances.tasks",
    "cellules.orientations.tasks",
    "cellules.dossiers.tasks",
]
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# acks_late is opted into per task (idempotent ones only); one message at a time per process
# so a crash redelivers at most one.
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_timeout": 3,
    "socket_connect_timeout": 3,
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_WORKER_SEND_TASK_EVENTS = False
# Periodic jobs expire before their next run so a long worker outage does not pile them up.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "relayer-outbox": {
        "task": "socle.relayer_outbox",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
    "battement-worker": {
        "task": "socle.battement",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}
OUTBOX_LOT = 200
OUTBOX_DELAI_CONNEXION = 2  # seconds; a write never waits longer on a dead broker
SANTE_DELAI_COURTIER = 2  # seconds; the health endpoint answers fast when Redis is down

# Keys, never stored in the database.
CHIFFREMENT_CLES_MAITRES = env_optional("CHIFFREMENT_CLES_MAITRES")
CHIFFREMENT_CLE_ACTIVE = env_optional("CHIFFREMENT_CLE_ACTIVE")
INDEX_AVEUGLE_CLE = env_optional("INDEX_AVEUGLE_CLE")
INDEX_AVEUGLE_CLE_ACTIVE = env_optional("INDEX_AVEUGLE_CLE_ACTIVE")
AUDIT_CHAINE_CLE = env_optional("AUDIT_CHAINE_CLE")
# Encryptions per data key (random 96-bit nonces): alert, then re-key, long before 2^32.
CHIFFREMENT_SEUIL_ALERTE = env_int("CHIFFREMENT_SEUIL_ALERTE", 2**30)
CHIFFREMENT_SEUIL_ROTATION = env_int("CHIFFREMENT_SEUIL_ROTATION", 2**31)

# Proxies whose X-Forwarded-For is trusted (exact addresses).
PROXIES_DE_CONFIANCE = env_list("PROXIES_DE_CONFIANCE", [])

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ne-pas-repondre@suivi.invalid")
# Public address of the service: the links in e-mails (convocations) are built from it.
SUIVI_URL_PUBLIQUE = env_str("SUIVI_URL_PUBLIQUE", "http://127.0.0.1:8000").rstrip("/")

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "socle.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "socle.logging.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}


SANTE_VERIFICATIONS = {
    "base_de_donnees": "socle.sante.base_de_donnees",
    "courtier": "socle.sante.courtier",
    "cles": "acces.crypto.sante",
}
# Anonymous callers get up/down only; the components need this check (Issue 9, item 15).
SANTE_DETAIL_AUTORISE = "acces.sante.detail_autorise"

# Each step loads one app's synthetic demo data (idempotent), in this order: accounts, audit,
# cells and cases, the meetings on those cases, then orientations and the registers.
DEMO_ETAPES = [
    "acces.demo.charger",
    "audit.demo.charger",
    "tig.accueil.demo.charger",
    "cellules.dossiers.demo.charger",
    "cellules.seances.demo.charger",
    "cellules.orientations.demo.charger",
]

# Authentication (acces.auth): MFA-verified sessions with server-side timeouts, Bearer tokens.
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "acces.auth.authentication.SessionMfaAuthentication",
    "acces.auth.authentication.JetonAuthentication",
]
AUTH_PASSWORD_VALIDATORS = [
    *AUTH_PASSWORD_VALIDATORS,
    {"NAME": "acces.auth.validators.CaracteresValidator"},
    {"NAME": "acces.auth.validators.MotsDeContexteValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
OTP_TOTP_ISSUER = "Suivi CLSPD"
URL_REINITIALISATION_MOT_DE_PASSE = env_str(
    "URL_REINITIALISATION_MOT_DE_PASSE", "https://suivi.invalid/mot-de-passe/reinitialisation"
)
# WebAuthn (FIDO2) security keys: relying party id (a domain; production must set it), its
# display name, the exact origins allowed in clientDataJSON, and the roles that, once they own a
# key, must log in with it (user verification is always required, ASVS 6.3.3 L3).
WEBAUTHN_RP_ID = env_str("WEBAUTHN_RP_ID", "localhost")
WEBAUTHN_RP_NOM = env_str("WEBAUTHN_RP_NOM", "Suivi CLSPD")
WEBAUTHN_ORIGINES = env_list("WEBAUTHN_ORIGINES", ["http://localhost:8000"])
WEBAUTHN_ROLES_EXIGES = ["delegue_procureur", "directeur_tranquillite"]
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] |= {  # type: ignore[operator]
    "TypeCredentialEnum": [("public-key", "public-key")],
}


# Audit (audit/): access-log retention and anomaly thresholds, change-log context, beat jobs.
AUDIT_RETENTION_JOURS = env_int("AUDIT_RETENTION_JOURS", 365)
AUDIT_SEUIL_LECTURES_HEURE = env_int("AUDIT_SEUIL_LECTURES_HEURE", 200)
AUDIT_SEUIL_REFUS_HEURE = env_int("AUDIT_SEUIL_REFUS_HEURE", 10)
# Copy of the access log to a separate syslog sink (tcp://host:port; empty:
# none), sent every minute in batches; an alert after that many failed runs in a row.
AUDIT_SYSLOG_ADRESSE = env_str("AUDIT_SYSLOG_ADRESSE", "")
AUDIT_SYSLOG_LOT = 500
AUDIT_SYSLOG_ALERTE_ECHECS = 5
AUDITLOG_CID_GETTER = "socle.context.current_request_id"
CELERY_BEAT_SCHEDULE |= {
    "audit-point-de-controle": {"task": "audit.point_de_controle", "schedule": 300.0},
    "audit-anomalies": {"task": "audit.anomalies", "schedule": 3600.0},
    "audit-expedition": {"task": "audit.expedition", "schedule": 60.0},
    "audit-purge": {"task": "audit.purge", "schedule": 86400.0},
    "audit-verification": {"task": "audit.verification", "schedule": 86400.0},
}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] |= {  # type: ignore[operator]
    "MotifAccesEnum": "audit.enums.Motif",
    "MotifExclusionEnum": "acces.enums.MotifExclusion",
}

# Séances (cellules/seances/): grants of convened members, reminders, task module, beat job.
# A convened member reads the meeting, its agenda and its cases from midnight this many days
# before the meeting's day to that many days after its end (never from the convocation itself).
CELLULES_ACCES_AVANT_SEANCE_JOURS = env_int("CELLULES_ACCES_AVANT_SEANCE_JOURS", 3)
CELLULES_ACCES_APRES_SEANCE_JOURS = env_int("CELLULES_ACCES_APRES_SEANCE_JOURS", 7)
CELLULES_RAPPEL_SEANCE_JOURS = env_int("CELLULES_RAPPEL_SEANCE_JOURS", 2)
CELERY_BEAT_SCHEDULE |= {
    "seances-rappels": {
        "task": "cellules.seances.programmer_rappels",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
}
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] |= {  # type: ignore[operator]
    "MotifInscriptionEnum": "cellules.seances.enums.MotifInscription",
    "TypeDecisionEnum": "cellules.seances.enums.TypeDecision",
    "TypeLieuEnum": "cellules.seances.enums.TypeLieu",
}

# Orientations (cellules/orientations/), rappel à l'ordre register and transactions
# (cellules/registres/).
ORIENTATION_ECHEANCE_MAX_JOURS = 730
# art. 44-1 CPP: proposal within one month of the report, unpaid work of at most 30 hours.
TRANSACTION_DELAI_PROPOSITION_MOIS = 1
TRANSACTION_HEURES_MAX = 30
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] |= {  # type: ignore[operator]
    "TypeOrientationEnum": "cellules.orientations.enums.TypeOrientation",
}
CELERY_BEAT_SCHEDULE |= {
    "cellules-orientations-en-retard": {
        "task": "cellules.orientations_en_retard",
        "schedule": 3600.0,
        "options": {"expires": 3500},
    },
}

# django-guardian: no anonymous account in the users table, no automatic prefetch (direct
# foreign-key permission models would be ignored by it).
ANONYMOUS_USER_NAME = None
GUARDIAN_AUTO_PREFETCH = False

# Domain detectors of unusual reads, run by the hourly anomaly job of audit.
AUDIT_DETECTEURS = ["cellules.seances.detecteurs.lectures_hors_ordre_du_jour"]

# Retention of cases (cellules/dossiers/purge.py, docs/modele-de-securite.md): archived once
# closed, purged 3 years after closing, never past the 25th birthday for a case opened as a minor.
SITUATION_ARCHIVE_APRES_CLOTURE_JOURS = 0
SITUATION_DUREE_ARCHIVE_JOURS = 3 * 365
SITUATION_AGE_LIMITE_MINEUR = 25
# Retention of the registers (cellules/registres/purge.py, run by the same job): a rappel à
# l'ordre is deleted 3 years after its date, a transaction 3 years after its last decision or
# execution; an entry of the minor era never outlives the person's 25th birthday.
CELLULES_RAPPEL_ORDRE_CONSERVATION_JOURS = 3 * 365
CELLULES_TRANSACTION_CONSERVATION_JOURS = 3 * 365
CELLULES_REGISTRES_AGE_LIMITE_MINEUR = SITUATION_AGE_LIMITE_MINEUR
CELERY_BEAT_SCHEDULE |= {
    "cellules-purger-situations": {
        "task": "cellules.purger_situations",
        "schedule": 86400.0,
        "options": {"expires": 3600},
    },
}

# Cells and members (cellules/composition/), cases (cellules/dossiers/).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] |= {  # type: ignore[operator]
    "TypeCelluleEnum": "cellules.composition.enums.TypeCellule",
    "StatutSituationEnum": "cellules.dossiers.enums.StatutSituation",
}

# Measures (tig/): TNR, TIG and réparation handed over by an homologated transaction. Hour
# limits of the law (art. 41-2 CPP: TNR at most 100 h; art. 131-8 CP: TIG 20 to 400 h) and the
# default time allowed to carry a measure out.
TIG_TNR_HEURES_MAX = 100
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] |= {  # type: ignore[operator]
    "NatureMesureEnum": "tig.enums.NatureMesure",
    "NatureTransactionEnum": "cellules.registres.enums.NatureTransaction",
}
TIG_TIG_HEURES_MIN = 20
TIG_TIG_HEURES_MAX = 400
TIG_DELAI_EXECUTION_MOIS = 6
# TIG: executed within 18 months (art. 131-22 CP); unpaid work from 16 (TNR of a composition
# pénale, art. 41-2 CPP; TIG of a minor aged 16 at sentencing). A réparation for a minor has no
# legal cap of hours: the default is the TNR one.
TIG_TIG_DELAI_EXECUTION_MOIS = 18
TIG_AGE_MIN_TRAVAIL = 16
TIG_REPARATION_HEURES_MAX = 100
# A post nobody confirmed for this many days is stale: flagged in the API, left out of matching.
TIG_POSTE_PERIME_JOURS = env_int("TIG_POSTE_PERIME_JOURS", 90)
