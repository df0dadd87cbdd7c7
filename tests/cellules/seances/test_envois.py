"""Convocation e-mails, .ics invitations and task messages: no personal data (E4, E6), once
per outbox id (F6), re-checked when the task runs."""

from __future__ import annotations

import datetime as dt
import email.policy
import json
import re
import smtplib
import uuid
import zoneinfo
from collections.abc import Iterator
from email.message import EmailMessage as Message
from email.parser import BytesParser
from typing import Any

import pytest
import redis
from celery.signals import before_task_publish
from django.core import mail
from django.core.mail.backends import locmem
from django.utils import timezone
from icalendar import Calendar

from acces.enums import Role
from cellules.seances import envois, formats, services, tasks
from cellules.seances.enums import NatureEnvoi
from cellules.seances.models import Convocation, Seance
from config.celery import app
from socle.errors import ApiError
from socle.models import OutboxMessage
from tests.canaris import Canari, canari, scanner
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f_dossiers
from tests.cellules.seances.factories import Monde, dans, monde

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> Canari:
    return canari()


@pytest.fixture
def m(c: Canari) -> Monde:
    """A cell, a member and a case whose person and member names are canaries (the cell's
    name is not personal data: the e-mail shows it)."""
    monde_ = monde()
    monde_.situation = f_dossiers.situation(monde_.cellule, f_dossiers.personne(c))
    monde_.cellule.nom = "Cellule de suivi des Grésilles"
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


def _partie_ics(message: Any) -> Message:
    """The calendar part of the raw MIME message, as a mail client parses it."""
    brut = message.message().as_bytes()
    analyse = BytesParser(policy=email.policy.default).parsebytes(brut)
    (partie,) = [p for p in analyse.walk() if p.get_content_type() == "text/calendar"]
    assert isinstance(partie, Message) and partie.get_filename() == "seance.ics"
    return partie


def _ics(message: Any) -> tuple[bytes, Calendar]:
    contenu = _partie_ics(message).get_content()
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
    assert str(m.cellule.pk) not in message.body
    _, calendrier = _ics(message)
    evenement = _evenement(calendrier)
    assert calendrier["METHOD"] == "REQUEST"
    assert str(evenement["UID"]) == f"seance-{seance.pk}@suivi-cellules"
    assert int(evenement["SEQUENCE"]) == 0
    assert evenement.decoded("DTSTART") == seance.debut
    assert str(evenement["LOCATION"]) == "locaux d'un partenaire"
    assert str(evenement["SUMMARY"]) == "Séance de cellule — Cellule de suivi des Grésilles"


def test_E4_email_names_the_cell_the_date_time_place_and_an_absolute_link(
    m: Monde, c: Canari, settings: Any
) -> None:
    settings.SUIVI_URL_PUBLIQUE = "https://suivi.exemple.fr"
    seance = _planifier(m, c)
    assert _executer_outbox() == 1
    (message,) = mail.outbox
    debut, fin = timezone.localtime(seance.debut), timezone.localtime(seance.fin)
    jours = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
    assert "la cellule « Cellule de suivi des Grésilles »" in message.body
    assert f"Date : {jours[debut.weekday()]} " in message.body
    assert f"Heure : {debut.hour} h 00 – {fin.hour} h 00" in message.body
    assert "Lieu : locaux d'un partenaire" in message.body
    lien = f"https://suivi.exemple.fr/api/v1/seances/{seance.pk}/"
    assert lien in message.body.splitlines()
    assert lien in str(_evenement(_ics(message)[1])["DESCRIPTION"])
    assert scanner(_tout(message), [c]) == []


def test_french_dates_of_the_email() -> None:
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    assert formats.jour(dt.date(2026, 12, 8)) == "mardi 8 décembre 2026"
    premier = dt.datetime(2027, 2, 1, 9, 5, tzinfo=paris)
    assert formats.date_et_heure(premier) == "lundi 1er février 2027, 9 h 05"
    # Stored in UTC, written in Paris time, the day included.
    assert formats.heure(dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)) == "14 h 00"
    assert (
        formats.date_et_heure(dt.datetime(2026, 12, 8, 23, 30, tzinfo=dt.UTC))
        == "mercredi 9 décembre 2026, 0 h 30"
    )


def test_ics_part_names_its_charset_once_in_the_raw_message(m: Monde, c: Canari) -> None:
    _planifier(m, c)
    assert _executer_outbox() == 1
    (message,) = mail.outbox
    brut = message.message().as_bytes()
    (entete,) = re.findall(rb"Content-Type: text/calendar[^\n]*(?:\n[ \t][^\n]*)*", brut)
    assert entete.lower().count(b"charset") == 1, entete
    partie = _partie_ics(message)
    assert partie.get_content_charset() == "utf-8"
    assert partie.get_param("method") == "REQUEST"


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


# --- delivery state of each convocation -----------------------------------------------------


def _convocation(m: Monde) -> Convocation:
    return Convocation.objects.get(membre=m.membre)


def _etat(m: Monde) -> tuple[str, str, str]:
    convocation = _convocation(m)
    return convocation.nature_envoi, convocation.etat_envoi, convocation.motif_echec


def test_delivery_state_is_queued_then_sent(m: Monde, c: Canari) -> None:
    _planifier(m, c)
    assert _etat(m) == ("convocation", "en_attente", "")
    assert _convocation(m).etat_envoi_le is not None
    assert _executer_outbox() == 1
    assert _etat(m) == ("convocation", "envoye", "")


def test_account_without_address_fails_at_once_with_no_task(m: Monde, c: Canari) -> None:
    utilisateur = m.membre.utilisateur
    utilisateur.email = ""
    utilisateur.save()
    _planifier(m, c)
    assert _etat(m) == ("convocation", "echec", "aucune_adresse")
    assert not OutboxMessage.objects.filter(tache=services.TACHE_ENVOI).exists()


def test_address_removed_after_queueing_fails_when_the_task_runs(m: Monde, c: Canari) -> None:
    _planifier(m, c)
    type(m.membre.utilisateur).objects.filter(pk=m.membre.utilisateur_id).update(email="")
    assert _executer_outbox() == 1
    assert mail.outbox == []
    assert _etat(m) == ("convocation", "echec", "aucune_adresse")


def _serveur_en_panne(monkeypatch: pytest.MonkeyPatch, erreur: Exception) -> None:
    def panne(self: Any, messages: Any) -> int:
        raise erreur

    monkeypatch.setattr(locmem.EmailBackend, "send_messages", panne)


def test_refused_address_fails_with_a_closed_list_reason(
    m: Monde, c: Canari, monkeypatch: pytest.MonkeyPatch
) -> None:
    _planifier(m, c)
    adresse = m.membre.utilisateur.email
    _serveur_en_panne(monkeypatch, smtplib.SMTPRecipientsRefused({adresse: (550, b"inconnu")}))
    assert _executer_outbox() == 1
    assert _etat(m) == ("convocation", "echec", "adresse_refusee")


def test_mail_server_away_is_retried_then_recorded_on_the_last_attempt(
    m: Monde, c: Canari, monkeypatch: pytest.MonkeyPatch
) -> None:
    _planifier(m, c)
    (message,) = OutboxMessage.objects.filter(tache=services.TACHE_ENVOI)
    _serveur_en_panne(monkeypatch, ConnectionRefusedError("connexion refusée"))
    # Not the last attempt: raised for the task to retry, nothing recorded (marker rolled back).
    with pytest.raises(ConnectionRefusedError):
        tasks.envoyer_convocation(**message.arguments, outbox_id=str(message.pk))
    assert _etat(m) == ("convocation", "en_attente", "")
    assert envois.envoyer(str(_convocation(m).pk), "convocation", dernier_essai=True) == 0
    assert _etat(m) == ("convocation", "echec", "serveur_injoignable")


def test_message_no_longer_due_is_without_object(m: Monde, c: Canari) -> None:
    _planifier(m, c)
    m.membre.actif = False
    m.membre.save()
    assert _executer_outbox() == 1
    assert _etat(m) == ("convocation", "sans_objet", "")


def test_a_late_message_does_not_overwrite_the_state_of_a_later_one(m: Monde, c: Canari) -> None:
    seance = _planifier(m, c)
    services.seance_annuler(seance=seance, acteur=m.coord)
    assert _etat(m) == ("annulation", "en_attente", "")
    assert _executer_outbox() == 2  # the convocation first, then the cancellation
    assert _etat(m) == ("annulation", "envoye", "")


# --- resending a failed one -----------------------------------------------------------------


def _en_echec_sans_adresse(m: Monde, c: Canari) -> Seance:
    utilisateur = m.membre.utilisateur
    adresse, utilisateur.email = utilisateur.email, ""
    utilisateur.save()
    seance = _planifier(m, c)
    utilisateur.email = adresse
    utilisateur.save()
    return seance


def test_coordinator_resends_a_failed_convocation_once(m: Monde, c: Canari) -> None:
    seance = _en_echec_sans_adresse(m, c)
    renvoyee = services.convocation_renvoyer(
        seance=seance, convocation=_convocation(m), acteur=m.coord
    )
    assert renvoyee.etat_envoi == "en_attente"
    # Idempotent: queued (then sent) is returned as is, nothing enqueued again.
    services.convocation_renvoyer(seance=seance, convocation=_convocation(m), acteur=m.coord)
    assert OutboxMessage.objects.filter(tache=services.TACHE_ENVOI).count() == 1
    assert _executer_outbox() == 1
    assert _etat(m) == ("convocation", "envoye", "")
    services.convocation_renvoyer(seance=seance, convocation=_convocation(m), acteur=m.coord)
    assert OutboxMessage.objects.filter(tache=services.TACHE_ENVOI).count() == 1
    assert len(mail.outbox) == 1


def test_resend_is_refused_while_the_account_has_no_address(m: Monde, c: Canari) -> None:
    utilisateur = m.membre.utilisateur
    utilisateur.email = ""
    utilisateur.save()
    seance = _planifier(m, c)
    with pytest.raises(ApiError) as erreur:
        services.convocation_renvoyer(seance=seance, convocation=_convocation(m), acteur=m.coord)
    assert (erreur.value.status_code, erreur.value.code) == (409, "aucune_adresse")
    assert _etat(m) == ("convocation", "echec", "aucune_adresse")
    assert not OutboxMessage.objects.exists()


def test_resend_of_a_withdrawn_convocation_is_refused(m: Monde, c: Canari) -> None:
    seance = _en_echec_sans_adresse(m, c)
    Convocation.objects.filter(membre=m.membre).update(valide=False)
    with pytest.raises(ApiError) as erreur:
        services.convocation_renvoyer(seance=seance, convocation=_convocation(m), acteur=m.coord)
    assert (erreur.value.status_code, erreur.value.code) == (409, "renvoi_sans_objet")
    assert not OutboxMessage.objects.exists()


def test_only_a_coordinator_of_the_cell_resends(m: Monde, c: Canari) -> None:
    seance = _en_echec_sans_adresse(m, c)
    autre = f_composition.agent(Role.COORDONNATEUR, communes=("21231",))
    with pytest.raises(ApiError) as erreur:
        services.convocation_renvoyer(seance=seance, convocation=_convocation(m), acteur=autre)
    assert erreur.value.status_code == 404
    assert _etat(m) == ("convocation", "echec", "aucune_adresse")
