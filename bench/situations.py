"""Cost of the protected situations list against a plain DRF list of the same rows.

Side A: ``GET /api/v1/situations/?taille=50`` through ``django.test.Client`` with a Bearer token
and a motif: every middleware, authentication, charter check, scope filter in SQL, one data key
per person unwrapped, identity and observation decrypted, fields filtered by category, and one
access event per row appended to the hash-chained log.
Side B: a bare ``ListAPIView`` (no authentication, no permission, no decryption, no logging)
over the same 50 rows with a ``ModelSerializer`` of the clear columns, called on a
``RequestFactory`` request and rendered. The ratio A/B cancels out the machine's speed.
The SQL query count of side A is measured for pages of 10 and 50: it must be the same.
"""

from __future__ import annotations

import datetime as dt
import secrets
import uuid
from typing import Any

from django.db import connection
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import generics, permissions, serializers

from acces.auth.authentication import empreinte_jeton
from acces.auth.models import JetonApi
from acces.crypto.champs import chiffrer
from acces.crypto.index import index_aveugle
from acces.crypto.models import CleDonnees
from acces.enums import Role, TypeOrganisation
from acces.models import (
    AcceptationCharte,
    Charte,
    Commune,
    Habilitation,
    Organisation,
    Ressort,
    Utilisateur,
)
from bench.mesure import Resultat, comparer, ligne
from cellules.composition.enums import TypeCellule
from cellules.composition.models import Cellule
from cellules.dossiers.enums import Profil, SourceSignalement
from cellules.dossiers.models import Personne, Situation
from socle.pagination import Pagination

NOM = "situations"
URL = "/api/v1/situations/"
LIGNES = 120
PAGE = 50
MOTIF = {"HTTP_X_MOTIF": "controle"}
# Measured on a 2-core machine: plain list of 50 rows 3 ms quiet (7 ms shared), protected list
# 23 ms (52 ms shared): ratio near 8 either way (decryption of 4 fields x 50 rows, 50 chained
# access events, auth and scope queries). A per-row query or key unwrap would exceed 20.
RATIO_MAX = 20.0
# token, user, habilitations, communes, categories, charter (2), count, page, data keys,
# access-log chain head and insert, transaction brackets
REQUETES_MAX = 20


class _SituationNue(serializers.ModelSerializer[Situation]):
    class Meta:
        model = Situation
        fields = ["id", "personne", "cellule", "commune", "statut", "profils", "version"]


class _ListeNue(generics.ListAPIView[Situation]):
    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]
    serializer_class = _SituationNue
    pagination_class = Pagination

    def get_queryset(self) -> Any:
        return Situation.objects.order_by("-creee_le", "id")


def _utilisateur() -> Utilisateur:
    organisation, _ = Organisation.objects.get_or_create(
        nom="Parquet de mesure", defaults={"type": TypeOrganisation.PARQUET}
    )
    user = Utilisateur.objects.create(username=f"mesure.situations.{secrets.token_hex(3)}")
    user.organisation = organisation
    user.save(update_fields=["organisation"])
    Habilitation.objects.create(
        utilisateur=user, role=Role.COORDONNATEUR, approuvee_le=timezone.now()
    )
    charte = Charte.objects.order_by("-version").first() or Charte.objects.create(
        version=1, titre="Charte", texte="Charte de mesure."
    )
    AcceptationCharte.objects.get_or_create(utilisateur=user, charte=charte)
    return user


def _personne(numero: int) -> Personne:
    cle = CleDonnees.nouvelle()
    cle.save()
    personne = Personne(id=uuid.uuid4(), cle=cle)
    nom, prenom, naissance = f"Nom{numero}", f"Prénom{numero}", dt.date(2008, 1, 1)
    chiffrer(personne, "nom", nom)
    chiffrer(personne, "prenom", prenom)
    chiffrer(personne, "date_naissance", naissance + dt.timedelta(days=numero))
    chiffrer(personne, "adresse", "1 rue de la Mesure")
    chiffrer(personne, "commune_residence", "Dijon")
    personne.index_identite = index_aveugle(nom, prenom, naissance)
    personne.save(force_insert=True)
    return personne


def _donnees(user: Utilisateur) -> None:
    cellule = Cellule.objects.create(
        nom="Cellule de mesure",
        type=TypeCellule.SUIVI_PERSONNALISE,
        commune=Commune.objects.order_by("code_insee").first(),
        ressort=Ressort.objects.get_or_create(code="tj-mesure", defaults={"nom": "TJ de mesure"})[
            0
        ],
    )
    cellule.coordonnateurs.add(user)
    for numero in range(LIGNES):
        personne = _personne(numero)
        situation = Situation(
            id=uuid.uuid4(),
            personne=personne,
            cellule=cellule,
            commune=cellule.commune,
            ressort=cellule.ressort_id,
            cle_id=personne.cle_id,
            source_signalement=SourceSignalement.EDUCATION_NATIONALE,
            profils=[Profil.DECROCHEUR_SCOLAIRE],
        )
        chiffrer(situation, "observation", "observation courte de mesure")
        situation.save(force_insert=True)


def _client(user: Utilisateur) -> Client:
    valeur = secrets.token_urlsafe(32)
    JetonApi.objects.create(
        utilisateur=user,
        hash=empreinte_jeton(valeur),
        libelle="mesure",
        expire_le=timezone.now() + dt.timedelta(days=1),
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {valeur}")


def _get(client: Client, taille: int) -> Any:
    response = client.get(f"{URL}?taille={taille}", **MOTIF)  # type: ignore[arg-type]
    if response.status_code != 200 or len(response.json()["results"]) != taille:
        raise RuntimeError(f"{URL} a répondu {response.status_code} au lieu de 200")
    return response


def _requetes(client: Client, taille: int) -> int:
    with CaptureQueriesContext(connection) as requetes:
        _get(client, taille)
    return len(requetes.captured_queries)


def run() -> list[Resultat]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    user = _utilisateur()
    _donnees(user)
    client = _client(user)
    factory = RequestFactory()
    vue_nue = _ListeNue.as_view()

    def protegee() -> None:
        _get(client, PAGE)

    def nue() -> None:
        requete: HttpRequest = factory.get(f"/?taille={PAGE}")
        reponse = vue_nue(requete)
        reponse.render()
        if reponse.status_code != 200:
            raise RuntimeError("liste nue en échec")

    protegee_ns, nue_ns = comparer([protegee, nue], tours=40, par_tour=[1, 5], echauffement=5)
    requetes_10, requetes_50 = _requetes(client, 10), _requetes(client, PAGE)
    return [
        ligne(NOM, "liste_50_mediane_us", protegee_ns / 1000, RATIO_MAX, reference=nue_ns / 1000),
        ligne(NOM, "requetes_sql_page_10", requetes_10, REQUETES_MAX, reference=0),
        # Same count for 50 rows as for 10: the ratio must stay at 1.
        ligne(NOM, "requetes_sql_page_50", requetes_50, 1.0, reference=requetes_10),
    ]
