"""Recompute the chain and compare it with the external checkpoints, in constant memory.

Reports the first bad ``seq``: a modified row (its hash), a deleted row (the missing number),
an inserted or reordered row (the broken link), a truncated tail (the first number after the
last row, thanks to a checkpoint or the head row), a forged checkpoint file.
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from dataclasses import dataclass

from audit import chaine, points
from audit.models import HASH_INITIAL, EvenementAcces

TAILLE_LOT = 2000


@dataclass(frozen=True)
class Rapport:
    ok: bool
    verifies: int
    dernier_seq: int
    premier_seq_invalide: int | None = None
    raison: str = ""


class _Echec(Exception):
    def __init__(self, seq: int, raison: str) -> None:
        super().__init__(raison)
        self.seq = seq
        self.raison = raison


@dataclass
class _Ancres:
    attendus: dict[int, str]
    sceaux: dict[int, str]
    max_point: int


def _ancres(liste: Iterable[points.PointDeControle]) -> _Ancres:
    ancres = _Ancres({}, {}, 0)
    for point in liste:
        connu = ancres.attendus.setdefault(point.seq, point.hash)
        if connu != point.hash:
            raise _Echec(point.seq, "points_de_controle_contradictoires")
        if point.type == points.SCEAU:
            ancres.sceaux[point.seq] = point.hash
        ancres.max_point = max(ancres.max_point, point.seq)
    return ancres


def _debut(seq: int, ancres: _Ancres) -> str:
    """The previous hash expected for the first retained row."""
    if seq == 1:
        return HASH_INITIAL
    if seq - 1 in ancres.sceaux:
        return ancres.sceaux[seq - 1]
    anterieurs = [s for s in ancres.sceaux if s < seq - 1]
    raise _Echec(max(anterieurs, default=0) + 1, "debut_supprime")


def _lignes(taille_lot: int) -> Iterable[dict[str, object]]:
    noms = (*chaine.CHAMPS_LUS, "hash")
    requete = EvenementAcces.objects.order_by("seq").values_list(*noms)
    for valeurs in requete.iterator(chunk_size=taille_lot):
        yield dict(zip(noms, valeurs, strict=True))


def _parcourir(ancres: _Ancres, taille_lot: int) -> tuple[int, int]:
    cle = chaine.cle_chaine()
    dernier_seq, dernier_hash, compte = 0, "", 0
    for ligne in _lignes(taille_lot):
        seq = int(str(ligne["seq"]))
        if compte == 0:
            attendu = _debut(seq, ancres)
        elif seq != dernier_seq + 1:
            raise _Echec(dernier_seq + 1, "evenement_manquant")
        else:
            attendu = dernier_hash
        if ligne["hash_precedent"] != attendu:
            raise _Echec(seq, "chainage_rompu")
        calcule = chaine.empreinte(ligne, cle)
        if not hmac.compare_digest(calcule, str(ligne["hash"])):
            raise _Echec(seq, "empreinte_invalide")
        if ancres.attendus.get(seq, calcule) != calcule:
            raise _Echec(seq, "point_de_controle_different")
        dernier_seq, dernier_hash, compte = seq, calcule, compte + 1
    return dernier_seq, compte


def verifier(taille_lot: int = TAILLE_LOT) -> Rapport:
    """Checkpoints and head are read first, so concurrent appends never look like tampering."""
    try:
        ancres = _ancres(points.lire())
        tete = chaine.tete()
        dernier_seq, compte = _parcourir(ancres, taille_lot)
        if compte == 0:
            dernier_seq = max(ancres.sceaux, default=0)
        if max(ancres.max_point, tete.seq) > dernier_seq:
            raise _Echec(dernier_seq + 1, "troncature")
    except points.PointInvalide:
        return Rapport(False, 0, 0, None, "point_de_controle_invalide")
    except _Echec as echec:
        return Rapport(False, 0, 0, echec.seq, echec.raison)
    return Rapport(True, compte, dernier_seq)
