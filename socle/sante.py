"""Health checks: each returns ``(ok, detail)`` with no secret in the detail."""

from __future__ import annotations

from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string

from socle import outbox

Resultat = tuple[bool, dict[str, object]]


def base_de_donnees() -> Resultat:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return False, {"statut": "indisponible"}
    return True, {"statut": "ok", "moteur": connection.vendor}


def courtier() -> Resultat:
    """Broker reachability, bounded by ``SANTE_DELAI_COURTIER`` even when Redis is down or hung."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return True, {"statut": "ok", "mode": "execution immediate"}
    delai = settings.SANTE_DELAI_COURTIER
    try:
        conn = current_app.connection_for_write(
            connect_timeout=delai,
            transport_options={"socket_timeout": delai, "socket_connect_timeout": delai},
        )
        with conn:
            conn.ensure_connection(max_retries=0, timeout=delai)
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return False, {"statut": "injoignable"}
    from socle.models import BattementWorker

    dernier = BattementWorker.objects.order_by("-recu_le").values_list("recu_le", flat=True).first()
    detail: dict[str, object] = {"statut": "ok", "messages_en_attente": outbox.en_attente()}
    if dernier is not None:
        detail["worker_vu_il_y_a_s"] = int((timezone.now() - dernier) / timedelta(seconds=1))
    return True, detail


def executer() -> tuple[bool, dict[str, object]]:
    composants: dict[str, object] = {}
    ok = True
    for name, path in settings.SANTE_VERIFICATIONS.items():
        check = import_string(path)
        component_ok, detail = check()
        composants[name] = detail
        ok = ok and component_ok
    return ok, composants
