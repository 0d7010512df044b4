"""The project's manifest: every lecture topic in order, numbers agreeing with the library, all buildable."""

import math
import re

import numpy as np
import pytest

import landscape as ls
from landscape.gallery._formulas import typeset
from landscape.gallery._page import INK
from landscape.rendering import get_scene, scene_catalog

# The ten parts of the lecture notes (shared/seed), in their order.
LECTURE = [
    ("minibatch", "Mini-batch gradient descent"),
    ("batch-size", "Understanding mini-batch gradient descent"),
    ("ewa", "Exponentially weighted averages"),
    ("ewa-weights", "Understanding exponentially weighted averages"),
    ("bias-correction", "Bias correction in exponentially weighted average"),
    ("momentum", "Gradient descent with momentum"),
    ("rmsprop", "RMSprop"),
    ("adam", "Adam optimization algorithm"),
    ("lr-decay", "Learning rate decay"),
    ("local-optima", "The problem of local optima"),
]
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def rows(manifest, topic_id):
    topic = next(t for t in manifest.topics if t.id == topic_id)
    return {row[0]: row[1:] for row in topic.numbers.rows}


def shown(value, like) -> float:
    """``value`` rounded as the lecture shows ``like`` (0.067 -> 3 decimals)."""
    text = repr(like)
    decimals = len(text.split(".")[1]) if "." in text else 0
    return round(value, decimals)


def test_every_lecture_topic_in_the_lecture_order(manifest):
    assert [topic.id for topic in manifest.topics] == [topic_id for topic_id, _ in LECTURE]
    for topic, (_, title) in zip(manifest.topics, LECTURE, strict=True):
        assert topic.title.lower().startswith(title.lower())
        assert topic.summary and topic.formulas and topic.numbers is not None
        assert any(item.kind == "scene" for item in topic.items)


def test_every_scene_of_the_catalogue_is_shown_once(manifest):
    scenes = [item.scene for item in manifest.items if item.kind == "scene"]
    assert sorted(scenes) == sorted(scene.name for scene in scene_catalog())


def test_scene_parameters_are_accepted(manifest):
    for item in manifest.items:
        if item.kind == "scene":
            get_scene(item.scene).configured(item.params)


def test_figure_configurations_name_real_surfaces_and_optimizers(manifest):
    for item in manifest.items:
        if item.kind == "figure":
            config = ls.plot.complete_config(item.config)
            if config["surface"]:
                ls.specs.parse_surface(config["surface"])
            for text in config["optimizers"]:
                ls.specs.parse_optimizer(text)


def test_every_formula_typesets(manifest, tmp_path):
    formulas = [tex for topic in manifest.topics for tex in topic.formulas]
    typeset_ = typeset(formulas, tmp_path, color=INK)
    assert {tex: f.error for tex, f in typeset_.items() if f.error} == {}
    for formula in typeset_.values():
        assert (tmp_path / formula.path).read_text().startswith("<?xml")
        assert formula.width > formula.height > 5  # a line of math, in points


def test_minibatch_numbers(manifest):
    numbers = rows(manifest, "minibatch")
    m, b = numbers["training examples m"][0], numbers["mini-batch size"][0]
    assert (m, b) == (5_000_000, 1000)
    assert numbers["mini-batches per epoch"] == (ls.noise.minibatch(b, m).steps_per_epoch,)
    assert numbers["steps per epoch, batch gradient descent"] == (ls.noise.minibatch(m, m).steps_per_epoch,)


def test_batch_size_numbers_are_powers_of_two(manifest):
    for size, power in rows(manifest, "batch-size").items():
        assert size == 2 ** int(power[0].translate(SUPERSCRIPTS)[1:])


def test_ewa_windows(manifest):
    for beta, (days,) in rows(manifest, "ewa").items():
        assert days == pytest.approx(ls.effective_window(beta))


def test_ewa_weights_fall_to_one_over_e(manifest):
    for beta, (days, weight, inverse_e) in rows(manifest, "ewa-weights").items():
        assert days == pytest.approx(ls.effective_window(beta))
        # beta^k is the weight of the value k days back, relative to today's: (1-β)β^k / (1-β).
        relative = ls.ewa_weights(beta, days + 1) / ls.ewa_weights(beta, 1)[0]
        assert weight == shown(relative[days], weight)
        assert inverse_e == shown(1 / math.e, inverse_e)


def test_bias_correction_numbers(manifest):
    numbers = rows(manifest, "bias-correction")
    beta = 0.98
    first, second = ls.ewa([1.0, 0.0], beta)[1], ls.ewa([0.0, 1.0], beta)[1]  # weights of θ1, θ2 in v2
    assert numbers["weight of θ₁ in v₂"] == (pytest.approx(first),)
    assert numbers["weight of θ₂ in v₂"] == (pytest.approx(second),)
    # v2 of a constant series 1 is 1 - β²: what the bias correction divides by.
    assert numbers["1 − β² "] == (pytest.approx(ls.ewa(np.ones(2), beta)[1]),)
    assert ls.ewa(np.ones(2), beta, bias_correction=True)[1] == pytest.approx(1.0)


def test_momentum_averages_about_ten_gradients(manifest):
    numbers = rows(manifest, "momentum")
    assert numbers["gradients averaged, 1/(1 − β)"] == (pytest.approx(ls.effective_window(numbers["β"][0])),)


def test_adam_and_rmsprop_defaults(manifest):
    adam, rmsprop = ls.optim.parameters("adam"), ls.optim.parameters("rmsprop")
    numbers = rows(manifest, "adam")
    assert (numbers["β₁ (for dW)"][0], numbers["β₂ (for dW²)"][0]) == (adam["b1"], adam["b2"])
    for epsilon in (numbers["ε"][0], rows(manifest, "rmsprop")["ε"][0]):
        assert 10.0 ** int(epsilon.translate(SUPERSCRIPTS).split("10")[1]) == adam["eps"] == rmsprop["eps"]


def test_learning_rate_decay_table(manifest):
    schedule = ls.schedules.inverse_time(lr0=0.2, decay_rate=1.0)
    for epoch, (rate,) in rows(manifest, "lr-decay").items():
        assert rate == shown(schedule(epoch), rate)


def test_local_optima_coin_flips(manifest):
    for n, (fraction,) in rows(manifest, "local-optima").items():
        if isinstance(fraction, float):
            assert fraction == pytest.approx(2.0**-n, rel=1e-3)
        else:
            assert re.fullmatch(rf"2⁻{str(n).translate(str.maketrans('0123456789', '⁰¹²³⁴⁵⁶⁷⁸⁹'))}", fraction)
