"""Slices against independent results: the quadratic form, finite differences, critical points."""

import numpy as np
import pytest
import scipy.differentiate as sd

import landscape as ls


@pytest.fixture(scope="module")
def quadratic():
    """A 30-dim positive definite quadratic with its minimum away from the origin."""
    return ls.surfaces.get(
        "random_quadratic", dim=30, ensemble="spectrum", mu=0.5, L=4.0, seed=3, linear_scale=1.0
    )


def _hessian_and_linear(surface):
    """H and b of ½xᵀHx + bᵀx, read off the surface by its own gradient (∇f = Hx + b)."""
    eye = np.eye(surface.dim)
    b = surface.grad(np.zeros(surface.dim))
    return surface.grad(eye) - b, b


def test_a_plane_of_a_quadratic_is_the_quadratic_form_in_its_coordinates(quadratic, rng):
    h, b = _hessian_and_linear(quadratic)
    c = rng.standard_normal(30)
    d = rng.standard_normal((2, 30))
    plane = ls.slices.plane(quadratic, c, d[0], d[1], span=(-2, 2))
    alpha = rng.uniform(-2, 2, (7, 5, 2))
    # g(α) = f(c) + αᵀ D(Hc + b) + ½ αᵀ (D H Dᵀ) α
    f_c = 0.5 * c @ h @ c + b @ c
    expected = (
        f_c + alpha @ (d @ (h @ c + b)) + 0.5 * np.einsum("...i,ij,...j->...", alpha, d @ h @ d.T, alpha)
    )
    np.testing.assert_allclose(plane.value(alpha), expected, rtol=1e-12, atol=1e-12 * abs(f_c))
    np.testing.assert_allclose(plane.grad(alpha), d @ (h @ c + b) + alpha @ (d @ h @ d.T), rtol=1e-10)
    np.testing.assert_allclose(plane.hessian(alpha), np.broadcast_to(d @ h @ d.T, (7, 5, 2, 2)), rtol=1e-10)


def test_critical_points_of_a_plane_through_a_minimum_find_exactly_that_point(quadratic):
    h, b = _hessian_and_linear(quadratic)
    minimum = np.linalg.solve(h, -b)
    plane = ls.slices.random_slice(quadratic, minimum, normalization="unit", seed=4, span=(-3, 3))
    found = ls.critical_points(plane)
    assert len(found) == 1  # (no bound proves a catalogue of a slice complete: none is claimed)
    assert found[0].kind == "minimum"
    np.testing.assert_allclose(found[0].position, [0.0, 0.0], atol=1e-9)
    np.testing.assert_allclose(plane.points(found[0].position), minimum, atol=1e-9)


SLICES = {
    "rosenbrock-plane": lambda: ls.slices.random_slice(
        ls.surfaces.get("rosenbrock", dim=20), np.full(20, 0.9), seed=1, span=(-0.3, 0.3)
    ),
    "random_field-plane": lambda: ls.slices.random_slice(
        ls.surfaces.get("random_field", dim=10, seed=2), np.full(10, 0.5), normalization="unit", seed=5
    ),
    "rosenbrock-line": lambda: ls.slices.line(
        ls.surfaces.get("rosenbrock", dim=20), np.zeros(20), np.ones(20)
    ),
    "own-plane": lambda: ls.slices.plane(  # a base surface whose Hessian comes from differences
        ls.surfaces.from_functions(
            lambda x: np.sin(x[..., 0]) * x[..., 1] ** 2 + x[..., 2] ** 4,
            lambda x: np.stack(
                [np.cos(x[..., 0]) * x[..., 1] ** 2, 2 * np.sin(x[..., 0]) * x[..., 1], 4 * x[..., 2] ** 3],
                -1,
            ),
            dim=3,
            bounds=[[-2, 2]] * 3,
        ),
        [0.2, 0.3, 0.4],
        [1.0, 0.5, 0.0],
        [0.0, 1.0, -1.0],
    ),
}


@pytest.mark.parametrize("name", list(SLICES))
@pytest.mark.parametrize("shape", [(), (4,), (2, 3)])
def test_slice_derivatives_match_finite_differences(name, shape):
    plane = SLICES[name]()
    rng = np.random.default_rng(0)
    low, high = plane.bounds[:, 0], plane.bounds[:, 1]
    alpha = low + (high - low) * rng.random(shape + (plane.dim,))

    def first(function):  # scipy puts coordinates first
        return lambda z: np.moveaxis(np.asarray(function(np.moveaxis(z, 0, -1))), -1, 0)

    z = np.moveaxis(alpha, -1, 0)
    gradient = np.moveaxis(sd.jacobian(lambda w: plane.value(np.moveaxis(w, 0, -1)), z).df, 0, -1)
    scale = 1.0 + np.abs(gradient).max()
    np.testing.assert_allclose(plane.grad(alpha), gradient, rtol=1e-7, atol=1e-7 * scale)
    hessian = np.moveaxis(sd.jacobian(first(plane.grad), z).df, (0, 1), (-2, -1))
    scale = 1.0 + np.abs(hessian).max()
    np.testing.assert_allclose(plane.hessian(alpha), hessian, rtol=1e-6, atol=1e-6 * scale)
    v = rng.standard_normal(shape + (plane.dim,))
    np.testing.assert_allclose(
        plane.hvp(alpha, v), np.einsum("...ij,...j->...i", hessian, v), rtol=1e-6, atol=1e-6 * scale
    )
    value, grad = plane.value_and_grad(alpha)
    np.testing.assert_array_equal(value, plane.value(alpha))
    np.testing.assert_array_equal(grad, plane.grad(alpha))


def test_a_line_runs_from_a_to_b():
    s = ls.surfaces.get("rosenbrock", dim=20)
    a, b = s.default_start, np.ones(20)
    path = ls.slices.line(s, a, b)
    assert path.dim == 1 and path.kind == "line"
    np.testing.assert_array_equal(path.bounds, [[-0.5, 1.5]])
    np.testing.assert_allclose(
        path.value([[0.0], [1.0], [0.5]]), s.value([a, b, (a + b) / 2]), rtol=1e-14, atol=1e-20
    )
    np.testing.assert_allclose(path.minima, [[1.0]])  # rosenbrock's minimum lies on the line


def test_the_plane_through_three_points_puts_them_at_known_coordinates(rng):
    s = ls.surfaces.get("random_field", dim=12, seed=0)
    a, b, c = rng.standard_normal((3, 12))
    plane = ls.slices.through_points(s, a, b, c)
    seen = plane.project(np.stack([a, b, c]))
    np.testing.assert_allclose(seen.coordinates[:2], [[0, 0], [1, 0]], atol=1e-12)
    np.testing.assert_allclose(seen.distance, 0.0, atol=1e-12)
    np.testing.assert_allclose(plane.points(seen.coordinates[2]), c, atol=1e-12)
    d1, d2 = plane.directions
    assert abs(d1 @ d2) < 1e-12 * (d1 @ d1) and np.isclose(d1 @ d1, d2 @ d2)
    assert np.all(plane.bounds[:, 0] < seen.coordinates.min(axis=0))  # all three inside the window
    assert np.all(plane.bounds[:, 1] > seen.coordinates.max(axis=0))


def test_a_path_lying_in_the_plane_projects_at_zero_distance(rng):
    s = ls.surfaces.get("rosenbrock", dim=20)
    center = rng.standard_normal(20)
    d = rng.standard_normal((2, 20))  # not orthogonal, not unit: the projection is least squares
    plane = ls.slices.plane(s, center, d[0], d[1])
    coordinates = rng.standard_normal((15, 3, 2))
    seen = plane.project(plane.points(coordinates))
    np.testing.assert_allclose(seen.coordinates, coordinates, atol=1e-12)
    np.testing.assert_allclose(seen.distance, 0.0, atol=1e-12)
    off = rng.standard_normal(20)
    off -= d.T @ np.linalg.lstsq(d.T, off, rcond=None)[0]  # orthogonal to the plane
    moved = plane.project(plane.points(coordinates) + off)
    np.testing.assert_allclose(moved.coordinates, coordinates, atol=1e-12)
    np.testing.assert_allclose(moved.distance, np.linalg.norm(off), rtol=1e-12)


def test_projecting_a_trajectory_gives_one_point_per_record_and_particle():
    s = ls.surfaces.get("rosenbrock", dim=6)
    traj = ls.trace(s, ls.optim.adam(lr=0.01), s.sample(3, seed=1), steps=20, engine="numpy")
    plane = ls.slices.random_slice(s, np.ones(6), seed=0)
    seen = plane.project(traj)
    assert seen.coordinates.shape == (21, 3, 2) and seen.distance.shape == (21, 3)


def test_the_grid_is_the_values_at_its_points_and_is_kept():
    s = ls.surfaces.get("random_field", dim=8, seed=4)
    plane = ls.slices.random_slice(s, np.full(8, 0.3), seed=2, resolution=21)
    grid = plane.grid()
    x, y = np.meshgrid(*grid.axes)
    np.testing.assert_allclose(grid.values, s.value(plane.points(np.stack([x, y], axis=-1))), rtol=1e-13)
    assert plane.grid().values is grid.values  # computed once
    assert set(plane.grids) == {21}
    line = ls.slices.line(s, np.zeros(8), np.ones(8), resolution=9)
    np.testing.assert_allclose(
        line.grid().values, s.value(np.linspace(-0.5, 1.5, 9)[:, None] * np.ones(8)), rtol=1e-13
    )


def test_values_do_not_depend_on_how_points_are_cut_into_blocks(monkeypatch):
    from landscape.slices import _blocks

    s = ls.surfaces.get("rosenbrock", dim=30)  # each value on its own, whatever the batch
    plane = ls.slices.random_slice(s, np.full(30, 0.2), seed=0, resolution=40)
    whole = plane.grid().values
    monkeypatch.setattr(_blocks, "BLOCK_BYTES", 8 * 30 * 2 * 7)  # blocks of 7 points, on every core
    again = ls.slices.random_slice(s, np.full(30, 0.2), seed=0, resolution=40)
    rounds = []
    values = again.grid(progress=lambda items: (rounds.append(i) or i for i in items)).values
    np.testing.assert_array_equal(values, whole)
    assert len(rounds) >= 1600 // 7 // 2


def test_an_interrupted_grid_keeps_nothing():
    s = ls.surfaces.get("random_field", dim=30, seed=1)
    plane = ls.slices.random_slice(s, np.full(30, 0.2), seed=0, resolution=60)

    def interrupted(rounds):
        for index, item in enumerate(rounds):
            if index == 1:
                raise KeyboardInterrupt
            yield item

    from landscape.slices import _blocks

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_blocks, "BLOCK_BYTES", 8 * 30 * 2 * 100)
        with pytest.raises(KeyboardInterrupt):
            plane.grid(progress=interrupted)
    assert plane.grids == {}


def test_trace_and_classify_work_on_a_slice():
    s = ls.surfaces.get("rosenbrock", dim=10)
    plane = ls.slices.random_slice(s, np.ones(10), seed=0, span=(-0.2, 0.2))
    traj = ls.trace(plane, ls.optim.adam(lr=0.005), [0.1, -0.1], steps=400, engine="numpy")
    assert traj.config["surface"]["name"] == "slice"
    assert np.linalg.norm(traj.final_positions[0]) < 1e-2
    point = ls.classify(plane, [0.0, 0.0])
    assert point.kind == "minimum"


def test_save_and_load_keep_everything(tmp_path):
    s = ls.surfaces.get("rosenbrock", dim=12)
    plane = ls.slices.random_slice(s, np.ones(12), seed=7, resolution=11)
    plane.grid()
    plane.save(tmp_path / "plane.npz")
    again = ls.slices.load_slice(tmp_path / "plane.npz")
    np.testing.assert_array_equal(again.center, plane.center)
    np.testing.assert_array_equal(again.directions, plane.directions)
    np.testing.assert_array_equal(again.bounds, plane.bounds)
    assert again.how == plane.how and again.resolution == 11
    np.testing.assert_array_equal(again.grids[11], plane.grids[11])
    assert again.surface.spec == s.spec
    assert [p.name for p in tmp_path.iterdir()] == ["plane.npz"]


def test_a_surface_that_cannot_be_rebuilt_must_be_given(tmp_path):
    own = ls.surfaces.from_functions(lambda x: (x**2).sum(-1), dim=3, bounds=[[-1, 1]] * 3)
    ls.slices.line(own, np.zeros(3), np.ones(3)).save(tmp_path / "line.npz")
    with pytest.raises(
        ValueError, match="surface=None is not accepted; expected the Surface that was sliced"
    ):
        ls.slices.load_slice(tmp_path / "line.npz")
    assert ls.slices.load_slice(tmp_path / "line.npz", surface=own).dim == 1
    with pytest.raises(ValueError, match="of dim 3"):
        ls.slices.load_slice(tmp_path / "line.npz", surface=ls.surfaces.get("himmelblau"))
    (tmp_path / "other.npz").write_bytes(b"not a slice")
    with pytest.raises(ValueError, match="path=.* a slice saved by Slice.save"):
        ls.slices.load_slice(tmp_path / "other.npz")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda s: ls.slices.plane(s, np.zeros(5), np.ones(5), 2 * np.ones(5)), "zero or parallel"),
        (lambda s: ls.slices.plane(s, np.zeros(5), np.ones(4), np.ones(4)), r"shape \(2, 4\)"),
        (lambda s: ls.slices.plane(s, np.zeros(4), np.eye(5)[0], np.eye(5)[1]), r"center has shape \(4,\)"),
        (lambda s: ls.slices.plane(s, np.zeros(5), *np.eye(5)[:2], span=(1, -1)), "span="),
        (lambda s: ls.slices.plane(s, [np.nan] * 5, *np.eye(5)[:2]), "center="),
        (lambda s: ls.slices.line(s, np.ones(5), np.ones(5)), "b='the same point as a'"),
        (lambda s: ls.slices.through_points(s, np.zeros(5), np.ones(5), 2 * np.ones(5)), "not on one line"),
        (lambda s: ls.slices.Slice(s, np.zeros(5), np.eye(5)[:3], (-1, 1)), "1 or 2 linearly independent"),
        (lambda s: ls.slices.plane(s, np.zeros(5), *np.eye(5)[:2], resolution=1), "resolution=1"),
    ],
)
def test_bad_slices_are_refused_with_one_clear_line(build, message):
    s = ls.surfaces.get("rosenbrock", dim=5)
    with pytest.raises(ValueError, match=message):
        build(s)
