"""Demo cells: one cell per commune with a QPV, the CISPD group, and the charte de
confidentialité of the Quetigny cell (its cases stay hidden until accepted).

Loaded by the demo step of the cases (``cellules.dossiers.demo.charger``); running it again adds
nothing: cells are looked up by name.
"""

from __future__ import annotations

from acces.enums import TypeQuartier
from acces.models import Commune, Ressort, Utilisateur
from cellules.composition.enums import TypeCellule
from cellules.composition.models import Cellule

RESSORT = "tj-dijon"  # acces reference data (migration 0013)
COMMUNES_QPV = ("21231", "21166", "21617", "21515", "21355")
# commune -> (kind of cell, coordinating demo account)
CELLULES: dict[str, tuple[str, str | None]] = {
    "21231": (TypeCellule.SUIVI_PERSONNALISE, None),
    "21166": (TypeCellule.COMMISSION_RESTREINTE, None),
    "21617": (TypeCellule.SUIVI_PERSONNALISE, None),
    "21515": (TypeCellule.SUIVI_PERSONNALISE, "coord.quetigny"),
    "21355": (TypeCellule.GROUPE_OPERATIONNEL, None),
}
# The one demo cell with its own charter, published by its coordinator (accepted by nobody).
CHARTE_COMMUNE = "21515"
CHARTE_TITRE = "Charte de confidentialité de la cellule de Quetigny"
CHARTE_TEXTE = (
    "1. Les informations partagées en cellule sont couvertes par le secret partagé : elles ne "
    "servent qu'au suivi des jeunes inscrits à l'ordre du jour.\n"
    "2. Aucune information n'est transmise hors de la cellule, ni recopiée dans un autre "
    "fichier.\n"
    "3. Tout manquement peut entraîner l'exclusion immédiate du membre."
)


def _coordonner(cellule: Cellule, username: str | None) -> None:
    if username:
        cellule.coordonnateurs.add(*Utilisateur.objects.filter(username=username))


def cellules() -> list[Cellule]:
    """The demo cells, created once (looked up by name)."""
    codes = set(
        Commune.objects.filter(quartiers__type=TypeQuartier.QPV).values_list(
            "code_insee", flat=True
        )
    ) or set(COMMUNES_QPV)
    # Reference data (acces migration 0013), present again if a test flushed it.
    Ressort.objects.get_or_create(code=RESSORT, defaults={"nom": "tribunal judiciaire de Dijon"})
    cellules: list[Cellule] = []
    for commune in Commune.objects.filter(code_insee__in=codes).order_by("code_insee"):
        type_cellule, coordonnateur = CELLULES.get(commune.code_insee, (TypeCellule.AUTRE, None))
        cellule, _ = Cellule.objects.get_or_create(
            nom=f"{TypeCellule(type_cellule).label} — {commune.nom}",
            defaults={
                "type": type_cellule,
                "commune": commune,
                "ressort_id": commune.ressort_id or RESSORT,
                "reference_reglement_interieur": f"RI-{commune.code_insee}-2025",
            },
        )
        _coordonner(cellule, coordonnateur)
        cellules.append(cellule)
    cispd, _ = Cellule.objects.get_or_create(
        nom="Groupe opérationnel du CISPD",
        defaults={
            "type": TypeCellule.GROUPE_OPERATIONNEL,
            "cispd": True,
            "ressort_id": RESSORT,
            "reference_reglement_interieur": "RI-CISPD-2025",
        },
    )
    cispd.communes_membres.set(Commune.objects.all())
    _coordonner(cispd, "coord.cispd")
    return [*cellules, cispd]


def charte(cellules: list[Cellule]) -> None:
    """Publish the demo charter of one cell through the service, once."""
    from cellules.chartes.services import charte_cellule_publier

    cellule = next((c for c in cellules if c.commune_id == CHARTE_COMMUNE), None)
    if cellule is None or cellule.chartes.exists():
        return
    coordonnateur = cellule.coordonnateurs.order_by("username").first()
    if coordonnateur is None:
        return
    charte_cellule_publier(
        cellule=cellule, titre=CHARTE_TITRE, texte=CHARTE_TEXTE, acteur=coordonnateur
    )
