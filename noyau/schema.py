"""OpenAPI parameters shared by the routes (one definition each)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter

from audit.enums import Motif, PrecisionMotif

MOTIF = OpenApiParameter(
    "X-Motif",
    str,
    OpenApiParameter.HEADER,
    required=True,
    enum=list(Motif.values),
    description="Motif de la consultation (liste fermée), tracé dans le journal des accès. "
    "Précision facultative dans l'en-tête X-Motif-Detail, liste fermée elle aussi : "
    + ", ".join(PrecisionMotif.values)
    + " (tout texte libre est refusé).",
)
IDEMPOTENCE = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="Clé choisie par le client : une requête rejouée avec la même clé ne crée rien.",
)
IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=True, description="ETag lu auparavant."
)
PAGE = OpenApiParameter("page", int, description="numéro de page (à partir de 1)")
TAILLE = OpenApiParameter("taille", int, description="lignes par page (200 au plus)")
PAGINATION = [PAGE, TAILLE]

DESCRIPTION_DONNEES = (
    "Route de données personnelles : rôle opérationnel, charte acceptée et motif (en-tête "
    "X-Motif) exigés ; chaque fiche rendue est inscrite au journal des accès. Un objet hors de "
    "votre périmètre répond comme un objet absent (404)."
)

# Texts drf-spectacular writes itself, in English.
TEXTES_GENERES = {
    "No response body": "Pas de corps de réponse.",
    "Unspecified response body": "Corps de réponse non spécifié.",
}


class SchemaApi(AutoSchema):
    """The project's OpenAPI inspector: French descriptions only.

    Docstrings are for developers and in English (``DISABLE_DOCSTRING_DESCRIPTIONS``); a route
    describes itself in ``extend_schema(description=...)``, and a personal-data route that says
    nothing gets the doorway's rules.
    """

    def get_description(self) -> str:  # type: ignore[override]
        description = str(super().get_description() or "")
        if not description:
            from noyau.vues import VueDonnees  # the doorway imports this module's parameters

            if isinstance(self.view, VueDonnees):
                return DESCRIPTION_DONNEES
        return description


def traduire(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """Post-processing hook: the texts drf-spectacular generates in English, in French."""

    def parcourir(noeud: Any) -> None:
        if isinstance(noeud, dict):
            for cle, valeur in noeud.items():
                if isinstance(valeur, dict | list):
                    parcourir(valeur)
                elif cle == "description" and str(valeur) in TEXTES_GENERES:  # lazy texts too
                    noeud[cle] = TEXTES_GENERES[str(valeur)]
        elif isinstance(noeud, list):
            for element in noeud:
                parcourir(element)

    parcourir(result)
    return result
