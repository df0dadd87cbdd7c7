"""Change log (django-auditlog): coverage of every model, full masking, actor and request id."""

from __future__ import annotations

import json
import uuid

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.db import connection

from acces.models import Organisation, Utilisateur
from audit.changements import EXEMPTIONS, MASQUE, mettre_a_jour
from audit.contexte import agir_pour
from tests.canaris import canari, scanner
from tests.matrice.personas import client_pour, creer_utilisateur

APPS = ("acces", "audit", "cellules", "tig", "cispd", "socle")


@pytest.mark.parametrize("label", APPS)
def test_every_model_audited_or_exempt(label):
    """Register it (``audit.changements.suivre``) or exempt it with a reason (``exempter``)."""
    for modele in apps.get_app_config(label).get_models():
        nom = f"{modele._meta.app_label}.{modele.__name__}"
        assert auditlog.contains(modele) != (nom in EXEMPTIONS), nom


def test_exemptions_name_real_models_with_a_reason():
    for nom, raison in EXEMPTIONS.items():
        assert apps.get_model(nom) is not None and raison.strip()


def _changement(objet) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    entree = LogEntry.objects.get_for_object(objet).order_by("-pk").first()
    assert entree is not None
    return entree.changes_dict


@pytest.mark.django_db
def test_D8_personal_fields_masked_entirely_and_password_absent():
    c = canari()
    user = Utilisateur.objects.create(username=f"u.{c.marque}", first_name=c.prenom)
    user.last_name = c.nom
    user.email = f"{c.marque}@exemple.invalid"
    user.set_password("une phrase de passe assez longue")
    user.save()
    changes = _changement(user)
    assert changes["last_name"] == [MASQUE, MASQUE]
    assert changes["email"] == [MASQUE, MASQUE]
    assert "password" not in changes and "last_login" not in changes
    entree = LogEntry.objects.get_for_object(user).first()
    assert entree.object_repr == f"utilisateur {user.pk}"


@pytest.mark.django_db
def test_D8_no_canary_reaches_change_log_tables():
    c = canari()
    user = Utilisateur.objects.create(username=c.marque, first_name=c.prenom, last_name=c.nom)
    user.first_name = c.nom
    user.save()
    user.delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT t::text FROM auditlog_logentry AS t")
        contenu = "\n".join(row[0] for row in cursor.fetchall())
    assert contenu.count(str(user.pk)) >= 3  # create, update and delete are all there
    assert scanner(contenu, [c]) == []


@pytest.mark.django_db
def test_api_write_gets_actor_request_id_and_trusted_address(settings):
    settings.PROXIES_DE_CONFIANCE = ["127.0.0.1"]
    admin = creer_utilisateur("admin_technique")
    organisation = Organisation.objects.create(nom=f"Org {uuid.uuid4().hex[:6]}", type="ccas")
    client = client_pour(admin)
    response = client.patch(
        f"/api/v1/organisations/{organisation.pk}/",
        json.dumps({"active": False}),
        content_type="application/json",
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.8",
        HTTP_X_CORRELATION_ID="forge",
    )
    assert response.status_code == 200, response.content
    entree = LogEntry.objects.get_for_object(organisation).order_by("-pk").first()
    assert entree.actor_id == admin.pk
    assert entree.cid == response["X-Request-ID"]
    assert entree.remote_addr == "203.0.113.8"
    assert entree.changes_dict["active"] == ["True", "False"]


@pytest.mark.django_db
def test_task_writes_attributed_with_agir_pour():
    acteur = creer_utilisateur("admin_technique")
    organisation = Organisation.objects.create(nom=f"Org {uuid.uuid4().hex[:6]}", type="ccas")
    with agir_pour(acteur):
        organisation.active = False
        organisation.save()
    entree = LogEntry.objects.get_for_object(organisation).order_by("-pk").first()
    assert entree.actor_id == acteur.pk


@pytest.mark.django_db
def test_bulk_update_helper_is_seen_by_the_change_log():
    organisations = [
        Organisation.objects.create(nom=f"Org {uuid.uuid4().hex[:6]}", type="ccas")
        for _ in range(2)
    ]
    avant = LogEntry.objects.count()
    assert (
        mettre_a_jour(
            Organisation.objects.filter(pk__in=[o.pk for o in organisations]), active=False
        )
        == 2
    )
    assert LogEntry.objects.count() == avant + 2


def test_C_D8_secrets_excluded_and_personal_fields_fully_masked():
    from acces.auth.models import JetonApi
    from acces.crypto.models import CleDonnees, SecretTotp

    exclus = {
        Utilisateur: {"password", "last_login"},
        JetonApi: {"hash"},
        CleDonnees: {"cle_enveloppee"},
        SecretTotp: {"graine"},
    }
    for modele, champs in exclus.items():
        assert champs <= set(auditlog.get_model_fields(modele)["exclude_fields"]), modele
    options = auditlog.get_model_fields(Utilisateur)
    assert {"username", "first_name", "last_name", "email"} <= set(options["mask_fields"])
    assert options["mask_callable"] == "audit.changements.masquer"
