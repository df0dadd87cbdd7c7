"""Forgotten-password request: an existing account costs what an unknown name costs.

Side A: ``POST /api/v1/auth/mot-de-passe/oubli/`` for an active account with an e-mail address.
Side B: the same request for a name that matches no account. Both sides go through the whole
stack with the same throttling state (the counters are cleared before each call, on both
sides) and publish to an in-memory broker, as a request would to Redis. The ratio A/B is
compared with the target: a path that does more work for a real account (a broker round
trip, a token, a mail) shows as a ratio above 1 and tells an attacker which accounts exist.
"""

from __future__ import annotations

from django.db import connection
from django.test import Client

from acces.auth.models import CompteurEchecs
from acces.enums import Role, TypeOrganisation
from acces.models import Habilitation, Organisation, Utilisateur
from bench.mesure import Resultat, comparer, ligne

NOM = "mot_de_passe_oubli"
URL = "/api/v1/auth/mot-de-passe/oubli/"
# Same work on both paths: the medians differ by noise only (a few per cent at rest); before
# the fix the existing account cost about twice the unknown one.
RATIO_MAX = 1.25


def _compte() -> Utilisateur:
    organisation, _ = Organisation.objects.get_or_create(
        nom="Organisation de mesure", defaults={"type": TypeOrganisation.COMMUNE}
    )
    user, _ = Utilisateur.objects.get_or_create(
        username="mesure.oubli",
        defaults={"organisation": organisation, "email": "mesure.oubli@example.invalid"},
    )
    if not user.habilitations.exists():
        Habilitation.objects.create(utilisateur=user, role=Role.COORDONNATEUR)
    return user


def _sans_attente_du_disque() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")


def run() -> list[Resultat]:
    from config.celery import app

    _sans_attente_du_disque()
    user = _compte()
    client = Client()
    ancien = app.conf.broker_url
    app.conf.update(broker_url="memory://localhost/")

    def demander(nom: str) -> None:
        CompteurEchecs.objects.all().delete()
        response = client.post(URL, {"username": nom}, content_type="application/json")
        if response.status_code != 202:
            raise RuntimeError(f"{URL} a répondu {response.status_code} au lieu de 202")

    try:
        connu_ns, inconnu_ns = comparer(
            [lambda: demander(user.username), lambda: demander("personne.inconnue")],
            tours=100,
            par_tour=3,
            echauffement=10,
        )
    finally:
        app.conf.update(broker_url=ancien)
    return [
        ligne(NOM, "latence_mediane_us", connu_ns / 1000, RATIO_MAX, reference=inconnu_ns / 1000)
    ]
