from __future__ import annotations

import importlib

import pytest

from acces.models import AutorisationCategorie


@pytest.fixture(autouse=True)
def matrice_categories(request: pytest.FixtureRequest) -> None:
    """The default category matrix of the migrations (a transactional test may have flushed it)."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("db")
    defaut = importlib.import_module("acces.migrations.0004_matrice_categories_defaut").DEFAUT
    for type_organisation, categories in defaut.items():
        for categorie in categories:
            AutorisationCategorie.objects.get_or_create(
                type_organisation=type_organisation, categorie=categorie
            )
