from django.db import models

from acces.models import Commune


class PhaseCispd(models.IntegerChoices):
    PHASE_1 = 1, "phase 1 (diagnostic)"
    PHASE_2 = 2, "phase 2 (toute la métropole)"


class AdhesionCispd(models.Model):
    """The CISPD phase in which a commune joins the intercommunal council."""

    commune = models.OneToOneField(
        Commune, on_delete=models.PROTECT, primary_key=True, related_name="adhesion_cispd"
    )
    phase = models.PositiveSmallIntegerField("phase", choices=PhaseCispd.choices)

    class Meta:
        verbose_name = "adhésion au CISPD"
        verbose_name_plural = "adhésions au CISPD"
        ordering = ["phase", "commune"]

    def __str__(self) -> str:
        return f"adhésion {self.commune_id} phase {self.phase}"
