"""Rewrap data keys under the active master key, batch by batch.

Each batch runs in its own transaction and locks its rows (``SKIP LOCKED``), so the job can be
interrupted at any point and run again: keys already on the active master key are skipped, a
batch either commits entirely or not at all, and data ciphertexts are never touched.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from acces.crypto import compteurs, noyau
from acces.crypto.models import CleDonnees


@dataclass
class Bilan:
    reenveloppees: int = 0
    lots: int = 0
    restantes: int = 0
    a_jour: int = 0


def reenvelopper(cle: CleDonnees, maitre_id: str) -> None:
    brute = noyau.desenvelopper(cle.id, bytes(cle.cle_enveloppee), cle.cle_maitresse)
    cle.cle_enveloppee, cle.cle_maitresse = noyau.envelopper(cle.id, brute, maitre_id)
    cle.enveloppee_le = timezone.now()


def traiter_lot(taille: int) -> int:
    """Rewrap at most ``taille`` keys in one transaction; returns how many were rewrapped."""
    active = noyau.trousseau().active
    with transaction.atomic():
        lot = list(
            CleDonnees.objects.select_for_update(skip_locked=True)
            .filter(detruite_le__isnull=True)
            .exclude(cle_maitresse=active)
            .order_by("pk")[:taille]
        )
        for cle in lot:
            reenvelopper(cle, active)
        CleDonnees.objects.bulk_update(lot, ["cle_enveloppee", "cle_maitresse", "enveloppee_le"])
        if lot:
            compteurs.noter_enveloppements(active, len(lot))
    return len(lot)


def rotation(taille: int = 500) -> Bilan:
    bilan = Bilan()
    while True:
        n = traiter_lot(taille)
        if n == 0:
            break
        bilan.reenveloppees += n
        bilan.lots += 1
    active = noyau.trousseau().active
    vivantes = CleDonnees.objects.filter(detruite_le__isnull=True)
    bilan.a_jour = vivantes.filter(cle_maitresse=active).count()
    bilan.restantes = vivantes.exclude(cle_maitresse=active).count()
    return bilan
