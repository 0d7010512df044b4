"""Every lecture scene, looked at every 0.2 s without rendering: nothing clipped, overlapping or faint."""

import pytest

from landscape.rendering import scene_catalog


@pytest.mark.parametrize("name", [scene.name for scene in scene_catalog()])
def test_the_layout_has_no_problems(name, constructed):
    problems = constructed(name).problems
    assert problems == [], "\n".join(str(problem) for problem in problems)
