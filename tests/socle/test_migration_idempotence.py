"""Migration cellules 0012: idempotency keys move to ``socle`` with their ids and change log."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.acces.factories import utilisateur as utilisateur_factice

AVANT = [("cellules", "0011_ressort_reference_communes_cispd")]
APRES = [("cellules", "0012_reponse_idempotente_dans_socle")]


def _migrer(cible: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(cible)
    return MigrationExecutor(connection)


@pytest.mark.django_db(transaction=True)
def test_rows_and_their_content_type_move_to_socle() -> None:
    utilisateur = utilisateur_factice()
    try:
        anciens = _migrer(AVANT).loader.project_state(AVANT).apps
        Ancienne = anciens.get_model("cellules", "ReponseIdempotente")
        ContentType = anciens.get_model("contenttypes", "ContentType")
        ContentType.objects.filter(model="reponseidempotente").delete()
        type_ancien = ContentType.objects.create(app_label="cellules", model="reponseidempotente")
        pk, objet = uuid.uuid4(), uuid.uuid4()
        Ancienne.objects.create(
            id=pk,
            utilisateur_id=utilisateur.pk,
            route="situations",
            cle="cle-1",
            empreinte="e" * 64,
            objet_id=objet,
            creee_le=timezone.now(),
        )
        nouveaux = _migrer(APRES).loader.project_state(APRES).apps
        Nouvelle = nouveaux.get_model("socle", "ReponseIdempotente")
        ligne = Nouvelle.objects.get(pk=pk)
        assert (ligne.utilisateur_id, ligne.route, ligne.cle, ligne.objet_id) == (
            utilisateur.pk,
            "situations",
            "cle-1",
            objet,
        )
        type_nouveau = nouveaux.get_model("contenttypes", "ContentType").objects.get(
            pk=type_ancien.pk
        )
        assert (type_nouveau.app_label, type_nouveau.model) == ("socle", "reponseidempotente")
        assert "cellules_reponseidempotente" not in connection.introspection.table_names()
    finally:
        _migrer(MigrationExecutor(connection).loader.graph.leaf_nodes())
