"""check_layout finds each kind of fault in a small scene, and nothing in a right one."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from landscape.rendering import check_layout


def test_a_right_layout_has_no_problems():
    assert check_layout("crowded") == []


def test_a_text_on_a_backing_rectangle_not_filled_yet_is_read_against_what_is_behind():
    assert check_layout("crowded", {"legend": True}) == []


@pytest.mark.parametrize("fault", ["overlap", "frame", "panel", "cut", "contrast"])
def test_each_fault_is_found(fault):
    problems = check_layout("crowded", {"fault": fault})
    assert {problem.kind for problem in problems} == {fault}, problems
    assert all(problem.time >= 0 for problem in problems)


def test_a_path_leaving_its_panel_is_seen_when_it_leaves():
    (problem,) = check_layout("crowded", {"fault": "panel"})
    # The dot reaches the chart's top (y = 1 of 1.6) at 1/1.6 of the 2-second motion.
    assert 1.0 <= problem.time <= 1.6
    assert "leaves its panel" in problem.message


def test_three_d_mobjects_are_measured_where_the_camera_projects_them():
    from manim import DEGREES, Surface, ThreeDScene, tempconfig

    from landscape.rendering._layout import _View

    with tempconfig({"format": "none", "pixel_width": 64, "pixel_height": 36, "verbosity": "ERROR"}):
        scene = ThreeDScene()
        scene.set_camera_orientation(phi=60 * DEGREES, theta=-45 * DEGREES)
        surface = Surface(
            lambda u, v: np.array([u, v, u * v]), u_range=[-2, 2], v_range=[-2, 2], resolution=4
        )
        scene.add(surface)
        camera = scene.renderer.camera
        members = surface.family_members_with_points()
        projected = np.concatenate([camera.project_points(member.points) for member in members])[:, :2]
        measured = _View(scene).box(surface)
    flat = np.concatenate([member.points for member in members])[:, :2]
    assert len(members) == 16 and not np.allclose(projected, flat)
    np.testing.assert_array_equal(measured, [projected.min(axis=0), projected.max(axis=0)])
    assert not np.array_equal(measured, [flat.min(axis=0), flat.max(axis=0)])


COORDINATE = st.floats(allow_infinity=False) | st.just(float("nan"))


@given(st.lists(st.tuples(COORDINATE, COORDINATE, COORDINATE, COORDINATE), min_size=1, max_size=5))
def test_the_union_of_boxes_is_numpy_s_min_and_max_nan_included(boxes):
    from functools import reduce

    from landscape.rendering._layout import _union

    stacked = np.array(boxes)
    expected = [*np.min(stacked[:, :2], axis=0), *np.max(stacked[:, 2:], axis=0)]
    np.testing.assert_array_equal(reduce(_union, [None, *boxes, None]), expected)
