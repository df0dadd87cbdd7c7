"""Great-circle distances (haversine) on the mean Earth radius."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from tig.appariement.donnees import Point

# IUGG mean Earth radius.
RAYON_TERRE_KM = 6371.0088


def haversine_km(a: Point, b: Point) -> float:
    """Distance by air between two points, in kilometres."""
    phi1, phi2 = math.radians(a.lat), math.radians(b.lat)
    dphi = phi2 - phi1
    dlambda = math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * RAYON_TERRE_KM * math.asin(min(1.0, math.sqrt(h)))


def haversine_m(a: Point, b: Point) -> int:
    """Distance by air in whole metres (the unit of the matching costs)."""
    return round(haversine_km(a, b) * 1000)


def matrice_m(origines: npt.ArrayLike, destinations: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Whole metres from each origin (rows) to each destination (columns).

    Both arguments are ``(n, 2)`` arrays of (latitude, longitude) in degrees; same formula as
    ``haversine_km``, vectorised.
    """
    o = np.radians(np.asarray(origines, dtype=np.float64).reshape(-1, 2))
    d = np.radians(np.asarray(destinations, dtype=np.float64).reshape(-1, 2))
    phi1, phi2 = o[:, 0:1], d[:, 0][np.newaxis, :]
    dphi = phi2 - phi1
    dlambda = d[:, 1][np.newaxis, :] - o[:, 1:2]
    h = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    km = 2 * RAYON_TERRE_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
    return np.rint(km * 1000).astype(np.int64)
