"""Recompute every stored blind index under the active index-key version (checklist C9).

For each column declared in ``acces.crypto.registre``, rows are walked in primary-key order, by
batches; each batch runs in one transaction, locks its rows (``SELECT ... FOR UPDATE``, so a
concurrent update of the same person waits instead of being overwritten with a stale index),
decrypts the clear values, recomputes the index under the active version, rewrites the values
that differ and records the last key processed in ``RotationIndex``. Interrupted, the job
resumes after the last committed batch; run again once finished, it does nothing (``--index
--recommencer`` walks everything again, rewriting nothing already up to date). During the
rotation, searches match every version of the key ring, so nothing becomes unfindable; the old
version is removed from ``INDEX_AVEUGLE_CLE`` once every column is finished.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone

from acces.crypto import noyau
from acces.crypto.champs import precharger_cles
from acces.crypto.index import versions_index
from acces.crypto.models import RotationIndex
from acces.crypto.registre import IndexDeclare, index_declares


@dataclass
class BilanIndex:
    version: str
    reecrits: int = 0
    lus: int = 0
    lots: int = 0
    colonnes: dict[str, str] = field(default_factory=dict)


def _a_traiter(declare: IndexDeclare) -> models.QuerySet[models.Model]:
    vides = models.Q(**{f"{declare.champ}__isnull": True}) | models.Q(**{declare.champ: b""})
    return declare.modele._base_manager.exclude(vides).order_by("pk")


def traiter_lot(declare: IndexDeclare, version: str, taille: int) -> tuple[int, int] | None:
    """One batch: ``(rows read, indexes rewritten)``, or None when the column is finished."""
    with transaction.atomic(), noyau.session_cles():
        progression, _ = RotationIndex.objects.select_for_update().get_or_create(
            index=declare.nom, version=version
        )
        if progression.terminee_le is not None:
            return None
        lignes = _a_traiter(declare).select_for_update()
        if progression.dernier_id:
            pk = declare.modele._meta.pk
            assert pk is not None
            lignes = lignes.filter(pk__gt=pk.to_python(progression.dernier_id))
        lot = list(lignes[:taille])
        if not lot:
            progression.terminee_le = timezone.now()
            progression.save(update_fields=["terminee_le"])
            return None
        if declare.cle is not None:
            precharger_cles(lot, declare.cle)
        a_ecrire = []
        for ligne in lot:
            index = declare.recalculer(ligne, version)
            actuel = getattr(ligne, declare.champ)
            if actuel is None or bytes(actuel) != index:
                setattr(ligne, declare.champ, index)
                a_ecrire.append(ligne)
        if a_ecrire:
            declare.modele._base_manager.bulk_update(a_ecrire, [declare.champ])
        progression.dernier_id = str(lot[-1].pk)
        progression.recalcules += len(a_ecrire)
        progression.save(update_fields=["dernier_id", "recalcules"])
        return len(lot), len(a_ecrire)


def rotation_index(taille: int = 500, recommencer: bool = False) -> BilanIndex:
    """Bring every declared column to the active version; resumable and idempotent."""
    version = versions_index()[0]
    bilan = BilanIndex(version=version)
    for declare in index_declares():
        if recommencer:
            RotationIndex.objects.filter(index=declare.nom, version=version).delete()
        while (resultat := traiter_lot(declare, version, taille)) is not None:
            lus, reecrits = resultat
            bilan.lus += lus
            bilan.reecrits += reecrits
            bilan.lots += 1
        bilan.colonnes[declare.nom] = "terminée"
    return bilan


__all__ = ["BilanIndex", "rotation_index", "traiter_lot"]
