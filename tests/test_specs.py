"""The spec grammar: values, schedules, per-particle lists, surfaces from files, and bad specs."""

import json

import numpy as np
import pytest

import landscape as ls
from landscape.specs import (
    parse_noise,
    parse_optimizer,
    parse_schedule,
    parse_surface,
    parse_surface_spec,
    per_particle_count,
    split_spec,
    trace_specs,
)


# ---- the grammar --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "name", "params"),
    [
        ("adam", "adam", {}),
        ("adam:lr=0.05,b1=0.9", "adam", {"lr": 0.05, "b1": 0.9}),
        ("adam: lr = 0.05 , b1 = 0.9", "adam", {"lr": 0.05, "b1": 0.9}),
        ("random_quadratic:dim=10", "random_quadratic", {"dim": 10}),
        ("momentum:style=heavy_ball", "momentum", {"style": "heavy_ball"}),
        ("momentum:style='heavy_ball'", "momentum", {"style": "heavy_ball"}),
        (
            "momentum:nesterov=true,bias_correction=False",
            "momentum",
            {"nesterov": True, "bias_correction": False},
        ),
        ("random_quadratic:samples=none", "random_quadratic", {"samples": None}),
        ("elongated_bowl:angle=-30", "elongated_bowl", {"angle": -30}),
        ("adam:eps=1e-6", "adam", {"eps": 1e-6}),
    ],
)
def test_split_spec_reads_literal_values(text, name, params):
    got_name, got_params = split_spec(text, "thing", "adam:lr=0.05")
    assert got_name == name
    assert got_params == params
    assert [type(v) for v in got_params.values()] == [type(v) for v in params.values()]


def test_lists_are_per_particle_arrays_and_nested_lists_are_2d():
    _, params = split_spec("sgd:lr=[0.01,0.1,1]", "optimizer", "")
    np.testing.assert_array_equal(params["lr"], [0.01, 0.1, 1.0])
    _, params = split_spec("expression:text='x',bounds=[[-1,1],[-2,2]]", "surface", "")
    assert params["bounds"].shape == (2, 2)


def test_schedule_values_take_positional_or_keyword_arguments():
    lecture = [0.1, 0.2 / 3, 0.05, 0.04]  # the lecture's table for α0 = 0.2, decay_rate = 1
    for text in (
        "inverse_time(0.2,1)",
        "inverse_time(lr0=0.2, decay_rate=1)",
        "inverse_time(0.2, decay_rate=1)",
    ):
        schedule = split_spec(f"sgd:lr={text}", "optimizer", "")[1]["lr"]
        np.testing.assert_allclose(schedule([1, 2, 3, 4]), lecture)
    nested = parse_schedule("warmup(4, constant(0.4))")
    np.testing.assert_allclose(nested([1, 2, 4, 8]), [0.1, 0.2, 0.4, 0.4])


@pytest.mark.parametrize(
    "text",
    [
        "",
        ":",
        "adam:",
        "adam:lr=",
        "adam:0.1",
        "adam:lr=0.1,,",
        "adam:lr=1,**x",
        ":lr=1",
        "1adam",
        "adam:lr=0.1\nimport os",
        "adam:lr=1).__class__(",
        "adam:lr=(",
        "a" * 2000,
        None,
        3,
    ],
)
def test_malformed_specs_name_the_accepted_form(text):
    with pytest.raises(ValueError, match="malformed; expected NAME or NAME:key=value"):
        split_spec(text, "optimizer", "adam:lr=0.05")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sgd:lr=x+1", "lr=x\\+1 is not accepted"),
        ("sgd:lr=__import__('os')", "schedules are"),
        ("sgd:lr=os.system", "lr=os.system is not accepted"),
        ("sgd:lr={1:2}", "is not accepted"),
        ("sgd:lr=[1,'a']", "is not accepted"),
        ("sgd:lr=[]", "is not accepted"),
        ("sgd:lr=1e999", "is not accepted"),
        ("sgd:lr=1j", "is not accepted"),
        ("sgd:lr=inverse_time(1,2,3)", "takes \\(lr0, decay_rate\\)"),
        ("sgd:lr=inverse_time(lr0=1,lr0=2)", "twice"),
        ("sgd:lr=0.1,lr=0.2", "gives 'lr' twice"),
    ],
)
def test_bad_values_are_refused_with_one_line(text, message):
    with pytest.raises(ValueError, match=message) as error:
        parse_optimizer(text)
    assert "\n" not in str(error.value)


# ---- optimizers, schedules, noise ---------------------------------------------------------
def test_optimizer_specs_build_the_named_optimizers():
    built = parse_optimizer("momentum:lr=0.1,beta=0.8,style=heavy_ball")
    direct = ls.optim.momentum(lr=0.1, beta=0.8, style="heavy_ball")
    assert built.spec == direct.spec
    grads = np.array([[1.0, -2.0]])
    state_a, state_b = built.init(grads), direct.init(grads)
    for _ in range(3):
        (up_a, state_a), (up_b, state_b) = (
            built.update(grads, state_a),
            direct.update(grads, state_b),
        )
        np.testing.assert_array_equal(up_a, up_b)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("adamm", "expected one of adagrad, adam, adamw, amsgrad, lion, momentum, nadam, rmsprop, sgd"),
        ("adam:foo=1", "has no parameter 'foo'; its parameters are: lr, b1, b2, eps"),
        ("adam:lr=-1", "lr=-1 is not accepted"),
        ("momentum:beta=1.5", "beta=1.5 is not accepted"),
        ("sgd:lr=foo(1)", "schedules are constant"),
    ],
)
def test_optimizer_errors_name_what_exists(text, message):
    with pytest.raises(ValueError, match=message):
        parse_optimizer(text)


def test_schedule_specs_in_both_forms():
    assert parse_schedule("exponential:lr0=0.1,base=0.5")(3) == pytest.approx(0.1 * 0.5**3)
    assert parse_schedule("staircase(1.0, 0.5, 2)")(5) == pytest.approx(0.25)
    with pytest.raises(ValueError, match="schedule"):
        parse_schedule("nothing(1)")


def test_noise_specs():
    assert parse_noise(None) is None
    assert parse_noise("0.5") == ls.noise.gaussian(0.5)
    assert parse_noise(0.25) == ls.noise.gaussian(0.25)
    assert parse_noise("gaussian:sigma=2") == ls.noise.gaussian(2.0)
    assert parse_noise("minibatch:batch_size=8,dataset_size=100") == ls.noise.minibatch(8, 100)
    for bad, message in [
        ("-1", "sigma=-1"),
        ("uniform:a=1", "noise='uniform:a=1'"),
        ("minibatch:b=3", "minibatch takes"),
        ("minibatch:batch_size=200,dataset_size=100", "batch_size=200"),
    ]:
        with pytest.raises(ValueError, match=message):
            parse_noise(bad)


def test_per_particle_count_looks_into_schedules():
    assert per_particle_count("sgd:lr=0.1") is None
    assert per_particle_count("sgd:lr=[0.1,0.2,0.3]") == 3
    assert per_particle_count("sgd:lr=inverse_time([0.1,0.2],1)") == 2
    with pytest.raises(ValueError, match="different lengths"):
        per_particle_count("momentum:lr=[0.1,0.2],beta=[0.5,0.6,0.7]")
    assert per_particle_count("sgd:lr=inverse_time([0.1,0.2],1)", particles=2) == 2
    refused = r"^lr0='2 values' is not accepted; expected one value per particle \(3 values\)"
    with pytest.raises(ValueError, match=refused):  # named as trace names it: the schedule's own lr0
        per_particle_count("sgd:lr=inverse_time([0.1,0.2],1)", particles=3)


def test_trace_specs_checks_every_run_s_particles_before_the_first_runs(monkeypatch):
    from landscape.specs import _runs

    monkeypatch.setattr(_runs, "trace", lambda *args, **kwargs: pytest.fail("a run started"))
    with pytest.raises(ValueError, match="^lr='2 values'"):
        ls.specs.trace_specs("rosenbrock", ["adam:lr=0.05", "sgd:lr=[0.1,0.2]"], particles=3)
    with pytest.raises(ValueError, match="^beta='2 values'"):  # the starts give the particles: 4
        ls.specs.trace_specs("rosenbrock", ["sgd:lr=0.1", "momentum:beta=[0.5,0.9]"], x0=np.zeros((4, 2)))


# ---- surfaces -----------------------------------------------------------------------------
def test_registered_surface_specs():
    surface = parse_surface("elongated_bowl:kappa=50")
    assert surface.params["kappa"] == 50.0
    assert parse_surface_spec("elongated_bowl:kappa=50").text == "elongated_bowl:kappa=50"
    with pytest.raises(ValueError, match="surface='rosenbrok' is not accepted; expected one of beale"):
        parse_surface("rosenbrok")
    with pytest.raises(ValueError, match="dim=1 is not accepted"):
        parse_surface("rosenbrock:dim=1")


def test_expression_specs_keep_the_formula():
    spec = parse_surface_spec("expr:  x**2 + 10*y**2 ")
    assert (spec.kind, spec.text) == ("expression", "expr:x**2 + 10*y**2")
    np.testing.assert_allclose(parse_surface(spec.text).grad([1.0, 1.0]), [2.0, 20.0])


MODULE = """
import landscape as ls

bowl = ls.surfaces.expression("x**2 + 3*y**2")

def make_bowl(scale=1.0):
    return ls.surfaces.expression(f"{scale}*(x**2 + y**2)")

def not_a_surface():
    return 42

number = 7
"""


def test_surfaces_from_a_users_file(tmp_path, monkeypatch):
    path = tmp_path / "my_surfaces.py"
    path.write_text(MODULE)
    monkeypatch.chdir(tmp_path)
    instance = parse_surface("my_surfaces.py:bowl")
    np.testing.assert_allclose(instance.grad([1.0, 1.0]), [2.0, 6.0])
    made = parse_surface("my_surfaces.py:make_bowl:scale=2")
    np.testing.assert_allclose(made.grad([1.0, 1.0]), [4.0, 4.0])
    assert parse_surface_spec("my_surfaces.py:bowl").text == f"{path}:bowl"  # absolute, rebuilds anywhere


@pytest.mark.parametrize(
    ("attribute", "message"),
    [
        ("missing", "has no 'missing' \\(has: .*bowl"),
        ("not_a_surface", "calling it gave int, not a Surface"),
        ("number", "expected a Surface or a factory"),
        ("bowl:scale=2", "takes no parameters"),
        ("make_bowl:size=2", "unexpected keyword argument 'size'; its parameters are: scale"),
    ],
)
def test_bad_attributes_of_a_users_file(tmp_path, attribute, message):
    path = tmp_path / "my_surfaces.py"
    path.write_text(MODULE)
    with pytest.raises(ls.InvalidArgument, match=message):
        parse_surface(f"{path}:{attribute}")


def test_broken_or_missing_user_modules(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        parse_surface(f"{tmp_path}/absent.py:bowl")
    with pytest.raises(ls.InvalidArgument, match="cannot be imported"):
        parse_surface("no_such_module_here:bowl")


def test_errors_of_the_users_own_code_are_raised_as_they_are(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text("1 / 0\n")
    with pytest.raises(ZeroDivisionError):
        parse_surface(f"{broken}:bowl")
    failing = tmp_path / "failing.py"
    failing.write_text("import no_such_dependency_here\n")
    with pytest.raises(ModuleNotFoundError, match="no_such_dependency_here"):
        parse_surface(f"{failing}:bowl")
    factory = tmp_path / "factory.py"
    factory.write_text("def make(scale=1.0):\n    raise ValueError('my own check failed')\n")
    with pytest.raises(ValueError, match="my own check failed") as caught:
        parse_surface(f"{factory}:make:scale=2")
    assert not isinstance(caught.value, ls.InvalidArgument)


# ---- tracing from specs -------------------------------------------------------------------
def test_trace_specs_matches_direct_calls_and_records_specs():
    runs = trace_specs(
        "elongated_bowl:kappa=25",
        ["sgd:lr=0.05", "adam:lr=0.1"],
        steps=30,
        particles=3,
        noise="0.5",
        seed=4,
    )
    surface = ls.surfaces.get("elongated_bowl", kappa=25)
    direct = ls.trace(
        surface,
        ls.optim.adam(lr=0.1),
        surface.default_start,
        30,
        particles=3,
        noise=ls.noise.gaussian(0.5),
        seed=4,
    )
    np.testing.assert_array_equal(runs[1].positions, direct.positions)
    assert [r.config["optimizer"]["name"] for r in runs] == ["sgd", "adam"]
    json.dumps(runs[0].config)


def test_trace_specs_sizes_the_ensemble_from_per_particle_lists_and_random_starts():
    surface = ls.surfaces.get("himmelblau")
    (run,) = trace_specs(surface, ["sgd:lr=[0.001,0.002,0.004]"], steps=5)
    assert run.particles == 3
    (a,), (b,) = (trace_specs(surface, ["adam"], steps=2, particles=4, x0="random", seed=s) for s in (1, 1))
    np.testing.assert_array_equal(a.positions[0], b.positions[0])
    assert np.all((a.positions[0] >= surface.bounds[:, 0]) & (a.positions[0] <= surface.bounds[:, 1]))
    with pytest.raises(ValueError, match="x0='corner'"):
        trace_specs(surface, ["adam"], steps=2, x0="corner")
    with pytest.raises(ValueError, match="optimizers"):
        trace_specs(surface, [], steps=2)
