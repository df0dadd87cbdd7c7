"""A real Celery worker on the real Redis broker, fed through the outbox (F4, F6)."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.contrib.auth.models import Group
from django.db import connection, connections, transaction

from config.celery import app
from socle import outbox
from socle.models import BattementWorker, OutboxMessage, TacheExecutee
from socle.outbox import enqueue
from socle.tasks import tache_idempotente

# Only these apps' tables are flushed after each test; the append-only access log refuses the
# TRUNCATE a full flush would issue.
pytestmark = pytest.mark.django_db(
    transaction=True,
    available_apps=["django.contrib.contenttypes", "django.contrib.auth", "acces", "socle"],
)

FILE = "celery"
ATTENTE_MAX_S = 30.0


@tache_idempotente("tests.effet_non_idempotent")
def effet_non_idempotent(*, jeton: str) -> None:
    """Creates a new row on every run: only the outbox marker keeps it to one."""
    Group.objects.create(name=f"effet-{jeton[:8]}-{uuid.uuid4().hex[:8]}")


def attendre(condition: Callable[[], bool], quoi: str) -> None:
    """Bounded poll; the bound is a failure guard, not a performance assertion."""
    limite = time.monotonic() + ATTENTE_MAX_S
    while not condition():
        if time.monotonic() > limite:
            pytest.fail(f"le worker n'a pas traité : {quoi}")
        time.sleep(0.05)


@pytest.fixture
def executions() -> Iterator[list[tuple[str, str]]]:
    """(message id, database name) of each run, recorded from the worker thread."""
    ids: list[tuple[str, str]] = []
    verrou = threading.Lock()

    def espion(task_id: str, **_: Any) -> None:
        with verrou:
            ids.append((task_id, connection.settings_dict["NAME"]))
        # The worker thread's connection must not outlive the test database.
        connections.close_all()

    task_postrun.connect(espion, weak=False)
    yield ids
    task_postrun.disconnect(espion)


@pytest.fixture
def worker(executions: list[tuple[str, str]]) -> Iterator[None]:
    client = redis.Redis.from_url(app.conf.broker_url)
    client.delete(FILE)  # stale messages from an earlier run must not reach this database
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield
    client.delete(FILE)
    client.close()


@pytest.mark.worker
def test_F4_outbox_write_reaches_the_worker_which_uses_the_test_database(
    worker: None, executions: list[tuple[str, str]]
) -> None:
    jeton = uuid.uuid4()
    with transaction.atomic():
        Group.objects.create(name="ecriture-worker")
        message = enqueue("socle.battement", jeton=jeton)

    attendre(lambda: BattementWorker.objects.filter(id=jeton).exists(), "socle.battement")
    message.refresh_from_db()
    assert message.envoye_le is not None
    assert TacheExecutee.objects.filter(id=message.pk, tache="battement").exists()
    base_de_test = connection.settings_dict["NAME"]
    assert base_de_test.startswith("test_")
    assert executions == [(str(message.pk), base_de_test)]


@pytest.mark.worker
def test_F6_duplicated_message_runs_twice_with_one_effect(
    worker: None, executions: list[tuple[str, str]]
) -> None:
    jeton = uuid.uuid4().hex
    with transaction.atomic():
        message = enqueue("tests.effet_non_idempotent", jeton=jeton)
    # A relay that crashed after publishing publishes the same row again.
    OutboxMessage.objects.filter(pk=message.pk).update(envoye_le=None)
    assert outbox.relay_pending() == 1

    attendre(lambda: [i for i, _ in executions].count(str(message.pk)) == 2, "le doublon")
    assert Group.objects.filter(name__startswith=f"effet-{jeton[:8]}-").count() == 1
    assert TacheExecutee.objects.filter(id=message.pk).count() == 1


def test_F6_concurrent_duplicates_have_one_effect() -> None:
    cle = str(uuid.uuid4())
    depart = threading.Barrier(2)
    erreurs: list[BaseException] = []

    def executer() -> None:
        try:
            depart.wait(timeout=10)
            effet_non_idempotent(jeton="concurrent", outbox_id=cle)
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            erreurs.append(exc)
        finally:
            connections.close_all()

    fils = [threading.Thread(target=executer) for _ in range(2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=ATTENTE_MAX_S)
    assert not any(fil.is_alive() for fil in fils)
    assert erreurs == []
    assert Group.objects.filter(name__startswith="effet-concurre-").count() == 1
    assert TacheExecutee.objects.filter(id=cle).count() == 1
