"""Change log (django-auditlog) of the rappel à l'ordre register and of transactions.

What was found about a person (facts of a rappel à l'ordre, contravention and terms of a
transaction) is masked entirely; persons are referenced by id only (their identity is encrypted
in ``Personne``).
"""

from __future__ import annotations

from audit.changements import suivre

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
    from cellules.registres.models import RappelOrdre, TransactionMunicipale

    suivre(RappelOrdre, mask_fields=CONTENU_RAPPEL)
    suivre(TransactionMunicipale, mask_fields=CONTENU_TRANSACTION)
