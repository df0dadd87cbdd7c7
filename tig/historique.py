"""Change log (django-auditlog) of the ``tig`` app.

What a person must do (nature, hours, amount) is masked entirely; persons are referenced by id
only (their identity is encrypted in ``Personne``).
"""

from __future__ import annotations

from audit.changements import suivre


def enregistrer() -> None:
    from tig.models import Mesure

    suivre(Mesure, mask_fields=["nature", "heures_prevues", "montant"])
