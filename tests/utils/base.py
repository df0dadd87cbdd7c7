"""Shared test helpers."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.http import HttpResponse


def db_snapshot(exclure: Iterable[str] = ()) -> dict[str, tuple[int, str]]:
    """Row count and checksum of every table, to assert that a request changed nothing.

    The checksum is the md5 of all rows cast to text in a stable order, so an update that keeps
    the row count is caught too. ``exclure`` names tables with expected side effects (e.g.
    ``django_session`` when an authenticated request refreshes its activity time).
    """
    snapshot: dict[str, tuple[int, str]] = {}
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor)) - set(exclure)
        for table in sorted(tables):
            name = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"  # noqa: S608
                f" FROM {name} AS t"
            )
            count, checksum = cursor.fetchone()
            snapshot[table] = (count, checksum)
    return snapshot


ERREUR_CLES = {"code", "message", "champs", "request_id"}
_FUITES = ("Traceback", "<html", "<!DOCTYPE", "SELECT ", "INSERT ", "UPDATE ", "psycopg")


def assert_erreur_json(
    response: HttpResponse, status: int, code: str | None = None
) -> dict[str, Any]:
    """The common error shape: JSON, exactly the four keys, the request id of the response."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].split(";")[0] == "application/json"
    body: dict[str, Any] = json.loads(response.content)
    assert set(body) == ERREUR_CLES
    assert isinstance(body["code"], str) and body["code"]
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["champs"], dict)
    assert body["request_id"] == response["X-Request-ID"]
    if code is not None:
        assert body["code"] == code, body
    texte = response.content.decode()
    for fuite in _FUITES:
        assert fuite.lower() not in texte.lower(), fuite
    return body


def connecter(client: Any, **compte: Any) -> Any:
    """Open a real session (password + TOTP) through the login route; returns the account."""
    from tests.acces.factories import compte_complet

    utilisateur = compte_complet(**compte)
    response = client.post("/api/v1/auth/connexion/", utilisateur.identifiants(), format="json")
    assert response.status_code == 200, response.content
    return utilisateur


def envoyer(
    client: Any,
    methode: str,
    chemin: str,
    corps: bytes = b"",
    content_type: str = "application/json",
    **extra: Any,
) -> Any:
    """``client.generic`` with a raw body: the bytes are sent exactly as given."""
    return client.generic(methode, chemin, corps, content_type, **extra)


def executer_outbox() -> int:
    """Run the outbox's tasks here and now, as a worker would; returns how many ran.

    Tests without a worker use this to see a task's effect (an e-mail) synchronously.
    """
    from config.celery import app
    from socle.models import OutboxMessage, TacheExecutee

    app.loader.import_default_modules()  # registers every app's tasks, as a worker does
    faites = set(TacheExecutee.objects.values_list("id", flat=True))
    executees = 0
    for message in OutboxMessage.objects.order_by("cree_le"):
        if message.pk in faites:
            continue
        app.tasks[message.tache].apply(kwargs={**message.arguments, "outbox_id": str(message.pk)})
        executees += 1
    return executees
