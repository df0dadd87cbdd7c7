"""Models of the ``cellules`` app.

Each sub-package holds its own models; they are re-exported here because the app registry
imports ``cellules.models``.
"""

from __future__ import annotations

from cellules.chartes.models import *  # noqa: F403
from cellules.composition.models import *  # noqa: F403
from cellules.dossiers.models import *  # noqa: F403
from cellules.orientations.models import *  # noqa: F403
from cellules.registres.models import *  # noqa: F403
from cellules.seances.models import *  # noqa: F403
