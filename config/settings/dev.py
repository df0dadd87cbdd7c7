"""Embedded default for a first run on a laptop: SQLite, eager tasks, keys under ``var/``."""

from config import devkeys
from config.env import env_str

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
_keys = devkeys.load_or_create(VAR_DIR / "cles-dev.json")

SECRET_KEY = _keys["SECRET_KEY"]
CHIFFREMENT_CLES_MAITRES = _keys["CHIFFREMENT_CLES_MAITRES"]
CHIFFREMENT_CLE_ACTIVE = "1"
INDEX_AVEUGLE_CLE = _keys["INDEX_AVEUGLE_CLE"]
AUDIT_CHAINE_CLE = _keys["AUDIT_CHAINE_CLE"]
DEMO_GRAINE = _keys["DEMO_GRAINE"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(VAR_DIR / "db.sqlite3"),
        "OPTIONS": {"timeout": 20},
    }
}
_database_url = env_str("DATABASE_URL", "")
if _database_url:
    import dj_database_url

    DATABASES = {"default": dj_database_url.parse(_database_url)}

CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://localhost/"
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
API_DOCS_UI = True
API_SCHEMA_PUBLIC = True
AUDIT_POINTS_DE_CONTROLE_DIR = VAR_DIR / "audit"
