"""Grids: reading KEY=VALUES, checking keys and values, numbering configurations, cutting chunks."""

import itertools

import numpy as np
import pytest

import landscape as ls
from landscape.sweeping import make_grid, parse_grid_item
from landscape.sweeping._chunk import chunks

MOMENTUM = ls.optim.parameters("momentum")


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ("beta=0.0,0.5,0.9,0.99", "beta", [0.0, 0.5, 0.9, 0.99]),
        ("lr=logspace(-4,0,5)", "lr", [1e-4, 1e-3, 1e-2, 1e-1, 1.0]),
        ("lr=linspace(0.1,0.5,3)", "lr", [0.1, 0.3, 0.5]),
        ("lr=geomspace(0.01,1,3)", "lr", [0.01, 0.1, 1.0]),
        ("batch_size=range(1,10,4)", "batch_size", [1, 5, 9]),
        ("batch_size=8", "batch_size", [8]),
        ("style=ewa,heavy_ball", "style", ["ewa", "heavy_ball"]),
        ("nesterov=true,false", "nesterov", [True, False]),
        (" lr = 1e-3 , 2e-3 ", "lr", [1e-3, 2e-3]),
    ],
)
def test_grid_items_read_like_numpy(text, key, expected):
    found_key, values = parse_grid_item(text)
    assert found_key == key
    assert [pytest.approx(v, rel=1e-12) if isinstance(v, float) else v for v in expected] == list(values)
    assert [type(v) for v in values] == [type(v) for v in expected]


def test_schedules_are_grid_values():
    _, values = parse_grid_item("lr=inverse_time(0.2,1),constant(0.1)")
    assert [v.name for v in values] == ["inverse_time", "constant"]
    assert values[0]([1, 2]).tolist() == pytest.approx([0.1, 0.2 / 3])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lr", "malformed"),
        ("lr=", "malformed"),
        ("=0.1", "malformed"),
        ("lr=0.1,,0.2", "malformed"),
        ("lr=(0.1", "malformed"),
        ("lr=__import__('os')", "lr=__import__"),
        ("lr=0.1*2", "lr=0.1\\*2 is not accepted"),
        ("lr=[0.1,0.2]", "one value per item"),
        ("lr=logspace(-4,0)", "logspace\\(start, stop, num\\)"),
        ("lr=logspace(-4,0,10**9)", "not accepted"),
        ("lr=linspace(0,1,100000000)", "integer num from 1 to 1000000"),
        ("lr=geomspace(0,1,3)", "one sign"),
        ("batch_size=range(1,5,0)", "step != 0"),
        ("batch_size=range(5,1)", "1 to 1000000 values"),
        ("lr=logspace(-4,0,a)", "with numbers"),
    ],
)
def test_malformed_grid_items_are_refused_in_one_line(text, message):
    with pytest.raises(ValueError, match=message) as error:
        parse_grid_item(text)
    assert "\n" not in str(error.value)


def test_configurations_are_numbered_with_grouped_keys_outermost():
    grid = make_grid(
        ["a", "b"],
        {"lr": [0.1, 0.2, 0.3], "style": ["ewa", "heavy_ball"], "beta": [0.0, 0.9]},
        {"momentum": MOMENTUM, "momentum:nesterov=true": MOMENTUM},
    )
    assert grid.keys == ("style", "lr", "beta") and grid.vectorized == {"lr", "beta"}
    assert grid.shape == (2, 2, 2, 3, 2) and grid.size == 48 and grid.group_size == 6
    expected = list(
        itertools.product(
            ["a", "b"],
            ["momentum", "momentum:nesterov=true"],
            ["ewa", "heavy_ball"],
            [0.1, 0.2, 0.3],
            [0.0, 0.9],
        )
    )
    for axis, key in enumerate(["surface", "optimizer", "style", "lr", "beta"]):
        assert grid.column(key).tolist() == [row[axis] for row in expected]
    assert grid.column("lr", 5, 9).tolist() == [row[3] for row in expected[5:9]]


@pytest.mark.parametrize("size", [1, 4, 5, 6, 100])
def test_chunks_cover_the_ranges_once_and_never_straddle_a_group(size):
    grid = make_grid(["a"], {"lr": [0.1, 0.2, 0.3], "style": ["ewa", "heavy_ball"]}, {"momentum": MOMENTUM})
    cut = list(chunks(grid, [(0, 2), (3, 6)], size))
    covered = [i for c in cut for i in range(c.start, c.stop)]
    assert covered == [0, 1, 3, 4, 5]
    for c in cut:
        assert c.size <= size
        assert len(set(grid.column("style", c.start, c.stop).tolist())) == 1
        assert c.fixed == {"style": grid.column("style", c.start, c.start + 1)[0]}
        assert c.arrays["lr"].tolist() == grid.column("lr", c.start, c.stop).tolist()


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        (
            {"learning_rate": [0.1]},
            "grid key='learning_rate' .*batch_size or a parameter of momentum: lr, beta",
        ),
        ({"lr": []}, r"grid\['lr'\]=\[\] .*non-empty"),
        ({"lr": 0.1}, r"grid\['lr'\]=0.1"),
        ({"lr": "0.1,0.2"}, r"grid\['lr'\]="),
        ({"lr": [0.1, 0.1]}, "a value repeats"),
        ({"lr": [0.1, "fast"]}, "all of one kind"),
        ({"lr": [0.1, np.nan]}, "finite numbers"),
        ({"lr": [[0.1, 0.2]]}, r"grid\['lr'\]"),
        ({"batch_size": [8, 2.5]}, r"grid\['batch_size'\]=\[8, 2.5\] .*integers >= 1"),
        ({"lr": list(range(1, 4000)), "beta": list(np.linspace(0, 0.9, 3000))}, "at most 1e\\+07"),
        ([("lr", [0.1])], "grid=.*a dict"),
    ],
)
def test_bad_grids_name_the_key_and_what_is_accepted(grid, message):
    with pytest.raises(ValueError, match=message):
        make_grid(["a"], grid, {"momentum": MOMENTUM})
