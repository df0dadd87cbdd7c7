"""Models of authentication: personal API tokens and login failure counters."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

__all__ = ["CompteurEchecs", "JetonApi", "JetonApiQuerySet"]


class JetonApiQuerySet(models.QuerySet["JetonApi"]):
    def valides(self, at: datetime | None = None) -> JetonApiQuerySet:
        moment = at or timezone.now()
        return self.filter(revoque_le__isnull=True, expire_le__gt=moment)


class JetonApi(models.Model):
    """A personal token for scripts; only its SHA-256 is stored, the value is shown once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="jetons_api",
        verbose_name="utilisateur",
    )
    hash = models.CharField("empreinte SHA-256", max_length=64, unique=True)
    libelle = models.CharField("libellé", max_length=100)
    cree_le = models.DateTimeField("créé le", default=timezone.now)
    expire_le = models.DateTimeField("expire le")
    revoque_le = models.DateTimeField("révoqué le", null=True, blank=True)
    dernier_usage = models.DateTimeField("dernier usage", null=True, blank=True)

    objects = JetonApiQuerySet.as_manager()

    class Meta:
        app_label = "acces"
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-cree_le"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expire_le__gt=models.F("cree_le")),
                name="jeton_expire_apres_creation",
            )
        ]

    def __str__(self) -> str:
        return f"jeton {self.pk}"


class CompteurEchecs(models.Model):
    """Failures per key (keyed hash of a username, or an IP address) for login throttling.

    Kept in the database rather than a per-process cache so that every worker sees the same
    counts; the key of an account is a keyed hash so the table holds no usernames.
    """

    cle = models.CharField("clé", max_length=100, unique=True)
    echecs = models.PositiveIntegerField("échecs", default=0)
    fenetre_debut = models.DateTimeField("début de fenêtre", default=timezone.now)
    bloque_jusqu_a = models.DateTimeField("bloqué jusqu'à", null=True, blank=True)

    class Meta:
        app_label = "acces"
        verbose_name = "compteur d'échecs"
        verbose_name_plural = "compteurs d'échecs"

    def __str__(self) -> str:
        return f"compteur {self.pk}"
