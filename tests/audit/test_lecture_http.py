"""D1/D2 over HTTP: each row returned has exactly one event of the request; no motif → 400."""

from __future__ import annotations

import uuid

import pytest

from acces.models import Organisation
from audit.models import EvenementAcces
from tests.matrice.personas import client_pour, creer_utilisateur
from tests.utils.base import assert_erreur_json

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.audit.urls_lecture")]

URL = "/essai/lecture/"


def test_D1_each_row_of_the_response_has_one_event_with_the_request_id():
    for _ in range(3):
        Organisation.objects.create(nom=f"Org {uuid.uuid4().hex[:8]}", type="ccas")
    client = client_pour(creer_utilisateur("delegue_procureur"))
    response = client.get(URL, HTTP_X_MOTIF="suivi_orientation")
    assert response.status_code == 200
    lus = response.json()["results"]
    evenements = EvenementAcces.objects.filter(request_id=response["X-Request-ID"])
    assert sorted(evenements.values_list("objet_id", flat=True)) == sorted(lus)
    assert set(evenements.values_list("motif", flat=True)) == {"suivi_orientation"}


def test_D2_no_motif_is_a_json_400_and_a_logged_refusal():
    user = creer_utilisateur("directeur_tranquillite")
    response = client_pour(user).get(URL)
    assert_erreur_json(response, 400, "motif_requis")
    refus = EvenementAcces.objects.get(request_id=response["X-Request-ID"])
    assert (refus.utilisateur_id, refus.raison) == (user.pk, "motif_requis")
