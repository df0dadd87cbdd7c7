"""Change log (django-auditlog) of orientations, the register and transactions.

The facts of a rappel à l'ordre are masked entirely; persons are referenced by id only (their
identity is encrypted in ``Personne``). Overdue notices are exempt: ids and a link path only.
"""

from __future__ import annotations

from audit.changements import exempter, suivre


def enregistrer() -> None:
    from cellules.orientations import models as m

    suivre(m.ReferenceJuridique)
    suivre(m.Mesure)
    suivre(m.Orientation)
    suivre(m.RappelOrdre, mask_fields=["faits"])
    suivre(m.TransactionMunicipale)
    exempter(
        "cellules.NotificationOrientation",
        "avis technique d'orientation en retard (identifiants et lien seulement), un par jour",
    )
