"""Issue 11: the relevé de décisions is the document a secretary files: names of the cell and
the institutions, dates in French, place, attendance, decisions with owner and deadline,
orientations decided, overdue decisions — watermark, step-up and access log kept."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from acces.enums import TypeOrganisation
from audit.enums import ActionAcces
from audit.models import EvenementAcces
from cellules.seances import droits, formats, services
from cellules.seances.enums import TypeDecision
from cellules.seances.models import Presence, Seance
from tests.acces.factories import appareil_totp, code_totp
from tests.cellules.composition.factories import membre
from tests.cellules.orientations import factories as f_orientations
from tests.cellules.seances.factories import Monde, SeanceFactory, monde
from tests.matrice.personas import client_pour

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}


@pytest.fixture
def m() -> Monde:
    return monde()


_CHAINE = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
_ECHAPPEMENT = re.compile(rb"\\([0-7]{1,3}|.)", re.S)


def texte_pdf(contenu: bytes) -> str:
    """The text shown by an uncompressed reportlab PDF (standard fonts, WinAnsi encoding), one
    string per line shown, joined by spaces."""

    def _un(m: re.Match[bytes]) -> bytes:
        code = m.group(1)
        if code[:1].isdigit():
            return bytes([int(code, 8)])
        return {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(code, code)

    return " ".join(
        _ECHAPPEMENT.sub(_un, brut).decode("cp1252") for brut in _CHAINE.findall(contenu)
    )


def test_dates_are_written_in_french() -> None:
    moment = timezone.make_aware(dt.datetime(2026, 12, 8, 14, 0))
    assert formats.date_et_heure(moment) == "mardi 8 décembre 2026, 14 h 00"
    assert formats.jour(dt.date(2027, 2, 1)) == "lundi 1er février 2027"
    assert formats.heure(timezone.make_aware(dt.datetime(2026, 7, 14, 9, 5))) == "9 h 05"


def _seance(**champs: Any) -> Seance:
    objet = SeanceFactory(**champs)
    assert isinstance(objet, Seance)
    return objet


def _seance_complete(m: Monde) -> tuple[Seance, dict[str, Any]]:
    """A meeting held in the town hall, with attendance (present, excused, absent), two cases,
    a decision with owner and deadline, an orientation decided, and an overdue decision of
    the previous meeting."""
    debut = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    precedente = _seance(cellule=m.cellule, debut=debut - dt.timedelta(days=60), creee_par=m.coord)
    precedente.points.create(situation=m.situation, rang=1, motif="point_d_etape")
    seance = _seance(cellule=m.cellule, debut=debut, lieu="mairie", creee_par=m.coord)
    seance.points.create(situation=m.situation, rang=1, motif="point_d_etape")
    excusee = membre(m.cellule, TypeOrganisation.BAILLEUR_SOCIAL)
    absente = membre(m.cellule, TypeOrganisation.EDUCATION_NATIONALE)
    inconnue = membre(m.cellule, TypeOrganisation.MISSION_LOCALE)
    for convoque in (m.membre, excusee, absente, inconnue):
        seance.convocations.create(membre=convoque)
    droits.synchroniser_seance(seance, m.coord)
    Presence.objects.create(seance=seance, organisation=m.membre.organisation, present=True)
    Presence.objects.create(
        seance=seance, organisation=excusee.organisation, present=False, excusee=True
    )
    Presence.objects.create(seance=seance, organisation=absente.organisation, present=False)
    # The previous meeting's decision, overdue 10 days ago (recorded back then).
    echue = services.decision_enregistrer(
        seance=precedente,
        situation=m.situation,
        type=TypeDecision.REPORT,
        note=None,
        organisation=m.membre.organisation,
        echeance=timezone.localdate(precedente.debut) + dt.timedelta(days=50),
        acteur=m.coord,
    )
    echeance = timezone.localdate() + dt.timedelta(days=45)
    decision = services.decision_enregistrer(
        seance=seance,
        situation=m.situation,
        type=TypeDecision.MAINTIEN_SUIVI,
        note=None,
        organisation=m.membre.organisation,
        echeance=echeance,
        acteur=m.coord,
    )
    orientation = f_orientations.orientation(
        m.situation, decideur=m.coord, organisation=excusee.organisation, seance=seance
    )
    return Seance.objects.get(pk=seance.pk), {
        "excusee": excusee,
        "absente": absente,
        "inconnue": inconnue,
        "echue": echue,
        "decision": decision,
        "echeance": echeance,
        "orientation": orientation,
    }


def test_releve_json_is_the_filed_document(m: Monde) -> None:
    seance, d = _seance_complete(m)
    reponse = client_pour(m.coord).get(f"/api/v1/seances/{seance.pk}/releve/", **MOTIF)
    assert reponse.status_code == 200, reponse.content
    corps = reponse.json()
    assert corps["cellule"] == {"id": str(m.cellule.pk), "nom": m.cellule.nom}
    assert corps["date"] == formats.date_et_heure(seance.debut)
    assert re.fullmatch(r"\w+ \d+(er)? \w+ \d{4}, \d+ h \d\d", corps["date"])
    assert corps["horaires"] == f"de {formats.heure(seance.debut)} à {formats.heure(seance.fin)}"
    assert (corps["lieu"], corps["statut"]) == ("mairie", "tenue")
    etats = {p["organisation_nom"]: (p["etat"], p["participants"]) for p in corps["presences"]}
    nom = m.membre.utilisateur.get_full_name()
    assert etats == {
        m.membre.organisation.nom: ("presente", [f"{nom} ({m.membre.fonction})"]),
        d["excusee"].organisation.nom: (
            "excusee",
            [f"{d['excusee'].utilisateur.get_full_name()} ({d['excusee'].fonction})"],
        ),
        d["absente"].organisation.nom: (
            "absente",
            [f"{d['absente'].utilisateur.get_full_name()} ({d['absente'].fonction})"],
        ),
        d["inconnue"].organisation.nom: (
            "non_renseignee",
            [f"{d['inconnue'].utilisateur.get_full_name()} ({d['inconnue'].fonction})"],
        ),
    }
    (decision,) = corps["decisions"]
    assert decision["id"] == str(d["decision"].pk)
    assert (decision["organisation_nom"], decision["echeance"], decision["echeance_libelle"]) == (
        m.membre.organisation.nom,
        d["echeance"].isoformat(),
        formats.jour(d["echeance"]),
    )
    assert decision["type_libelle"] == "maintien du suivi" and decision["realisee"] is False
    (orientation,) = corps["orientations"]
    assert orientation["id"] == str(d["orientation"].pk)
    assert orientation["organisation_nom"] == d["excusee"].organisation.nom
    assert orientation["mesure_libelle"] == d["orientation"].mesure.libelle
    assert (orientation["nom"], orientation["prenom"]) == (decision["nom"], decision["prenom"])
    assert [e["id"] for e in corps["decisions_echues"]] == [str(d["echue"].pk)]
    # One access event for the one case shown, however many of its items are listed.
    evenements = EvenementAcces.objects.filter(request_id=reponse["X-Request-ID"])
    assert [(e.objet_id, e.action) for e in evenements] == [
        (str(m.situation.pk), ActionAcces.CONSULTATION)
    ]


def test_B9_releve_pdf_says_the_same_in_french(m: Monde) -> None:
    seance, d = _seance_complete(m)
    lecteur = m.coord
    code = code_totp(appareil_totp(lecteur))
    reponse = client_pour(lecteur).get(
        f"/api/v1/seances/{seance.pk}/releve/pdf/", HTTP_X_OTP=code, **MOTIF
    )
    assert reponse.status_code == 200, reponse.content[:300]
    texte = texte_pdf(reponse.content)
    for attendu in (
        f"Cellule : {m.cellule.nom}",
        f"Séance du {formats.date_et_heure(seance.debut)}",
        "Lieu : mairie",
        f"{m.membre.organisation.nom} : présente",
        f"{d['excusee'].organisation.nom} : excusée",
        f"{d['absente'].organisation.nom} : absente",
        m.membre.utilisateur.get_full_name(),
        f"responsable : {m.membre.organisation.nom}",
        "Orientations décidées",
        "orientation éducative",
        d["orientation"].mesure.libelle,
        "Décisions échues des séances précédentes",
        lecteur.username,
    ):
        assert attendu in texte, attendu
    assert formats.jour(d["echeance"]).split(" ", 1)[1] in texte
    # No raw ids nor ISO dates for the reader.
    for uuid_ in (seance.pk, m.cellule.pk, m.situation.pk, m.membre.organisation_id):
        assert str(uuid_) not in texte
    assert d["echeance"].isoformat() not in texte
    assert [
        (e.objet_id, e.action)
        for e in EvenementAcces.objects.filter(request_id=reponse["X-Request-ID"])
    ] == [(str(m.situation.pk), ActionAcces.PDF)]
