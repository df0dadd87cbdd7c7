"""F1: two writers of one case at the same time: exactly one wins, the other gets 412."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.utils import timezone

from acces.enums import Role
from acces.models import Charte, Organisation
from cellules.dossiers import services
from cellules.dossiers.enums import Profil
from cellules.dossiers.models import Situation
from socle.errors import ApiError
from tests.canaris import ecritures_validees
from tests.cellules.composition import factories as f_composition
from tests.cellules.dossiers import factories as f


def _course(situation: Situation, acteur: Any, profils: list[list[str]]) -> list[object]:
    depart = threading.Barrier(len(profils))
    resultats: list[object] = []

    def ecrire(valeur: list[str]) -> None:
        try:
            depart.wait()
            services.situation_modifier(
                situation=situation, version=1, acteur=acteur, profils=valeur
            )
            resultats.append(200)
        except ApiError as exc:
            resultats.append(exc.status_code)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            resultats.append(exc)
        finally:
            connection.close()

    fils = [threading.Thread(target=ecrire, args=(v,)) for v in profils]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()
    return resultats


@pytest.mark.django_db
def test_F1_concurrent_writers_one_wins_one_gets_412() -> None:
    debut = timezone.now()
    with ecritures_validees():
        chartes = set(Charte.objects.values_list("pk", flat=True))
        coord = f_composition.agent(Role.COORDONNATEUR)
        situation = f.situation(f_composition.cellule("21231", coordonnateurs=(coord,)), profils=[])
        try:
            resultats = _course(situation, coord, [[Profil.REITERANT], [Profil.RECIDIVISTE]])
            finale = Situation.objects.get(pk=situation.pk)
        finally:
            cellule, personne = situation.cellule, situation.personne
            situation.delete()
            personne.delete()
            personne.cle.delete()
            cellule.delete()
            organisation_id: Any = coord.organisation_id
            coord.delete()
            Organisation.objects.filter(pk=organisation_id).delete()
            Charte.objects.exclude(pk__in=chartes).delete()
            LogEntry.objects.filter(timestamp__gte=debut).delete()
    assert sorted(map(str, resultats)) == ["200", "412"]
    assert finale.version == 2
    assert finale.profils in ([Profil.REITERANT], [Profil.RECIDIVISTE])
