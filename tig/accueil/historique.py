"""Change log (django-auditlog) of reception sites and posts.

No case data here; the contact of a site's department is masked all the same (a staff phone
or address need not be copied into the log).
"""

from __future__ import annotations

from audit.changements import suivre


def enregistrer() -> None:
    from tig.accueil.models import Activite, Poste, StructureAccueil

    suivre(
        StructureAccueil,
        mask_fields=["contact_courriel", "contact_telephone"],
        m2m_fields={"referents"},
    )
    suivre(Poste)
    suivre(Activite)
