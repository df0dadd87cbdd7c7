"""D11: unusual reads become alert events; auditors get an e-mail without personal data."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core import mail

from audit import anomalies, chaine, notifications, tasks, verification
from audit.enums import ActionAcces, Raison, Resultat
from audit.models import EvenementAcces
from socle.models import OutboxMessage
from tests.audit.outils import ligne
from tests.matrice.personas import creer_utilisateur

pytestmark = pytest.mark.django_db

MARDI_15H = dt.datetime(2026, 3, 10, 14, 0, tzinfo=dt.UTC)  # 15 h in Paris
MARDI_23H = dt.datetime(2026, 3, 10, 22, 0, tzinfo=dt.UTC)
SAMEDI_11H = dt.datetime(2026, 3, 14, 10, 0, tzinfo=dt.UTC)


def _lectures(debut: dt.datetime, utilisateur: uuid.UUID, nombre: int, **valeurs) -> None:  # type: ignore[no-untyped-def]
    chaine.ajouter(
        [
            ligne(debut + dt.timedelta(minutes=i), utilisateur_id=utilisateur, **valeurs)
            for i in range(nombre)
        ]
    )


def _alertes() -> list[tuple[str, uuid.UUID | None, int | None]]:
    return list(
        EvenementAcces.objects.filter(action=ActionAcces.ALERTE)
        .order_by("seq")
        .values_list("raison", "utilisateur_id", "nombre")
    )


def test_D11_volume_above_threshold(settings):
    settings.AUDIT_SEUIL_LECTURES_HEURE = 3
    gros, petit = uuid.uuid4(), uuid.uuid4()
    _lectures(MARDI_15H, gros, 5)
    _lectures(MARDI_15H, petit, 3)
    anomalies.detecter(MARDI_15H + dt.timedelta(hours=1, minutes=5))
    assert _alertes() == [(Raison.VOLUME_HORAIRE, gros, 5)]
    anomalies.detecter(MARDI_15H + dt.timedelta(hours=1, minutes=30))
    assert len(_alertes()) == 1  # idempotent
    assert verification.verifier().ok


def test_D11_night_and_weekend_reads():
    nuit, week_end = uuid.uuid4(), uuid.uuid4()
    _lectures(MARDI_23H, nuit, 1)
    _lectures(SAMEDI_11H, week_end, 2)
    anomalies.detecter(MARDI_23H + dt.timedelta(hours=1))
    anomalies.detecter(SAMEDI_11H + dt.timedelta(hours=1))
    assert _alertes() == [
        (Raison.LECTURE_NOCTURNE, nuit, 1),
        (Raison.LECTURE_WEEK_END, week_end, 2),
    ]


def test_D11_repeated_denials(settings):
    settings.AUDIT_SEUIL_REFUS_HEURE = 3
    insistant = uuid.uuid4()
    _lectures(
        MARDI_15H,
        insistant,
        3,
        action=ActionAcces.REFUS,
        resultat=Resultat.REFUSE,
        raison=Raison.HORS_PERIMETRE,
        motif="",
    )
    anomalies.detecter(MARDI_15H + dt.timedelta(hours=1))
    assert _alertes() == [(Raison.REFUS_REPETES, insistant, 3)]


def test_D11_hook_for_domain_detectors(settings):
    suspect = uuid.uuid4()
    settings.AUDIT_DETECTEURS = ["tests.audit.test_anomalies.detecteur_factice"]
    detecteur_factice.retour = [(suspect, 4)]  # type: ignore[attr-defined]
    anomalies.detecter(MARDI_15H)
    assert _alertes() == [(Raison.HORS_ORDRE_DU_JOUR, suspect, 4)]


def detecteur_factice(debut: dt.datetime, fin: dt.datetime) -> list[tuple[uuid.UUID, int]]:
    return list(detecteur_factice.retour)  # type: ignore[attr-defined]


def test_E4_auditors_notified_without_personal_data(settings):
    settings.AUDIT_SEUIL_LECTURES_HEURE = 1
    auditeur = creer_utilisateur("auditeur")
    auditeur.email = "dpo@exemple.invalid"
    auditeur.save()
    lecteur = uuid.uuid4()
    _lectures(MARDI_15H, lecteur, 2)
    alertes = anomalies.detecter(MARDI_15H + dt.timedelta(hours=1))
    message = OutboxMessage.objects.get(tache="audit.notifier_alertes")
    assert message.arguments == {"premier_seq": alertes[0].seq, "nombre": 1}
    assert notifications.notifier_alertes(**message.arguments) == 1
    (courriel,) = mail.outbox
    assert courriel.to == ["dpo@exemple.invalid"]
    assert "une alerte est à examiner" in courriel.body.lower()
    assert str(lecteur) not in f"{courriel.body}{courriel.subject}"


def test_D11_broken_chain_raises_a_security_event():
    chaine.ajouter([ligne(), ligne()])
    with __import__("tests.audit.outils", fromlist=["x"]).sans_declencheur():
        EvenementAcces.objects.filter(seq=1).update(motif="controle")
    assert tasks.verifier() is False
    assert EvenementAcces.objects.filter(raison=Raison.VERIFICATION_CHAINE).exists()
    assert OutboxMessage.objects.filter(tache="audit.notifier_alertes").exists()
