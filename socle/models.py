import uuid

from django.db import models
from django.utils import timezone


class OutboxMessage(models.Model):
    """A task to publish, written in the same transaction as the change that asks for it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tache = models.CharField("tâche", max_length=200)
    arguments = models.JSONField("arguments (identifiants seulement)", default=dict)
    cree_le = models.DateTimeField("créé le", default=timezone.now)
    envoye_le = models.DateTimeField("envoyé le", null=True, blank=True)
    tentatives = models.PositiveIntegerField("tentatives", default=0)
    prochain_essai = models.DateTimeField("prochain essai", default=timezone.now)
    derniere_erreur = models.CharField("dernière erreur", max_length=200, blank=True)

    class Meta:
        verbose_name = "message à publier"
        verbose_name_plural = "messages à publier"
        ordering = ["cree_le"]
        indexes = [
            models.Index(
                fields=["prochain_essai"],
                name="outbox_en_attente",
                condition=models.Q(envoye_le__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"outbox {self.tache} {self.pk}"


class TacheExecutee(models.Model):
    """Marks an outbox message as executed, so redelivery has no second effect."""

    id = models.UUIDField(primary_key=True)
    tache = models.CharField("tâche", max_length=200)
    execute_le = models.DateTimeField("exécutée le", default=timezone.now)

    class Meta:
        verbose_name = "tâche exécutée"
        verbose_name_plural = "tâches exécutées"

    def __str__(self) -> str:
        return f"tâche exécutée {self.pk}"


class BattementWorker(models.Model):
    """Heartbeat written by a worker, read by the health endpoint."""

    id = models.UUIDField(primary_key=True)
    recu_le = models.DateTimeField("reçu le", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "battement du worker"
        verbose_name_plural = "battements du worker"

    def __str__(self) -> str:
        return f"battement {self.pk}"
