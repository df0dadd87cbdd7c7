"""The charte de confidentialité of a cell, on top of the platform's own charter (``acces``).

A case of a cell whose charter is in force is reachable only by users who accepted the version
in force (``cellules.dossiers.politiques``); a new version cuts access until it is accepted.
"""
