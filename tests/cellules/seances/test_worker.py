"""A real Celery worker on the real Redis broker delivers a convocation e-mail (E4, F4, F6)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connections, transaction

from cellules.seances import services
from cellules.seances.models import Convocation
from config.celery import app
from socle.models import OutboxMessage, TacheExecutee
from tests.canaris import canari, scanner
from tests.cellules.composition import factories as f_composition
from tests.cellules.composition.factories import membre
from tests.cellules.seances.factories import dans

# Only these apps' tables are flushed after the test; the append-only access log refuses the
# TRUNCATE a full flush would issue.
pytestmark = pytest.mark.django_db(
    transaction=True,
    available_apps=[
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "auditlog",
        "acces",
        "socle",
        "cellules",
    ],
)

FILE = "celery"
ATTENTE_MAX_S = 30.0


def attendre(condition: Callable[[], bool], quoi: str) -> None:
    """Bounded poll; the bound is a failure guard, not a performance assertion."""
    limite = time.monotonic() + ATTENTE_MAX_S
    while not condition():
        if time.monotonic() > limite:
            pytest.fail(f"le worker n'a pas traité : {quoi}")
        time.sleep(0.05)


@pytest.fixture
def worker() -> Iterator[None]:
    client = redis.Redis.from_url(app.conf.broker_url)
    client.delete(FILE)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield
    connections.close_all()
    client.delete(FILE)
    client.close()


@pytest.mark.worker
def test_worker_delivers_a_convocation_email_without_personal_data(worker: None) -> None:
    from acces.enums import Role

    c = canari()
    coord = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    cellule = f_composition.cellule("21231", coordonnateurs=(coord,))
    # The cell's name is shown (not personal data): the canary names the member convened.
    convoque = membre(cellule)
    convoque.utilisateur.first_name, convoque.utilisateur.last_name = c.prenom, c.nom
    convoque.utilisateur.save()
    debut = dans(5)
    seance = services.seance_planifier(
        cellule=cellule, debut=debut, fin=dans(5, 16), lieu="autre", acteur=coord
    )
    with transaction.atomic():
        services.convocations_envoyer(seance=seance, membres=[convoque], acteur=coord)

    attendre(lambda: len(mail.outbox) == 1, "la convocation")
    (message,) = mail.outbox
    assert message.to == [convoque.utilisateur.email]
    assert message.subject == "Convocation à une séance de cellule"
    assert b"METHOD:REQUEST" in message.message().as_bytes()
    assert scanner(message.message().as_bytes(), [c]) == []
    (outbox,) = OutboxMessage.objects.filter(tache=services.TACHE_ENVOI)
    attendre(lambda: TacheExecutee.objects.filter(id=outbox.pk).exists(), "le marqueur")
    convocation = Convocation.objects.get()
    assert (convocation.seance_id, convocation.etat_envoi) == (seance.pk, "envoye")
