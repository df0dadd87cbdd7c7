"""Auditor API (D7, E9): auditors only, references only, searches logged, CSV escaped."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid

import pytest
from django_otp.oath import totp

from acces.auth.services import appareil_totp_creer
from audit import chaine
from audit.enums import ActionAcces, Motif, Raison, Resultat
from audit.models import EvenementAcces
from tests.audit.outils import ligne
from tests.canaris import canari, scanner
from tests.matrice.personas import client_pour, creer_utilisateur
from tests.utils.base import assert_erreur_json

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit/evenements/"


@pytest.fixture
def auditeur():
    user = creer_utilisateur("auditeur")
    return user, client_pour(user)


def test_D7_auditor_searches_by_user_and_object_in_seq_order(auditeur):
    _, client = auditeur
    lecteur, objet = uuid.uuid4(), str(uuid.uuid4())
    chaine.ajouter([ligne(utilisateur_id=lecteur) for _ in range(3)])
    chaine.ajouter([ligne(objet_id=objet), ligne()])
    response = client.get(URL, {"utilisateur": str(lecteur)})
    assert response.status_code == 200
    seqs = [e["seq"] for e in response.json()["results"]]
    assert seqs == [1, 2, 3]
    assert response.json()["count"] == 3
    par_objet = client.get(URL, {"type_objet": "cellules.situation", "objet_id": objet}).json()
    assert [e["objet_id"] for e in par_objet["results"]] == [objet]


def test_D7_auditor_search_is_itself_logged(auditeur):
    user, client = auditeur
    chaine.ajouter([ligne(), ligne()])
    response = client.get(URL, HTTP_X_MOTIF="controle")
    trace = EvenementAcces.objects.get(action=ActionAcces.AUDIT)
    assert trace.utilisateur_id == user.pk
    assert trace.request_id == response["X-Request-ID"]
    assert (trace.type_objet, trace.nombre, trace.motif) == ("audit.evenements", 2, "controle")


def test_D7_auditor_responses_hold_no_names(auditeur):
    """No name of a person concerned; the staff account who read is named (issue 11)."""
    _, client = auditeur
    c = canari()
    lu = creer_utilisateur("membre_cellule")
    lu.first_name, lu.last_name = "Camille", "Rousseau"
    lu.save()
    chaine.ajouter([ligne(utilisateur_id=lu.pk, motif_detail=f"séance de {c.prenom} {c.nom}")])
    corps = b"".join(
        client.get(chemin).content
        for chemin in (
            URL,
            "/api/v1/audit/volumes/",
            f"/api/v1/audit/personnes/{uuid.uuid4()}/consultations/",
        )
    )
    assert str(lu.pk).encode() in corps
    assert b"Camille Rousseau" in corps
    assert scanner(corps, [c]) == []


@pytest.mark.parametrize("persona", ["membre_cellule", "delegue_procureur", "admin_technique"])
def test_D7_other_roles_refused_and_refusal_logged(persona):
    user = creer_utilisateur(persona)
    response = client_pour(user).get(URL)
    assert_erreur_json(response, 403)
    refus = EvenementAcces.objects.get(resultat=Resultat.REFUSE)
    assert (refus.utilisateur_id, refus.raison) == (user.pk, Raison.ROLE_INSUFFISANT)
    assert refus.request_id == response["X-Request-ID"]


def test_D7_anonymous_gets_401(api):
    assert_erreur_json(api.get(URL), 401)


@pytest.mark.parametrize(
    "parametres",
    [
        {"du": "2026-02-30"},
        {"au": "hier"},
        {"utilisateur": "pas-un-uuid"},
        {"action": "lire"},
        {"seq_min": "-1"},
        {"objet_id": "x" * 65},
    ],
)
def test_G_bad_filters_give_json_400(auditeur, parametres):
    _, client = auditeur
    assert_erreur_json(client.get(URL, parametres), 400)


def test_G3_nul_byte_in_filter_gives_json_400(auditeur):
    _, client = auditeur
    assert_erreur_json(client.get(URL + "?objet_id=a%00b"), 400)


def test_D4_log_routes_refuse_writes(auditeur):
    _, client = auditeur
    for methode in ("post", "put", "patch", "delete"):
        assert_erreur_json(getattr(client, methode)(URL, {}, format="json"), 405)


def test_period_filter_uses_paris_days(auditeur):
    _, client = auditeur
    jour = dt.datetime(2026, 3, 10, 22, 30, tzinfo=dt.UTC)  # 23:30 in Paris
    chaine.ajouter([ligne(horodatage=jour), ligne(horodatage=jour + dt.timedelta(hours=2))])
    resultats = client.get(URL, {"du": "2026-03-10", "au": "2026-03-10"}).json()["results"]
    assert [e["seq"] for e in resultats] == [1]


def test_volumes_per_user_and_day(auditeur):
    _, client = auditeur
    lecteur = uuid.uuid4()
    chaine.ajouter(
        [ligne(utilisateur_id=lecteur) for _ in range(4)]
        + [
            ligne(
                utilisateur_id=lecteur,
                action=ActionAcces.REFUS,
                resultat=Resultat.REFUSE,
                raison=Raison.HORS_PERIMETRE,
                motif="",
            )
        ]
    )
    lignes = client.get("/api/v1/audit/volumes/", {"utilisateur": str(lecteur)}).json()["results"]
    assert len(lignes) == 1
    assert (lignes[0]["lectures"], lignes[0]["refus"]) == (4, 1)
    assert lignes[0]["utilisateur"] == str(lecteur)


def test_E9_consultations_of_one_record_for_the_dpo(auditeur):
    _, client = auditeur
    objet = uuid.uuid4()
    lecteur = uuid.uuid4()
    chaine.ajouter(
        [
            ligne(objet_id=str(objet), utilisateur_id=lecteur, motif=Motif.SUIVI_ORIENTATION),
            ligne(
                objet_id=str(objet),
                action=ActionAcces.REFUS,
                resultat=Resultat.REFUSE,
                raison=Raison.HORS_PERIMETRE,
                motif="",
            ),
            ligne(),
        ]
    )
    response = client.get(f"/api/v1/audit/personnes/{objet}/consultations/")
    resultats = response.json()["results"]
    assert [(r["utilisateur"], r["motif"]) for r in resultats] == [
        (str(lecteur), Motif.SUIVI_ORIENTATION)
    ]
    trace = EvenementAcces.objects.get(action=ActionAcces.AUDIT)
    assert (trace.objet_id, trace.motif) == (str(objet), Motif.DEMANDE_DROITS)


def test_export_without_step_up_refused_and_logged(auditeur):
    user, client = auditeur
    response = client.get(URL + "export/")
    assert_erreur_json(response, 403, "verification_requise")
    refus = EvenementAcces.objects.get(resultat=Resultat.REFUSE)
    assert (refus.utilisateur_id, refus.raison) == (user.pk, Raison.VERIFICATION_REQUISE)


def test_export_csv_is_formula_escaped(auditeur):
    user, client = auditeur
    _, graine = appareil_totp_creer(utilisateur=user)
    chaine.ajouter([ligne(request_id='=HYPERLINK("http://x")'), ligne(request_id="@SUM(1)")])
    response = client.get(URL + "export/", HTTP_X_OTP=f"{totp(graine):06d}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lignes = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    entete, *donnees = lignes
    colonne = entete.index("request_id")
    assert [r[colonne] for r in donnees] == ['\'=HYPERLINK("http://x")', "'@SUM(1)"]
    trace = EvenementAcces.objects.get(action=ActionAcces.EXPORT)
    assert (trace.type_objet, trace.nombre) == ("audit.export", 2)
