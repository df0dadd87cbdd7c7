"""D4: the application's PostgreSQL role reads and appends to the logs, nothing more.

Each test creates a role that owns nothing, applies ``manage.py accorder_droits`` and acts as
that role (``SET LOCAL ROLE``), as the web and worker processes do in production.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from acces.models import Organisation
from audit import points, purge, verification
from audit.models import EvenementAcces
from tests.audit.outils import TABLE, remplir, sql

pytestmark = pytest.mark.django_db

ROLE = "suivi_app_essai"
JOURNAL_MODIFICATIONS = "auditlog_logentry"


@pytest.fixture
def role_application() -> Iterator[str]:
    sql(f"CREATE ROLE {ROLE} NOLOGIN")
    sortie = io.StringIO()
    call_command("accorder_droits", "--role", ROLE, stdout=sortie)
    assert f"au rôle {ROLE}" in sortie.getvalue()
    yield ROLE


def en_tant_que_application() -> None:
    sql(f"SET LOCAL ROLE {ROLE}")


def _refuse(requete: str) -> str:
    """Run ``requete`` as the application role in a savepoint; the error message."""
    with pytest.raises(DatabaseError) as erreur, transaction.atomic():
        en_tant_que_application()
        sql(requete)
    return str(erreur.value)


@pytest.mark.parametrize(
    "requete",
    [
        f"UPDATE {TABLE} SET type_objet = 'x'",  # noqa: S608
        f"DELETE FROM {TABLE}",  # noqa: S608
        f"TRUNCATE {TABLE}",
        f"ALTER TABLE {TABLE} DISABLE TRIGGER ALL",
        f"UPDATE {JOURNAL_MODIFICATIONS} SET changes_text = ''",  # noqa: S608
        f"DELETE FROM {JOURNAL_MODIFICATIONS}",  # noqa: S608
        f"TRUNCATE {JOURNAL_MODIFICATIONS}",
        f"SELECT set_config('audit.purge_jusqu_a', '1000', true); DELETE FROM {TABLE}",  # noqa: S608
    ],
)
def test_D4_application_role_cannot_alter_or_empty_the_logs(
    role_application: str, requete: str
) -> None:
    remplir(3, horodatage=timezone.now() - timedelta(days=400))
    message = _refuse(requete)
    assert "permission denied" in message or "must be owner" in message
    assert EvenementAcces.objects.count() == 3
    assert verification.verifier().ok


def test_D4_application_role_does_its_daily_work(role_application: str) -> None:
    """Appending to the chain, writing an audited row and reading the log all work."""
    with transaction.atomic():
        en_tant_que_application()
        remplir(2)
        organisation = Organisation.objects.create(nom="Association essai", type="association")
        organisation.nom = "Association essai renommée"
        organisation.save()
        assert EvenementAcces.objects.count() == 2
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == ROLE
    assert verification.verifier().ok


def test_D4_purge_through_the_owner_function_keeps_the_floor(role_application: str) -> None:
    remplir(4, horodatage=timezone.now() - timedelta(days=400))
    remplir(2, horodatage=timezone.now() - timedelta(days=10))
    points.ecrire_tete()
    with transaction.atomic():
        en_tant_que_application()
        resultat = purge.purger()
        # Asked for everything: the function still keeps what is younger than 180 days.
        with connection.cursor() as cursor:
            cursor.execute("SELECT audit_purger(%s, %s)", [10**9, timezone.now()])
            assert cursor.fetchone()[0] == 0
    assert (resultat.supprimes, resultat.jusqu_a) == (4, 4)
    assert list(EvenementAcces.objects.values_list("seq", flat=True)) == [5, 6]
    assert verification.verifier().ok


def test_D4_command_refuses_a_superuser_or_a_missing_role() -> None:
    with pytest.raises(CommandError, match="n'existe pas"):
        call_command("accorder_droits", "--role", "role_absent_essai")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        moi = cursor.fetchone()[0]
    with pytest.raises(CommandError, match="ni superutilisateur"):
        call_command("accorder_droits", "--role", moi)
    with pytest.raises(CommandError, match="invalide"):
        sql('CREATE ROLE "Role-Invalide" NOLOGIN')
        call_command("accorder_droits", "--role", "Role-Invalide")
