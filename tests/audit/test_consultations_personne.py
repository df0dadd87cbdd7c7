# mypy: disallow-untyped-calls=False
"""Issue 9, item 8: every read that discloses a person names him; the DPO report lists them all."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from acces.enums import Role
from audit import chaine, verification
from audit.models import EvenementAcces
from tests.audit.outils import ligne, sans_declencheur, sql
from tests.cellules.composition import factories as f_composition
from tests.cellules.composition.factories import membre
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.orientations import factories as f_orientations
from tests.cellules.registres import factories as f_registres
from tests.cellules.seances.factories import seance_passee
from tests.matrice.personas import client_pour, creer_utilisateur

pytestmark = pytest.mark.django_db

MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "preparation_seance"}


def _lire_partout() -> tuple[Any, list[Any]]:
    """One person read through a case, its orientations, a relevé, the register, a transaction."""
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    cellule = f_composition.cellule("21231", coordonnateurs=(coord,))
    personne = f_dossiers.personne(f_dossiers.identite(age_min=19, age_max=25))
    situation = f_dossiers.situation(cellule, personne)
    orientation = f_orientations.orientation(situation, decideur=coord)
    rappel = f_registres.rappel("21231", personne=personne, auteur=directeur)
    f_registres.transaction("21231", personne=personne, auteur=directeur)
    seance = seance_passee(cellule, coord)
    seance.points.create(situation=situation, rang=1, motif="point_d_etape")
    seance.convocations.create(membre=membre(cellule))
    seance.decisions.create(
        situation=situation, type="orientation_decidee", cle_id=situation.cle_id, prise_par=coord
    )
    c, d = client_pour(coord), client_pour(directeur)
    reponses = [
        c.get(f"/api/v1/situations/{situation.pk}/", **MOTIF),
        c.get("/api/v1/situations/", **MOTIF),
        c.get(f"/api/v1/situations/{situation.pk}/orientations/", **MOTIF),
        c.get(f"/api/v1/orientations/{orientation.pk}/", **MOTIF),
        c.get(f"/api/v1/seances/{seance.pk}/releve/", **MOTIF),
        d.get(f"/api/v1/rappels-a-l-ordre/{rappel.pk}/", **MOTIF),
        d.get("/api/v1/rappels-a-l-ordre/", **MOTIF),
        d.get("/api/v1/transactions/", **MOTIF),
    ]
    for reponse in reponses:
        assert reponse.status_code == 200, (reponse.wsgi_request.path, reponse.content[:300])
    return personne, reponses


def test_item8_every_read_event_names_the_person_it_discloses() -> None:
    personne, reponses = _lire_partout()
    for reponse in reponses:
        evenements = EvenementAcces.objects.filter(request_id=reponse["X-Request-ID"])
        assert evenements.exists(), reponse.wsgi_request.path
        assert set(evenements.values_list("personne_id", flat=True)) == {personne.pk}, (
            reponse.wsgi_request.path
        )
    assert verification.verifier().ok


def test_item8_dpo_report_lists_every_read_of_the_person() -> None:
    personne, reponses = _lire_partout()
    requetes = {r["X-Request-ID"] for r in reponses}
    attendus = EvenementAcces.objects.filter(request_id__in=requetes).count()
    assert attendus >= len(reponses)
    auditeur = client_pour(creer_utilisateur("auditeur"))
    rapport = auditeur.get(
        f"/api/v1/audit/personnes/{personne.pk}/consultations/", {"taille": 200}
    ).json()
    assert rapport["count"] == attendus
    types = {e["type_objet"] for e in rapport["results"]}
    assert types == {
        "cellules.situation",
        "cellules.orientation",
        "cellules.rappel_ordre",
        "cellules.transaction",
    }
    assert {e["personne"] for e in rapport["results"]} == {str(personne.pk)}
    # Another person's report stays empty; the auditor search filters by person too.
    assert (
        auditeur.get(f"/api/v1/audit/personnes/{uuid.uuid4()}/consultations/").json()["count"] == 0
    )
    cherche = auditeur.get("/api/v1/audit/evenements/", {"personne": str(personne.pk)}).json()
    assert cherche["count"] == attendus


def test_item8_rows_without_a_person_keep_their_hash_and_a_person_is_chained() -> None:
    avant = chaine.ajouter([ligne()])[0]
    # A row written before the column existed hashes exactly as it did then.
    sans = {champ: getattr(avant, champ) for champ in chaine.CHAMPS}
    assert chaine.empreinte(sans) == avant.hash
    (apres,) = chaine.ajouter([ligne(personne_id=uuid.uuid4())])
    assert verification.verifier().ok
    # Removing, changing or adding the person of a row is detected.
    for seq, valeur in ((apres.seq, None), (apres.seq, uuid.uuid4()), (avant.seq, uuid.uuid4())):
        ancienne = EvenementAcces.objects.get(seq=seq).personne_id
        with sans_declencheur():
            sql("UPDATE audit_evenementacces SET personne_id = %s WHERE seq = %s", [valeur, seq])
        rapport = verification.verifier()
        assert (rapport.ok, rapport.premier_seq_invalide, rapport.raison) == (
            False,
            seq,
            "empreinte_invalide",
        )
        with sans_declencheur():
            sql("UPDATE audit_evenementacces SET personne_id = %s WHERE seq = %s", [ancienne, seq])
    assert verification.verifier().ok
