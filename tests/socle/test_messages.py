"""Issue 11, "messages a user can act on": a malformed If-Match, a wrong X-OTP code, a value
outside a closed list, counts in messages, the rappel à l'ordre wording."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import totp
from rest_framework import serializers

from acces.auth.services import appareil_totp_creer
from acces.enums import Role
from cellules.composition.enums import TypeCellule
from cellules.composition.models import Cellule
from cellules.registres.enums import FaitRappel
from tests.cellules.composition import factories as f
from tests.matrice.personas import client_pour, creer_utilisateur
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

CELLULES = "/api/v1/cellules/"
EXPORT = "/api/v1/audit/evenements/export/"


@pytest.fixture
def coord() -> Any:
    return f.agent(Role.COORDONNATEUR, communes=("21166",))


@pytest.fixture
def cell(coord: Any) -> Cellule:
    return f.cellule("21166", coordonnateurs=(coord,))


@pytest.mark.parametrize(
    "entete", ["{pk}.1", "'{pk}.1'", '"{pk}.1', '"{pk}.1", {pk}.1', '"{pk}. 1"']
)
def test_a_malformed_if_match_is_a_400_that_says_so(coord: Any, cell: Cellule, entete: str) -> None:
    response = client_pour(coord).patch(
        f"{CELLULES}{cell.pk}/",
        {"nom": "Cellule renommée"},
        format="json",
        HTTP_IF_MATCH=entete.format(pk=cell.pk),
    )
    corps = assert_erreur_json(response, 400, "if_match_invalide")
    assert "guillemets" in corps["message"] and str(cell.pk) not in corps["message"]
    cell.refresh_from_db()
    assert (cell.nom, cell.version) != ("Cellule renommée", 2)


def test_a_well_formed_but_stale_if_match_is_still_a_412(coord: Any, cell: Cellule) -> None:
    client = client_pour(coord)
    for entete in (f'"{cell.pk}.7"', f'W/"{cell.pk}.1"', '"autre.1"'):
        response = client.patch(
            f"{CELLULES}{cell.pk}/", {"nom": "x"}, format="json", HTTP_IF_MATCH=entete
        )
        assert_erreur_json(response, 412, "version_perimee")
    ok = client.patch(
        f"{CELLULES}{cell.pk}/", {"nom": "x"}, format="json", HTTP_IF_MATCH=f'"{cell.pk}.1"'
    )
    assert ok.status_code == 200, ok.content


def test_a_wrong_x_otp_code_is_called_wrong_and_a_missing_one_required() -> None:
    auditeur = creer_utilisateur("auditeur")
    _, graine = appareil_totp_creer(utilisateur=auditeur)
    client = client_pour(auditeur)
    assert client.get(EXPORT, HTTP_X_OTP=f"{totp(graine):06d}").status_code == 200
    manquant = assert_erreur_json(client.get(EXPORT), 403, "verification_requise")
    assert "demande un code" in manquant["message"]
    faux = f"{(totp(graine) + 1) % 1_000_000:06d}"
    for code in (faux, "abc"):
        refus = assert_erreur_json(client.get(EXPORT, HTTP_X_OTP=code), 403, "verification_requise")
        assert "faux" in refus["message"] and "demande un code" not in refus["message"]
        assert code not in refus["message"]


def test_an_enum_error_lists_the_allowed_values_without_echoing_the_value(
    coord: Any,
) -> None:
    corps = {"nom": "Cellule", "commune": "21166", "type": "Jean Dupont"}
    response = client_pour(coord).post(CELLULES, corps, format="json")
    message = assert_erreur_json(response, 400)["champs"]["type"][0]
    assert all(valeur in message for valeur in TypeCellule.values)
    assert "Jean Dupont" not in message


def test_every_choice_field_lists_its_values_plain_multiple_or_in_a_list() -> None:
    class Entree(serializers.Serializer[Any]):
        un = serializers.ChoiceField(choices=[("a", "A"), ("b", "B")])
        plusieurs = serializers.MultipleChoiceField(choices=[("c", "C"), ("d", "D")])
        faits = serializers.ListField(child=serializers.ChoiceField(choices=FaitRappel.choices))

    entree = Entree(data={"un": "z", "plusieurs": ["z"], "faits": ["z"]})
    assert not entree.is_valid()
    erreurs = {
        nom: str(e[0] if isinstance(e, list) else e[0][0]) for nom, e in entree.errors.items()
    }
    assert erreurs["un"] == "Valeur hors de la liste fermée ; choisissez parmi : a, b."
    assert erreurs["plusieurs"] == "Valeur hors de la liste fermée ; choisissez parmi : c, d."
    assert all(valeur in str(entree.errors["faits"][0][0]) for valeur in FaitRappel.values)


def test_the_audit_filters_list_their_values_too() -> None:
    client = client_pour(creer_utilisateur("auditeur"))
    corps = assert_erreur_json(client.get("/api/v1/audit/evenements/", {"action": "lire"}), 400)
    assert "consultation" in corps["champs"]["action"][0]


def test_counts_read_right_for_one_element() -> None:
    class Entree(serializers.Serializer[Any]):
        liste = serializers.ListField(child=serializers.CharField(), min_length=1, max_length=1)
        texte = serializers.CharField(min_length=2, max_length=3)

    vide = Entree(data={"liste": [], "texte": "a"})
    assert not vide.is_valid()
    messages = [str(m) for e in vide.errors.values() for m in e]
    assert messages == [
        "Pas assez d'éléments (minimum : 1).",
        "Texte trop court (longueur minimale : 2).",
    ]
    trop = Entree(data={"liste": ["a", "b"], "texte": "abcd"})
    assert not trop.is_valid()
    assert [str(m) for e in trop.errors.values() for m in e] == [
        "Trop d'éléments (maximum : 1).",
        "Texte trop long (longueur maximale : 3).",
    ]
    assert "1 éléments" not in " ".join(messages)


def test_the_rappel_message_says_en_cas_d_impossibilite() -> None:
    directeur = f.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    naissance = timezone.localdate().replace(year=timezone.localdate().year - 15, day=1)
    corps = {
        "commune": "21231",
        "date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "qualite_auteur": "maire",
        "identite": {
            "nom": "Jeune-Fictif",
            "prenom": "Léa",
            "date_naissance": naissance.isoformat(),
        },
        "faits": ["conflit_voisinage"],
        "crime_ou_delit": False,
        "plainte_en_cours": False,
        "enquete_en_cours": False,
    }
    response = client_pour(directeur).post(
        "/api/v1/rappels-a-l-ordre/", corps, format="json", HTTP_X_MOTIF="controle"
    )
    message = assert_erreur_json(response, 400)["champs"]["accompagnant"][0]
    assert "en cas d'impossibilité" in message and "sauf impossibilité" not in message
