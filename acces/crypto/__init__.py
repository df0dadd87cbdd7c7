"""Field encryption layer (AES-256-GCM, envelope keys, blind indexes).

Entry points: ``ChampChiffre``, ``chiffrer``, ``dechiffrer``, ``precharger_cles`` (fields),
``session_cles`` (per-request key cache), ``index_aveugle`` / ``normaliser`` (search),
``CleDonnees`` in ``acces.crypto.models`` (data keys, shredding) and ``DechiffrementImpossible``.
"""

from acces.crypto.keys import sante

__all__ = ["sante"]
