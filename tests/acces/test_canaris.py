"""The canary scanner finds every encoding, and a database dump holds no encrypted canary."""

from __future__ import annotations

import base64
import json
import unicodedata
import uuid
from urllib.parse import quote

import pytest
from auditlog.models import LogEntry
from django.db import models

from acces.crypto.champs import chiffrer
from acces.crypto.models import CleDonnees, SecretTotp
from acces.enums import TypeOrganisation
from acces.models import Organisation, Utilisateur
from tests.canaris import canari, ecritures_validees, encodages, pg_dump_donnees, scanner


def test_canaris_uniques_et_accentues() -> None:
    lot = [canari() for _ in range(200)]
    assert len({c.marque for c in lot}) == 200
    assert all("É" in c.prenom and "œ" in c.nom for c in lot)


@pytest.mark.parametrize(
    "habillage",
    [
        lambda v: v.encode(),
        lambda v: v.upper().encode(),
        lambda v: unicodedata.normalize("NFD", v).encode(),
        lambda v: json.dumps({"nom": v}).encode(),
        lambda v: json.dumps({"nom": unicodedata.normalize("NFD", v)}).encode(),
        lambda v: f"?q={quote(v)}".encode(),
        lambda v: base64.b64encode(v.encode()),
        lambda v: b"\\x" + v.encode().hex().encode(),
        lambda v: v.encode("utf-16-le"),
    ],
)
def test_scanner_trouve_chaque_encodage(habillage: object) -> None:
    c, autre = canari(), canari()
    blob = b"debut " + habillage(c.prenom) + b" fin"  # type: ignore[operator]
    touches = scanner(blob, [c, autre])
    assert touches
    assert {t.marque for t in touches} == {c.marque}


def test_scanner_sans_faux_positif() -> None:
    c = canari()
    assert scanner("Élodie Dupont, ZQX7 et ZQX7É", [c]) == []
    assert set(encodages(c.nom)) >= {"brut", "nfd", "json", "url", "base64", "hex"}


@pytest.mark.django_db
def test_C1_pg_dump_sans_canari_chiffre_mais_temoin_en_clair_trouve() -> None:
    canaris = [canari() for _ in range(5)]
    temoin = canari()
    with ecritures_validees():
        secrets: list[SecretTotp] = []
        organisation = None
        try:
            for c in canaris:
                utilisateur = Utilisateur.objects.create(username=f"u-{uuid.uuid4().hex}")
                cle = CleDonnees.nouvelle()
                cle.save()
                secret = SecretTotp(utilisateur=utilisateur, cle=cle)
                chiffrer(secret, "graine", f"{c.prenom} {c.nom}")
                secret.save()
                secrets.append(secret)
            organisation = Organisation.objects.create(
                nom=temoin.nom, type=TypeOrganisation.values[0]
            )

            dump = pg_dump_donnees()
        finally:
            crees: list[models.Model] = []
            for secret in secrets:
                crees += [secret, secret.cle, secret.utilisateur]
            if organisation is not None:
                crees.append(organisation)
            ids = [str(objet.pk) for objet in crees]
            for objet in crees:
                objet.delete()
            # The change log recorded our writes too: remove them, nothing else.
            LogEntry.objects.filter(object_pk__in=ids).delete()

    assert dump.count(b"ZQX7") == 0
    assert SecretTotp.objects.count() == 0  # nothing visible from the test transaction
    assert scanner(dump, canaris) == []
    touches = scanner(dump, [temoin])
    assert touches
    assert {t.valeur for t in touches} == {temoin.nom}
