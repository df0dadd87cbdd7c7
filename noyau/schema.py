"""OpenAPI parameters shared by the routes (one definition each)."""

from __future__ import annotations

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
