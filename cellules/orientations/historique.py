"""Change log (django-auditlog) of orientations and of their reference lists.

What was decided for a person (an orientation) is masked entirely; persons are referenced by
id only (their identity is encrypted in ``Personne``). Overdue notices are exempt: ids and a
link path only.
"""

from __future__ import annotations

from audit.changements import exempter, suivre

CONTENU_ORIENTATION = ["type", "mesure", "organisation", "echeance", "statut", "resultat"]


def enregistrer() -> None:
    from cellules.orientations import models as m

    suivre(m.ReferenceJuridique)
    suivre(m.MesureOrientation)
    # What was decided for a named person is case content: kept out of the change log in clear.
    suivre(m.Orientation, mask_fields=CONTENU_ORIENTATION)
    exempter(
        "cellules.NotificationOrientation",
        "avis technique d'orientation en retard (identifiants et lien seulement), un par jour",
    )
