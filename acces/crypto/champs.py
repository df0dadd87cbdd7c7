"""Encrypted model fields and the explicit API to read and write them.

A ``ChampChiffre`` column only ever holds ciphertext (format in ``acces.crypto.noyau``): the
model attribute is bytes, and the clear value goes through ``chiffrer(instance, champ, valeur)``
and ``dechiffrer(instance, champ)``. Decryption is never implicit, so nothing (admin, change
log, ``repr``) reads clear values by accident, and a clear value assigned by mistake is refused
at save time. The model needs a UUID primary key (set before insert) and a foreign key to
``CleDonnees`` (``cle`` by default). Empty strings are encrypted; ``None`` is stored as NULL
only if the field is nullable.

For a page of objects, open ``session_cles()`` (the middleware does it per request) and call
``precharger_cles(objets)``: each data key is fetched in one query and unwrapped once.

Each encryption is noted on the instance; when the instance is saved, one SQL increment per data
key adds them to ``CleDonnees.chiffrements`` (``acces.crypto.compteurs``: alert and re-key
thresholds). Code writing encrypted rows without ``save()`` (``bulk_create``, ``update``) calls
``compteurs.consommer(instance)`` itself.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_save

from acces.crypto import noyau
from acces.crypto.erreurs import DechiffrementImpossible, signaler

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from acces.crypto.models import CleDonnees

Valeur = str | dt.date

# Instance attributes holding what a save must count: {data key id: encryptions} and
# {master-key version: wraps}.
CHIFFREMENTS_EN_ATTENTE = "_crypto_chiffrements"
ENVELOPPEMENTS_EN_ATTENTE = "_crypto_enveloppements"


class ChampChiffre(models.BinaryField):  # type: ignore[type-arg]
    """Ciphertext column; ``nature`` is the type of the clear value (text or date)."""

    TEXTE: ClassVar[str] = "texte"
    DATE: ClassVar[str] = "date"

    def __init__(self, *args: Any, nature: str = "texte", cle: str = "cle", **kwargs: Any) -> None:
        if nature not in (self.TEXTE, self.DATE):
            raise ValueError("nature inconnue")
        self.nature = nature
        self.champ_cle = cle
        self.attname_cle = f"{cle}_id"
        self._suffixe: bytes | None = None
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["nature"] = self.nature
        if self.champ_cle != "cle":
            kwargs["cle"] = self.champ_cle
        return name, path, args, kwargs

    @property
    def suffixe_aad(self) -> bytes:
        """Model label (concrete model, so proxies read too) and field name, for the AAD."""
        if self._suffixe is None:
            concret = self.model._meta.concrete_model
            if concret is None:
                raise TypeError("modèle abstrait")
            modele = concret._meta.label_lower
            self._suffixe = noyau.suffixe_aad(modele, self.name)
        return self._suffixe

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        erreurs = super().check(**kwargs)
        meta = self.model._meta
        if not isinstance(meta.pk, models.UUIDField):
            erreurs.append(checks.Error("clé primaire UUID requise", obj=self, id="crypto.E001"))
        try:
            meta.get_field(self.champ_cle)
        except FieldDoesNotExist:
            erreurs.append(checks.Error("clé de données absente", obj=self, id="crypto.E002"))
        return erreurs

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        if value is not None:
            brut = bytes(value) if isinstance(value, bytes | memoryview) else None
            if brut is None or len(brut) < noyau.SURCOUT or brut[0] != noyau.VERSION_CHAMP:
                raise ValueError("valeur non chiffrée refusée")
        return super().get_db_prep_value(value, connection, prepared)


_champs: dict[tuple[type[models.Model], str], ChampChiffre] = {}


def _champ(instance: models.Model, nom: str) -> ChampChiffre:
    cle = (type(instance), nom)
    champ = _champs.get(cle)
    if champ is None:
        trouve = instance._meta.get_field(nom)
        if not isinstance(trouve, ChampChiffre):
            raise TypeError("champ non chiffré")
        champ = _champs[cle] = trouve
    return champ


def _objet_id(instance: models.Model) -> bytes:
    pk = instance.pk
    if not isinstance(pk, uuid.UUID):
        raise TypeError("clé primaire UUID requise avant chiffrement")
    return pk.bytes


def _ids(instance: models.Model, champ: ChampChiffre) -> dict[str, str]:
    return {
        "modele": instance._meta.label_lower,
        "champ": champ.name,
        "objet_id": str(instance.pk),
        "cle_id": str(getattr(instance, champ.attname_cle)),
    }


def _cle_id(instance: models.Model, champ: ChampChiffre) -> uuid.UUID:
    cle_id = getattr(instance, champ.attname_cle)
    if not isinstance(cle_id, uuid.UUID):
        raise signaler("cle_absente", **_ids(instance, champ))
    return cle_id


def _aead(instance: models.Model, champ: ChampChiffre, cle_id: uuid.UUID) -> AESGCM:
    en_cache = noyau.cache_lire(cle_id)
    if en_cache is not None:
        return en_cache
    try:
        cle: CleDonnees = getattr(instance, champ.champ_cle)
    except models.ObjectDoesNotExist as exc:
        raise signaler("cle_absente", **_ids(instance, champ)) from exc
    return cle.aead()


def _encoder(champ: ChampChiffre, valeur: Valeur) -> bytes:
    if champ.nature == ChampChiffre.DATE:
        if not isinstance(valeur, dt.date) or isinstance(valeur, dt.datetime):
            raise TypeError("date attendue")
        return valeur.isoformat().encode("ascii")
    if not isinstance(valeur, str):
        raise TypeError("texte attendu")
    return valeur.encode("utf-8")


def _decoder(champ: ChampChiffre, clair: bytes) -> Valeur:
    texte = clair.decode("utf-8")
    if champ.nature == ChampChiffre.DATE:
        return dt.date.fromisoformat(texte)
    return texte


def chiffrer(instance: models.Model, nom: str, valeur: Valeur | None) -> None:
    """Encrypt ``valeur`` into ``instance.<nom>`` (bound to model, field, row and data key)."""
    champ = _champ(instance, nom)
    if valeur is None:
        if not champ.null:
            raise ValueError("valeur obligatoire")
        setattr(instance, champ.attname, None)
        return
    clair = _encoder(champ, valeur)
    objet_id = _objet_id(instance)
    cle_id = _cle_id(instance, champ)
    aead = _aead(instance, champ, cle_id)
    chiffre = noyau.sceller(aead, cle_id.bytes, objet_id, champ.suffixe_aad, clair)
    setattr(instance, champ.attname, chiffre)
    etat = instance.__dict__
    attente: dict[uuid.UUID, int] | None = etat.get(CHIFFREMENTS_EN_ATTENTE)
    if attente is None:
        etat[CHIFFREMENTS_EN_ATTENTE] = {cle_id: 1}
    else:
        attente[cle_id] = attente.get(cle_id, 0) + 1


def dechiffrer(instance: models.Model, nom: str) -> Valeur | None:
    """The clear value of ``instance.<nom>``; raises ``DechiffrementImpossible`` on any doubt."""
    champ = _champ(instance, nom)
    brut = getattr(instance, champ.attname)
    if brut is None:
        return None
    chiffre = brut if isinstance(brut, bytes) else bytes(brut)
    objet_id = _objet_id(instance)
    cle_id = _cle_id(instance, champ)
    try:
        noyau.verifier_format(chiffre, cle_id.bytes)
        aead = _aead(instance, champ, cle_id)
        return _decoder(
            champ, noyau.ouvrir(aead, chiffre, cle_id.bytes, objet_id, champ.suffixe_aad)
        )
    except noyau.FormatInvalide as exc:
        raise signaler(str(exc), **_ids(instance, champ)) from exc
    except ValueError as exc:
        raise signaler("clair_invalide", **_ids(instance, champ)) from exc


def precharger_cles(objets: Iterable[models.Model], cle: str = "cle") -> None:
    """Fetch the data keys of a page of objects in one query and unwrap each once.

    Only useful inside ``session_cles()``; shredded or broken keys are left for ``dechiffrer``
    to report on the row that needs them.
    """
    from acces.crypto.models import CleDonnees

    ids = {getattr(objet, f"{cle}_id") for objet in objets}
    manquants = [i for i in ids if i is not None and noyau.cache_lire(i) is None]
    if not manquants:
        return
    for cle_donnees in CleDonnees.objects.filter(pk__in=manquants, detruite_le__isnull=True):
        try:
            cle_donnees.aead()
        except DechiffrementImpossible:
            continue


def _apres_sauvegarde(sender: Any, instance: models.Model, **kwargs: Any) -> None:
    """Persist the encryption (and wrap) counts noted on a saved instance."""
    etat = instance.__dict__
    if CHIFFREMENTS_EN_ATTENTE in etat or ENVELOPPEMENTS_EN_ATTENTE in etat:
        from acces.crypto import compteurs

        compteurs.consommer(instance, using=kwargs.get("using"))


post_save.connect(_apres_sauvegarde, weak=False, dispatch_uid="acces.crypto.compteurs")


__all__ = ["ChampChiffre", "chiffrer", "dechiffrer", "precharger_cles"]
