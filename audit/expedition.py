"""Copy of the access log to a logically separate sink, syslog over TCP (D12).

The database is the buffer: a beat job sends, in ``seq`` order, the events after the last one
the sink accepted, one RFC 5424 message each whose body is the event as JSON (references only,
with ``hash`` and ``hash_precedent``, so the copy can be checked against the chain). While the
sink is down the application keeps serving; the backlog waits, the retention purge does not
delete it, and after ``AUDIT_SYSLOG_ALERTE_ECHECS`` failed runs in a row one security event is
logged and the auditors are alerted. Written here because the standard ``SysLogHandler`` hides
send failures, which would lose events instead of keeping them.
"""

from __future__ import annotations

import json
import logging
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from audit.models import EvenementAcces, ExpeditionJournal

logger = logging.getLogger("audit.expedition")

# RFC 5424: facility local4 (20), severity informational (6).
PRIORITE = 20 * 8 + 6
APPLICATION = "suivi-cellules"
CHAMPS = (
    "seq",
    "horodatage",
    "utilisateur_id",
    "roles",
    "organisation_id",
    "action",
    "type_objet",
    "objet_id",
    "personne_id",
    "motif",
    "resultat",
    "raison",
    "nombre",
    "request_id",
    "adresse_ip",
    "hash_precedent",
    "hash",
)


@dataclass(frozen=True)
class Destination:
    transport: str  # "tcp"
    hote: str
    port: int


@dataclass(frozen=True)
class BilanExpedition:
    envoyes: int
    dernier_seq: int
    erreur: bool


def destination() -> Destination | None:
    """``AUDIT_SYSLOG_ADRESSE`` (``tcp://hote:port``); None: disabled."""
    valeur = str(getattr(settings, "AUDIT_SYSLOG_ADRESSE", "") or "").strip()
    if not valeur:
        return None
    morceaux = urlsplit(valeur)
    # TCP only: a UDP datagram to a dead sink is lost without an error, and the backlog
    # would be marked as shipped (then purged).
    if morceaux.scheme != "tcp" or not morceaux.hostname or not morceaux.port:
        raise ImproperlyConfigured("AUDIT_SYSLOG_ADRESSE : tcp://hôte:port")
    return Destination(morceaux.scheme, morceaux.hostname, morceaux.port)


def message(evenement: EvenementAcces) -> bytes:
    """One RFC 5424 line: header, no structured data, the event as compact JSON."""
    corps = {}
    for champ in CHAMPS:
        valeur = getattr(evenement, champ)
        corps[champ] = valeur.isoformat() if champ == "horodatage" else valeur
    horodatage = evenement.horodatage.isoformat().replace("+00:00", "Z")
    hote = socket.gethostname()[:255] or "-"
    donnees = json.dumps(corps, ensure_ascii=True, separators=(",", ":"), default=str)
    entete = f"<{PRIORITE}>1 {horodatage} {hote} {APPLICATION} - audit.acces - "
    return (entete + donnees).encode("ascii")


def _envoyer(cible: Destination, lignes: list[bytes]) -> None:
    delai = float(getattr(settings, "AUDIT_SYSLOG_DELAI", 5.0))
    # Non-transparent framing (RFC 6587): one message per line.
    with socket.create_connection((cible.hote, cible.port), timeout=delai) as prise:
        prise.sendall(b"".join(ligne + b"\n" for ligne in lignes))


def expedie_jusqu_a() -> int | None:
    """The last ``seq`` the sink holds, or None when shipping is disabled (for the purge)."""
    if destination() is None:
        return None
    etat = ExpeditionJournal.objects.filter(pk=1).first()
    return 0 if etat is None else etat.dernier_seq


def expedier() -> BilanExpedition:
    """Send the backlog (in batches of ``AUDIT_SYSLOG_LOT``) until it is empty or the sink fails."""
    cible = destination()
    if cible is None:
        return BilanExpedition(0, 0, False)
    lot = int(getattr(settings, "AUDIT_SYSLOG_LOT", 500))
    envoyes = 0
    while True:
        with transaction.atomic():
            ExpeditionJournal.objects.get_or_create(pk=1)
            etat = ExpeditionJournal.objects.select_for_update().get(pk=1)
            evenements = list(
                EvenementAcces.objects.filter(seq__gt=etat.dernier_seq).order_by("seq")[:lot]
            )
            etat.derniere_tentative = timezone.now()
            if not evenements:
                etat.echecs = 0
                etat.save(update_fields=["echecs", "derniere_tentative"])
                return BilanExpedition(envoyes, etat.dernier_seq, False)
            try:
                _envoyer(cible, [message(e) for e in evenements])
            except OSError:
                etat.echecs += 1
                etat.save(update_fields=["echecs", "derniere_tentative"])
                logger.error(
                    "audit_expedition_echec",
                    extra={"depuis": etat.dernier_seq, "echecs": etat.echecs},
                )
                alerter = etat.echecs == int(getattr(settings, "AUDIT_SYSLOG_ALERTE_ECHECS", 5))
                dernier = etat.dernier_seq
                break
            etat.dernier_seq = evenements[-1].seq
            etat.echecs = 0
            etat.save(update_fields=["dernier_seq", "echecs", "derniere_tentative"])
            envoyes += len(evenements)
    if alerter:
        _alerter()
    return BilanExpedition(envoyes, dernier, True)


def _alerter() -> None:
    """One security event per outage, and the auditors' notification."""
    from audit import journal
    from audit.enums import Raison
    from socle.outbox import enqueue

    with transaction.atomic():
        evenement = journal.consigner_evenement_securite(Raison.EXPEDITION_IMPOSSIBLE)
        enqueue("audit.notifier_alertes", premier_seq=evenement.seq, nombre=1)
