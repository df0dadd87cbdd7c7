"""Convocation e-mails, .ics invitations and task messages: no personal data (E4, E6), once
per outbox id (F6), re-checked when the task runs."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from celery.signals import before_task_publish
from django.core import mail
from icalendar import Calendar

from cellules.seances import services, tasks
from cellules.seances.enums import NatureEnvoi
from cellules.seances.models import Seance
from config.celery import app
from socle.models import OutboxMessage
from tests.canaris import Canari, canari, scanner
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.seances.factories import Monde, dans, monde

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> Canari:
    return canari()


@pytest.fixture
def m(c: Canari) -> Monde:
    """A cell, a member and a case whose person, cell name and member names are canaries."""
    monde_ = monde()
    monde_.situation = f_dossiers.situation(monde_.cellule, f_dossiers.personne(c))
    monde_.cellule.nom = f"Cellule {c.prenom} {c.nom}"
    monde_.cellule.save()
    utilisateur = monde_.membre.utilisateur
    utilisateur.first_name, utilisateur.last_name = c.prenom, c.nom
    utilisateur.save()
    return monde_


def _planifier(m: Monde, c: Canari) -> Seance:
    debut = dans(10)
    seance = services.seance_planifier(
        cellule=m.cellule,
        debut=debut,
        fin=debut + dt.timedelta(hours=2),
        lieu="locaux_partenaire",
        acteur=m.coord,
    )
    services.ordre_du_jour_ajouter(
        seance=seance, situation=m.situation, motif="nouvelle_situation", acteur=m.coord
    )
    services.convocations_envoyer(seance=seance, membres=[m.membre], acteur=m.coord)
    return seance


def _executer_outbox() -> int:
    """Run every pending outbox message of the meeting e-mails, as the worker would."""
    executes = 0
    for message in OutboxMessage.objects.filter(
        tache=services.TACHE_ENVOI, envoye_le__isnull=True
    ).order_by("cree_le"):
        tasks.envoyer_convocation(**message.arguments, outbox_id=str(message.pk))
        OutboxMessage.objects.filter(pk=message.pk).update(envoye_le=message.cree_le)
        executes += 1
    return executes


def _ics(message: Any) -> tuple[bytes, Calendar]:
    ((nom, contenu, type_mime),) = message.attachments
    assert nom == "seance.ics" and type_mime.startswith("text/calendar")
    brut: bytes = contenu if isinstance(contenu, bytes) else contenu.encode()
    return brut, Calendar.from_ical(brut)


def _evenement(calendrier: Calendar) -> Any:
    (evenement,) = calendrier.walk("VEVENT")
    return evenement


def _tout(message: Any) -> bytes:
    entier: bytes = message.message().as_bytes()
    return entier + _ics(message)[0]


def test_E4_convocation_email_and_ics_hold_no_personal_data(m: Monde, c: Canari) -> None:
    seance = _planifier(m, c)
    assert _executer_outbox() == 1
    (message,) = mail.outbox
    assert message.to == [m.membre.utilisateur.email]
    assert scanner(_tout(message), [c]) == []
    assert scanner(str(message.subject), [c]) == []
    assert "Bureau" not in message.body and "Bureau" not in _ics(message)[0].decode()
    assert str(m.cellule.pk) in message.body
    assert f"/api/v1/seances/{seance.pk}/" in message.body
    _, calendrier = _ics(message)
    evenement = _evenement(calendrier)
    assert calendrier["METHOD"] == "REQUEST"
    assert str(evenement["UID"]) == f"seance-{seance.pk}@suivi-cellules"
    assert int(evenement["SEQUENCE"]) == 0
    assert evenement.decoded("DTSTART") == seance.debut
    assert "LOCATION" not in evenement
    assert str(evenement["SUMMARY"]) == "Séance de cellule"


def test_rescheduling_and_cancellation_keep_uid_and_bump_sequence(m: Monde, c: Canari) -> None:
    seance = _planifier(m, c)
    nouveau = seance.debut + dt.timedelta(days=1)
    seance.refresh_from_db()  # convening changed the meeting's version
    seance = services.seance_modifier(
        seance=seance,
        version=seance.version,
        debut=nouveau,
        fin=nouveau + dt.timedelta(hours=1),
        acteur=m.coord,
    )
    services.seance_annuler(seance=seance, acteur=m.coord)
    assert _executer_outbox() == 3
    # The convocation sent late finds the meeting cancelled and sends nothing.
    objets = [message.subject for message in mail.outbox]
    assert objets == ["Séance de cellule annulée"]
    (annulation,) = mail.outbox
    _, calendrier = _ics(annulation)
    evenement = _evenement(calendrier)
    assert calendrier["METHOD"] == "CANCEL" and str(evenement["STATUS"]) == "CANCELLED"
    assert int(evenement["SEQUENCE"]) == 2
    assert str(evenement["UID"]) == f"seance-{seance.pk}@suivi-cellules"
    assert scanner(_tout(annulation), [c]) == []


def test_rescheduling_notice_carries_the_new_sequence(m: Monde, c: Canari) -> None:
    seance = _planifier(m, c)
    assert _executer_outbox() == 1
    nouveau = seance.debut + dt.timedelta(days=1)
    seance.refresh_from_db()  # convening changed the meeting's version
    services.seance_modifier(
        seance=seance,
        version=seance.version,
        debut=nouveau,
        fin=nouveau + dt.timedelta(hours=1),
        acteur=m.coord,
    )
    assert _executer_outbox() == 1
    premier, second = mail.outbox
    assert second.subject == "Séance de cellule déplacée"
    uids = {str(_evenement(_ics(x)[1])["UID"]) for x in (premier, second)}
    assert len(uids) == 1
    assert int(_evenement(_ics(second)[1])["SEQUENCE"]) == 1
    assert _evenement(_ics(second)[1]).decoded("DTSTART") == nouveau


def test_F6_same_outbox_id_twice_sends_one_email(m: Monde, c: Canari) -> None:
    _planifier(m, c)
    (message,) = OutboxMessage.objects.filter(tache=services.TACHE_ENVOI)
    for _ in range(2):
        tasks.envoyer_convocation(**message.arguments, outbox_id=str(message.pk))
    assert len(mail.outbox) == 1


def test_task_rechecks_that_the_convocation_still_holds(m: Monde, c: Canari) -> None:
    _planifier(m, c)
    m.membre.actif = False
    m.membre.save()
    assert _executer_outbox() == 1
    assert mail.outbox == []
    (message,) = OutboxMessage.objects.filter(tache=services.TACHE_ENVOI)
    assert tasks.envoyer_convocation(convocation_id=str(uuid.uuid4()), nature="convocation") == 0
    assert message.arguments["nature"] == NatureEnvoi.CONVOCATION


def test_reminder_email_from_the_beat_job(m: Monde, c: Canari) -> None:
    debut = dans(1)
    seance = services.seance_planifier(
        cellule=m.cellule, debut=debut, fin=debut + dt.timedelta(hours=1), acteur=m.coord
    )
    services.convocations_envoyer(seance=seance, membres=[m.membre], acteur=m.coord)
    assert tasks.programmer_rappels() == 1
    assert tasks.programmer_rappels() == 0
    assert _executer_outbox() == 2
    assert [x.subject for x in mail.outbox] == [
        "Convocation à une séance de cellule",
        "Rappel : séance de cellule à venir",
    ]
    assert scanner(b"".join(_tout(x) for x in mail.outbox), [c]) == []


@pytest.fixture
def messages_publies() -> Iterator[list[dict[str, Any]]]:
    corps: list[dict[str, Any]] = []

    def espion(body: Any = None, headers: Any = None, **_: Any) -> None:
        corps.append({"body": body, "headers": headers})

    before_task_publish.connect(espion, weak=False)
    yield corps
    before_task_publish.disconnect(espion)
    client = redis.Redis.from_url(app.conf.broker_url)
    client.delete("celery")
    client.close()


def test_E6_F4_published_task_messages_hold_opaque_ids_only(
    m: Monde,
    c: Canari,
    messages_publies: list[dict[str, Any]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _planifier(m, c)
    (publie,) = messages_publies
    args, kwargs, _ = publie["body"]
    assert list(args) == []
    assert set(kwargs) == {"convocation_id", "nature", "outbox_id"}
    assert {str(uuid.UUID(kwargs[k])) for k in ("convocation_id", "outbox_id")} == {
        kwargs["convocation_id"],
        kwargs["outbox_id"],
    }
    assert kwargs["nature"] == "convocation"
    assert scanner(json.dumps(publie, default=str), [c]) == []
    assert publie["headers"]["task"] == "cellules.seances.envoyer_convocation"


def test_F4_rolled_back_write_publishes_nothing(
    m: Monde,
    c: Canari,
    messages_publies: list[dict[str, Any]],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _planifier(m, c)
        raise RuntimeError("annulée")
    assert messages_publies == []
    assert not OutboxMessage.objects.exists()


def test_tasks_are_registered_and_reminders_run_from_beat() -> None:
    from django.conf import settings

    app.loader.import_default_modules()
    assert {services.TACHE_ENVOI, "cellules.seances.programmer_rappels"} <= set(app.tasks)
    taches = {job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "cellules.seances.programmer_rappels" in taches
    assert getattr(app.tasks[services.TACHE_ENVOI], "acks_late", False) is True
