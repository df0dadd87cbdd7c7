"""Cost of the full middleware stack for a trivial authenticated JSON endpoint.

Side A: ``GET /api/v1/auth/moi/`` through ``django.test.Client`` with a logged-in, OTP-verified
session (every middleware, URL resolution, DRF authentication, permission and rendering).
Side B: a bare function view returning the same JSON, called directly on a ``RequestFactory``
request. The ratio A/B is what is compared with the target, so that the machine's speed cancels
out; the number of SQL queries of side A has its own fixed target.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import totp

from acces.auth.services import appareil_totp_creer
from acces.enums import Role, TypeOrganisation
from acces.models import Commune, Habilitation, Organisation, Utilisateur
from bench.mesure import Resultat, comparer, ligne

NOM = "api_overhead"
URL = "/api/v1/auth/moi/"
URL_CONNEXION = "/api/v1/auth/connexion/"

# Measured on a 2-core machine at rest: full stack about 7.0 ms, bare view about 17.6 us, ratio
# 399 to 406 over three runs; 25 to 70 ms while test suites share its CPU and PostgreSQL. The
# ceiling leaves 50 % above the resting ratio: 3.5 ms more per request (a sleep, a slow
# middleware) fails it; one extra query per request is caught by the query count instead.
RATIO_MAX = 600.0
# session, user, OTP device, active habilitation, organisation, habilitations, their communes,
# then the session activity write (BEGIN, UPDATE, COMMIT)
REQUETES_MAX = 10


def _utilisateur(mot_de_passe: str) -> Utilisateur:
    organisation, _ = Organisation.objects.get_or_create(
        nom="Organisation de mesure", defaults={"type": TypeOrganisation.COMMUNE}
    )
    user, _ = Utilisateur.objects.get_or_create(
        username="mesure.api", defaults={"organisation": organisation}
    )
    user.set_password(mot_de_passe)
    user.save(update_fields=["password"])
    if not user.habilitations.exists():
        habilitation = Habilitation.objects.create(
            utilisateur=user, role=Role.DIRECTEUR_TRANQUILLITE, approuvee_le=timezone.now()
        )
        habilitation.communes.set(Commune.objects.order_by("code_insee")[:1])
    return user


def _code_totp(graine: bytes) -> str:
    return f"{totp(graine):06d}"


def _client_connecte() -> Client:
    """A session opened the way users open one: password and TOTP code on the login route."""
    mot_de_passe = secrets.token_urlsafe(24)
    user = _utilisateur(mot_de_passe)
    _, graine = appareil_totp_creer(utilisateur=user, nom="mesure")
    client = Client()
    reponse = client.post(
        URL_CONNEXION,
        {"username": user.username, "password": mot_de_passe, "otp": _code_totp(graine)},
        content_type="application/json",
    )
    if reponse.status_code != 200:
        raise RuntimeError(f"{URL_CONNEXION} a répondu {reponse.status_code} au lieu de 200")
    return client


def _get(client: Client) -> Any:
    response = client.get(URL)
    if response.status_code != 200:
        raise RuntimeError(f"{URL} a répondu {response.status_code} au lieu de 200")
    return response


def _sans_attente_du_disque() -> None:
    """Commits stop waiting for the WAL flush, for this connection only.

    The session write of each request ends in a commit; its fsync measures the disk (and the
    other processes writing to it), not the code. Writes are still counted in ``requetes_sql``.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


def run() -> list[Resultat]:
    _sans_attente_du_disque()
    client = _client_connecte()
    donnees = _get(client).json()
    factory = RequestFactory()

    def vue_nue(request: HttpRequest) -> JsonResponse:
        return JsonResponse(donnees)

    def pile_complete() -> None:
        _get(client)

    def sans_pile() -> None:
        vue_nue(factory.get(URL))

    pile_ns, nue_ns = comparer(
        [pile_complete, sans_pile], tours=300, par_tour=[1, 50], echauffement=50
    )
    with CaptureQueriesContext(connection) as requetes:
        _get(client)
    return [
        ligne(NOM, "latence_mediane_us", pile_ns / 1000, RATIO_MAX, reference=nue_ns / 1000),
        ligne(NOM, "requetes_sql", len(requetes.captured_queries), REQUETES_MAX, reference=0),
    ]
