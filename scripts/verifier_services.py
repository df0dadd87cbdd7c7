"""Stop with one clear line when PostgreSQL or Redis cannot be reached (never fall back)."""

from __future__ import annotations

import os
import socket
import sys
from urllib.parse import urlparse

AIDE = (
    "démarrez-les avec `docker compose -f docker-compose.test.yml up -d db redis`, "
    "ou les services locaux "
    "(`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` et "
    '`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`)'
)


def joignable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    host = parsed.hostname or "127.0.0.1"
    port = parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def main() -> int:
    database = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/suivi")
    broker = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    manquants = []
    if not joignable(database, 5432):
        manquants.append(
            f"PostgreSQL ({urlparse(database).hostname}:{urlparse(database).port or 5432})"
        )
    if not joignable(broker, 6379):
        manquants.append(f"Redis ({urlparse(broker).hostname}:{urlparse(broker).port or 6379})")
    if manquants:
        print(f"Injoignable : {', '.join(manquants)} — {AIDE}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
