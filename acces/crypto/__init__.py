"""Field encryption layer (AES-256-GCM, envelope keys, blind indexes).

Entry points: ``ChampChiffre``, ``chiffrer``, ``dechiffrer``, ``precharger_cles`` (fields),
``session_cles`` (per-request key cache), ``index_aveugle`` / ``normaliser`` (search),
``CleDonnees`` in ``acces.crypto.models`` (data keys, shredding) and ``DechiffrementImpossible``;
``compteurs`` (per-key usage counters, alert and re-key thresholds), ``registre`` (blind-index
columns declared by the domain apps) and ``rotation`` / ``rotation_index`` (``crypto_rotate``).
"""

from acces.crypto.keys import sante

__all__ = ["sante"]
