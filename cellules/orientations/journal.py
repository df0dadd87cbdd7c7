"""Change log (django-auditlog) of orientations, the register and transactions.

What was decided or found about a person (orientation, facts of a rappel à l'ordre,
contravention and terms of a transaction) is masked entirely; persons are referenced by id
only (their identity is encrypted in ``Personne``). Overdue notices are exempt: ids and a link
path only.
"""

from __future__ import annotations

from audit.changements import exempter, suivre


def enregistrer() -> None:
    from cellules.orientations import models as m

    suivre(m.ReferenceJuridique)
    suivre(m.Mesure)
    # What was decided for a named person is case content: kept out of the change log in clear.
    suivre(m.Orientation, mask_fields=["type", "mesure", "resultat"])
    suivre(
        m.RappelOrdre,
        mask_fields=["faits", "mineur", "accompagnant", "motif_sans_accompagnant"],
    )
    suivre(m.TransactionMunicipale, mask_fields=["contravention", "nature", "montant", "heures"])
    exempter(
        "cellules.NotificationOrientation",
        "avis technique d'orientation en retard (identifiants et lien seulement), un par jour",
    )
