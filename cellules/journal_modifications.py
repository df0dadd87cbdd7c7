"""Change log (django-auditlog) of the cellules models.

Encrypted columns and the blind index are excluded (ciphertext has no place in a change log);
the closed-list facts of a case are masked entirely. ``object_repr`` is ``__str__`` (kind + id).
"""

from __future__ import annotations

from auditlog.registry import auditlog

from audit.changements import MASQUAGE

IDENTITE_CHIFFREE = ["nom", "prenom", "date_naissance", "adresse", "commune_residence"]


def enregistrer() -> None:
    from cellules.models import (
        AccesSituation,
        Cellule,
        MembreCellule,
        Personne,
        ReponseIdempotente,
        Situation,
    )

    if auditlog.contains(Situation):
        return
    auditlog.register(Cellule, m2m_fields={"coordonnateurs"})
    auditlog.register(MembreCellule)
    auditlog.register(Personne, exclude_fields=[*IDENTITE_CHIFFREE, "index_identite"])
    auditlog.register(
        Situation,
        exclude_fields=["observation"],
        mask_fields=["profils"],
        mask_callable=MASQUAGE,
    )
    auditlog.register(AccesSituation)
    auditlog.register(ReponseIdempotente)
