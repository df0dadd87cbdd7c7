"""Tasks of the acces app: identifiers in, effects out; nothing personal in the message."""

from __future__ import annotations

from django.core.mail import send_mail

from acces.auth.services import lien_reinitialisation, reinitialisation_possible
from acces.models import Utilisateur
from socle.tasks import tache_idempotente


@tache_idempotente("acces.envoyer_lien_reinitialisation")
def envoyer_lien_reinitialisation(*, utilisateur_id: str) -> None:
    """Mail the reset link; re-checks the account, which may have changed since the request."""
    user = Utilisateur.objects.filter(pk=utilisateur_id).first()
    if user is None or not reinitialisation_possible(user):
        return
    _, _, lien = lien_reinitialisation(user)
    # No personal data in the message: neither name nor username, only the link.
    send_mail(
        "Réinitialisation de votre mot de passe",
        "Une réinitialisation du mot de passe de votre compte a été demandée.\n\n"
        f"Lien valable une heure, une seule fois :\n{lien}\n\n"
        "Le code de votre application d'authentification vous sera demandé.\n"
        "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.",
        None,
        [user.email],
    )
