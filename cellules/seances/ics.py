"""iCalendar invitations of meetings: no personal data, no typed text (checklist E4).

The UID is stable per meeting so that calendars update or remove the same event; SEQUENCE is
the meeting's ``sequence``, bumped on each rescheduling and on cancellation. The summary names
the cell (not personal data) and the place is the label of its closed list; the agenda stays in
the authenticated application, behind the link.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from cellules.seances.enums import TypeLieu
from cellules.seances.models import Seance

PRODID = "-//Suivi CLSPD//Seances//FR"
RESUME = "Séance de cellule"


def uid(seance: Seance) -> str:
    return f"seance-{seance.pk}@suivi-cellules"


def chemin(seance: Seance) -> str:
    return f"/api/v1/seances/{seance.pk}/"


def lien(seance: Seance) -> str:
    """The absolute link to the meeting, from the public address of the service."""
    return f"{settings.SUIVI_URL_PUBLIQUE}{chemin(seance)}"


def lieu(seance: Seance) -> str:
    """The label of the meeting's place in its closed list ("" when not chosen yet)."""
    return str(TypeLieu(seance.lieu).label) if seance.lieu else ""


def resume(seance: Seance) -> str:
    return f"{RESUME} — {seance.cellule.nom}"


def invitation(seance: Seance, *, annulation: bool, destinataire: str) -> bytes:
    """A METHOD:REQUEST (or CANCEL) calendar with one event for ``destinataire``."""
    calendrier = Calendar()
    calendrier.add("prodid", PRODID)
    calendrier.add("version", "2.0")
    calendrier.add("method", "CANCEL" if annulation else "REQUEST")
    evenement = Event()
    evenement.add("uid", uid(seance))
    evenement.add("sequence", seance.sequence)
    evenement.add("dtstamp", timezone.now())
    evenement.add("dtstart", seance.debut)
    evenement.add("dtend", seance.fin)
    evenement.add("summary", resume(seance))
    if seance.lieu:
        evenement.add("location", lieu(seance))
    evenement.add("description", f"Ordre du jour après connexion : {lien(seance)}")
    evenement.add("url", lien(seance))
    evenement.add("status", "CANCELLED" if annulation else "CONFIRMED")
    evenement.add("organizer", vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}"))
    participant = vCalAddress(f"mailto:{destinataire}")
    participant.params["role"] = vText("REQ-PARTICIPANT")
    evenement.add("attendee", participant, encode=False)
    calendrier.add_component(evenement)
    contenu: bytes = calendrier.to_ical()
    return contenu
