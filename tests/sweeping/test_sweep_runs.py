"""``ls.sweep`` in this process: the numbers of a plain loop of traces, whatever the chunking."""

import numpy as np
import pytest

import landscape as ls

BOWL = "elongated_bowl:kappa=10"
GRID = {"lr": [0.01, 0.05, 0.15, 0.25], "beta": [0.0, 0.5, 0.9]}
SETTINGS = {"seeds": 5, "steps": 60, "x0": "random", "noise": ls.noise.gaussian(0.2), "seed": 3, "tol": 1e-3}


def reference_metrics(trajectory, optimum, tol):
    """The metrics of one configuration, written out plainly: one trace of S particles."""
    final = np.where(trajectory.diverged, np.inf, trajectory.values[-1])
    steps = []
    for k in range(trajectory.particles):
        reached = [
            s for s, v in zip(trajectory.steps, trajectory.values[:, k], strict=True) if v - optimum <= tol
        ]
        steps.append(reached[0] if reached else np.inf)
    return {
        "final_value_median": np.median(final),
        "best_value_median": np.median(trajectory.values.min(axis=0)),
        "best_value_q25": np.quantile(trajectory.values.min(axis=0), 0.25),
        "steps_to_tol_median": np.median(steps),
        "reached_fraction": np.mean(np.isfinite(steps)),
        "diverged_fraction": np.mean(trajectory.diverged),
    }


def assert_same_columns(a, b):
    assert list(a.columns) == list(b.columns)
    for name in a.columns:
        np.testing.assert_array_equal(a.columns[name], b.columns[name], err_msg=name)


@pytest.mark.filterwarnings("ignore::landscape.DivergenceWarning")  # the reference runs diverge too
def test_a_sweep_gives_the_numbers_of_a_plain_loop_of_traces():
    result = ls.sweep(BOWL, "momentum:style=heavy_ball", GRID, workers=0, chunk_size=5, **SETTINGS)
    surface = ls.specs.parse_surface(BOWL)
    starts = surface.sample(5, seed=3)
    rows = [(lr, beta) for lr in GRID["lr"] for beta in GRID["beta"]]
    assert result.columns["lr"].tolist() == [lr for lr, _ in rows]
    assert result.columns["beta"].tolist() == [beta for _, beta in rows]
    assert set(result.columns["optimizer"]) == {"momentum:style=heavy_ball"}
    assert set(result.columns["surface"]) == {BOWL}
    for i, (lr, beta) in enumerate(rows):
        trajectory = ls.trace(
            surface,
            ls.optim.momentum(lr, beta, style="heavy_ball"),
            starts,
            60,
            noise=SETTINGS["noise"],
            seed=3,
        )
        for name, value in reference_metrics(trajectory, 0.0, 1e-3).items():
            assert result.columns[name][i] == value, (name, lr, beta)
    # heavy ball on λ_max = 10 is stable for α < 2(1+β)/10: at β = 0, lr 0.25 diverges, at β = 0.9 it does not
    diverged = dict(zip(rows, result.columns["diverged_fraction"], strict=True))
    assert diverged[0.25, 0.0] == 1 and diverged[0.25, 0.9] == 0 and diverged[0.15, 0.0] == 0


def test_exact_minibatches_and_grouped_keys_match_a_plain_loop():
    surface = ls.surfaces.get("linear_regression", m=40)
    grid = {"batch_size": [4, 40], "lr": [0.05, 0.2], "style": ["ewa", "heavy_ball"]}
    result = ls.sweep(surface, "momentum:beta=0.5", grid, seeds=3, epochs=3, seed=1, workers=0, chunk_size=3)
    assert result.columns["batch_size"].tolist() == [4] * 4 + [40] * 4
    assert result.columns["style"].tolist() == ["ewa", "ewa", "heavy_ball", "heavy_ball"] * 2
    optimum = float(surface.value(surface.minima).min())
    for i in range(len(result)):
        b, lr, style = (result.columns[k][i].item() for k in ("batch_size", "lr", "style"))
        trajectory = ls.trace(
            surface,
            ls.optim.momentum(np.full(3, lr), 0.5, style=style),  # per particle, as the sweep passes it
            surface.default_start,
            epochs=3,
            particles=3,
            batch_size=b,
            seed=1,
        )
        assert trajectory.steps[-1] == 3 * (10 if b == 4 else 1)
        for name, value in reference_metrics(trajectory, optimum, 1e-6).items():
            assert result.columns[name][i] == value, (name, b, lr, style)


def test_your_own_metrics_are_reduced_over_seeds_like_the_others():
    def distance(trajectory):
        return np.linalg.norm(trajectory.final_positions, axis=1)

    result = ls.sweep(BOWL, "sgd", {"lr": [0.02, 0.1]}, metrics={"distance": distance}, workers=0, **SETTINGS)
    surface = ls.specs.parse_surface(BOWL)
    for i, lr in enumerate([0.02, 0.1]):
        trajectory = ls.trace(
            surface, ls.optim.sgd(lr), surface.sample(5, seed=3), 60, noise=SETTINGS["noise"], seed=3
        )
        d = np.linalg.norm(trajectory.positions[-1], axis=1)
        assert result.columns["distance_median"][i] == np.median(d)
        assert result.columns["distance_q25"][i] == np.quantile(d, 0.25)
    assert "distance_q75" in result.metrics and result.grid_keys == ["lr"]
    assert result.description["metrics"] == {"distance": f"{__name__}.{distance.__qualname__}"}


@pytest.mark.parametrize(
    ("metrics", "message"),
    [
        ({"final_value": np.min}, "metrics=.*a dict of new names"),
        ({"lr": np.min}, "metrics=.*a dict of new names"),
        ({"my metric": np.min}, "metrics=.*a dict of new names"),
        ({"gap": 0.5}, "metrics=.*a dict of new names"),
        ([np.min], "metrics=.*a dict of new names"),
    ],
)
def test_bad_metrics_are_refused(metrics, message):
    with pytest.raises(ValueError, match=message):
        ls.sweep(BOWL, "sgd", {"lr": [0.1]}, steps=2, metrics=metrics, workers=0)


def test_a_metric_of_the_wrong_shape_names_itself():
    with pytest.raises(
        ValueError, match=r"metrics\['mean'\] returned shape \(\); expected one number per particle"
    ):
        ls.sweep(
            BOWL, "sgd", {"lr": [0.1, 0.2]}, steps=2, seeds=2, metrics={"mean": lambda t: 1.0}, workers=0
        )


@pytest.mark.parametrize("chunk_size", [1, 4, 7, 1000])
def test_results_do_not_depend_on_the_chunking(chunk_size):
    grid = {"lr": [0.02, 0.1, 0.3], "beta": [0.0, 0.9], "nesterov": [False, True]}
    settings = SETTINGS | {"seeds": 3, "steps": 30}
    whole = ls.sweep(BOWL, "momentum", grid, workers=0, chunk_size=12, **settings)
    cut = ls.sweep(BOWL, "momentum", grid, workers=0, chunk_size=chunk_size, **settings)
    assert_same_columns(whole, cut)


def test_several_surfaces_are_the_first_axis():
    both = ls.sweep([BOWL, "elongated_bowl:kappa=50"], "sgd", {"lr": [0.01, 0.03]}, steps=20, workers=0)
    alone = ls.sweep("elongated_bowl:kappa=50", "sgd", {"lr": [0.01, 0.03]}, steps=20, workers=0)
    assert both.columns["surface"].tolist() == [
        BOWL,
        BOWL,
        "elongated_bowl:kappa=50",
        "elongated_bowl:kappa=50",
    ]
    for name in alone.metrics:
        np.testing.assert_array_equal(both.columns[name][2:], alone.columns[name])


def test_several_optimizers_are_the_second_axis_and_each_runs_the_whole_grid():
    grid = {"lr": [0.01, 0.05, 0.15]}
    optimizers = ["sgd", "momentum:beta=0.5", "adam"]
    both = ls.sweep([BOWL, "elongated_bowl:kappa=50"], optimizers, grid, workers=0, chunk_size=2, **SETTINGS)
    assert len(both) == 2 * 3 * 3
    assert both.columns["optimizer"].tolist() == 2 * [name for name in optimizers for _ in range(3)]
    assert both.description["optimizer"][1]["params"]["beta"] == 0.5
    for i, surface in enumerate([BOWL, "elongated_bowl:kappa=50"]):
        for j, optimizer in enumerate(optimizers):
            alone = ls.sweep(surface, optimizer, grid, workers=0, **SETTINGS)
            rows = slice(9 * i + 3 * j, 9 * i + 3 * j + 3)
            for name in alone.metrics:
                np.testing.assert_array_equal(both.columns[name][rows], alone.columns[name], err_msg=name)


@pytest.mark.parametrize(
    ("optimizers", "grid", "message"),
    [
        (["sgd", "momentum"], {"beta": [0.0, 0.9]}, "grid key='beta' .*a parameter of sgd: lr"),
        (["sgd:lr=0.1", "sgd:lr=0.2"], {"lr": [0.1]}, "optimizer=\\['sgd'\\] .*distinct optimizers"),
        ([], {"lr": [0.1]}, "optimizer=\\[\\] .*non-empty list"),
    ],
)
def test_every_optimizer_takes_every_grid_key_and_none_is_given_twice(optimizers, grid, message):
    with pytest.raises(ls.InvalidArgument, match=message):
        ls.sweep(BOWL, optimizers, grid, steps=5, workers=0)


def test_results_round_trip_through_parquet_and_csv(tmp_path):
    result = ls.sweep(
        BOWL, "momentum", {"lr": [0.01, 0.3], "style": ["ewa", "heavy_ball"]}, steps=40, workers=0
    )
    for name in ("r.parquet", "r.csv"):
        path = result.save(tmp_path / name)
        back = ls.load_sweep(path)
        assert_same_columns(result, back)
        assert back.grid_keys == ["lr", "style"]
    assert ls.load_sweep(tmp_path / "r.parquet").description == result.description
    assert ls.load_sweep(tmp_path / "r.csv").description is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.csv", "r.parquet"]  # no temporary files left
    assert "configurations=4" in repr(result) and "lr (2) x style (2)" in repr(result)


def test_pivot_lays_a_metric_over_two_axes():
    grid = {"lr": [0.1, 0.01], "beta": [0.0, 0.5, 0.9], "style": ["ewa", "heavy_ball"]}
    result = ls.sweep(BOWL, "momentum", grid, steps=10, workers=0)
    xs, ys, table = result.pivot("best_value_median", "lr", "beta", where={"style": "heavy_ball"})
    assert xs.tolist() == [0.01, 0.1] and ys.tolist() == [0.0, 0.5, 0.9] and table.shape == (3, 2)
    rows = result.select({"style": "heavy_ball"})
    for j, beta in enumerate(ys):
        for i, lr in enumerate(xs):
            match = rows & (result.columns["lr"] == lr) & (result.columns["beta"] == beta)
            assert table[j, i] == result.columns["best_value_median"][match][0]
    with pytest.raises(ValueError, match="leaves style varying"):
        result.pivot("best_value_median", "lr", "beta")
    with pytest.raises(ValueError, match=r"where\['style'\]='adam' .*one of ewa, heavy_ball"):
        result.pivot("best_value_median", "lr", "beta", where={"style": "adam"})


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"grid": {"learning_rate": [0.1]}}, "grid key='learning_rate'"),
        ({"grid": {"beta": [0.5, 1.0]}}, "beta=.*in \\[0, 1\\)"),
        ({"grid": {"lr": [0.1, -0.1]}}, "lr=.*> 0"),
        ({"grid": {"style": ["ewa", "polyak"]}}, "style='polyak'"),
        ({"grid": {"batch_size": [4]}}, "batch_size=4 .*None for elongated_bowl:kappa=10"),
        ({"optimizer": "momentum:lr=[0.1,0.2]"}, "lr=.*one value; give several values as a grid key"),
        ({"optimizer": ls.optim.chain(ls.optim.scale_by_learning_rate(0.1))}, "optimizer='chain'"),
        ({"optimizer": "adamm"}, "optimizer='adamm'"),
        ({"surfaces": "elongated_bowl:kapa=3"}, "has no parameter 'kapa'"),
        ({"surfaces": [BOWL, BOWL]}, "distinct surfaces"),
        ({"surfaces": []}, "surfaces=\\[\\]"),
        ({"seeds": 0}, "seeds=0"),
        ({"steps": None}, "exactly one of steps= or epochs="),
        ({"epochs": 3}, "exactly one of steps= or epochs="),
        ({"x0": [1.0, 2.0, 3.0]}, "x0 has shape"),
        ({"x0": np.zeros((3, 2))}, "one per seed, shape \\(2, 2\\)"),
        ({"x0": "middle"}, "x0='middle'"),
        ({"noise": ls.noise.gaussian(np.array([0.1, 0.2]))}, "noise sigma=.*one number"),
        ({"tol": -1.0}, "tol=-1.0"),
        ({"chunk_size": 0}, "chunk_size=0"),
        ({"workers": -1}, "workers=-1"),
        ({"workers": 2, "scheduler": "tcp://127.0.0.1:8786"}, "scheduler=.*nothing when workers is given"),
    ],
)
def test_bad_input_is_refused_before_any_work(arguments, message):
    call = {"surfaces": BOWL, "optimizer": "momentum", "grid": {"lr": [0.1]}, "steps": 5, "seeds": 2}
    call |= {"workers": 0} if "scheduler" not in arguments else {}
    call |= arguments
    with pytest.raises(ValueError, match=message) as error:
        ls.sweep(call.pop("surfaces"), call.pop("optimizer"), call.pop("grid"), **call)
    assert "\n" not in str(error.value)


def test_the_measured_stability_region_is_the_heavy_ball_theory():
    # heavy ball on a quadratic is stable iff α_hb λ_max < 2(1 + β) (Polyak 1964); the lecture's
    # form v = βv + (1-β)dW is heavy ball with α_hb = α(1-β). Here λ_max = 10.
    grid = {
        "lr": np.geomspace(0.01, 3.0, 26).tolist(),
        "beta": [0.0, 0.3, 0.6, 0.9],
        "style": ["ewa", "heavy_ball"],
    }
    result = ls.sweep(BOWL, "momentum", grid, steps=400, workers=0)
    lr, beta, style = (result.columns[k] for k in ("lr", "beta", "style"))
    ratio = np.where(style == "ewa", lr * (1 - beta), lr) * 10 / (2 * (1 + beta))
    start = float(ls.specs.parse_surface(BOWL).value(ls.specs.parse_surface(BOWL).default_start))
    final = result.columns["final_value_median"]
    assert (ratio < 0.85).sum() > 60 and (ratio > 1.15).sum() > 60
    assert np.all(final[ratio < 0.85] < 1e-3 * start)
    assert np.all(final[ratio > 1.15] > start)
    assert np.all(result.columns["diverged_fraction"][ratio < 1] == 0)
