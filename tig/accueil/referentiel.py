"""The activity reference list (``tig.Activite``), held as data: seeded by migration 0002 and
loaded again by the demo (idempotent), so a flushed database gets it back."""

from __future__ import annotations

from typing import Any

ACTIVITES: tuple[tuple[str, str], ...] = (
    ("espaces_verts", "espaces verts"),
    ("proprete_urbaine", "propreté urbaine"),
    ("entretien_batiments", "entretien de bâtiments"),
    ("restauration", "restauration"),
    ("logistique", "logistique"),
    ("administratif", "administratif"),
    ("mediation", "médiation"),
    ("transport", "transport"),
)


def charger(apps: Any, schema_editor: Any = None) -> None:
    """Create or update the activities (``apps``: the migration's or the live registry)."""
    activite = apps.get_model("tig", "Activite")
    for code, libelle in ACTIVITES:
        activite.objects.update_or_create(code=code, defaults={"libelle": libelle})
