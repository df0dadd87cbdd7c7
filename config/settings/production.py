"""Production: refuses to start without its secrets.

Every secret may come from ``NAME`` or from a file named by ``NAME_FILE`` (Docker/Kubernetes
secrets). Error messages name the variable, never its value.
"""

from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_int, env_list, env_str

from .base import *  # noqa: F403

DEBUG = False
CELERY_TASK_ALWAYS_EAGER = False
API_DOCS_UI = False
API_SCHEMA_PUBLIC = False

SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    raise ImproperlyConfigured("SECRET_KEY trop faible : 50 caractères aléatoires au moins")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Variable d'environnement requise : ALLOWED_HOSTS")


def _database(url: str) -> dj_database_url.DBConfig:
    try:
        config = dj_database_url.parse(
            url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    except ValueError:
        # from None: the original message may quote the URL and its password.
        raise ImproperlyConfigured("DATABASE_URL invalide") from None
    if config.get("ENGINE") != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_URL doit désigner une base PostgreSQL")
    return config


DATABASES = {"default": _database(env_str("DATABASE_URL"))}

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
if urlsplit(CELERY_BROKER_URL).scheme not in {"redis", "rediss"}:
    raise ImproperlyConfigured("CELERY_BROKER_URL doit désigner un serveur Redis")

CHIFFREMENT_CLES_MAITRES = env_str("CHIFFREMENT_CLES_MAITRES")
CHIFFREMENT_CLE_ACTIVE = env_str("CHIFFREMENT_CLE_ACTIVE", "1")
INDEX_AVEUGLE_CLE = env_str("INDEX_AVEUGLE_CLE")
AUDIT_CHAINE_CLE = env_str("AUDIT_CHAINE_CLE")
AUDIT_POINTS_DE_CONTROLE_DIR = env_str("AUDIT_POINTS_DE_CONTROLE_DIR", "/var/lib/suivi/audit")

# WebAuthn: the relying party is the public domain (no default), origins are HTTPS only.
WEBAUTHN_RP_ID = env_str("WEBAUTHN_RP_ID")
WEBAUTHN_ORIGINES = env_list("WEBAUTHN_ORIGINES", [f"https://{WEBAUTHN_RP_ID}"])
if any(not origine.startswith("https://") for origine in WEBAUTHN_ORIGINES):
    raise ImproperlyConfigured("WEBAUTHN_ORIGINES : origines HTTPS uniquement")

# Links in e-mails: the public HTTPS address, by default the relying party's domain.
SUIVI_URL_PUBLIQUE = env_str("SUIVI_URL_PUBLIQUE", f"https://{WEBAUTHN_RP_ID}").rstrip("/")
if not SUIVI_URL_PUBLIQUE.startswith("https://"):
    raise ImproperlyConfigured("SUIVI_URL_PUBLIQUE : adresse HTTPS uniquement")

SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
# TLS ends at the reverse proxy, which sets this header and strips any client copy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# security.W008: the API host has no plain-HTTP listener; a transparent redirect would let API
# clients send credentials in clear first (ASVS 4.1.2), so no redirect is configured.
SILENCED_SYSTEM_CHECKS = ["security.W008"]
