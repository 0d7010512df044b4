"""Build surfaces, optimizers, schedules and noise models from spec strings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import noise as noise_models
from .. import optim, schedules, surfaces
from .._validation import InvalidArgument, invalid
from ..noise import GaussianNoise, MinibatchNoise
from ..optim import GradientTransformation
from ..schedules import Schedule
from ..surfaces import Surface
from ._grammar import MAX_LENGTH, parse_params, split_spec
from ._modules import load_surface

EXPRESSION_PREFIX = "expr:"
SURFACE_EXAMPLE = "elongated_bowl:kappa=50"
OPTIMIZER_EXAMPLE = "adam:lr=0.05,b1=0.9"
SCHEDULE_EXAMPLE = "inverse_time(0.2,1)"
NOISE_EXAMPLE = "0.5, gaussian:sigma=0.5 or minibatch:batch_size=8,dataset_size=100"

# module:attribute[:params] -- the module is a path ending in .py or a dotted import name.
_MODULE_SPEC = re.compile(
    r"^(?P<target>[^:]+\.py|[A-Za-z_][\w.]*):(?P<attribute>[A-Za-z_]\w*)(?::(?P<params>.+))?$"
)


@dataclass(frozen=True)
class SurfaceSpec:
    """A parsed surface spec; ``build()`` makes the surface.

    Attributes
    ----------
    kind : {"registry", "expression", "module"}
        A registered name with parameters, a ``expr:`` expression, or a
        surface defined in the user's Python file or module.
    name : str
        Registered name, the expression text, or the module (an absolute path
        for a ``.py`` file).
    params : dict
        Parameters (for ``"module"``: those passed to a factory).
    attribute : str or None
        For ``"module"``: the attribute holding a Surface or a factory.
    text : str
        The spec written out again, with a ``.py`` path made absolute so that
        it rebuilds the same surface from any working directory.
    """

    kind: str
    name: str
    params: dict = field(default_factory=dict)
    attribute: str | None = None
    text: str = ""

    def build(self) -> Surface:
        """The surface this spec describes."""
        if self.kind == "expression":
            return surfaces.expression(self.name)
        if self.kind == "module":
            return load_surface(self.name, self.attribute, self.params)
        return surfaces.get(self.name, **self.params)


def parse_surface_spec(text) -> SurfaceSpec:
    """Read a surface spec without building the surface.

    Accepted forms: ``NAME[:key=value,...]`` for a registered surface,
    ``expr:EXPRESSION`` (see ``landscape.surfaces.expression``), and
    ``path/to/file.py:ATTRIBUTE[:key=value,...]`` or
    ``package.module:ATTRIBUTE[:key=value,...]`` for a ``Surface`` instance, or
    a factory returning one, defined in the user's own code.

    Raises
    ------
    ValueError
        For a malformed spec or an unknown name, naming what is accepted.
    """
    if not isinstance(text, str) or not text.strip():
        raise _unknown_surface(text)
    text = text.strip()
    if text.startswith(EXPRESSION_PREFIX):  # the expression checks its own length
        expression = text[len(EXPRESSION_PREFIX) :].strip()
        return SurfaceSpec("expression", expression, text=EXPRESSION_PREFIX + expression)
    if len(text) > MAX_LENGTH:
        raise InvalidArgument(
            f"surface spec of {len(text)} characters is not accepted; expected at most {MAX_LENGTH}"
        )
    head = text.partition(":")[0].strip()
    if head in surfaces.names():
        name, params = split_spec(text, "surface", SURFACE_EXAMPLE)
        return SurfaceSpec("registry", name, params, text=text)
    match = _MODULE_SPEC.match(text)
    if match:
        target = match["target"]
        if target.endswith(".py"):
            target = str(Path(target).expanduser().resolve())
        raw = match["params"]
        params = {} if raw is None else parse_params(raw, text, "surface", SURFACE_EXAMPLE)
        canonical = f"{target}:{match['attribute']}" + ("" if raw is None else f":{raw}")
        return SurfaceSpec("module", target, params, match["attribute"], canonical)
    raise _unknown_surface(head or text)


def parse_surface(text) -> Surface:
    """Build the surface of a spec (see ``parse_surface_spec`` for the forms).

    Examples
    --------
    >>> import landscape as ls
    >>> ls.specs.parse_surface("elongated_bowl:kappa=50").params["kappa"]
    50.0
    >>> ls.specs.parse_surface("expr:x**2 + 10*y**2").grad([1.0, 1.0])
    array([ 2., 20.])
    """
    return parse_surface_spec(text).build()


def parse_optimizer(text) -> GradientTransformation:
    """Build an optimizer from ``NAME[:key=value,...]``.

    The learning rate may be a schedule, ``lr=inverse_time(0.2,1)``, and any
    hyperparameter may be a list with one value per particle, ``lr=[0.01,0.1]``.

    Examples
    --------
    >>> import landscape as ls
    >>> opt = ls.specs.parse_optimizer("momentum:lr=0.1,beta=0.9,style=heavy_ball")
    >>> opt.spec["params"]["style"]
    'heavy_ball'
    >>> ls.specs.parse_optimizer("sgd:lr=inverse_time(0.2,1)").spec["params"]["lr"]
    inverse_time(lr0=0.2, decay_rate=1)
    """
    if isinstance(text, GradientTransformation):
        return text
    name, params = split_spec(text, "optimizer", OPTIMIZER_EXAMPLE)
    return optim.get(name, **params)


def parse_schedule(text) -> Schedule:
    """Build a schedule from ``NAME(args)`` or ``NAME[:key=value,...]``.

    Examples
    --------
    >>> import landscape as ls
    >>> ls.specs.parse_schedule("inverse_time(0.2,1)")([1, 2]).round(3)
    array([0.1  , 0.067])
    """
    if isinstance(text, Schedule):
        return text
    if isinstance(text, str) and "(" in text.partition(":")[0]:
        return parse_params(f"lr={text}", text, "schedule", SCHEDULE_EXAMPLE)["lr"]
    name, params = split_spec(text, "schedule", SCHEDULE_EXAMPLE)
    return schedules.get(name, **params)


def parse_noise(text) -> GaussianNoise | MinibatchNoise | None:
    """Build a gradient-noise model from a spec.

    A number ``SIGMA`` is ``gaussian(SIGMA)``; otherwise ``gaussian:sigma=...``
    or ``minibatch:batch_size=B,dataset_size=M,scale=S`` (see
    ``landscape.noise``). ``None`` stays ``None``.
    """
    if text is None or isinstance(text, (GaussianNoise, MinibatchNoise)):
        return text
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return noise_models.gaussian(text)
    try:
        sigma = float(text)
    except (TypeError, ValueError):
        sigma = None
    if sigma is not None:
        return noise_models.gaussian(sigma)
    name, params = split_spec(text, "noise", NOISE_EXAMPLE)
    builders = {"gaussian": noise_models.gaussian, "minibatch": noise_models.minibatch}
    if name not in builders:
        raise InvalidArgument(f"noise={text!r} is not accepted; expected {NOISE_EXAMPLE}")
    try:
        return builders[name](**params)
    except TypeError:
        accepted = {"gaussian": "sigma", "minibatch": "batch_size, dataset_size, scale"}[name]
        raise InvalidArgument(f"noise={text!r} is not accepted; {name} takes {accepted}") from None


def per_particle_count(text_or_params, particles: int | None = None) -> int | None:
    """How many particles a spec's per-particle lists ask for.

    Parameters
    ----------
    text_or_params : str or dict
        An optimizer spec such as ``"sgd:lr=[0.1,0.2]"``, or its parsed parameters.
    particles : int, optional
        The number of particles of the run: a list of any other length is
        refused, naming its hyperparameter (as ``landscape.trace`` names it).

    Returns
    -------
    int or None
        The length of the lists (lists inside schedules count), ``None`` if there are none.

    Raises
    ------
    InvalidArgument
        If the lists differ in length, or one differs from ``particles``.
    """
    params = text_or_params
    if isinstance(params, str):
        params = split_spec(params, "optimizer", OPTIMIZER_EXAMPLE)[1]
    lengths = set()
    pending = list(params.items())
    while pending:
        name, value = pending.pop()
        if isinstance(value, Schedule):
            pending.extend(value.params.items())
        elif isinstance(value, np.ndarray) and value.ndim == 1:
            if particles is not None and value.shape[0] != particles:
                accepted = f"one value per particle ({particles} values) or a number"
                raise invalid(name, f"{value.shape[0]} values", accepted)
            lengths.add(value.shape[0])
    if len(lengths) > 1:
        raise InvalidArgument(
            f"per-particle lists have different lengths {sorted(lengths)}; expected one length K"
        )
    return lengths.pop() if lengths else None


def _unknown_surface(name) -> InvalidArgument:
    names = ", ".join(surfaces.names())
    shown = name if not isinstance(name, str) or len(name) <= 80 else name[:77] + "..."
    return InvalidArgument(
        f"surface={shown!r} is not accepted; expected one of {names}, expr:EXPRESSION, "
        "or path/to/file.py:ATTRIBUTE"
    )
