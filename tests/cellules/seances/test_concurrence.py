"""Two coordinators scheduling overlapping meetings of one cell at once: one wins, one gets 409."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection

from acces.enums import Role
from acces.models import Utilisateur
from cellules.seances import services
from cellules.seances.models import Seance
from socle.errors import ApiError
from tests.cellules.composition import factories as f_composition
from tests.cellules.seances.factories import dans

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


def test_F1_concurrent_overlapping_meetings_one_wins_one_gets_409() -> None:
    coords = (f_composition.agent(Role.COORDONNATEUR), f_composition.agent(Role.COORDONNATEUR))
    cellule = f_composition.cellule("21231", coordonnateurs=coords)
    debut = dans(4)
    depart = threading.Barrier(2)
    resultats: list[object] = []

    def planifier(decalage: int, acteur: Utilisateur) -> None:
        try:
            depart.wait(timeout=10)
            services.seance_planifier(
                cellule=cellule,
                debut=debut + dt.timedelta(minutes=decalage),
                fin=debut + dt.timedelta(hours=2),
                acteur=acteur,
            )
            resultats.append(201)
        except ApiError as exc:
            resultats.append(exc.status_code)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            resultats.append(exc)
        finally:
            connection.close()

    fils = [threading.Thread(target=planifier, args=(i * 30, c)) for i, c in enumerate(coords)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(timeout=30)
    assert sorted(map(str, resultats)) == ["201", "409"]
    assert Seance.objects.filter(cellule=cellule).count() == 1
