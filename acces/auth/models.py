"""Models of authentication: personal API tokens and login failure counters."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin
from django_otp.oath import TOTP

if TYPE_CHECKING:
    from acces.crypto.models import SecretTotp

__all__ = [
    "AppareilTotp",
    "CleSecurite",
    "CompteurEchecs",
    "JetonApi",
    "JetonApiQuerySet",
    "SessionOuverte",
]

TOTP_PAS = 30
TOTP_CHIFFRES = 6


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


class AppareilTotp(ThrottlingMixin, Device):
    """A TOTP authenticator whose seed lives only encrypted, in ``SecretTotp`` (checklist A5).

    django-otp's own ``TOTPDevice`` keeps the seed in clear in the database; this device reads
    it through the field-encryption layer at verification time and forgets it at request end.
    """

    secret: models.OneToOneField[SecretTotp, SecretTotp] = models.OneToOneField(
        "acces.SecretTotp",
        on_delete=models.PROTECT,
        related_name="appareil",
        verbose_name="secret chiffré",
    )
    derniere_etape: models.BigIntegerField[int, int] = models.BigIntegerField(
        "dernière étape acceptée", default=-1
    )

    class Meta:
        app_label = "acces"
        verbose_name = "appareil TOTP"
        verbose_name_plural = "appareils TOTP"

    def __str__(self) -> str:
        return f"appareil TOTP {self.pk}"

    def graine(self) -> bytes:
        from acces.crypto.champs import dechiffrer

        valeur = dechiffrer(self.secret, "graine")
        assert isinstance(valeur, str)
        return bytes.fromhex(valeur)

    def get_throttle_factor(self) -> int:
        return int(getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1))

    def verify_token(self, token: Any) -> bool:
        permis, _ = self.verify_is_allowed()
        if not permis:
            return False
        try:
            code = int(str(token))
        except ValueError:
            self.throttle_increment()
            return False
        totp = TOTP(self.graine(), step=TOTP_PAS, digits=TOTP_CHIFFRES)
        if totp.verify(code, tolerance=1, min_t=self.derniere_etape + 1):
            # Each code once: the step just used becomes the floor.
            self.derniere_etape = totp.t()
            self.throttle_reset(commit=False)
            self.save(
                update_fields=[
                    "derniere_etape",
                    "throttling_failure_timestamp",
                    "throttling_failure_count",
                ]
            )
            return True
        self.throttle_increment()
        return False


class SessionOuverte(models.Model):
    """Which server-side session belongs to which account, so that ending an account's access
    (deactivation, exclusion, password reset) deletes its sessions at once.

    Django's database sessions only hold the user id inside their encoded payload; this index
    avoids decoding every session. The key is a credential: never logged nor serialised.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="utilisateur",
    )
    cle_session = models.CharField("clé de session", max_length=40, unique=True)
    ouverte_le = models.DateTimeField("ouverte le", default=timezone.now)

    class Meta:
        app_label = "acces"
        verbose_name = "session ouverte"
        verbose_name_plural = "sessions ouvertes"

    def __str__(self) -> str:
        return f"session ouverte {self.pk}"


class CleSecurite(Device):
    """A WebAuthn (FIDO2) authenticator: only its public key is stored (checklist A2, L3).

    A django-otp device, so that ``django_otp.login`` marks a session opened with it as verified,
    exactly as a TOTP device does. ``name`` (from ``Device``) is the label chosen by its owner.
    Deleting the key unverifies every session opened with it (the middleware no longer finds it).
    """

    # Annotated: django-stubs does not infer fields declared on a django-otp Device subclass.
    # django-otp needs an integer primary key (persistent ids); URLs use this opaque one.
    reference: models.UUIDField[uuid.UUID, uuid.UUID] = models.UUIDField(
        "référence", default=uuid.uuid4, unique=True, editable=False
    )
    identifiant: models.BinaryField[bytes, bytes] = models.BinaryField(
        "identifiant de la clé", max_length=1023, unique=True
    )
    cle_publique: models.BinaryField[bytes, bytes] = models.BinaryField("clé publique (COSE)")
    compteur: models.PositiveBigIntegerField[int, int] = models.PositiveBigIntegerField(
        "compteur de signatures", default=0
    )
    transports: models.JSONField[list[str], list[str]] = models.JSONField(
        "transports", default=list, blank=True
    )
    aaguid: models.CharField[str, str] = models.CharField(
        "modèle d'authentificateur (AAGUID)", max_length=36, blank=True
    )
    cree_le: models.DateTimeField[datetime, datetime] = models.DateTimeField(
        "créée le", default=timezone.now
    )
    dernier_usage: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(
        "dernier usage", null=True, blank=True
    )

    class Meta:
        app_label = "acces"
        verbose_name = "clé de sécurité"
        verbose_name_plural = "clés de sécurité"
        ordering = ["cree_le"]

    def __str__(self) -> str:
        return f"clé de sécurité {self.reference}"

    def verify_token(self, token: Any) -> bool:
        # Never a typed code: a key only answers a WebAuthn challenge (acces.auth.webauthn).
        return False
