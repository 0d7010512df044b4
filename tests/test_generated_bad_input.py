"""Generated bad input (Hypothesis): specs and formulas are accepted, or refused in one line, within 2 s.

Every spec reader and the formula parser either return or raise
``landscape.InvalidArgument`` with a one-line message -- never another
exception -- and answer within two seconds, enforced by a watchdog
(a bound, not a timing). Specs read here come from "a file": a spec naming
code is refused, so nothing the generator writes is ever imported.
"""

import string
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import landscape as ls
from landscape.sweeping import parse_grid_item

EXAMPLES = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module", autouse=True)
def imported():
    """SymPy and the first formula, once: the watchdog times answers, not imports."""
    ls.surfaces.expression("x**2 + y**2")


@pytest.fixture
def answers(answers_within):
    """``answers(call, *args)``: ``call(*args)``, which must return or raise InvalidArgument in one line
    within two seconds, and warn about nothing (a warning is a line of its own on the command line)."""

    def answer(call, *args):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                with answers_within():
                    return call(*args)
            except ls.InvalidArgument as error:
                assert "\n" not in str(error), str(error)
                return error
            finally:
                assert not caught, [str(warning.message) for warning in caught]

    return answer


# ---- specs ----------------------------------------------------------------------------------------
SPEC_CHARACTERS = string.ascii_letters[:12] + string.digits + ":=,()[]._-+*/ '\"e"
NAMES = st.sampled_from(
    [*ls.surfaces.names(), *ls.optim.names(), *ls.schedules.names(), "gaussian", "minibatch"]
)
KEYS = st.sampled_from(
    ["lr", "beta", "b1", "kappa", "dim", "sigma", "seed", "style", "lr0", "scale", "m", "x"]
)
VALUES = st.one_of(
    st.integers(-5, 40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(
        ["true", "none", "heavy_ball", "'goe'", "[0.1,0.2]", "[]", "[[1]]", "inverse_time(0.2,1)"]
    ),
    st.sampled_from(["exponential(1,2,3)", "constant()", "1e999", "--1", "0x10", "lr", "(", "__import__"]),
    st.text(SPEC_CHARACTERS, max_size=8),
)
PARAMETERS = st.lists(st.tuples(KEYS, VALUES).map("=".join), max_size=4).map(",".join)
SPECS = st.one_of(
    st.text(SPEC_CHARACTERS, max_size=60),
    st.tuples(NAMES, PARAMETERS).map(":".join),
    st.tuples(NAMES, st.text(SPEC_CHARACTERS, max_size=30)).map(":".join),
)


def surface(text):
    with ls.specs.read_from("a generated file"):
        return ls.specs.parse_surface(text)


@EXAMPLES
@given(SPECS)
@example("rosenbrock:a=1if 1 else 2")  # Python's parser warns: "invalid decimal literal"
def test_every_spec_reader_answers_in_one_line(answers, text):
    for read in (surface, ls.specs.parse_optimizer, ls.specs.parse_schedule, ls.specs.parse_noise):
        answers(read, text)


@EXAMPLES
@given(st.tuples(KEYS, st.lists(VALUES, min_size=1, max_size=4).map(",".join)).map("=".join))
@example("lr=1or 2")
def test_grid_items_answer_in_one_line(answers, text):
    answers(parse_grid_item, text)


# ---- formulas -------------------------------------------------------------------------------------
LEAVES = st.one_of(
    st.sampled_from(["x", "y", "x1", "x2", "x7", "x51", "pi", "e", "z", "__class__", "True", "None", "'s'"]),
    st.integers(-(10**400), 10**400).map(str),
    st.floats(allow_nan=False).map(repr),
)
FUNCTIONS = ["sin", "cos", "exp", "log", "sqrt", "abs", "tanh", "arctan2", "hypot", "eval", "open", "sum"]


def combine(children):
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "**", "^", "//", "%", "@"]), children)
    return st.one_of(
        binary.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["-", "+", "not ", "~"]), children).map("".join),
        st.tuples(st.sampled_from(FUNCTIONS), st.lists(children, min_size=1, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.tuples(children, st.sampled_from([".real", "[0]", " if x else 1", " < 1"])).map("".join),
    )


FORMULAS = st.recursive(LEAVES, combine, max_leaves=24)
# shapes the parser must bound: deep nesting, long chains, long products, power towers
SHAPES = st.one_of(
    st.integers(1, 160).map(lambda d: "sin(" * d + "x*y" + ")" * d),
    st.integers(1, 90).map(lambda d: "tanh(x+" * d + "y" + ")" * d),
    st.integers(1, 490).map(lambda n: "+".join(["x", "y"] * n)[:1000]),
    st.integers(1, 60).map(lambda n: "*".join(f"sin({i}*x+y)" for i in range(1, n + 1))),
    st.integers(1, 300).map(lambda n: "**".join(["x"] * n)),
    st.integers(1, 45).map(lambda n: "*".join(f"exp(x{i}*x{i + 1})" for i in range(1, n + 1))),
)


def formula(text):
    surface = ls.surfaces.expression(text)
    with np.errstate(all="ignore"):
        surface.grad(surface.default_start)  # an accepted formula can be evaluated
    return surface


@EXAMPLES
@given(st.one_of(FORMULAS, SHAPES, st.text(string.printable, max_size=1000)))
@example("exp(-746.0)")  # below the smallest float: its logarithm must not be taken as a float's
@example("x**2 + 1if x else y")
def test_every_formula_up_to_the_length_limit_is_accepted_or_refused_within_the_bound(answers, text):
    answers(formula, text)
