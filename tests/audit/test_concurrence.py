"""D6: concurrent appends from many connections keep seq gap-free and one successor per hash."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.db import connection

from audit import journal, verification
from audit.enums import ActionAcces, Motif
from audit.models import EvenementAcces

FILS = 8
APPENDS = 15


class _Requete:
    """The attributes the journal reads from a request (no user: a technical caller)."""

    META = {"REMOTE_ADDR": "192.0.2.1"}
    user = None


# Only the audit tables are flushed afterwards: reference data loaded by migrations stays.
@pytest.mark.django_db(transaction=True, available_apps=["audit"])
def test_D6_concurrent_threads_keep_chain_contiguous():
    depart = threading.Barrier(FILS)
    erreurs: list[BaseException] = []

    def travail() -> None:
        try:
            depart.wait()
            for _ in range(APPENDS):
                journal.consigner_lectures(
                    _Requete(),
                    [("cellules.situation", uuid.uuid4()), ("cellules.situation", uuid.uuid4())],
                    action=ActionAcces.LISTE,
                    motif=Motif.CONTROLE,
                )
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            erreurs.append(exc)
        finally:
            connection.close()

    fils = [threading.Thread(target=travail) for _ in range(FILS)]
    for f in fils:
        f.start()
    for f in fils:
        f.join()

    assert erreurs == []
    total = FILS * APPENDS * 2
    seqs = list(EvenementAcces.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, total + 1))
    precedents = EvenementAcces.objects.values_list("hash_precedent", flat=True)
    assert len(set(precedents)) == total
    rapport = verification.verifier()
    assert rapport.ok and rapport.verifies == total
