"""Noyau de confiance: the one doorway of the routes that return or write personal data.

Above ``acces`` and ``audit`` (it composes the scope, the gate and the access log), below the
domain apps (``cellules``, ``tig``, ``cispd``), which build their personal-data views on it.
"""
