"""The suite-wide response scanner (tests.utils.scanner) can fail, and passes logged reads."""

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.urls_scanner")]


def test_D1_a_personal_record_without_access_event_fails_the_request(client):
    with pytest.raises(AssertionError, match="sans exactement un événement"):
        client.get("/test/non-journalisee/")


def test_D1_a_logged_read_passes_the_scanner(client):
    assert client.get("/test/journalisee/").status_code == 200


def test_D1_the_personal_keys_are_derived_and_mark_every_personal_serializer():
    from tests.utils.scanner import cles_personnelles, serialiseurs_personnels

    cles = cles_personnelles()
    # Encrypted identity and case content, and categorised fields of the serializers.
    assert {"prenom", "date_naissance", "adresse", "observation", "note", "profils"} <= cles
    # An organisation's or a cell's name alone is not a person's.
    assert "nom" not in cles
    # Those that declare personal fields themselves (a page of cases nests one of them).
    personnels = [c for c in serialiseurs_personnels() if hasattr(c, "categories_des_champs")]
    assert len(personnels) >= 9
    sans_marque = [
        c.__qualname__ for c in personnels if not cles & set(vars(c)["_declared_fields"])
    ]
    assert sans_marque == []
