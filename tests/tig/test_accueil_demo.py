"""The demo step of reception sites: posts in all 23 communes, one référent per site,
idempotent."""

from __future__ import annotations

import pytest
from django.conf import settings

from acces import demo as demo_acces
from acces.enums import Role
from acces.models import Commune
from tig.accueil import demo
from tig.accueil.models import Poste, StructureAccueil

pytestmark = pytest.mark.django_db


def test_demo_step_runs_after_the_accounts() -> None:
    etapes = list(settings.DEMO_ETAPES)
    assert etapes.index("tig.accueil.demo.charger") > etapes.index("acces.demo.charger")


def test_demo_sites_and_posts_are_idempotent() -> None:
    demo_acces.charger()
    comptes = demo.charger()
    # The Longvic référent is already listed by the accounts step.
    assert {c["username"] for c in comptes} == {s.referent for s in demo.SITES} - {
        "referent.accueil"
    }
    assert all(c["email"].endswith("@demo.invalid") for c in comptes)
    metropole = set(Commune.objects.filter(ressort_id="tj-dijon").values_list("pk", flat=True))
    assert len(metropole) == 23
    assert set(Poste.objects.values_list("commune_id", flat=True)) == metropole
    for site in StructureAccueil.objects.prefetch_related("referents"):
        referents = list(site.referents.all())
        assert len(referents) == 1
        assert referents[0].habilitations.filter(role=Role.REFERENT_ACCUEIL).exists()
    assert {s.type for s in StructureAccueil.objects.all()} >= {
        "commune",
        "bailleur_social",
        "operateur_transport",
        "association",
    }
    assert any(p.perime for p in Poste.objects.all())
    assert Poste.objects.eligibles().exists()
    avant = (StructureAccueil.objects.count(), Poste.objects.count())
    demo.charger()
    assert (
        (StructureAccueil.objects.count(), Poste.objects.count())
        == avant
        == (
            len(demo.SITES),
            sum(len(s.postes) for s in demo.SITES),
        )
    )
