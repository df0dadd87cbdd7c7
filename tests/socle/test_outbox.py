"""Transactional outbox: commit-bound publication, broker outages, opaque arguments (F4-F6, E6)."""

from __future__ import annotations

import json
import re
import socket
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any, cast

import pytest
import redis
import time_machine
from celery.signals import after_task_publish, before_task_publish
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from faker import Faker
from rest_framework.test import APIClient

from config.celery import app
from socle import outbox, sante
from socle.models import BattementWorker, OutboxMessage, TacheExecutee
from socle.outbox import ArgumentNonOpaque, enqueue, relay_pending
from socle.tasks import battement, une_seule_fois

pytestmark = pytest.mark.django_db

FILE = "celery"  # default queue
OPAQUE = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
fake = Faker("fr_FR")


def port_ferme() -> int:
    """A localhost port nobody listens on (bound then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def courtier_en_panne(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    # Celery reads CELERY_BROKER_*_URL from the environment before its own conf, so overriding
    # app.conf alone is ignored when the suite runs with CELERY_BROKER_URL set; the write URL
    # is what publishers and the health check use. monkeypatch restores it.
    url = f"redis://127.0.0.1:{port_ferme()}/0"
    monkeypatch.setenv("CELERY_BROKER_WRITE_URL", url)
    assert app.conf.broker_write_url == url
    yield url


@pytest.fixture
def file_redis() -> Iterator[redis.Redis]:
    """The real broker database, emptied before and after so no message outlives the test."""
    client = redis.Redis.from_url(app.conf.broker_url)
    client.delete(FILE)
    yield client
    client.delete(FILE)
    client.close()


@pytest.fixture
def avant_publication() -> Iterator[list[dict[str, Any]]]:
    """Every message handed to the broker: headers and body, as Celery serialises them."""
    vus: list[dict[str, Any]] = []

    def espion(sender: str, body: Any, headers: dict[str, Any], **_: Any) -> None:
        vus.append({"tache": sender, "id": headers["id"], "body": body, "headers": headers})

    before_task_publish.connect(espion, weak=False)
    yield vus
    before_task_publish.disconnect(espion)


@pytest.fixture
def apres_publication() -> Iterator[list[str]]:
    """Ids of the messages the broker accepted."""
    ids: list[str] = []

    def espion(headers: dict[str, Any], **_: Any) -> None:
        ids.append(headers["id"])

    after_task_publish.connect(espion, weak=False)
    yield ids
    after_task_publish.disconnect(espion)


def ecrire(nom: str, **arguments: object) -> OutboxMessage:
    """A write: one domain row and its outbox row, in one transaction."""
    with transaction.atomic():
        Group.objects.create(name=nom)
        return enqueue("socle.battement", **arguments)


def contenu_file(client: redis.Redis) -> list[bytes]:
    return cast(list[bytes], client.lrange(FILE, 0, -1))


def ids_en_file(client: redis.Redis) -> list[str]:
    return [json.loads(raw)["headers"]["id"] for raw in contenu_file(client)]


def test_F4_rollback_leaves_no_row_and_publishes_nothing(
    avant_publication: list[dict[str, Any]], django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Group.objects.create(name="annule")
        enqueue("socle.battement", jeton=uuid.uuid4())
        raise RuntimeError("échec après écriture")
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert not Group.objects.filter(name="annule").exists()
    assert avant_publication == []


def test_F4_commit_publishes_once_with_outbox_id_as_task_id(
    file_redis: redis.Redis, apres_publication: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    jeton = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = ecrire("publie", jeton=jeton)
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.envoye_le is not None
    assert apres_publication == [str(message.pk)]
    assert ids_en_file(file_redis) == [str(message.pk)]


def test_F5_broker_down_loses_nothing_and_relay_publishes_each_once(
    courtier_en_panne: str,
    monkeypatch: pytest.MonkeyPatch,
    file_redis: redis.Redis,
    apres_publication: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    ids = []
    for numero in range(100):
        with django_capture_on_commit_callbacks(execute=True):
            ids.append(str(ecrire(f"ecriture-{numero}", jeton=uuid.uuid4()).pk))

    assert Group.objects.filter(name__startswith="ecriture-").count() == 100
    attente = OutboxMessage.objects.filter(envoye_le__isnull=True)
    assert attente.count() == 100
    for message in attente:
        assert message.tentatives == 1
        assert message.derniere_erreur
        assert message.prochain_essai > message.cree_le
    assert apres_publication == []
    assert file_redis.llen(FILE) == 0
    # While the broker is down the relay keeps everything and publishes nothing.
    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        assert relay_pending() == 0
    assert outbox.en_attente() == 100

    monkeypatch.delenv("CELERY_BROKER_WRITE_URL")
    with time_machine.travel(timezone.now() + timedelta(hours=4)):
        assert relay_pending(limit=30) == 100
        assert relay_pending() == 0
    assert outbox.en_attente() == 0
    assert Counter(apres_publication) == Counter(ids)
    assert sorted(ids_en_file(file_redis)) == sorted(ids)


def test_F5_unexpected_publish_error_keeps_the_write(
    monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    def panne(*_: object) -> None:
        raise RuntimeError("publication impossible")

    monkeypatch.setattr(outbox, "_publish", panne)
    with django_capture_on_commit_callbacks(execute=True):
        message = ecrire("conserve", jeton=uuid.uuid4())
    message.refresh_from_db()
    assert Group.objects.filter(name="conserve").exists()
    assert message.envoye_le is None
    assert message.derniere_erreur == "RuntimeError"


def test_F5_relay_skips_messages_not_yet_due(
    courtier_en_panne: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = ecrire("differe", jeton=uuid.uuid4())
    message.refresh_from_db()
    assert message.tentatives == 1
    # Still backing off: the relay does not even try.
    assert relay_pending() == 0
    message.refresh_from_db()
    assert message.tentatives == 1


@pytest.mark.parametrize(
    "valeur",
    [
        pytest.param(lambda: fake.name(), id="nom"),
        pytest.param(lambda: "Élodie Lefèvre", id="accents"),
        pytest.param(lambda: "a b", id="espace"),
        pytest.param(lambda: {"id": 1}, id="dict"),
        pytest.param(lambda: 1.5, id="float"),
        pytest.param(lambda: True, id="bool"),
        pytest.param(lambda: None, id="none"),
        pytest.param(lambda: ["1"], id="liste"),
        pytest.param(lambda: "x" * 65, id="trop-long"),
    ],
)
def test_E6_non_opaque_argument_is_refused_and_nothing_written(
    valeur: Callable[[], object],
) -> None:
    with pytest.raises(ArgumentNonOpaque):
        enqueue("socle.battement", jeton=valeur())
    with pytest.raises(ArgumentNonOpaque):
        enqueue("socle.battement", {"jeton": valeur()})
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("cle", ["nom de famille", "outbox_id", "prénom"])
def test_E6_reserved_or_free_text_keys_are_refused(cle: str) -> None:
    with pytest.raises(ArgumentNonOpaque):
        enqueue("socle.battement", {cle: 1})
    assert not OutboxMessage.objects.exists()


def test_E6_opaque_arguments_are_stored_as_json_ids() -> None:
    ident = uuid.uuid4()
    message = enqueue("socle.battement", {"personne": ident}, rang=3, code="CISPD-21")
    message.refresh_from_db()
    assert message.arguments == {"personne": str(ident), "rang": 3, "code": "CISPD-21"}


def test_E6_published_bodies_hold_opaque_ids_only(
    file_redis: redis.Redis,
    avant_publication: list[dict[str, Any]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    nom = "Gaëlle Dupré-Lefèvre"
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            ecrire(f"{nom} {uuid.uuid4().hex[:6]}", jeton=uuid.uuid4())
    assert len(avant_publication) == 3
    for vu in avant_publication:
        args, kwargs, _embed = vu["body"]
        assert list(args) == []
        assert set(kwargs) == {"jeton", "outbox_id"}
        for valeur in kwargs.values():
            assert OPAQUE.fullmatch(str(valeur))
            uuid.UUID(str(valeur))
        brut = json.dumps([vu["body"], vu["headers"]], ensure_ascii=False, default=str)
        assert nom not in brut
        assert not re.search(r"[^\x00-\x7f]", brut)
    brut_redis = b"".join(contenu_file(file_redis))
    assert "Gaëlle".encode() not in brut_redis
    assert b"Ga\\u00eblle" not in brut_redis


def test_F6_same_outbox_id_twice_has_one_effect() -> None:
    cle = str(uuid.uuid4())
    battement(outbox_id=cle)
    battement(outbox_id=cle)
    assert BattementWorker.objects.count() == 1
    assert TacheExecutee.objects.filter(id=cle).count() == 1


def test_F6_failed_run_leaves_no_marker_so_a_retry_runs() -> None:
    essais: list[int] = []

    @une_seule_fois
    def effet() -> None:
        essais.append(1)
        Group.objects.create(name=f"effet-{len(essais)}")
        if len(essais) == 1:
            raise ConnectionError("panne passagère")

    cle = str(uuid.uuid4())
    with pytest.raises(ConnectionError):
        effet(outbox_id=cle)
    assert not TacheExecutee.objects.filter(id=cle).exists()
    effet(outbox_id=cle)
    effet(outbox_id=cle)
    assert len(essais) == 2
    assert list(Group.objects.values_list("name", flat=True)) == ["effet-2"]


def test_health_reports_broker_down_quickly_without_secret(
    courtier_en_panne: str, api: APIClient
) -> None:
    ok, detail = sante.courtier()
    assert (ok, detail) == (False, {"statut": "injoignable"})
    from tests.matrice.personas import client_pour, creer_utilisateur

    assert api.get("/api/v1/sante/").json() == {"statut": "degrade"}
    response = client_pour(creer_utilisateur("admin_technique")).get("/api/v1/sante/")
    assert response.status_code == 503
    assert response.json()["composants"]["courtier"] == {"statut": "injoignable"}
    corps = response.content.decode()
    assert "redis" not in corps
    assert "127.0.0.1" not in corps


def test_health_reports_broker_up_and_pending_messages() -> None:
    enqueue("socle.battement", jeton=uuid.uuid4())
    ok, detail = sante.courtier()
    assert ok
    assert detail["statut"] == "ok"
    assert detail["messages_en_attente"] == 1


def test_F6_late_acknowledged_tasks_are_idempotent_and_retry_boundedly() -> None:
    app.loader.import_default_modules()
    taches = {nom: t for nom, t in app.tasks.items() if not nom.startswith("celery.")}
    assert "socle.battement" in taches
    for nom, tache in taches.items():
        if tache.acks_late:
            assert getattr(tache.run, "une_seule_fois", False), nom
            assert tache.reject_on_worker_lost, nom
        if getattr(tache, "autoretry_for", ()):
            assert tache.max_retries is not None, nom
            assert getattr(tache, "retry_backoff", False), nom


def test_E6_beat_schedule_runs_registered_tasks_without_arguments(settings: Any) -> None:
    app.loader.import_default_modules()
    assert "relayer-outbox" in settings.CELERY_BEAT_SCHEDULE
    for nom, entree in settings.CELERY_BEAT_SCHEDULE.items():
        assert entree["task"] in app.tasks, nom
        assert not entree.get("args") and not entree.get("kwargs"), nom


def test_eager_mode_runs_the_task_at_commit_without_any_broker(
    courtier_en_panne: str, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(app.conf, "task_always_eager", True)
    jeton = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        message = ecrire("immediat", jeton=jeton)
    message.refresh_from_db()
    assert message.envoye_le is not None
    assert BattementWorker.objects.filter(id=jeton).exists()
    assert TacheExecutee.objects.filter(id=message.pk).exists()


@pytest.mark.django_db
def test_F5_a_task_no_app_registers_waits_in_the_outbox_without_blocking_others(
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A worker would drop an unknown task: it stays pending, the relay goes on with the rest."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        inconnu = outbox.enqueue("appli.absente.tache", objet_id=str(uuid.uuid4()))
    inconnu.refresh_from_db()
    assert inconnu.envoye_le is None and inconnu.derniere_erreur == "TacheInconnue"
    OutboxMessage.objects.filter(pk=inconnu.pk).update(prochain_essai=timezone.now())
    with transaction.atomic():
        connu = outbox.enqueue("socle.battement", jeton=str(uuid.uuid4()))
    OutboxMessage.objects.filter(pk=connu.pk).update(prochain_essai=timezone.now())
    outbox.relay_pending()
    connu.refresh_from_db()
    inconnu.refresh_from_db()
    assert connu.envoye_le is not None
    assert inconnu.envoye_le is None and inconnu.tentatives == 2
