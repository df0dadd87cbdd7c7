"""B1/B5/H7: every route × method × persona answers as the written matrix says.

A route served by the resolver or documented in the OpenAPI schema but absent from the matrix
fails the suite, and so does a matrix row for a route that no longer exists.
"""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.utils import timezone
from django_otp.oath import totp

from acces.auth.models import JetonApi
from acces.auth.services import appareil_totp_creer
from acces.enums import MotifExclusion, Role, TypeOrganisation
from acces.models import (
    AcceptationCharte,
    Charte,
    Exclusion,
    Habilitation,
    Organisation,
    Utilisateur,
)
from tests.matrice.personas import PERSONAS, TOUS, client_pour, creer_utilisateur, session_pour
from tests.matrice.routes import routes_du_resolveur, routes_du_schema
from tig.accueil.models import StructureAccueil

MATRICE: dict[str, dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "matrice_permissions.yaml").read_text(encoding="utf-8")
)
METHODES = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _normalise(routes: dict[str, set[str]]) -> dict[str, set[str]]:
    return {route.replace("{pk}", "{id}"): methodes for route, methodes in routes.items()}


def _matrice_routes() -> dict[str, set[str]]:
    return {route: set(regles) & METHODES for route, regles in MATRICE.items()}


# Routes whose matrix rows run with a browser session instead of a personal token.
def test_B1_matrix_options_are_known():
    for route, regles in MATRICE.items():
        assert set(regles) <= METHODES | {"parametres", "authentification"}, route
        for methode in set(regles) & METHODES:
            for regle in _variantes(route, methode):
                assert set(regle) <= {"cas", "corps", "attendu", "verification"}, route
            if isinstance(regles[methode], list):
                noms = [regle.get("cas") for regle in regles[methode]]
                assert all(noms) and len(set(noms)) == len(noms), route
        assert regles.get("authentification", "jeton") in {"jeton", "session"}, route


def test_B1_every_served_route_is_in_the_matrix():
    assert _normalise(routes_du_resolveur()) == _matrice_routes()


def test_H7_every_documented_route_is_in_the_matrix():
    documentees = routes_du_schema()
    matrice = _matrice_routes()
    # The schema endpoint does not document itself.
    matrice.pop("/api/schema/")
    assert documentees == matrice


def _variantes(route: str, methode: str) -> list[dict[str, Any]]:
    """A method's rule, or its list of cases (each with a ``cas`` name, a body, the statuses)."""
    regle = MATRICE[route][methode]
    if isinstance(regle, list):
        return regle
    if "attendu" in regle:
        return [regle]
    return [{"attendu": regle}]


def _cellules() -> list[Any]:
    return [
        pytest.param(route, methode, index, persona, id=f"{methode} {route} {cas} {persona}")
        for route, regles in MATRICE.items()
        for methode in sorted(set(regles) & METHODES)
        for index, cas in enumerate(v.get("cas", "") for v in _variantes(route, methode))
        for persona in TOUS
    ]


def _regle(
    route: str, methode: str, index: int = 0
) -> tuple[dict[str, Any] | None, dict[str, int]]:
    regle = _variantes(route, methode)[index]
    return regle.get("corps"), regle["attendu"]


def _attendu(attendus: dict[str, int], persona: str) -> int:
    return attendus.get(persona, attendus["*"])


def _remplacer(valeur: Any, objets: dict[str, str]) -> Any:
    if isinstance(valeur, str) and valeur.startswith("$"):
        return objets[valeur[1:]]
    if isinstance(valeur, dict):
        return {k: _remplacer(v, objets) for k, v in valeur.items()}
    if isinstance(valeur, list):
        return [_remplacer(v, objets) for v in valeur]
    return valeur


@pytest.fixture
def objets(db) -> dict[str, Any]:
    charte = Charte.objects.create(version=1, titre="Charte", texte="Texte de la charte.")
    cible_org = Organisation.objects.create(
        nom="Bailleur cible", type=TypeOrganisation.BAILLEUR_SOCIAL
    )
    cible = Utilisateur.objects.create(
        username="cible." + secrets.token_hex(3), organisation=cible_org
    )
    habilitation = Habilitation.objects.create(
        utilisateur=cible, role=Role.MEMBRE_CELLULE, approuvee_le=timezone.now()
    )
    jeton_autre = JetonApi.objects.create(
        utilisateur=cible,
        hash=secrets.token_hex(32),
        libelle="autre",
        expire_le=timezone.now() + timedelta(days=1),
    )
    auditeur = Utilisateur.objects.create(
        username="auditeur." + secrets.token_hex(3), organisation=cible_org
    )
    Habilitation.objects.create(
        utilisateur=auditeur, role=Role.AUDITEUR, approuvee_le=timezone.now()
    )
    accordant = Utilisateur.objects.create(username="accordant." + secrets.token_hex(3))
    en_attente = Habilitation.objects.create(
        utilisateur=cible, role=Role.MEMBRE_CELLULE, accordee_par=accordant
    )
    exclu = Utilisateur.objects.create(
        username="exclu." + secrets.token_hex(3), organisation=cible_org
    )
    exclusion = Exclusion.objects.create(
        utilisateur=exclu, motif=MotifExclusion.MANQUEMENT_CHARTE, par=accordant
    )
    return {
        "exclusion": str(exclusion.pk),
        "auditeur_cible": str(auditeur.pk),
        "habilitation_en_attente": str(en_attente.pk),
        "jeton_propre": str(jeton_autre.pk),
        "cle_securite_autre": _cle_securite(cible),
        "organisation": str(cible_org.pk),
        "utilisateur_cible": str(cible.pk),
        "habilitation_cible": str(habilitation.pk),
        "nom_unique": "Organisation " + secrets.token_hex(4),
        **_objets_cellules(charte),
        **_objets_orientations(cible),
        **_objets_tig(),
        **_objets_accueil(),
    }


def _objets_accueil() -> dict[str, str]:
    """A Dijon reception site with one post (the persona référent joins it in the test)."""
    from tests.tig import factories as f_tig

    poste = f_tig.poste(f_tig.structure("21231"))
    return {"structure_accueil": str(poste.structure_id), "poste_accueil": str(poste.pk)}


def _cle_securite(proprietaire: Utilisateur) -> str:
    """A security key of another account (the persona's own would be deletable)."""
    from tests.acces.webauthn_logiciel import cle_enregistree

    return str(cle_enregistree(proprietaire).reference)


def _objets_cellules(charte: Charte) -> dict[str, str]:
    """A case in a Dijon cell (ressort "tj-dijon") that no persona coordinates."""
    from tests.cellules.composition import factories as f_composition
    from tests.cellules.dossiers import factories as f_dossiers

    situation = f_dossiers.situation(f_composition.cellule("21231", ressort="tj-dijon"))
    seance = _seance_dijon(situation.cellule_id)
    membre = _membre_dijon(situation.cellule_id)
    return {
        "charte": str(charte.pk),
        "situation": str(situation.pk),
        "situation_archivee": str(f_dossiers.situation(situation.cellule, statut="archivee").pk),
        "cellule_dijon": str(situation.cellule_id),
        "personne": str(situation.personne_id),
        "personne_cloturee": str(
            f_dossiers.situation(
                situation.cellule, statut="cloturee", motif_cloture="autre"
            ).personne_id
        ),
        "seance": seance,
        "decision": _decision_dijon(seance, situation),
        "membre_dijon": membre,
        "partenaire_dijon": str(f_composition.partenaire(situation.cellule).pk),
        "convocation_dijon": _convocation_dijon(seance, membre),
        "cellule_charte": _cellule_charte(),
    }


def _seance_dijon(cellule_id: Any) -> str:
    """A planned meeting of that Dijon cell."""
    from cellules.seances.models import Seance

    debut = timezone.now() + timedelta(days=30)
    seance = Seance.objects.create(
        cellule_id=cellule_id, debut=debut, fin=debut + timedelta(hours=2)
    )
    return str(seance.pk)


def _decision_dijon(seance_id: str, situation: Any) -> str:
    """A decision of that meeting on the Dijon case, owned by an organisation of the cell."""
    from cellules.composition.models import MembreCellule
    from cellules.seances.models import Decision

    org = Organisation.objects.create(nom="Partenaire Dijon", type=TypeOrganisation.PJJ)
    user = Utilisateur.objects.create(
        username="partenaire." + secrets.token_hex(3), organisation=org
    )
    MembreCellule.objects.create(
        cellule_id=situation.cellule_id, utilisateur=user, organisation=org, fonction="éducateur"
    )
    decision = Decision.objects.create(
        seance_id=seance_id,
        situation=situation,
        cle_id=situation.cle_id,
        type="maintien_suivi",
        organisation=org,
        echeance=timezone.localdate() + timedelta(days=30),
        prise_par=user,
    )
    return str(decision.pk)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize(("route", "methode", "index", "persona"), _cellules())
def test_B1_matrix_cell(
    route: str, methode: str, index: int, persona: str, objets: dict[str, Any]
) -> None:
    user = None if persona == "anonyme" else creer_utilisateur(persona)
    if user is not None:
        # Personal-data routes need the charter in force accepted.
        AcceptationCharte.objects.create(utilisateur=user, charte_id=objets["charte"])
    if user is not None and persona == "referent_accueil":
        # The persona référent is a référent of the site the tig routes name.
        StructureAccueil.objects.get(pk=objets["structure_accueil"]).referents.add(user)
    par_session = MATRICE[route].get("authentification") == "session"
    client = session_pour(user) if par_session else client_pour(user)
    parametres = MATRICE[route].get("parametres", {})
    if user is not None and not par_session:
        # The persona's own token (the one the client authenticates with).
        objets["jeton_propre"] = str(JetonApi.objects.get(utilisateur=user).pk)
    chemin = route
    for nom, objet in parametres.items():
        chemin = chemin.replace("{" + nom + "}", objets[objet])
    corps, attendus = _regle(route, methode, index)
    entetes: dict[str, Any] = {"HTTP_X_MOTIF": "controle"}
    # The persona's own account ("$soi"; anonymous callers name a missing one).
    objets["soi"] = str(user.pk) if user is not None else str(uuid.uuid4())
    if user is not None and _variantes(route, methode)[index].get("verification"):
        # Step-up under a token: a fresh TOTP code in X-OTP.
        _, graine = appareil_totp_creer(utilisateur=user, nom="matrice")
        entetes["HTTP_X_OTP"] = f"{totp(graine):06d}"
    response = client.generic(
        methode,
        chemin,
        data=json.dumps(_remplacer(corps, objets)) if corps is not None else "",
        content_type="application/json",
        **entetes,
    )
    assert response.status_code == _attendu(attendus, persona), (
        f"{methode} {route} en {persona}: {response.status_code} {response.content[:300]!r}"
    )
    if response.status_code != 204:
        media_type = response["Content-Type"].split(";")[0]
        assert media_type == "application/json" or media_type.endswith("+json"), media_type


def test_B1_personas_cover_every_role():
    roles = {role for _, role, _, _ in PERSONAS.values() if role}
    assert roles == set(Role.values)


def _objets_orientations(decideur: Utilisateur) -> dict[str, str]:
    """An orientation of the Dijon case made just before, a rappel à l'ordre and a transaction."""
    from cellules.dossiers.models import Situation
    from tests.cellules.orientations import factories as f_orientations
    from tests.cellules.registres import factories as f_registres

    situation = (
        Situation.objects.filter(commune_id="21231", ressort="tj-dijon")
        .order_by("creee_le")
        .first()
    )
    assert situation is not None
    aujourd_hui = timezone.localdate()
    orientation = f_orientations.orientation(situation, decideur=decideur)
    rappel = f_registres.rappel("21231", personne=situation.personne, auteur=decideur)
    return {
        "orientation": str(orientation.pk),
        "mesure": str(f_orientations.mesure().pk),
        "rappel": str(rappel.pk),
        "transaction": str(f_registres.transaction("21231", auteur=decideur).pk),
        "echeance": (aujourd_hui + timedelta(days=30)).isoformat(),
        "aujourdhui": aujourd_hui.isoformat(),
    }


def _membre_dijon(cellule_id: Any) -> str:
    """A member of that Dijon cell (for the withdrawal route)."""
    from cellules.composition.models import MembreCellule

    org = Organisation.objects.create(nom="Membre Dijon", type=TypeOrganisation.PJJ)
    user = Utilisateur.objects.create(username="membre." + secrets.token_hex(3), organisation=org)
    membre = MembreCellule.objects.create(
        cellule_id=cellule_id, utilisateur=user, organisation=org, fonction="éducatrice"
    )
    return str(membre.pk)


def _convocation_dijon(seance: str, membre: str) -> str:
    """The convocation of that member to that meeting, whose e-mail failed (no address)."""
    from cellules.seances.models import Convocation

    convocation = Convocation.objects.create(
        seance_id=seance, membre_id=membre, etat_envoi="echec", motif_echec="aucune_adresse"
    )
    return str(convocation.pk)


def _cellule_charte() -> str:
    """Another Dijon cell (no case, no persona as coordonnateur) with its own charter v1."""
    from cellules.chartes.models import CharteCellule
    from tests.cellules.composition import factories as f_composition

    cellule = f_composition.cellule("21231", ressort="tj-dijon")
    auteur = Utilisateur.objects.create(username="auteur." + secrets.token_hex(3))
    CharteCellule.objects.create(
        cellule=cellule, version=1, titre="Charte", texte="Texte.", publiee_par=auteur
    )
    return str(cellule.pk)


def _objets_tig() -> dict[str, str]:
    """An adult with a case in a Dijon cell, and a TIG measure of his (ressort "tj-dijon")."""
    from cellules.dossiers.models import Situation
    from tests.cellules.dossiers import factories as f_dossiers
    from tests.tig import factories as f_tig

    situation = Situation.objects.filter(commune_id="21231", ressort="tj-dijon").first()
    assert situation is not None
    majeure = f_tig.personne_agee(30)
    f_dossiers.situation(situation.cellule, majeure)
    return {
        "personne_majeure": str(majeure.pk),
        "mesure_tig": str(f_tig.mesure_agent(majeure).pk),
    }
