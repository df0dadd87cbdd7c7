"""Management commands: exit status and output of audit_verify / audit_checkpoint / audit_purge."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from audit import points
from audit.models import EvenementAcces
from tests.audit.outils import TABLE, remplir, sans_declencheur, sql

pytestmark = pytest.mark.django_db


def _appeler(*args: str) -> str:
    sortie = io.StringIO()
    call_command(*args, stdout=sortie)
    return sortie.getvalue()


def test_D5_audit_verify_exit_codes():
    remplir(3)
    assert "3 événements vérifiés" in _appeler("audit_verify", "--taille-lot", "2")
    with sans_declencheur():
        sql(f"UPDATE {TABLE} SET objet_id = 'autre' WHERE seq = 2")  # noqa: S608
    with pytest.raises(CommandError, match="premier événement invalide 2") as erreur:
        _appeler("audit_verify")
    assert erreur.value.returncode == 1


def test_audit_checkpoint_appends_a_signed_line():
    remplir(2)
    assert "numéro 2" in _appeler("audit_checkpoint")
    remplir(1)
    _appeler("audit_checkpoint")
    lignes = [json.loads(x) for x in points.chemin().read_text().splitlines()]
    assert [(x["type"], x["seq"]) for x in lignes] == [("tete", 2), ("tete", 3)]


def test_D10_audit_purge_dry_run_then_real():
    remplir(2, horodatage=timezone.now() - dt.timedelta(days=400))
    remplir(1)
    assert "2 événements à supprimer" in _appeler("audit_purge", "--essai")
    assert EvenementAcces.objects.count() == 3
    assert "2 événements supprimés" in _appeler("audit_purge")
    assert "intègre" in _appeler("audit_verify")
