"""The classifier's figure: data by class over the regions its network predicts."""

import numpy as np
import pytest

import landscape as ls
from landscape import style


def test_regions_follow_the_trained_network(pixels, count_color):
    net = ls.surfaces.mlp(layers=(2, 8, 1), activation="tanh", data="circles", m=200)
    run = ls.trace(
        net, ls.optim.adam(0.05), net.init(3, "xavier", seed=0), epochs=40, batch_size=50, record_every=100
    )
    fig = ls.plot.decision_regions(net, runs=[run], resolution=120)
    ax = fig.axes[0]
    best = int(np.argmin(run.values[-1]))
    assert f"accuracy {net.accuracy(run.positions[-1, best]):.1%}" in ax.get_title()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1"]
    image = pixels(fig)
    for c in range(2):  # every class is drawn in its colour
        assert count_color(image, style.series_color(c), tolerance=30) > 200
    centre = net.predict(run.positions[-1, best], np.zeros((2, 1)))  # the inner disc is class 1
    assert centre[0, 0] > 0.5


def test_the_data_kind_of_landscape_plot():
    fig = ls.plot.figure_from_config(
        {
            "kind": "data",
            "surface": "mlp:layers=[2,4,3],output=softmax,data=blobs,m=90",
            "optimizers": ["adam:lr=0.05"],
            "epochs": 5,
            "steps": None,
            "batch_size": 30,
        }
    )
    assert "2-4-3 relu network on blobs" in fig.axes[0].get_title()
    assert len(fig.axes[0].get_legend().get_texts()) == 3
    untrained = ls.plot.figure_from_config({"kind": "data", "surface": "mlp:m=50"})
    assert "network on moons" in untrained.axes[0].get_title()


def test_only_two_input_classifiers():
    with pytest.raises(ValueError, match="surface='himmelblau'.*2 inputs and a sigmoid or softmax"):
        ls.plot.decision_regions(ls.surfaces.get("himmelblau"))
    regression = ls.surfaces.mlp(layers=(2, 3, 1), output="linear", m=20)
    with pytest.raises(ValueError, match="surface="):
        ls.plot.decision_regions(regression)
    net = ls.surfaces.mlp(layers=(2, 3, 1), m=20)
    with pytest.raises(ValueError, match="x='shape \\(3,\\)'.*shape \\(13,\\)"):
        ls.plot.decision_regions(net, x=np.zeros(3))
