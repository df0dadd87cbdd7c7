"""Password validators completing Django's (length 12, common list, similarity).

No composition rule and no forced rotation (CNIL 2022-100, ASVS 6.2.x): long passphrases, spaces
and any Unicode character are welcome; what is refused is what an attacker would try first.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError

LONGUEUR_MAX = 1024  # far above any passphrase; bounds the hashing cost of a request
MOTS_DE_CONTEXTE = ("clspd", "cispd", "dijon", "metropole", "prevention", "tranquillite")
LETTRES_RESTANTES_MIN = 8


def normaliser(texte: str) -> str:
    """Fold case and accents, keep letters and digits only ("Chenôve-21" -> "chenove21")."""
    decompose = unicodedata.normalize("NFKD", texte)
    sans_accents = "".join(c for c in decompose if not unicodedata.combining(c))
    return "".join(c for c in sans_accents.casefold() if c.isalnum())


class CaracteresValidator:
    """Refuse NUL, control-only and whitespace-only passwords, and absurd lengths."""

    def validate(self, password: str, user: Any = None) -> None:
        if "\x00" in password:
            raise ValidationError(
                "Le mot de passe contient un caractère interdit.", code="caractere_interdit"
            )
        if not password.strip():
            raise ValidationError(
                "Le mot de passe ne peut pas être composé uniquement d'espaces.",
                code="mot_de_passe_vide",
            )
        if len(password) > LONGUEUR_MAX:
            raise ValidationError(
                f"Le mot de passe ne doit pas dépasser {LONGUEUR_MAX} caractères.",
                code="mot_de_passe_trop_long",
            )

    def get_help_text(self) -> str:
        return "Tous les caractères sont acceptés, espaces compris, sauf le caractère nul."


class MotsDeContexteValidator:
    """Refuse passwords built on a commune name, the service's words or the username.

    A context word may appear inside a long passphrase: the password is refused only when, once
    the context words, digits and punctuation are removed, fewer than eight letters remain
    (``Clspd2024!``, ``Quetigny123456789`` are refused; a sentence mentioning Dijon is not).
    """

    def _mots(self, user: Any) -> set[str]:
        from acces.models import Commune

        mots = {normaliser(mot) for mot in MOTS_DE_CONTEXTE}
        mots.update(normaliser(nom) for nom in Commune.objects.values_list("nom", flat=True))
        username = str(getattr(user, "username", "") or "")
        if username:
            mots.add(normaliser(username))
            for separateur in "._-@+":
                username = username.replace(separateur, " ")
            mots.update(normaliser(partie) for partie in username.split() if len(partie) >= 4)
        return {mot for mot in mots if len(mot) >= 3}

    def validate(self, password: str, user: Any = None) -> None:
        texte = normaliser(password)
        trouves = [mot for mot in self._mots(user) if mot in texte]
        if not trouves:
            return
        for mot in sorted(trouves, key=len, reverse=True):
            texte = texte.replace(mot, "")
        if sum(c.isalpha() for c in texte) < LETTRES_RESTANTES_MIN:
            raise ValidationError(
                "Le mot de passe ne doit pas reposer sur un nom de commune, le nom du service "
                "ou votre identifiant.",
                code="mot_de_contexte",
            )

    def get_help_text(self) -> str:
        return (
            "Le mot de passe ne doit pas reposer sur un nom de commune, le nom du service "
            "ou votre identifiant."
        )
