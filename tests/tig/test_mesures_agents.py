# mypy: disallow-untyped-calls=False
"""Measures created by agents: the délégué du procureur (TNR, réparation for a minor) and the
conseiller d'exécution (TIG; SPIP adults, PJJ minors): limits, scope, API, change log."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.utils import timezone

from acces import services as acces_services
from acces.demo import COMPTES, DOMAINE_DEMO, adresse_demo
from acces.enums import ROLES_A_APPROUVER, Action, Role, TypeOrganisation
from acces.models import Habilitation
from audit.changements import MASQUE
from audit.models import EvenementAcces
from cellules.dossiers.models import Situation
from cellules.registres.services import ajouter_mois
from socle.errors import ApiError
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.matrice.personas import client_pour
from tests.tig import factories as f
from tests.utils.base import assert_erreur_json, db_snapshot
from tig import services
from tig.enums import NatureMesure, StatutMesure
from tig.models import Mesure

pytestmark = pytest.mark.django_db

URL = "/api/v1/mesures-tig/"
MOTIF: dict[str, Any] = {"HTTP_X_MOTIF": "execution_mesure"}
# Tables every authenticated request writes (access log, token last use, session).
IGNOREES = ["audit_evenementacces", "audit_tetechaine", "django_session", "acces_jetonapi"]


@pytest.fixture(autouse=True)
def _cellule_dijon() -> Any:
    # A Dijon cell puts commune 21231 in the ressort "tj-dijon".
    return f_composition.cellule("21231", ressort="tj-dijon")


@pytest.fixture
def spip() -> Any:
    return f.conseiller(TypeOrganisation.SPIP)


@pytest.fixture
def pjj() -> Any:
    return f.conseiller(TypeOrganisation.PJJ)


@pytest.fixture
def delegue() -> Any:
    return f_composition.agent(Role.DELEGUE_PROCUREUR, type_organisation=TypeOrganisation.PARQUET)


def _personne(cellule: Any, age: int) -> Any:
    """A person of that age with a case in the Dijon cell (within every agent's reach)."""
    personne = f.personne_agee(age)
    f_dossiers.situation(cellule, personne)
    return personne


def _creer(acteur: Any, personne: Any, **champs: Any) -> Mesure:
    valeurs: dict[str, Any] = {
        "nature": NatureMesure.TIG,
        "personne_id": personne.pk,
        "situation_id": None,
        "heures_prevues": 120,
        "validee_le": timezone.localdate(),
        "commune": "21231",
        "contraintes": services.Contraintes(),
        "acteur": acteur,
    }
    valeurs.update(champs)
    return services.mesure_creer(**valeurs)


def _erreur(appel: Any) -> ApiError:
    with pytest.raises(ApiError) as erreur:
        appel()
    return erreur.value


# --- the role in acces ---------------------------------------------------------------------


def test_role_needs_a_ressort_a_spip_or_pjj_organisation_and_a_second_person() -> None:
    admin = f_composition.agent(Role.ADMIN_TECHNIQUE, type_organisation=TypeOrganisation.METROPOLE)
    agent_spip = f_composition.utilisateur(
        organisation=f_composition.organisation(nom="SPIP fictif", type=TypeOrganisation.SPIP)
    )
    agent_commune = f_composition.utilisateur(
        organisation=f_composition.organisation(nom="Commune fictive", type="commune")
    )

    def accorder(utilisateur: Any, ressort: str, acteur: Any = admin) -> Habilitation:
        return acces_services.habilitation_creer(
            utilisateur=utilisateur,
            role=Role.CONSEILLER_EXECUTION,
            communes=[],
            ressort=ressort,
            perimetre_cispd=False,
            fin=None,
            acteur=acteur,
        )

    sans_ressort = _erreur(lambda: accorder(agent_spip, ""))
    assert (sans_ressort.status_code, list(sans_ressort.champs)) == (400, ["ressort"])
    commune = _erreur(lambda: accorder(agent_commune, "tj-dijon"))
    assert (commune.status_code, list(commune.champs)) == (400, ["role"])
    soi = _erreur(lambda: accorder(admin, "tj-dijon", acteur=admin))
    assert (soi.status_code, soi.code) == (403, "auto_habilitation")
    assert not Habilitation.objects.filter(role=Role.CONSEILLER_EXECUTION).exists()
    habilitation = accorder(agent_spip, "tj-dijon")
    assert Role.CONSEILLER_EXECUTION in ROLES_A_APPROUVER
    # Four eyes: no role until a second administrator approves it.
    assert habilitation.approuvee_le is None
    assert not Habilitation.objects.actives().filter(pk=habilitation.pk).exists()
    refus = _erreur(
        lambda: acces_services.habilitation_approuver(habilitation=habilitation, acteur=admin)
    )
    assert refus.status_code == 403
    second = f_composition.agent(Role.ADMIN_TECHNIQUE, type_organisation=TypeOrganisation.METROPOLE)
    acces_services.habilitation_approuver(habilitation=habilitation, acteur=second)
    assert Habilitation.objects.actives().filter(pk=habilitation.pk).exists()


def test_demo_has_a_spip_and_a_pjj_conseiller() -> None:
    comptes = {c.username: c for c in COMPTES}
    for nom, type_organisation in (
        ("conseiller.spip", TypeOrganisation.SPIP),
        ("conseiller.pjj", TypeOrganisation.PJJ),
    ):
        compte = comptes[nom]
        assert compte.role == Role.CONSEILLER_EXECUTION
        assert (compte.type_organisation, compte.ressort) == (type_organisation, "tj-dijon")
        assert adresse_demo(nom) == f"{nom}@{DOMAINE_DEMO}" and DOMAINE_DEMO == "demo.invalid"


# --- creation rules ------------------------------------------------------------------------


def test_spip_creates_a_tig_for_an_adult_with_its_18_months_deadline(
    spip: Any, _cellule_dijon: Any
) -> None:
    personne = _personne(_cellule_dijon, 30)
    validee = timezone.localdate() - dt.timedelta(days=3)
    mesure = _creer(
        spip,
        personne,
        validee_le=validee,
        contraintes=services.Contraintes(
            commune_domicile="21166",
            communes_a_eviter=["21231", "21166", "21231"],
            jours_disponibles=["vendredi", "lundi"],
            activites_a_eviter=["transport", "espaces_verts"],
        ),
    )
    assert mesure.nature == NatureMesure.TIG and mesure.statut == StatutMesure.A_AFFECTER
    assert mesure.date_limite == ajouter_mois(validee, 18) and mesure.mineur is False
    assert mesure.commune_domicile_id == "21166" and mesure.cle_id == personne.cle_id
    assert mesure.jours_disponibles == ["lundi", "vendredi"]
    assert mesure.activites_a_eviter == ["espaces_verts", "transport"]
    recue = Mesure.objects.get(pk=mesure.pk)
    assert services.communes_a_eviter(recue) == ["21166", "21231"]
    # Encrypted at rest: the column holds no INSEE code in clear.
    assert b"21231" not in bytes(recue.communes_a_eviter)


@pytest.mark.parametrize(
    ("nature", "heures", "bornes"),
    [
        (NatureMesure.TIG, 19, "Entre 20 et 400"),
        (NatureMesure.TIG, 401, "Entre 20 et 400"),
        (NatureMesure.TNR, 101, "Entre 1 et 100"),
        (NatureMesure.TNR, 0, "Entre 1 et 100"),
    ],
)
def test_hours_out_of_range_are_a_422_naming_the_field_and_the_range(
    spip: Any, delegue: Any, _cellule_dijon: Any, nature: str, heures: int, bornes: str
) -> None:
    personne = _personne(_cellule_dijon, 30)
    acteur = spip if nature == NatureMesure.TIG else delegue
    erreur = _erreur(lambda: _creer(acteur, personne, nature=nature, heures_prevues=heures))
    assert (erreur.status_code, erreur.code) == (422, "hors_limites")
    assert list(erreur.champs) == ["heures_prevues"] and bornes in erreur.message
    assert not Mesure.objects.exists()


def test_limits_are_settings(settings: Any, spip: Any, delegue: Any, _cellule_dijon: Any) -> None:
    personne = _personne(_cellule_dijon, 30)
    assert _creer(spip, personne, heures_prevues=20).heures_prevues == 20
    assert _creer(spip, personne, heures_prevues=400).heures_prevues == 400
    assert _creer(delegue, personne, nature=NatureMesure.TNR, heures_prevues=100)
    settings.TIG_TIG_HEURES_MAX = 200
    settings.TIG_TIG_DELAI_EXECUTION_MOIS = 12
    erreur = _erreur(lambda: _creer(spip, personne, heures_prevues=201))
    assert "Entre 20 et 200" in erreur.message
    assert _creer(spip, personne).date_limite == ajouter_mois(timezone.localdate(), 12)
    settings.TIG_TNR_HEURES_MAX = 30
    assert (
        _erreur(
            lambda: _creer(delegue, personne, nature=NatureMesure.TNR, heures_prevues=31)
        ).status_code
        == 422
    )


def test_validation_date_in_the_future_is_a_422(spip: Any, _cellule_dijon: Any) -> None:
    personne = _personne(_cellule_dijon, 30)
    demain = timezone.localdate() + dt.timedelta(days=1)
    erreur = _erreur(lambda: _creer(spip, personne, validee_le=demain))
    assert (erreur.status_code, list(erreur.champs)) == (422, ["validee_le"])


def test_pjj_minors_only_spip_adults_only_and_unpaid_work_from_16(
    spip: Any, pjj: Any, _cellule_dijon: Any
) -> None:
    adulte, mineur, jeune = (_personne(_cellule_dijon, a) for a in (30, 17, 15))
    for acteur, personne in ((pjj, adulte), (spip, mineur)):
        erreur = _erreur(lambda acteur=acteur, personne=personne: _creer(acteur, personne))
        assert (erreur.status_code, list(erreur.champs)) == (422, ["personne"])
    trop_jeune = _erreur(lambda: _creer(pjj, jeune))
    assert trop_jeune.status_code == 422 and "16 ans" in trop_jeune.message
    assert not Mesure.objects.exists()
    assert _creer(pjj, mineur).mineur is True


def test_delegue_creates_tnr_and_reparation_for_a_minor_only(
    delegue: Any, _cellule_dijon: Any
) -> None:
    adulte, mineur = _personne(_cellule_dijon, 30), _personne(_cellule_dijon, 14)
    tnr = _creer(delegue, adulte, nature=NatureMesure.TNR, heures_prevues=40)
    assert tnr.date_limite == ajouter_mois(timezone.localdate(), 6)
    erreur = _erreur(
        lambda: _creer(delegue, adulte, nature=NatureMesure.REPARATION, heures_prevues=10)
    )
    assert (erreur.status_code, list(erreur.champs)) == (422, ["personne"])
    reparation = _creer(delegue, mineur, nature=NatureMesure.REPARATION, heures_prevues=10)
    assert reparation.mineur is True and reparation.montant is None


def test_each_agent_creates_its_own_natures_only(
    spip: Any, delegue: Any, _cellule_dijon: Any
) -> None:
    personne = _personne(_cellule_dijon, 30)
    for acteur, nature in ((delegue, NatureMesure.TIG), (spip, NatureMesure.TNR)):
        erreur = _erreur(
            lambda acteur=acteur, nature=nature: _creer(acteur, personne, nature=nature)
        )
        assert (erreur.status_code, erreur.code) == (403, "nature_non_autorisee")
    directeur = f_composition.agent(Role.DIRECTEUR_TRANQUILLITE, communes=("21231",))
    assert _erreur(lambda: _creer(directeur, personne)).status_code == 403


def test_commune_person_and_case_must_be_within_the_ressort(spip: Any, _cellule_dijon: Any) -> None:
    f_composition.cellule("21166", ressort="TJ Ailleurs")
    personne = _personne(_cellule_dijon, 30)
    hors_ressort = _erreur(lambda: _creer(spip, personne, commune="21166"))
    assert (hors_ressort.status_code, list(hors_ressort.champs)) == (400, ["commune"])
    inconnue = f.personne_agee(30)  # no case in the ressort
    assert list(_erreur(lambda: _creer(spip, inconnue)).champs) == ["personne"]
    ailleurs = f_dossiers.situation(f_composition.cellule("21166", ressort="TJ Ailleurs"))
    assert list(_erreur(lambda: _creer(spip, personne, situation_id=ailleurs.pk)).champs) == [
        "situation"
    ]
    sienne = Situation.objects.get(personne=personne)
    assert _creer(spip, personne, situation_id=sienne.pk).situation_id == sienne.pk
    codes = services.Contraintes(communes_a_eviter=["99999"])
    assert list(_erreur(lambda: _creer(spip, personne, contraintes=codes)).champs) == [
        "communes_a_eviter"
    ]


# --- scope -----------------------------------------------------------------------------------


def test_scope_pjj_minors_spip_adults_tig_only_other_ressort_nothing(
    spip: Any, pjj: Any, delegue: Any, _cellule_dijon: Any
) -> None:
    adulte = f.mesure_agent(_personne(_cellule_dijon, 30))
    mineur = f.mesure_agent(_personne(_cellule_dijon, 17), mineur=True)
    tnr = f.mesure_agent(_personne(_cellule_dijon, 30), nature=NatureMesure.TNR, heures=20)

    def visibles(acteur: Any) -> set[Any]:
        return set(Mesure.objects.restrict(acteur, Action.LIRE).values_list("pk", flat=True))

    assert visibles(spip) == {adulte.pk}
    assert visibles(pjj) == {mineur.pk}
    assert visibles(delegue) == {adulte.pk, mineur.pk, tnr.pk}
    f_composition.cellule("21166", ressort="TJ Ailleurs")
    ailleurs = f.conseiller(TypeOrganisation.SPIP, ressort="TJ Ailleurs")
    assert visibles(ailleurs) == set()
    # A conseiller of an organisation that is neither SPIP nor PJJ reaches nothing.
    assert visibles(f.conseiller(TypeOrganisation.COMMUNE)) == set()
    reponse = client_pour(ailleurs).get(f"{URL}{adulte.pk}/", **MOTIF)
    assert_erreur_json(reponse, 404)
    assert_erreur_json(client_pour(pjj).get(f"{URL}{adulte.pk}/", **MOTIF), 404)


# --- API -------------------------------------------------------------------------------------


def _corps(personne: Any, **champs: Any) -> dict[str, Any]:
    return {
        "nature": "tig",
        "personne": str(personne.pk),
        "heures_prevues": 120,
        "validee_le": timezone.localdate().isoformat(),
        "commune": "21231",
        "commune_domicile": "21166",
        "communes_a_eviter": ["21231"],
        "jours_disponibles": ["lundi", "mardi"],
        "activites_a_eviter": ["mediation"],
        **champs,
    }


def test_api_create_read_update_with_access_log_and_etag(spip: Any, _cellule_dijon: Any) -> None:
    personne = _personne(_cellule_dijon, 30)
    client = client_pour(spip)
    creee = client.post(URL, _corps(personne), format="json", **MOTIF)
    assert creee.status_code == 201, creee.content
    corps = creee.json()
    assert corps["nature"] == "tig" and corps["personne"] == str(personne.pk)
    assert corps["communes_a_eviter"] == ["21231"] and corps["mineur"] is False
    assert corps["jours_disponibles"] == ["lundi", "mardi"] and "ETag" in creee
    pk = corps["id"]
    lu = client.get(f"{URL}{pk}/", **MOTIF)
    assert lu.status_code == 200 and lu["ETag"] == creee["ETag"]
    liste = client.get(URL, {"nature": "tig"}, **MOTIF)
    assert [m["id"] for m in liste.json()["results"]] == [pk]
    evenements = EvenementAcces.objects.filter(objet_id=pk)
    assert evenements.count() == 3
    assert set(evenements.values_list("personne_id", flat=True)) == {personne.pk}
    sans = client.patch(f"{URL}{pk}/", {"jours_disponibles": ["jeudi"]}, format="json", **MOTIF)
    assert_erreur_json(sans, 428)
    modifiee = client.patch(
        f"{URL}{pk}/",
        {"jours_disponibles": ["jeudi"], "communes_a_eviter": [], "commune_domicile": None},
        format="json",
        HTTP_IF_MATCH=lu["ETag"],
        **MOTIF,
    )
    assert modifiee.status_code == 200, modifiee.content
    assert modifiee.json()["jours_disponibles"] == ["jeudi"]
    assert modifiee.json()["communes_a_eviter"] == []
    assert modifiee.json()["commune_domicile"] is None and modifiee.json()["version"] == 2
    perimee = client.patch(
        f"{URL}{pk}/", {"jours_disponibles": []}, format="json", HTTP_IF_MATCH=lu["ETag"], **MOTIF
    )
    assert_erreur_json(perimee, 412)


def test_api_errors_are_json_and_write_nothing(spip: Any, _cellule_dijon: Any) -> None:
    personne = _personne(_cellule_dijon, 30)
    client = client_pour(spip)
    avant = db_snapshot(exclure=IGNOREES)
    corps = assert_erreur_json(
        client.post(URL, _corps(personne, heures_prevues=500), format="json", **MOTIF),
        422,
        "hors_limites",
    )
    assert list(corps["champs"]) == ["heures_prevues"] and "400" in corps["message"]
    for mauvais in (
        {"activites_a_eviter": ["jardinage"]},
        {"jours_disponibles": ["dimanche", "fin_de_semaine"]},
        {"inconnu": 1},
    ):
        reponse = client.post(URL, _corps(personne, **mauvais), format="json", **MOTIF)
        assert_erreur_json(reponse, 400)
    assert_erreur_json(client.get(URL, {"nature": "autre"}, **MOTIF), 400)
    assert_erreur_json(client.get(URL, {"tri": "x"}, **MOTIF), 400)
    assert db_snapshot(exclure=IGNOREES) == avant


def test_change_log_masks_the_constraints(spip: Any, _cellule_dijon: Any) -> None:
    personne = _personne(_cellule_dijon, 30)
    mesure = _creer(
        spip,
        personne,
        contraintes=services.Contraintes(communes_a_eviter=["21166"], jours_disponibles=["lundi"]),
    )
    services.mesure_contraintes_modifier(
        mesure=mesure,
        contraintes=services.Contraintes(
            communes_a_eviter=["21231"], activites_a_eviter=["logistique"]
        ),
        version=1,
        acteur=spip,
    )
    entrees = list(LogEntry.objects.get_for_object(mesure).order_by("pk"))
    assert len(entrees) == 2
    # The encrypted column is excluded; its change is named, value masked.
    assert "communes_a_eviter" not in entrees[1].changes_dict
    assert entrees[1].additional_data == {"modification": {"communes_a_eviter": [MASQUE, MASQUE]}}
    for entree in entrees:
        for champ in ("communes_a_eviter", "jours_disponibles", "activites_a_eviter", "mineur"):
            if champ in entree.changes_dict:
                assert set(entree.changes_dict[champ]) <= {MASQUE, "None"}, champ
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t::text FROM auditlog_logentry AS t WHERE object_pk = %s", [str(mesure.pk)]
        )
        journal = "\n".join(row[0] for row in cursor.fetchall())
    assert "21166" not in journal and "logistique" not in journal and "lundi" not in journal
    assert json.dumps(str(mesure)) == json.dumps(f"mesure {mesure.pk}")


def test_every_categorised_field_of_a_measure_is_masked_in_the_change_log() -> None:
    from auditlog.registry import auditlog

    from tig.mesures.api.serializers import MesureTigSerializer

    options = auditlog.get_model_fields(Mesure)
    masques = set(options["mask_fields"]) | set(options["exclude_fields"])
    colonnes = {c.name for c in Mesure._meta.concrete_fields}
    champs = MesureTigSerializer._declared_fields
    categorises = {
        str(champs[nom].source or nom).removesuffix("_id")
        for nom in MesureTigSerializer.categories_des_champs
    }
    assert {c for c in categorises if c in colonnes} - masques == set()


def test_a_created_measure_is_replayed_with_the_same_idempotency_key(
    spip: Any, _cellule_dijon: Any
) -> None:
    personne = _personne(_cellule_dijon, 30)
    client = client_pour(spip)
    entetes: dict[str, Any] = {**MOTIF, "HTTP_IDEMPOTENCY_KEY": "mesure-tig-0001"}
    premiere = client.post(URL, _corps(personne), format="json", **entetes)
    seconde = client.post(URL, _corps(personne), format="json", **entetes)
    assert (premiere.status_code, seconde.status_code) == (201, 201)
    assert premiere.json()["id"] == seconde.json()["id"] and Mesure.objects.count() == 1
    assert seconde["Idempotent-Replayed"] == "true"
