"""The shared mobjects: geometry checked against the shapes they stand for."""

import numpy as np
import pytest

from landscape.rendering import drawing as d


def bezier(points, s):
    """Points of a cubic Bézier curve (4 control points) at parameters ``s``."""
    s = np.asarray(s)[:, None]
    p0, p1, p2, p3 = points
    return (1 - s) ** 3 * p0 + 3 * (1 - s) ** 2 * s * p1 + 3 * (1 - s) * s**2 * p2 + s**3 * p3


def test_circles_are_round_to_a_few_parts_in_ten_thousand():
    centers = np.array([[0.0, 0.0, 0.0], [3.0, -1.0, 0.0]])
    points = d.circles_points(centers, radius=0.5)
    assert points.shape == (32, 3)
    for index, center in enumerate(centers):
        for curve in points[16 * index : 16 * (index + 1)].reshape(4, 4, 3):
            distance = np.linalg.norm(bezier(curve, np.linspace(0, 1, 11)) - center, axis=1)
            assert np.allclose(distance, 0.5, rtol=3e-4)


def test_polygons_are_closed_straight_sided_subpaths():
    square = np.array([[[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0]]], dtype=float)
    points = d.polygons_points(square)
    curves = points.reshape(4, 4, 3)
    assert np.array_equal(curves[0, 0], square[0, 0]) and np.array_equal(curves[-1, -1], square[0, 0])
    for curve in curves:  # handles on the segment, a third of the way from each end
        assert np.allclose(curve[1], (2 * curve[0] + curve[3]) / 3)
        assert np.allclose(curve[2], (curve[0] + 2 * curve[3]) / 3)


def test_a_path_prefix_ends_at_the_interpolated_point():
    points = np.array([[0.0, 0, 0], [2, 0, 0], [4, 2, 0]])
    assert np.allclose(d.prefix(points, 1.5), [[0, 0, 0], [2, 0, 0], [3, 1, 0]])
    assert np.allclose(d.prefix(points, 0), [[0, 0, 0], [0, 0, 0]])
    assert np.allclose(d.prefix(points, 7), points)
    assert np.allclose(d.point_at(points, 0.25), [0.5, 0, 0])
    clouds = np.arange(12.0).reshape(2, 2, 3)  # two steps of two particles
    assert np.allclose(d.point_at(clouds, 0.5), (clouds[0] + clouds[1]) / 2)


@pytest.mark.parametrize("span, step", [(10, 2), (8, 2), (1, 0.2), (365, 100), (0.04, 0.01)])
def test_tick_steps_are_one_two_or_five_times_a_power_of_ten(span, step):
    assert d.nice_step(span) == pytest.approx(step)


def test_scene_points_follow_the_axes(manim_session):
    with manim_session()[0]:
        ax = d.chart((0, 10), (-1, 1), width=6, height=2)
    assert np.allclose(
        d.to_scene(ax, [[0, -1], [10, 1], [5, 0]]), np.asarray(ax.c2p([0, 10, 5], [-1, 1, 0])).T
    )


def test_bars_span_from_the_base_to_their_heights(manim_session):
    with manim_session()[0]:
        ax = d.chart((0, 4), (0, 2), width=4, height=2)
    shape = d.bars(ax, [1, 3], [0.5, 2.0], width=0.5)
    corners = shape.points.reshape(2, 4, 4, 3)[:, :, 0, :]  # start of each side
    expected = np.stack(
        [
            d.to_scene(ax, [0.75, 1.25, 1.25, 0.75], [0, 0, 0.5, 0.5]),
            d.to_scene(ax, [2.75, 3.25, 3.25, 2.75], [0, 0, 2, 2]),
        ]
    )
    assert np.allclose(corners, expected)


def test_a_flat_arrow_ends_at_its_tip():
    arrow = d.FlatArrow([0, 0, 0], [2, 0, 0], tip=0.2)
    shaft, head = arrow.submobjects
    assert np.allclose(shaft.points[-1], [1.8, 0, 0]) and np.allclose(head.points[0], [2, 0, 0])
    arrow.put([1, 1, 0], [1, 1, 0])  # zero length: nothing to draw, no error
    assert np.isfinite(head.points).all()


def test_the_surface_background_has_a_band_per_level_of_the_figures(manim_session):
    import landscape as ls
    from landscape.plot._axes import grid, log_levels

    surface = ls.surfaces.get("himmelblau")
    with manim_session()[0]:
        ax, panel = d.surface_panel(surface, width=4, height=4, levels=8)
    bands, lines = panel[0]
    _, _, values = grid(surface, surface.bounds, 200)
    # One band above each level but the top one, the maximum of the window, which has nothing above.
    assert len(bands) == len(log_levels(values, 8)) - 1 == 8
    assert len(lines) >= 8  # at least one line per level above the minimum
    # Every band lies inside the panel's frame.
    low, high = d.to_scene(ax, surface.bounds.T)
    for band in bands:
        assert np.all(band.points[:, :2] >= low[:2] - 1e-9) and np.all(band.points[:, :2] <= high[:2] + 1e-9)
