"""Haversine distances against known distances by air (pure, no database)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tig.appariement.distance import haversine_km, haversine_m, matrice_m
from tig.appariement.donnees import Point

DIJON = Point(47.3220, 5.0415)
BEAUNE = Point(47.0260, 4.8400)
PARIS = Point(48.8566, 2.3522)
LONDRES = Point(51.5074, -0.1278)


def test_dijon_beaune_is_about_37_km_by_air() -> None:
    assert haversine_km(DIJON, BEAUNE) == pytest.approx(36.5, abs=1.0)


def test_paris_london_is_about_344_km_by_air() -> None:
    assert haversine_km(PARIS, LONDRES) == pytest.approx(343.6, abs=1.0)


def test_a_point_is_at_zero_and_distance_is_symmetric() -> None:
    assert haversine_m(DIJON, DIJON) == 0
    assert haversine_m(DIJON, BEAUNE) == haversine_m(BEAUNE, DIJON)


def test_antipodes_are_half_the_circumference() -> None:
    assert haversine_km(Point(0, 0), Point(0, 180)) == pytest.approx(20015.1, abs=1.0)


@settings(derandomize=True, max_examples=50, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-80, 80), st.floats(-179, 179)), min_size=1, max_size=4),
    st.lists(st.tuples(st.floats(-80, 80), st.floats(-179, 179)), min_size=1, max_size=4),
)
def test_the_matrix_agrees_with_the_scalar_formula(
    a: list[tuple[float, float]], b: list[tuple[float, float]]
) -> None:
    attendu = np.array([[haversine_m(Point(*x), Point(*y)) for y in b] for x in a])
    assert np.abs(matrice_m(a, b) - attendu).max() <= 1
