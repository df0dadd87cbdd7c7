"""Dates and times written in French, as a relevé de décisions shows them (no locale needed)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def jour(date: dt.date) -> str:
    """« mardi 8 décembre 2026 » (« 1er » for the first of the month)."""
    numero = "1er" if date.day == 1 else str(date.day)
    return f"{JOURS[date.weekday()]} {numero} {MOIS[date.month - 1]} {date.year}"


def heure(moment: dt.datetime) -> str:
    """« 14 h 00 », in local time."""
    local = timezone.localtime(moment)
    return f"{local.hour} h {local.minute:02d}"


def date_et_heure(moment: dt.datetime) -> str:
    """« mardi 8 décembre 2026, 14 h 00 », in local time."""
    return f"{jour(timezone.localtime(moment).date())}, {heure(moment)}"
