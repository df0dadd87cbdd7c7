"""Models of the field-encryption layer (they belong to the ``acces`` app)."""

from __future__ import annotations

import os
import uuid
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import models
from django.utils import timezone

from acces.crypto import noyau
from acces.crypto.champs import ENVELOPPEMENTS_EN_ATTENTE, ChampChiffre
from acces.crypto.erreurs import signaler

__all__ = ["CleDonnees", "CompteurCleMaitresse", "RotationIndex", "SecretTotp"]


class CleDonnees(models.Model):
    """A data key (one per person or case), stored only wrapped by a master key.

    Shredding empties the wrapped key: every value encrypted under it becomes unreadable,
    backups included once they expire. The row stays so that foreign keys remain valid.

    ``chiffrements`` counts the field encryptions saved under this key (checklist C4): a budget
    for the random 96-bit nonces, incremented atomically in SQL (``acces.crypto.compteurs``).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cle_enveloppee = models.BinaryField("clé enveloppée", editable=False)
    cle_maitresse = models.CharField("identifiant de la clé maîtresse", max_length=10)
    creee_le = models.DateTimeField("créée le", default=timezone.now, editable=False)
    enveloppee_le = models.DateTimeField("enveloppée le", default=timezone.now)
    detruite_le = models.DateTimeField("détruite le", null=True, blank=True)
    chiffrements = models.PositiveBigIntegerField("chiffrements", default=0, editable=False)
    # Set when the usage threshold moved every row of this key to a fresh one: shredding this
    # key shreds its replacement too.
    remplacee_par = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="remplacée par",
    )

    class Meta:
        verbose_name = "clé de données"
        verbose_name_plural = "clés de données"
        indexes = [models.Index(fields=["cle_maitresse"], name="cle_donnees_maitresse_idx")]

    def __str__(self) -> str:
        return f"clé de données {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Never write ``chiffrements`` back from memory: only SQL increments move it."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if f.name not in ("id", "chiffrements")
            ]
        super().save(*args, **kwargs)

    @classmethod
    def nouvelle(cls) -> CleDonnees:
        """A fresh, unsaved data key wrapped by the active master key."""
        cle = cls(id=uuid.uuid4())
        brute = os.urandom(noyau.TAILLE_CLE)
        cle.cle_enveloppee, cle.cle_maitresse = noyau.envelopper(cle.id, brute)
        # Counted when the key is saved (one wrap under this master-key version).
        cle.__dict__[ENVELOPPEMENTS_EN_ATTENTE] = {cle.cle_maitresse: 1}
        noyau.cache_ecrire(cle.id, AESGCM(brute))
        return cle

    @property
    def detruite(self) -> bool:
        return self.detruite_le is not None

    def aead(self) -> AESGCM:
        """The unwrapped data key, cached for the current request only."""
        en_cache = noyau.cache_lire(self.id)
        if en_cache is not None:
            return en_cache
        if self.detruite:
            raise signaler("cle_detruite", cle_id=str(self.id))
        try:
            brute = noyau.desenvelopper(self.id, bytes(self.cle_enveloppee), self.cle_maitresse)
        except noyau.EnveloppeInvalide as exc:
            raise signaler(str(exc), cle_id=str(self.id)) from exc
        aead = AESGCM(brute)
        noyau.cache_ecrire(self.id, aead)
        return aead

    def detruire(self) -> None:
        """Crypto-shred: forget the key material for good, and that of its replacements."""
        noyau.cache_oublier(self.id)
        self.cle_enveloppee = b""
        self.cle_maitresse = ""
        self.detruite_le = timezone.now()
        self.save(update_fields=["cle_enveloppee", "cle_maitresse", "detruite_le"])
        suivante = (
            CleDonnees.objects.filter(pk=self.pk).values_list("remplacee_par", flat=True).get()
        )
        if suivante is not None:
            CleDonnees.objects.get(pk=suivante).detruire()


class CompteurCleMaitresse(models.Model):
    """Data keys wrapped so far under one master-key version (creations and rewraps)."""

    version = models.CharField("version de la clé maîtresse", max_length=10, primary_key=True)
    enveloppements = models.PositiveBigIntegerField("enveloppements", default=0)

    class Meta:
        verbose_name = "compteur de clé maîtresse"
        verbose_name_plural = "compteurs de clés maîtresses"

    def __str__(self) -> str:
        return f"clé maîtresse {self.version}"


class RotationIndex(models.Model):
    """Progress of ``crypto_rotate --index`` for one declared column and one key version."""

    index = models.CharField("colonne d'index", max_length=150)
    version = models.CharField("version de la clé d'index", max_length=10)
    dernier_id = models.CharField("dernier identifiant traité", max_length=64, blank=True)
    recalcules = models.PositiveBigIntegerField("index réécrits", default=0)
    commencee_le = models.DateTimeField("commencée le", default=timezone.now)
    terminee_le = models.DateTimeField("terminée le", null=True, blank=True)

    class Meta:
        verbose_name = "rotation d'index aveugle"
        verbose_name_plural = "rotations d'index aveugles"
        constraints = [
            models.UniqueConstraint(fields=["index", "version"], name="rotation_index_unique")
        ]

    def __str__(self) -> str:
        return f"rotation {self.index} v{self.version}"


class SecretTotp(models.Model):
    """A user's TOTP seed, encrypted under its own data key (checklist A5)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="secret_totp",
        verbose_name="utilisateur",
    )
    cle = models.ForeignKey(
        CleDonnees, on_delete=models.PROTECT, related_name="+", verbose_name="clé de données"
    )
    graine = ChampChiffre("graine", nature=ChampChiffre.TEXTE)
    cree_le = models.DateTimeField("créé le", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "secret TOTP"
        verbose_name_plural = "secrets TOTP"

    def __str__(self) -> str:
        return f"secret TOTP {self.pk}"
