"""Issue 9, item 5: the precision of a motif is a closed list; no free text in the chained log."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django_otp.oath import totp

from acces.auth.services import appareil_totp_creer
from acces.enums import Role
from audit import chaine, expedition, verification
from audit.enums import PRECISION_MASQUEE, PrecisionMotif, Raison, Resultat
from audit.models import EvenementAcces
from tests.audit.outils import ligne
from tests.canaris import canari, scanner
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.matrice.personas import client_pour, creer_utilisateur
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

URL = "/api/v1/situations/"


@pytest.fixture
def lecture() -> tuple[Any, Any]:
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    situation = f_dossiers.situation(f_composition.cellule("21231", coordonnateurs=(coord,)))
    return client_pour(coord), situation


def _tout_le_journal() -> str:
    return repr(list(EvenementAcces.objects.values_list()))


def test_item5_free_text_precision_is_refused_and_never_stored(lecture: tuple[Any, Any]) -> None:
    client, situation = lecture
    c = canari()
    response = client.get(
        f"{URL}{situation.pk}/",
        HTTP_X_MOTIF="preparation_seance",
        HTTP_X_MOTIF_DETAIL=f"{c.prenom} {c.nom}",
    )
    corps = assert_erreur_json(response, 400, "motif_requis")
    assert list(corps["champs"]) == ["motif_detail"]
    assert scanner(response.content, [c]) == []
    # Only the refusal is logged, without the typed text.
    (refus,) = EvenementAcces.objects.all()
    assert (refus.resultat, refus.raison, refus.motif_detail) == (
        Resultat.REFUSE,
        Raison.MOTIF_REQUIS,
        "",
    )
    assert scanner(_tout_le_journal(), [c]) == []


@pytest.mark.parametrize(
    "texte", ["séance du 3 mars", "x" * 300, "seance_a_venir Dupont", "a\u2028b"]
)
def test_item5_anything_but_a_code_is_a_json_400(lecture: tuple[Any, Any], texte: str) -> None:
    client, situation = lecture
    response = client.get(
        f"{URL}{situation.pk}/", HTTP_X_MOTIF="suivi_orientation", HTTP_X_MOTIF_DETAIL=texte
    )
    assert_erreur_json(response, 400, "motif_requis")
    assert not EvenementAcces.objects.filter(resultat=Resultat.AUTORISE).exists()


def test_item5_a_code_of_the_closed_list_is_logged_and_shown_to_auditors(
    lecture: tuple[Any, Any],
) -> None:
    client, situation = lecture
    response = client.get(
        f"{URL}{situation.pk}/",
        HTTP_X_MOTIF="preparation_seance",
        HTTP_X_MOTIF_DETAIL=PrecisionMotif.SEANCE_A_VENIR,
    )
    assert response.status_code == 200
    lu = EvenementAcces.objects.get(request_id=response["X-Request-ID"])
    assert (lu.motif, lu.motif_detail) == ("preparation_seance", "seance_a_venir")
    auditeur = client_pour(creer_utilisateur("auditeur"))
    resultats = auditeur.get("/api/v1/audit/evenements/", {"objet_id": str(situation.pk)}).json()
    assert [e["motif_detail"] for e in resultats["results"]] == ["seance_a_venir"]
    assert verification.verifier().ok


def test_item5_free_text_of_earlier_rows_is_masked_everywhere_and_still_verifies(
    settings: Any,
) -> None:
    c = canari()
    # A row written before the list was closed: the text is chained, so it stays in the row.
    (ancien,) = chaine.ajouter([ligne(motif_detail=f"{c.prenom} {c.nom}")])
    user = creer_utilisateur("auditeur")
    client = client_pour(user)
    liste = client.get("/api/v1/audit/evenements/")
    assert liste.json()["results"][0]["motif_detail"] == PRECISION_MASQUEE
    consultations = client.get(f"/api/v1/audit/personnes/{ancien.objet_id}/consultations/")
    assert [e["motif_detail"] for e in consultations.json()["results"]] == [PRECISION_MASQUEE]
    _, graine = appareil_totp_creer(utilisateur=user)
    export = client.get("/api/v1/audit/evenements/export/", HTTP_X_OTP=f"{totp(graine):06d}")
    texte = b"".join(export.streaming_content).decode()  # type: ignore[attr-defined]
    entete, premiere, *_ = list(csv.reader(io.StringIO(texte)))
    assert premiere[entete.index("motif_detail")] == PRECISION_MASQUEE
    corps = liste.content + consultations.content + texte.encode()
    assert scanner(corps, [c]) == []
    # The syslog copy carries no precision at all.
    assert scanner(expedition.message(ancien), [c]) == []
    assert b"motif_detail" not in expedition.message(ancien)
    assert verification.verifier().ok
