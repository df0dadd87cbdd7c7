from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
from pytest_django.plugin import blocking_manager_key
from rest_framework.test import APIClient

from tests.utils import reference


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """A reused database may come from a run whose last test flushed the reference data."""
    with django_db_blocker.unblock():
        reference.recharger()


def _transactionnel(item: pytest.Item) -> bool:
    marqueur = item.get_closest_marker("django_db")
    if marqueur is not None and marqueur.kwargs.get("transaction"):
        return True
    return "transactional_db" in getattr(item, "fixturenames", ())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    """After a transactional test's flush (its last finaliser), reload the reference data."""
    yield
    if _transactionnel(item):
        with item.config.stash[blocking_manager_key].unblock():
            reference.recharger()
