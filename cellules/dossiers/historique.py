"""Change log (django-auditlog) of persons, cases and explicit grants.

Encrypted columns and the blind index are excluded (ciphertext has no place in a change log);
a rectification of a person's identity names the fields it changed, values masked, in the
entry's ``additional_data`` (``Personne.get_additional_data``). Case content is masked
entirely: every field that the API shows by information category (``ChampsParCategorie``) is
masked or excluded here too (meta-test in ``tests/cellules/dossiers/test_historique.py``).
``object_repr`` is ``__str__`` (kind + id).
"""

from __future__ import annotations

from audit.changements import suivre

IDENTITE_CHIFFREE = ["nom", "prenom", "date_naissance", "adresse", "commune_residence"]
# What a case says about the person: reported facts, profiles, closing reason.
CONTENU_SITUATION = ["source_signalement", "profils", "motif_cloture"]


def enregistrer() -> None:
    from cellules.dossiers.models import AccesSituation, Personne, Situation

    suivre(Personne, exclude_fields=[*IDENTITE_CHIFFREE, "index_identite"])
    suivre(Situation, exclude_fields=["observation"], mask_fields=CONTENU_SITUATION)
    suivre(AccesSituation)
