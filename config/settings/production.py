"""Production: refuses to start without its secrets."""

import dj_database_url

from config.env import env_int, env_str

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
CHIFFREMENT_CLES_MAITRES = env_str("CHIFFREMENT_CLES_MAITRES")
CHIFFREMENT_CLE_ACTIVE = env_str("CHIFFREMENT_CLE_ACTIVE", "1")
INDEX_AVEUGLE_CLE = env_str("INDEX_AVEUGLE_CLE")
AUDIT_CHAINE_CLE = env_str("AUDIT_CHAINE_CLE")
AUDIT_POINTS_DE_CONTROLE_DIR = env_str("AUDIT_POINTS_DE_CONTROLE_DIR", "/var/lib/suivi/audit")

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
