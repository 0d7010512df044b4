import json

import numpy as np
import pytest

import landscape as ls


@pytest.fixture
def traj():
    s = ls.surfaces.get("logistic_regression", m=50)
    return ls.trace(
        s,
        ls.optim.adam(ls.schedules.exponential(0.1)),
        s.default_start,
        epochs=3,
        batch_size=16,
        particles=3,
        seed=4,
    )


def test_npz_round_trip(tmp_path, traj):
    path = tmp_path / "run.npz"
    traj.save(path)
    back = ls.load_trajectory(path)
    for name in (
        "positions",
        "values",
        "grad_norms",
        "steps",
        "diverged_step",
        "learning_rates",
        "batch_values",
    ):
        np.testing.assert_array_equal(getattr(back, name), getattr(traj, name))
    assert back.config == json.loads(json.dumps(traj.config))
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_configuration_rebuilds_the_run(traj):
    c = traj.config
    surface = ls.surfaces.get(c["surface"]["name"], **c["surface"]["params"])
    optimizer = ls.optim.from_spec(c["optimizer"])
    again = ls.trace(
        surface,
        optimizer,
        c["x0"],
        epochs=c["epochs"],
        batch_size=c["batch_size"],
        particles=c["particles"],
        seed=c["seed"],
    )
    np.testing.assert_array_equal(again.positions, traj.positions)


def test_csv_has_one_row_per_step_and_particle(tmp_path, traj):
    path = tmp_path / "run.csv"
    traj.to_csv(path)
    header = path.read_text().splitlines()[0].split(",")
    assert header == [
        "step",
        "particle",
        "x1",
        "x2",
        "value",
        "grad_norm",
        "learning_rate",
        "batch_value",
    ]
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    assert table.shape == (traj.positions.shape[0] * 3, 8)
    np.testing.assert_array_equal(table[:, 2:4], traj.positions.reshape(-1, 2))


def test_json_export(tmp_path, traj):
    path = tmp_path / "run.json"
    traj.to_json(path)
    document = json.loads(path.read_text())
    np.testing.assert_array_equal(document["positions"], traj.positions)


def test_summary_and_repr(traj):
    assert "particles=3" in repr(traj) and "logistic_regression" in repr(traj)
    assert "final value" in traj.summary()


def test_bad_paths(tmp_path, traj):
    with pytest.raises(ValueError, match="does not exist"):
        traj.save(tmp_path / "missing" / "run.npz")
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="path=.*saved by Trajectory.save"):
        ls.load_trajectory(tmp_path / "junk.npz")
