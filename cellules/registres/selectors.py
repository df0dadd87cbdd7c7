"""Reads of the rappel à l'ordre register and of transactions, through the restricted entry
point."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count, Q, QuerySet

from acces.enums import Action
from acces.models import Commune
from cellules.dossiers.models import Personne
from cellules.registres.models import RappelOrdre, TransactionMunicipale
from socle.errors import ApiError


def rappels_visibles(user: Any, action: Action = Action.LIRE) -> QuerySet[RappelOrdre]:
    return (
        RappelOrdre.objects.restrict(user, action)
        .select_related("personne", "reference")
        .order_by("-date", "id")
    )


def rappel_visible(user: Any, pk: Any) -> RappelOrdre | None:
    return rappels_visibles(user).filter(pk=pk).first()


def statistiques_rappels(user: Any, annee: int) -> list[dict[str, Any]]:
    """Counts per commune for one year, over the entries the user may read (no person)."""
    lignes = (
        RappelOrdre.objects.restrict(user, Action.LIRE)
        .filter(date__year=annee)
        .values("commune_id")
        .annotate(
            total=Count("id"),
            mineurs=Count("id", filter=Q(mineur=True)),
            transmis_au_parquet=Count("id", filter=Q(transmis_au_parquet_le__isnull=False)),
        )
        .order_by("commune_id")
    )
    return [
        {
            "commune": ligne["commune_id"],
            "annee": annee,
            "total": ligne["total"],
            "mineurs": ligne["mineurs"],
            "transmis_au_parquet": ligne["transmis_au_parquet"],
        }
        for ligne in lignes
    ]


def transactions_visibles(
    user: Any, action: Action = Action.LIRE
) -> QuerySet[TransactionMunicipale]:
    return (
        TransactionMunicipale.objects.restrict(user, action)
        .select_related("personne", "reference")
        .order_by("-date_proposition", "id")
    )


def transaction_visible(user: Any, pk: Any) -> TransactionMunicipale | None:
    return transactions_visibles(user).filter(pk=pk).first()


def personne_pour_registre(user: Any, pk: Any) -> Personne | None:
    """A person the register keeper may name: one of his cases, or already in his register."""
    dans_registre = RappelOrdre.objects.restrict(user, Action.MODIFIER).values("personne_id")
    en_transaction = TransactionMunicipale.objects.restrict(user, Action.MODIFIER).values(
        "personne_id"
    )
    visibles = Personne.objects.restrict(user, Action.LIRE).values("pk")
    return (
        Personne.objects.filter(pk=pk)
        .filter(Q(pk__in=visibles) | Q(pk__in=dans_registre) | Q(pk__in=en_transaction))
        .first()
    )


def commune(code: str) -> Commune:
    trouvee = Commune.objects.filter(pk=code).first()
    if trouvee is None:
        raise ApiError.champ_invalide("commune", "Commune inconnue.")
    return trouvee


def transaction_a_mesurer(transaction_id: uuid.UUID) -> TransactionMunicipale | None:
    """The transaction ``tig`` turns into a measure, locked for the rest of the caller's
    database transaction (two deliveries of the same message create one measure)."""
    return TransactionMunicipale.objects.select_for_update().filter(pk=transaction_id).first()
