"""The demo scenario leaves a verifiable log with something for the auditor to review."""

from __future__ import annotations

import pytest

from acces import demo as demo_acces
from audit import demo, tasks, verification
from audit.enums import ActionAcces, Raison
from audit.models import EvenementAcces

pytestmark = pytest.mark.django_db


def test_demo_events_are_synthetic_idempotent_and_verifiable():
    demo_acces.charger()
    demo.charger()
    total = EvenementAcces.objects.count()
    assert total > 50
    assert EvenementAcces.objects.filter(action=ActionAcces.REFUS).exists()
    assert EvenementAcces.objects.filter(raison=Raison.LECTURE_NOCTURNE).exists()
    demo.charger()
    assert EvenementAcces.objects.count() == total
    assert verification.verifier().ok


def test_periodic_tasks_checkpoint_and_purge():
    demo_acces.charger()
    demo.charger()
    seq = tasks.point_de_controle()
    assert seq == EvenementAcces.objects.order_by("-seq").values_list("seq", flat=True).first()
    assert tasks.purger() == 0  # nothing older than the retention
    assert tasks.verifier() is True
