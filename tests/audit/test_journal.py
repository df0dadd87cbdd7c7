"""D1–D3, D9: the journal API used by the domain apps."""

from __future__ import annotations

import uuid

import pytest
from django.test import RequestFactory
from rest_framework.request import Request

from audit import journal, verification
from audit.contexte import adresse_client
from audit.enums import ActionAcces, Motif, Raison, Resultat
from audit.models import EvenementAcces
from socle.context import request_id_var
from socle.errors import ApiError
from tests.matrice.personas import creer_utilisateur

pytestmark = pytest.mark.django_db


def _requete(user=None, **meta):  # type: ignore[no-untyped-def]
    requete = Request(RequestFactory().get("/api/v1/x/", **meta))
    if user is not None:
        requete.user = user
    return requete


@pytest.fixture
def request_id():
    jeton = request_id_var.set(uuid.uuid4().hex)
    yield request_id_var.get()
    request_id_var.reset(jeton)


def test_D1_one_event_per_object_with_request_id(request_id):
    user = creer_utilisateur("membre_cellule")
    objets = [("cellules.situation", uuid.uuid4()) for _ in range(3)]
    journal.consigner_lectures(
        _requete(user), objets, action=ActionAcces.LISTE, motif=Motif.PREPARATION_SEANCE
    )
    evenements = list(EvenementAcces.objects.order_by("seq"))
    assert [e.objet_id for e in evenements] == [str(i) for _, i in objets]
    for e in evenements:
        assert (e.utilisateur_id, e.roles, e.request_id) == (user.pk, "membre_cellule", request_id)
        assert (e.resultat, e.action, e.motif) == (Resultat.AUTORISE, "liste", "preparation_seance")
        assert e.organisation_id == user.organisation_id
    assert verification.verifier().ok


def test_D2_motif_from_header_or_query():
    lu = journal.motif_de_requete(
        _requete(HTTP_X_MOTIF="controle", HTTP_X_MOTIF_DETAIL="controle_interne")
    )
    assert lu == journal.MotifLu("controle", "controle_interne")
    requete = Request(RequestFactory().get("/x/", {"motif": "suivi_orientation"}))
    assert journal.motif_de_requete(requete).motif == "suivi_orientation"


@pytest.mark.parametrize(
    "meta",
    [
        {},
        {"HTTP_X_MOTIF": ""},
        {"HTTP_X_MOTIF": "curiosite"},
        {"HTTP_X_MOTIF": "controle", "HTTP_X_MOTIF_DETAIL": "x" * 201},
        {"HTTP_X_MOTIF": "controle", "HTTP_X_MOTIF_DETAIL": "séance du 3 mars"},
        {"HTTP_X_MOTIF": "controle", "HTTP_X_MOTIF_DETAIL": 'a\r\n{"forged":1}'},
        {"HTTP_X_MOTIF": "controle", "HTTP_X_MOTIF_DETAIL": "a\x1b[31mrouge"},
        {"HTTP_X_MOTIF": "controle", "HTTP_X_MOTIF_DETAIL": "a\u2028b"},
    ],
)
def test_D2_D9_missing_or_bad_motif_is_400_and_logged(meta):
    user = creer_utilisateur("directeur_tranquillite")
    objet = uuid.uuid4()
    with pytest.raises(ApiError) as erreur:
        journal.motif_de_requete(_requete(user, **meta), "cellules.situation", objet)
    assert (erreur.value.status_code, erreur.value.code) == (400, "motif_requis")
    refus = EvenementAcces.objects.get()
    assert (refus.action, refus.resultat, refus.raison) == ("refus", "refuse", "motif_requis")
    assert (refus.objet_id, refus.utilisateur_id, refus.motif_detail) == (str(objet), user.pk, "")


def test_D3_refusal_keeps_attempted_object():
    user = creer_utilisateur("membre_cellule")
    objet = uuid.uuid4()
    journal.consigner_refus(_requete(user), "cellules.situation", objet, Raison.HORS_PERIMETRE)
    refus = EvenementAcces.objects.get()
    assert (refus.objet_id, refus.raison, refus.resultat) == (
        str(objet),
        "hors_perimetre",
        "refuse",
    )


def test_D3_security_event_for_decryption_failure():
    cle = uuid.uuid4()
    journal.consigner_evenement_securite(
        Raison.DECHIFFREMENT_IMPOSSIBLE, type_objet="acces.cledonnees", objet_id=cle
    )
    evenement = EvenementAcces.objects.get()
    assert (evenement.action, evenement.raison, evenement.objet_id) == (
        "securite",
        "dechiffrement_impossible",
        str(cle),
    )


@pytest.mark.parametrize(
    ("arguments", "champ"),
    [
        ({"objets": [("Cellules.Situation", uuid.uuid4())]}, "type_objet"),
        ({"objets": [("cellules.situation", "Élodie Dupont")]}, "objet_id"),
        ({"objets": [("cellules.situation", uuid.uuid4())], "motif": "curiosite"}, "motif"),
        ({"objets": [("cellules.situation", uuid.uuid4())], "action": "lire"}, "action"),
    ],
)
def test_D8_journal_refuses_anything_but_references(arguments, champ):
    arguments.setdefault("motif", Motif.CONTROLE)
    with pytest.raises(journal.EntreeJournalInvalide, match=champ):
        journal.consigner_lectures(_requete(), **arguments)
    assert not EvenementAcces.objects.exists()


def test_client_address_from_trusted_proxy_only(settings):
    settings.PROXIES_DE_CONFIANCE = ["10.0.0.1"]
    par_proxy = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7"
    )
    direct = RequestFactory().get("/", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="1.1.1.1")
    bidon = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert adresse_client(par_proxy) == "203.0.113.7"
    assert adresse_client(direct) == "198.51.100.4"
    assert adresse_client(bidon) is None


def test_motif_requis_permission_class_keeps_the_motif():
    requete = _requete(HTTP_X_MOTIF="execution_mesure")
    assert journal.MotifRequis().has_permission(requete, None)
    assert requete.motif_acces == journal.MotifLu("execution_mesure")
