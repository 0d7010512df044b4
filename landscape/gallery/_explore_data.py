"""The explorer's data: every path it can show, traced by the library over a grid of hyperparameters.

For each surface and optimizer one vectorized ``landscape.trace`` runs every
grid point at once (RMSprop: one per placement of ε, a flag), each grid point
with one particle whose path the page draws and ``CLOUD`` more, started
around it, whose cloud it draws. The page never computes a step itself: it
looks the grid point up.

Paths are stored as 16-bit integers over the surface's window widened by
half its size on each side (a point outside is kept at the edge), clouds as
8-bit integers over the same window, losses as 8-bit integers over a fixed
range (in decades of ``f - f*`` when the minimum value is known). All arrays
go into one ``.js`` file per surface and optimizer as base64, so the page
loads them with a ``<script>`` element, which works from the file system.
"""

from __future__ import annotations

import base64
import itertools
import json
import warnings
from dataclasses import dataclass, field

import numpy as np

SEED = 0
CLOUD = 8  # particles of the ensemble drawn as a cloud, per grid point
PATH_POINTS = 150  # most recorded points of a path
CLOUD_FRAMES = 12  # recorded frames of the cloud (plus the start)
WIDEN = 0.5  # the stored window: the surface's window and half its size on each side
LOSS_DECADES = 12  # a log loss is stored over at most this many decades below its largest value
ALPHA_STEPS = (-3, -2, -1, 0, 1, 2, 3)  # the α grid: the centre times 10^(k/4)
# The numpy engine runs all the explorer's traces in about 2 s; the compiled one saves 0.6 s of
# that, but first compiles about 25 drivers (about 45 s) into an empty kernel cache, and again
# after every change of the engine's kernels.
ENGINE = "numpy"


@dataclass(frozen=True)
class ExploreSurface:
    """One surface of the explorer and how it is shown.

    ``rates`` are the centres of the α grids, per optimizer: what
    ``best_rates`` gives (the best of a sweep), rounded; on the saddle, which
    has no minimum to reach, 0.1 for all. The sweeps take half a minute, so
    they are not rerun at every build.
    """

    id: str
    label: str
    spec: str  # a surface spec, or "plane" for the plane through a random quadratic
    steps: int
    start: tuple[float, float]
    spread: float  # radius of the circle the cloud starts on
    noise: float  # the gradient noise σ of the noisy half of the grid
    rates: dict = field(default_factory=dict)
    bounds: tuple | None = None

    def build(self):
        if self.spec == "plane":
            return quadratic_plane()
        import landscape as ls

        return ls.specs.parse_surface(self.spec)


def quadratic_plane(dim: int = 50, seed: int = 3):
    """The plane through the minimum of a random quadratic in ``dim`` dimensions, along two random directions.

    ``f(a, b) = q(a u + b v)`` with ``q = random_quadratic(dim, ensemble="spectrum", mu=1, L=100,
    spacing="log")`` and ``u, v`` orthonormal: a 2-D quadratic whose axes are neither the
    coordinate axes nor those of ``q``.
    """
    import landscape as ls

    q = ls.surfaces.get(
        "random_quadratic", dim=dim, ensemble="spectrum", mu=1.0, L=100.0, spacing="log", seed=seed
    )
    directions, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((dim, 2)))
    basis = directions.T  # (2, dim): u and v

    def lift(p):
        return np.asarray(p, dtype=float) @ basis

    return ls.surfaces.from_functions(
        lambda p: q.value(lift(p)),
        lambda p: q.grad(lift(p)) @ basis.T,
        lambda p: basis @ q.hessian(lift(p)) @ basis.T,
        bounds=[[-2.0, 2.0], [-2.0, 2.0]],
        name="quadratic_plane",
        default_start=[-1.6, 1.2],
    )


SURFACES = (
    ExploreSurface(
        "bowl",
        "elongated bowl (κ = 50)",
        "elongated_bowl:kappa=50",
        80,
        (-3.5, 1.5),
        0.25,
        2.0,
        {"sgd": 0.03162, "momentum": 0.03162, "rmsprop": 0.1, "adam": 1.0},
    ),
    ExploreSurface(
        "rosenbrock",
        "Rosenbrock's valley",
        "rosenbrock",
        300,
        (-1.5, 2.0),
        0.1,
        5.0,
        {"sgd": 0.001778, "momentum": 0.01778, "rmsprop": 0.3162, "adam": 1.0},
    ),
    ExploreSurface(
        "saddle",
        "a saddle, x² − y²",
        "saddle",
        60,
        (1.8, 0.02),
        0.05,
        0.2,
        {"sgd": 0.1, "momentum": 0.1, "rmsprop": 0.1, "adam": 0.1},
    ),
    ExploreSurface(
        "plateau",
        "a plateau and a cliff",
        "plateau_cliff",
        300,
        (-3.5, 1.5),
        0.1,
        0.02,
        {"sgd": 1.0, "momentum": 1.0, "rmsprop": 0.03162, "adam": 1.0},
    ),
    ExploreSurface(
        "beale",
        "Beale's function",
        "beale",
        300,
        (-1.0, -1.5),
        0.1,
        5.0,
        {"sgd": 0.01778, "momentum": 0.05623, "rmsprop": 0.01778, "adam": 1.0},
        ((-1.5, 4.5), (-2.0, 2.0)),
    ),
    ExploreSurface(
        "plane",
        "a plane through a random quadratic (dim 50)",
        "plane",
        120,
        (-1.6, 1.2),
        0.15,
        5.0,
        {"sgd": 0.03162, "momentum": 0.005623, "rmsprop": 0.03162, "adam": 0.5623},
    ),
)

# The grid of each optimizer besides α and the noise: (name, label, values).
GRIDS = {
    "sgd": (),
    "momentum": (("beta", "β", (0.5, 0.8, 0.9, 0.95, 0.99)),),
    "rmsprop": (("beta", "β₂", (0.9, 0.99, 0.999)), ("eps_in_sqrt", "ε inside the root", (False, True))),
    "adam": (("b1", "β₁", (0.5, 0.8, 0.9, 0.95)), ("b2", "β₂", (0.9, 0.99, 0.999))),
}
OPTIMIZERS = tuple(GRIDS)


def best_rates(surface: ExploreSurface) -> dict:
    """The α of each optimizer with the lowest final value: ``ls.sweep`` over α = 10^-4 ... 1.

    Four rates per decade, ``surface.steps`` steps from ``surface.start``,
    without noise, one seed.
    """
    import landscape as ls

    grid = np.logspace(-4, 0, 17)
    best = {}
    for optimizer in OPTIMIZERS:
        result = ls.sweep(
            surface.build(), optimizer, {"lr": grid}, steps=surface.steps, x0=surface.start, workers=0
        )
        best[optimizer] = float(grid[int(np.nanargmin(result.columns["final_value_median"]))])
    return best


def axes_of(surface: ExploreSurface, optimizer: str) -> list[tuple[str, str, tuple]]:
    """Every grid axis of a surface and optimizer, in storage order (the last varies fastest)."""
    centre = surface.rates[optimizer]
    rates = tuple(float(f"{centre * 10 ** (k / 4):.4g}") for k in ALPHA_STEPS)
    return [("lr", "α", rates), *GRIDS[optimizer], ("noise", "gradient noise σ", (0.0, surface.noise))]


def cloud_starts(surface: ExploreSurface) -> np.ndarray:
    """The cloud's starting points, ``(CLOUD, 2)``: a circle of radius ``spread`` around the start."""
    angles = 2 * np.pi * np.arange(CLOUD) / CLOUD
    return np.asarray(surface.start) + surface.spread * np.column_stack([np.cos(angles), np.sin(angles)])


def window(surface: ExploreSurface, built) -> np.ndarray:
    """The drawn window ``(2, 2)``."""
    return np.asarray(surface.bounds if surface.bounds is not None else built.bounds, dtype=float)


def stored_window(box: np.ndarray) -> np.ndarray:
    span = box[:, 1] - box[:, 0]
    return np.stack([box[:, 0] - WIDEN * span, box[:, 1] + WIDEN * span], axis=1)


def particle_of(config: int) -> int:
    """The particle whose path the page draws for grid point ``config`` (the cloud follows it)."""
    return config * (CLOUD + 1)


def trace_optimizer(surface: ExploreSurface, optimizer: str, built):
    """Trace every grid point; return ``(configs, positions (R, configs, 1 + CLOUD, 2), values, steps)``."""
    import landscape as ls

    axes = axes_of(surface, optimizer)
    configs = list(itertools.product(*(values for _, _, values in axes)))
    names = [name for name, _, _ in axes]
    per = CLOUD + 1
    starts = np.concatenate([[surface.start], cloud_starts(surface)])
    every = max(1, -(-surface.steps // PATH_POINTS))
    positions = values = steps = None
    groups = {}  # flags take one trace per value (eps_in_sqrt): configs grouped by them
    for index, config in enumerate(configs):
        settings = dict(zip(names, config, strict=True))
        flag = settings.get("eps_in_sqrt")
        groups.setdefault(flag, []).append((index, settings))
    for flag, members in groups.items():
        hyper = {
            name: np.repeat([settings[name] for _, settings in members], per)
            for name in names
            if name not in ("noise", "eps_in_sqrt")
        }
        if flag is not None:
            hyper["eps_in_sqrt"] = flag
        noise = np.repeat([settings["noise"] for _, settings in members], per)
        ids = np.concatenate([particle_of(index) + np.arange(per) for index, _ in members])
        with warnings.catch_warnings():  # the largest rates of a grid diverge, as they should
            warnings.simplefilter("ignore", ls.DivergenceWarning)
            run = ls.trace(
                built,
                ls.optim.get(optimizer, **hyper),
                np.tile(starts, (len(members), 1)),
                steps=surface.steps,
                noise=ls.noise.gaussian(noise),
                seed=SEED,
                record_every=every,
                particle_ids=ids,
                engine=ENGINE,
            )
        if positions is None:
            steps = run.steps
            positions = np.empty((len(steps), len(configs), per, 2))
            values = np.empty((len(steps), len(configs), per))
        where = [index for index, _ in members]
        positions[:, where] = run.positions.reshape(len(steps), len(members), per, 2)
        values[:, where] = run.values.reshape(len(steps), len(members), per)
    return configs, positions, values, steps


def encode(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def quantize(points: np.ndarray, box: np.ndarray, levels: int) -> np.ndarray:
    """Points ``(..., 2)`` as integers ``0 .. levels - 1`` over ``box`` (clamped at its edges)."""
    low, span = box[:, 0], box[:, 1] - box[:, 0]
    scaled = np.clip((points - low) / span, 0.0, 1.0) * (levels - 1)
    return np.rint(np.nan_to_num(scaled, nan=0.0)).astype(np.int64)


def dequantize(codes: np.ndarray, box: np.ndarray, levels: int) -> np.ndarray:
    """The inverse of ``quantize`` (what the page computes)."""
    return box[:, 0] + codes / (levels - 1) * (box[:, 1] - box[:, 0])


def loss_scale(built, values: np.ndarray) -> dict:
    """How losses are stored: decades of ``f - f*`` when the minimum is known, else ``f`` itself."""
    minima = np.asarray(built.minima if built.minima is not None else [], dtype=float).reshape(-1, 2)
    finite = values[np.isfinite(values)]
    if len(minima):
        optimum = float(np.min(built.value(minima)))
        gaps = np.log10(np.maximum(finite - optimum, 1e-300))
        high = float(np.ceil(np.percentile(gaps, 98)))  # diverging runs would set the top otherwise
        return {"kind": "log", "optimum": optimum, "low": high - LOSS_DECADES, "high": high}
    low, high = float(np.percentile(finite, 1)), float(np.percentile(finite, 99))
    return {"kind": "linear", "optimum": 0.0, "low": low, "high": high}


def quantize_loss(values: np.ndarray, scale: dict) -> np.ndarray:
    if scale["kind"] == "log":
        values = np.log10(np.maximum(values - scale["optimum"], 1e-300))
    fraction = (values - scale["low"]) / (scale["high"] - scale["low"])
    return np.rint(np.clip(np.nan_to_num(fraction, nan=1.0), 0.0, 1.0) * 255).astype(np.uint8)


def optimizer_document(surface: ExploreSurface, optimizer: str, built, scale: dict, runs=None) -> dict:
    """Everything the page needs for one surface and optimizer (JSON-ready, arrays as base64).

    ``runs`` is what ``trace_optimizer`` returned, if it has run already.
    """
    configs, positions, values, steps = (
        runs if runs is not None else trace_optimizer(surface, optimizer, built)
    )
    box = stored_window(window(surface, built))
    frames = np.unique(np.linspace(0, len(steps) - 1, CLOUD_FRAMES + 1).round().astype(int))
    path = quantize(positions[:, :, 0], box, 65536).astype(np.uint16)  # (R, configs, 2)
    cloud = quantize(positions[frames][:, :, 1:], box, 256).astype(np.uint8)  # (F, configs, CLOUD, 2)
    path_loss = quantize_loss(values[:, :, 0], scale)
    cloud_loss = quantize_loss(np.median(values[:, :, 1:], axis=2), scale)
    return {
        "axes": [
            {"name": n, "label": label, "values": list(v)} for n, label, v in axes_of(surface, optimizer)
        ],
        "configs": len(configs),
        "steps": steps.tolist(),
        "frames": frames.tolist(),
        "cloud": CLOUD,
        # config-major, so the page slices one grid point without copying
        "path": encode(np.moveaxis(path, 1, 0)),  # (configs, R, 2) uint16
        "cloudPoints": encode(np.moveaxis(cloud, 1, 0)),  # (configs, F, CLOUD, 2) uint8
        "pathLoss": encode(np.moveaxis(path_loss, 1, 0)),  # (configs, R) uint8
        "cloudLoss": encode(np.moveaxis(cloud_loss, 1, 0)),  # (configs, R) uint8: the cloud's median
    }


def script(key: str, document: dict) -> str:
    """A ``.js`` file that hands ``document`` to the page under ``key``."""
    return (
        "window.EXPLORE = window.EXPLORE || {};\n"
        f"window.EXPLORE[{json.dumps(key)}] = {json.dumps(document, separators=(',', ':'))};\n"
    )
