"""Measures to carry out: TNR, TIG and réparation (``tig`` app).

A measure is created from an homologated transaction of ``cellules`` (one measure per
transaction at most: the hand-off task may run twice), or by the délégué du procureur (TNR of a
composition pénale, réparation for a minor) or a conseiller d'exécution (TIG), then assigned and
ended. ``__str__`` shows kind and id only; the person is referenced by key, the identity stays
encrypted in ``Personne``. The communes to avoid (the victim's, say) are encrypted under the
person's data key: deleting that key makes them unreadable too.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from acces.crypto.champs import ChampChiffre
from acces.crypto.models import CleDonnees
from acces.enums import Action
from acces.models import Commune
from acces.restriction import RestrictQuerySet
from tig import politiques
from tig.accueil.models import Activite, Poste, StructureAccueil
from tig.enums import NatureMesure, StatutMesure

if TYPE_CHECKING:
    from acces.perimetre import Perimetre

__all__ = ["Activite", "Mesure", "Poste", "StructureAccueil"]


def limites_heures(nature: str) -> tuple[int, int]:
    """Hours allowed for a measure of this nature (settings, legal defaults)."""
    if nature == NatureMesure.TIG:
        return int(settings.TIG_TIG_HEURES_MIN), int(settings.TIG_TIG_HEURES_MAX)
    if nature == NatureMesure.REPARATION:
        return 1, int(settings.TIG_REPARATION_HEURES_MAX)
    return 1, int(settings.TIG_TNR_HEURES_MAX)


class Mesure(models.Model):
    """One measure (TNR, TIG or réparation) for one person, from one decision."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    nature = models.CharField("nature", max_length=20, choices=NatureMesure.choices)
    # Origin: the homologated transaction. A foreign key (not a bare id) so that a measure never
    # points to a missing transaction; PROTECT makes the register purge delete the measure first.
    transaction_municipale = models.OneToOneField(
        "cellules.TransactionMunicipale",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mesure_tig",
        verbose_name="transaction municipale d'origine",
    )
    personne = models.ForeignKey(
        "cellules.Personne",
        on_delete=models.PROTECT,
        related_name="mesures_tig",
        verbose_name="personne",
    )
    # Created by an agent: the case of the person, when the cell follows her.
    situation = models.ForeignKey(
        "cellules.Situation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mesures_tig",
        verbose_name="situation",
    )
    # The commune of the facts: the measure's scope (the ressort) comes from it.
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="mesures_tig",
        verbose_name="commune des faits",
    )
    commune_domicile = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mesures_tig_domicile",
        verbose_name="commune du domicile",
    )
    validee_le = models.DateField("validée par le juge le", null=True, blank=True)
    # Computed from the birth date on the validation date (or the creation date).
    mineur = models.BooleanField("mineur", default=False)
    cle = models.ForeignKey(
        CleDonnees,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="clé de données",
    )
    communes_a_eviter = ChampChiffre(
        "communes à éviter",
        null=True,
        help_text="codes INSEE séparés par des virgules, chiffrés (la commune de la victime…)",
    )
    jours_disponibles = models.JSONField("jours disponibles", default=list, blank=True)
    activites_a_eviter = models.JSONField("activités à éviter", default=list, blank=True)
    creee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="créée par",
    )
    heures_prevues = models.PositiveSmallIntegerField("heures prévues", null=True, blank=True)
    montant = models.DecimalField(
        "montant de la réparation (euros)", max_digits=9, decimal_places=2, null=True, blank=True
    )
    date_limite = models.DateField("date limite d'exécution")
    statut = models.CharField(
        "statut", max_length=20, choices=StatutMesure.choices, default=StatutMesure.A_AFFECTER
    )
    terminee_le = models.DateField("terminée le", null=True, blank=True)
    version = models.PositiveIntegerField("version", default=1)
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)

    objects = RestrictQuerySet.as_manager()

    class Meta:
        verbose_name = "mesure"
        verbose_name_plural = "mesures"
        ordering = ["date_limite", "id"]
        indexes = [models.Index(fields=["statut", "date_limite"], name="mesure_statut_limite")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(nature="reparation") & Q(montant__gt=0) & Q(heures_prevues__isnull=True)
                )
                | (
                    Q(nature="reparation")
                    & Q(heures_prevues__gt=0)
                    & Q(montant__isnull=True)
                    & Q(transaction_municipale__isnull=True)
                )
                | (
                    Q(nature__in=["tnr", "tig"]) & Q(heures_prevues__gt=0) & Q(montant__isnull=True)
                ),
                name="mesure_nature_coherente",
            ),
            models.CheckConstraint(
                condition=Q(statut__in=["executee", "non_executee"], terminee_le__isnull=False)
                | Q(statut__in=["a_affecter", "affectee"], terminee_le__isnull=True),
                name="mesure_fin_coherente",
            ),
        ]

    def __str__(self) -> str:
        return f"mesure {self.pk}"

    # Encrypted fields a write is changing (set by the service, read by the change log).
    chiffres_modifies: tuple[str, ...] = ()

    def get_additional_data(self) -> dict[str, Any] | None:
        """The encrypted fields changed by a save, values masked (the columns are excluded)."""
        from audit.changements import MASQUE

        if not self.chiffres_modifies:
            return None
        return {"modification": {champ: [MASQUE, MASQUE] for champ in self.chiffres_modifies}}

    def clean(self) -> None:
        super().clean()
        if self.heures_prevues is None:
            return
        minimum, maximum = limites_heures(self.nature)
        if not minimum <= self.heures_prevues <= maximum:
            raise ValidationError(
                {"heures_prevues": f"Entre {minimum} et {maximum} heures pour cette mesure."}
            )

    @classmethod
    def politique(cls, perimetre: Perimetre, action: Action) -> Q | None:
        return politiques.politique_mesure(perimetre, action)
