"""Field encryption layer (AES-256-GCM, envelope keys, blind indexes)."""

from acces.crypto.keys import sante

__all__ = ["sante"]
