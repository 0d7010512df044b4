"""check_layout finds each kind of fault in a small scene, and nothing in a right one."""

import pytest

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
