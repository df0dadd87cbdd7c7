"""Ages at a given date (pure functions; the birth date comes decrypted from the caller)."""

from __future__ import annotations

import datetime as dt

MAJORITE = 18


def age_au(naissance: dt.date, jour: dt.date) -> int:
    """Whole years on ``jour``; someone born on 29 February turns a year older on 1 March."""
    if jour < naissance:
        raise ValueError("date antérieure à la naissance")
    anniversaire_passe = (jour.month, jour.day) >= (naissance.month, naissance.day)
    return jour.year - naissance.year - (0 if anniversaire_passe else 1)


def mineur_au(naissance: dt.date, jour: dt.date) -> bool:
    return age_au(naissance, jour) < MAJORITE
