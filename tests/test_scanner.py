"""The suite-wide response scanner (tests.utils.scanner) can fail, and passes logged reads."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls_scanner")]


def test_D1_a_personal_record_without_access_event_fails_the_request(client):
    with pytest.raises(AssertionError, match="sans exactement un événement"):
        client.get("/test/non-journalisee/")


def test_D1_a_logged_read_passes_the_scanner(client):
    assert client.get("/test/journalisee/").status_code == 200
