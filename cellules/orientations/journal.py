"""Change log (django-auditlog) of orientations, the register and transactions.

What was decided or found about a person (orientation, facts of a rappel à l'ordre,
contravention and terms of a transaction) is masked entirely; persons are referenced by id
only (their identity is encrypted in ``Personne``). Overdue notices are exempt: ids and a link
path only.
"""

from __future__ import annotations

from audit.changements import exempter, suivre

CONTENU_ORIENTATION = ["type", "mesure", "organisation", "echeance", "statut", "resultat"]
CONTENU_RAPPEL = [
    "faits",
    "mineur",
    "accompagnant",
    "motif_sans_accompagnant",
    "transmis_au_parquet_le",
]
CONTENU_TRANSACTION = [
    "contravention",
    "date_constat",
    "date_proposition",
    "nature",
    "montant",
    "heures",
    "statut",
    "autorite_homologation",
    "decision_le",
]


def enregistrer() -> None:
    from cellules.orientations import models as m

    suivre(m.ReferenceJuridique)
    suivre(m.Mesure)
    # What was decided for a named person is case content: kept out of the change log in clear.
    suivre(m.Orientation, mask_fields=CONTENU_ORIENTATION)
    suivre(m.RappelOrdre, mask_fields=CONTENU_RAPPEL)
    suivre(m.TransactionMunicipale, mask_fields=CONTENU_TRANSACTION)
    exempter(
        "cellules.NotificationOrientation",
        "avis technique d'orientation en retard (identifiants et lien seulement), un par jour",
    )
