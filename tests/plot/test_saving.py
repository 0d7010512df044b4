"""Saving: atomic, deterministic bytes, a sidecar that rebuilds the figure, and config checks."""

import json

import numpy as np
import pytest

import landscape as ls
from landscape.plot import complete_config, figure_from_config, read_sidecar, save_figure

CONFIG = {
    "kind": "contour",
    "surface": "elongated_bowl:kappa=25",
    "optimizers": ["sgd:lr=0.075", "momentum:lr=0.075,beta=0.9"],
    "steps": 30,
    "particles": 20,
    "noise": "0.5",
    "seed": 7,
}


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_a_figure_rebuilt_from_its_sidecar_has_the_same_bytes(tmp_path, suffix):
    first = save_figure(figure_from_config(CONFIG), tmp_path / f"fig{suffix}", config=CONFIG)
    document = read_sidecar(tmp_path / "fig.json")
    assert document["figure"] == f"fig{suffix}"
    assert document["seed"] == 7
    assert document["config"] == CONFIG
    assert {"python", "landscape", "numpy", "scipy", "matplotlib"} <= set(document["versions"])
    again = save_figure(figure_from_config(document["config"]), tmp_path / f"again{suffix}", config=CONFIG)
    assert first.read_bytes() == again.read_bytes()
    assert (tmp_path / "fig.json").read_text() == (tmp_path / "again.json").read_text().replace(
        f'"again{suffix}"', f'"fig{suffix}"'
    )


def test_a_different_seed_gives_a_different_figure(tmp_path):
    a = save_figure(figure_from_config(CONFIG), tmp_path / "a.png", config=CONFIG)
    b = save_figure(figure_from_config(CONFIG | {"seed": 8}), tmp_path / "b.png")
    assert a.read_bytes() != b.read_bytes()


def test_saving_leaves_nothing_behind_when_it_fails(tmp_path):
    fig = ls.plot.contour(ls.surfaces.get("himmelblau"))

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    fig.savefig = broken
    with pytest.raises(RuntimeError, match="disk full"):
        save_figure(fig, tmp_path / "fig.png", config=CONFIG)
    assert list(tmp_path.iterdir()) == []


def test_a_ctrl_c_between_the_two_renames_is_raised_once_both_files_are_new(
    tmp_path, monkeypatch, send_ctrl_c
):
    """The sidecar, then the figure, are renamed into place: a Ctrl-C landing between the two
    waits for the second, so the sidecar never stands beside an older figure."""
    import os

    from matplotlib.figure import Figure

    path = tmp_path / "fig.png"
    figures = [Figure(figsize=(2, 2)) for _ in range(2)]
    figures[1].add_subplot().plot([0, 1], [1, 0])
    save_figure(figures[0], path, config={"seed": 1})
    expected = save_figure(figures[1], tmp_path / "expected.png", config={"seed": 2}).read_bytes()
    real = os.replace

    def replace(source, target):
        real(source, target)
        if str(target).endswith(".json"):
            send_ctrl_c()

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt) as interrupt:
        save_figure(figures[1], path, config={"seed": 2})
    assert interrupt.value.__notes__ == [f"{path} and its sidecar were written in full"]
    assert read_sidecar(tmp_path / "fig.json")["seed"] == 2 and path.read_bytes() == expected
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["expected.json", "expected.png", "fig.json", "fig.png"]


@pytest.mark.parametrize(
    ("name", "message"),
    [("fig.gif", "ending in .png, .svg, .pdf"), ("missing/fig.png", "does not exist")],
)
def test_bad_output_paths(tmp_path, name, message):
    with pytest.raises(ValueError, match=message):
        save_figure(ls.plot.ewa_temperature(), tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_sidecar_without_config_and_bad_sidecars(tmp_path):
    save_figure(ls.plot.ewa_temperature(), tmp_path / "plain.png")
    document = json.loads((tmp_path / "plain.json").read_text())
    assert document["config"] is None and "drawn from Python without a recipe" in document["not_reproducible"]
    with pytest.raises(ls.InvalidArgument, match="drawn from Python without a recipe.*figure_from_config"):
        read_sidecar(tmp_path / "plain.json")
    (tmp_path / "junk.json").write_text("{not json")
    with pytest.raises(ValueError, match="sidecar=.*junk.json"):
        read_sidecar(tmp_path / "junk.json")
    (tmp_path / "other.json").write_text('{"a": 1}')
    with pytest.raises(ValueError, match="landscape_figure"):
        read_sidecar(tmp_path / "other.json")
    with pytest.raises(ValueError, match="No such file"):
        read_sidecar(tmp_path / "absent.json")


def test_a_figure_built_from_a_recipe_records_it_when_saved_from_python(tmp_path):
    fig = ls.plot.figure_from_config({"kind": "ewa", "betas": [0.9]})
    save_figure(fig, tmp_path / "ewa.png")
    config = read_sidecar(tmp_path / "ewa.json")["config"]
    assert config["kind"] == "ewa" and config["betas"] == [0.9]
    again = ls.plot.figure_from_config(config)
    save_figure(again, tmp_path / "again.png")
    assert (tmp_path / "again.png").read_bytes() == (tmp_path / "ewa.png").read_bytes()


def test_save_without_sidecar(tmp_path):
    save_figure(ls.plot.ewa_temperature(), tmp_path / "fig.svg", sidecar=False)
    assert [p.name for p in tmp_path.iterdir()] == ["fig.svg"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"kind": "pie"}, "kind='pie' is not accepted; expected one of contour"),
        ({"kind": "contour"}, "draws a surface; expected a surface spec"),
        ({"kind": "ewa", "surface": "rosenbrock"}, "draws no surface"),
        ({"kind": "ewa", "optimizers": ["sgd"]}, "traces no optimizer"),
        ({"kind": "loss", "surface": "rosenbrock"}, "expected at least one optimizer spec"),
        (
            {"kind": "contour", "surface": "rosenbrock", "colour": "red"},
            "config='colour' is not accepted",
        ),
        ("contour", "config='contour' is not accepted"),
    ],
)
def test_configurations_are_checked(config, message):
    with pytest.raises(ValueError, match=message):
        complete_config(config)


def test_every_kind_without_analysis_builds_from_defaults():
    for kind, extra in [
        ("surface3d", {"surface": "himmelblau", "optimizers": ["adam:lr=0.1"], "steps": 20}),
        ("loss", {"surface": "rosenbrock", "optimizers": ["adam:lr=0.05"], "steps": 20}),
        (
            "lr",
            {"surface": "rosenbrock", "optimizers": ["sgd:lr=inverse_time(0.001,1)"], "steps": 5},
        ),
        ("ewa", {"betas": [0.9], "unit": "C"}),
    ]:
        fig = figure_from_config({"kind": kind, **extra})
        assert fig.axes


def test_loss_recipe_subtracts_the_known_minimum():
    fig = figure_from_config(
        {"kind": "loss", "surface": "styblinski_tang", "optimizers": ["adam:lr=0.1"], "steps": 300}
    )
    ax = fig.axes[0]
    assert ax.get_ylabel() == "f − f*"
    assert np.all(ax.get_lines()[0].get_ydata() >= -1e-9)  # f - f* >= 0 although f < 0 here
