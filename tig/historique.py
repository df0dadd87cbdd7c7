"""Change log (django-auditlog) of the ``tig`` app.

What a person must do (nature, hours, amount) and the constraints of the measure (minority,
communes, days, activities, validation date, deadline, end date) are masked entirely; persons
are referenced by id only (their identity is encrypted in ``Personne``). The encrypted communes
to avoid are excluded (ciphertext has no place in a change log); a change of them is named,
masked, in the entry's ``additional_data`` (``Mesure.get_additional_data``).
"""

from __future__ import annotations

from audit.changements import suivre


def enregistrer() -> None:
    from tig.models import Mesure

    suivre(
        Mesure,
        exclude_fields=["communes_a_eviter"],
        mask_fields=[
            "nature",
            "heures_prevues",
            "montant",
            "mineur",
            "validee_le",
            "date_limite",
            "terminee_le",
            "commune_domicile",
            "jours_disponibles",
            "activites_a_eviter",
        ],
    )
