"""D12: the access log is copied to a local syslog receiver; a dead sink loses nothing."""

from __future__ import annotations

import json
import socket
import socketserver
import threading
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from audit import expedition, points, purge
from audit.enums import ActionAcces, Raison
from audit.models import EvenementAcces, ExpeditionJournal
from socle.models import OutboxMessage
from tests.audit.outils import remplir

pytestmark = pytest.mark.django_db


class Recepteur:
    """A syslog receiver on 127.0.0.1 over TCP, one message per line."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        recepteur = self

        class Tcp(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                for ligne in self.rfile:
                    recepteur.messages.append(ligne.decode("ascii").rstrip("\n"))

        self.serveur = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Tcp)
        self.adresse = f"tcp://127.0.0.1:{self.serveur.server_address[1]}"
        self.fil = threading.Thread(target=self.serveur.serve_forever, daemon=True)
        self.fil.start()

    def corps(self) -> list[dict[str, object]]:
        return [json.loads(m.split(" - audit.acces - ", 1)[1]) for m in self.messages]

    def attendre(self, nombre: int) -> None:
        for _ in range(200):
            if len(self.messages) >= nombre:
                return
            threading.Event().wait(0.01)

    def arreter(self) -> None:
        self.serveur.shutdown()
        self.serveur.server_close()


@pytest.fixture
def recepteur(settings) -> Iterator[Recepteur]:
    serveur = Recepteur()
    settings.AUDIT_SYSLOG_ADRESSE = serveur.adresse
    yield serveur
    serveur.arreter()


def _port_ferme() -> str:
    with socket.socket() as prise:
        prise.bind(("127.0.0.1", 0))
        port = prise.getsockname()[1]
    return f"tcp://127.0.0.1:{port}"


def test_D12_events_arrive_with_the_same_hashes_and_once(recepteur: Recepteur) -> None:
    evenements = remplir(4)
    bilan = expedition.expedier()
    assert (bilan.envoyes, bilan.dernier_seq, bilan.erreur) == (4, evenements[-1].seq, False)
    recepteur.attendre(4)
    recus = recepteur.corps()
    assert [(r["seq"], r["hash"], r["hash_precedent"]) for r in recus] == [
        (e.seq, e.hash, e.hash_precedent) for e in evenements
    ]
    assert all(m.startswith("<166>1 ") for m in recepteur.messages)
    # A second run sends only what is new.
    assert expedition.expedier().envoyes == 0
    remplir(1)
    assert expedition.expedier().envoyes == 1
    recepteur.attendre(5)
    assert len(recepteur.messages) == 5


def test_D12_dead_sink_keeps_the_backlog_alerts_once_then_catches_up(settings) -> None:
    settings.AUDIT_SYSLOG_ADRESSE = _port_ferme()
    settings.AUDIT_SYSLOG_ALERTE_ECHECS = 2
    remplir(3)
    premier = expedition.expedier()
    assert (premier.envoyes, premier.dernier_seq, premier.erreur) == (0, 0, True)
    assert not EvenementAcces.objects.filter(raison=Raison.EXPEDITION_IMPOSSIBLE).exists()
    expedition.expedier()
    expedition.expedier()
    alertes = EvenementAcces.objects.filter(
        raison=Raison.EXPEDITION_IMPOSSIBLE, action=ActionAcces.SECURITE
    )
    assert alertes.count() == 1  # at the threshold only, not at every failed run
    assert OutboxMessage.objects.filter(tache="audit.notifier_alertes").exists()
    assert ExpeditionJournal.objects.get().echecs == 3
    # The sink comes back: the whole backlog, alert included, goes in order.
    serveur = Recepteur()
    try:
        settings.AUDIT_SYSLOG_ADRESSE = serveur.adresse
        total = EvenementAcces.objects.count()
        assert expedition.expedier().envoyes == total
        serveur.attendre(total)
        assert [r["seq"] for r in serveur.corps()] == list(
            EvenementAcces.objects.values_list("seq", flat=True)
        )
        assert ExpeditionJournal.objects.get().echecs == 0
    finally:
        serveur.arreter()


def test_D12_purge_keeps_what_the_sink_has_not_received(settings) -> None:
    settings.AUDIT_SYSLOG_ADRESSE = _port_ferme()
    remplir(5, horodatage=timezone.now() - timedelta(days=400))
    points.ecrire_tete()
    assert purge.purger().supprimes == 0
    ExpeditionJournal.objects.update_or_create(pk=1, defaults={"dernier_seq": 3})
    assert purge.purger().supprimes == 3
    assert list(EvenementAcces.objects.values_list("seq", flat=True)) == [4, 5]


def test_D12_disabled_without_address_and_refuses_a_bad_one(settings) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.AUDIT_SYSLOG_ADRESSE = ""
    remplir(2)
    assert expedition.expedier().envoyes == 0
    assert expedition.expedie_jusqu_a() is None
    # UDP would lose events silently when the sink is down: refused.
    for mauvaise in ("http://hote:514", "tcp://hote", "syslog", "udp://127.0.0.1:514"):
        settings.AUDIT_SYSLOG_ADRESSE = mauvaise
        with pytest.raises(ImproperlyConfigured):
            expedition.expedier()
