"""Test suite: real PostgreSQL and Redis, dummy keys, production-like middleware."""

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = False
SECRET_KEY = "test-only-secret-key-7f3c9b1e5a2d4f6081726354abcdefghij0123456789"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

# Dummy keys, test-only (32 bytes each, base64).
CHIFFREMENT_CLES_MAITRES = "1:dGVzdC1tYXN0ZXIta2V5LTAwMDAwMDAwMDAwMDAwMDE="
CHIFFREMENT_CLE_ACTIVE = "1"
INDEX_AVEUGLE_CLE = "dGVzdC1ibGluZC1pbmRleC1rZXktMDAwMDAwMDAwMDE="
AUDIT_CHAINE_CLE = "dGVzdC1hdWRpdC1jaGFpbi1rZXktMDAwMDAwMDAwMDE="
DEMO_GRAINE = "dGVzdC1kZW1vLXNlZWQtMDAwMDAwMDAwMDAwMDAwMDE="

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
API_SCHEMA_PUBLIC = True
AUDIT_POINTS_DE_CONTROLE_DIR = VAR_DIR / "test-audit"

# D1 over the whole suite: every personal record in a response has exactly one access event.
MIDDLEWARE = [MIDDLEWARE[0], "tests.utils.scanner.ScannerReponses", *MIDDLEWARE[1:]]  # noqa: F405
