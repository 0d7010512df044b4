"""Assemble one driver from the formulas of a run's parts, write it to disk, import it.

The driver is Python source generated from the parts (surface, optimizer
blocks, schedules, noise), compiled by numba with on-disk caching. Its shape:

* ``run(first_block, last_block, block_size, ...)`` traces blocks of
  ``block_size`` particles (at most ``config.BLOCK``); inside a block, the
  step loop; inside a step, loops over the block's particles that the
  compiler vectorizes. It releases the GIL, and the engine runs ranges of
  blocks on several threads. A block's particles never see other blocks, so
  the result of particle ``k`` depends neither on the number of threads nor
  on the block size.
* *fused* (dimension up to ``config.FUSED_MAX_DIM``, surfaces with a formula
  of one point): one loop per step computes the gradient, adds the noise,
  applies every optimizer block and the divergence rule to one particle's
  coordinates ``x_0 ... x_{dim-1}``, which stay in registers. The loops
  that evaluate the surface alone (the records, and the particles that
  left the radius) are a module of their own for each surface formula,
  dimension and precision, which every driver of that surface links.
* *blocked* (any dimension): the surface fills a ``(dim, n)`` gradient block
  (a matrix product, or exact mini-batches), then one loop over coordinates
  and particles applies the optimizer, then one loop the divergence rule.

Each step computes in ``COMPUTE`` and stores positions and state in
``STORE`` (both float64, both float32, or float64 arithmetic on float32
storage). The module's name is a hash of the source, the compiler flags and
the code of every function it calls, so a change to any of them compiles
afresh instead of reusing stale machine code.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import re
import sys
from pathlib import Path

import numpy as np

from ..._io import atomic_path
from ...optim import PerUpdate
from ...schedules import Schedule
from .. import _divergence
from . import config
from .compile import compiled, fingerprint

# ---- collecting what a driver needs -------------------------------------------


def hyper_kind(value) -> str:
    """How a driver takes a hyperparameter: ``"switch"`` (written into the source),
    ``"schedule"`` (per epoch), ``"per_update"`` (per update), ``"row"`` (one value per
    particle) or ``"scalar"``."""
    if isinstance(value, (bool, np.bool_)):
        return "switch"
    if isinstance(value, Schedule):
        return "schedule"
    if isinstance(value, PerUpdate):
        return "per_update"
    return "row" if isinstance(value, np.ndarray) else "scalar"


def hyper_leaves(values) -> list:
    """The numbers and per-particle arrays under ``values``, in the order ``Builder.hyper`` reads
    them: a schedule's or ``PerUpdate``'s parameters in their order, switches left out."""
    leaves = []
    for value in values:
        kind = hyper_kind(value)
        if kind in ("schedule", "per_update"):
            leaves += hyper_leaves(value.params.values())
        elif kind != "switch":
            leaves.append(value)
    return leaves


def hyper_structure(value):
    """What of a hyperparameter shapes the driver's source: its kind, a switch's value, a
    schedule's formula and the structure of its parameters (not the numbers)."""
    kind = hyper_kind(value)
    if kind == "switch":
        return bool(value)
    if kind in ("schedule", "per_update"):
        return kind, value.formula, tuple((k, hyper_structure(v)) for k, v in value.params.items())
    return kind


def scalars_and_rows(leaves) -> tuple[list[float], list[np.ndarray]]:
    """The driver's ``scalars`` and the rows of its ``hyper``, from the leaves in reading order."""
    rows = [value for value in leaves if hyper_kind(value) == "row"]
    return [float(value) for value in leaves if hyper_kind(value) == "scalar"], rows


class Builder:
    """Names, numbers and functions a driver needs, collected while the parts write their lines.

    A hyperparameter becomes a variable named after its block and argument
    (``scale_by_adam_b1``): a number is read once per block from
    ``scalars``, one value per particle in the particle loop from the
    block's rows of ``hyper``, a schedule is evaluated once per step (or
    per particle, when its own values differ between particles), a switch
    is written into the source. ``leaves`` keeps the numbers and arrays in
    the order they were read (``hyper_leaves``). ``state_slot()`` gives each
    state array of a block its rows ``slot * DIM + d`` of the block's
    ``state``.
    """

    def __init__(self, compute_dtype):
        self.compute_dtype = np.dtype(compute_dtype)
        self.compute_name = self.compute_dtype.name  # looked up for every function: numpy's is slow
        self.leaves: list = []
        self.functions: dict[str, object] = {}
        self.block_lines: list[str] = []
        self.step_lines: list[str] = []
        self.particle_loads: list[str] = []
        self.particle_lines: list[str] = []
        self.computed: list[str] = []
        self.varying: set[str] = set()
        self.state_slots = 0
        self.taken: set[str] = set()

    @property
    def rows(self) -> list[np.ndarray]:
        return scalars_and_rows(self.leaves)[1]

    def name(self, wanted: str) -> str:
        """``wanted`` as an identifier, made unique in the driver."""
        base = re.sub(r"\W", "_", wanted)
        name, k = base, 1
        while name in self.taken:
            k += 1
            name = f"{base}_{k}"
        self.taken.add(name)
        return name

    def function(self, function, inline: bool = False) -> str:
        """The driver's name for ``function``, compiled in the run's precision (and inlined into
        the driver with ``inline``)."""
        kernel = compiled(function, self.compute_name, inline)
        for name, known in self.functions.items():
            if known is kernel:
                return name
        name = self.name(getattr(function, "__name__", "function"))
        self.functions[name] = kernel
        return name

    def hyper(self, name: str, value) -> str:
        """An expression for a hyperparameter: a switch, a number, per-particle values, a schedule
        or a ``PerUpdate`` value."""
        kind = hyper_kind(value)
        if kind == "switch":
            return repr(bool(value))
        if kind == "schedule":
            return self.once_per_step(name, value.formula, "epoch", value.params)
        if kind == "per_update":
            return self.once_per_step(name, value.formula, "count", value.params)
        scalars, rows = scalars_and_rows(self.leaves)
        name = self.name(name)
        if kind == "row":
            self.particle_loads.append(f"{name} = hyper[{len(rows)}, i]")
            self.varying.add(name)
        else:
            self.block_lines.append(f"{name} = scalars[{len(scalars)}]")
        self.leaves.append(value)
        return name

    def once_per_step(self, name: str, formula, clock: str, params: dict) -> str:
        """``formula(clock, **params)`` once per step, or per particle if a parameter varies."""
        arguments = [self.hyper(f"{name}_{key}", value) for key, value in params.items()]
        call = f"{self.function(formula)}({clock}, {', '.join(arguments)})"
        name = self.name(name)
        if any(a in self.varying for a in arguments):
            self.particle_lines.append(f"{name} = {call}")
            self.computed.append(name)
            self.varying.add(name)
        else:
            self.step_lines.append(f"{name} = {call}")
        return name

    def state_slot(self) -> str:
        """A new state array: its element for coordinate ``{d}`` of particle ``i``."""
        self.state_slots += 1
        return f"state[{self.state_slots - 1} * DIM + {{d}}, i]"


# ---- the module around the driver ----------------------------------------------

_HEADER = '''\
"""Generated by landscape.tracing._kernels.assemble; do not edit.

{description}

The engine defines the functions this file calls ({functions}) before
executing it, and compiles {entries} after.
"""

import numpy as np

from landscape.tracing._divergence import BAD_POINT, FROZEN, MOVING
from landscape.tracing._kernels import blocks, random

DIM = {dim}
PAIRS = {pairs}
COMPUTE = np.{compute}
STORE = np.{store}
LARGEST = COMPUTE(np.finfo(COMPUTE).max)

'''

_DRIVER = '''
def run(
    first_block, last_block, block_size, steps, steps_per_epoch, batch_size, radius_squared, x0,
    state_rows, diverged_step, batch_value, record_rows, positions, values, grad_norms, batch_values,
    state_records, surface_params, surface_data, scalars, per_particle, noise_keys, shuffle_keys,
):
    particles = x0.shape[0]
    for block in range(first_block, last_block):
        lo = block * block_size
        hi = min(particles, lo + block_size)
        n = hi - lo
        width = blocks.row_width(n, 3 * DIM + state_rows, x0.itemsize)
        work = np.empty((3 * DIM + state_rows, width), x0.dtype)
        ring, state = blocks.start(x0, lo, hi, work)
        hyper = blocks.take(per_particle, lo, hi, np.empty((per_particle.shape[0], width), COMPUTE), 0)
        status = np.empty(n, COMPUTE)
        for i in range(n):
            status[i] = MOVING
        distance = np.empty(width, COMPUTE)
'''


def source(b: Builder, *, description, dim, store_dtype, body, entries=("run",)) -> str:
    """A whole module: the header, then ``body``, or the driver around ``body`` (the lines of a
    block) when ``entries`` is the driver's ``run``."""
    header = _HEADER.format(
        description=description,
        functions=", ".join(sorted(b.functions)) or "none",
        entries=", ".join(f"``{name}``" for name in entries),
        dim=dim,
        pairs=(dim + 1) // 2,
        compute=b.compute_dtype.name,
        store=np.dtype(store_dtype).name,
    )
    if entries == ("run",):
        return header + _DRIVER + "\n".join(indent(body, 2)) + "\n"
    return header + "\n" + "\n".join(body) + "\n"


def precision_name(compute_dtype, store_dtype) -> str:
    """``float64``, ``float32``, or ``float64 arithmetic on float32 storage``."""
    compute, store = np.dtype(compute_dtype), np.dtype(store_dtype)
    return compute.name if compute == store else f"{compute.name} arithmetic on {store.name} storage"


def indent(lines, depth):
    return [("    " * depth + line) if line else "" for line in lines]


def at_coordinate(lines, d, x):
    """Lines of one optimizer update with ``{d}`` and ``{x}`` filled in."""
    return [line.replace("{d}", str(d)).replace("{x}", x) for line in lines]


# positions, a ring of three: step t reads x_t from rows ``here`` and writes x_{t+1} to rows
# ``ahead``, while rows ``behind`` still hold x_{t-1}, the position a bad point goes back to
RING = ["here = (t % 3) * DIM", "ahead = ((t + 1) % 3) * DIM", "behind = ((t + 2) % 3) * DIM"]
# A block's sum of squared distances is at least each particle's in any order of rounding,
# but a particle's own sum may round differently where it is checked: the margin leaves the
# near misses to that check
SURELY_INSIDE = 0.999
CLOCK = ["epoch = COMPUTE(t // steps_per_epoch + 1)", "count = COMPUTE(t + 1)"]


def finite_all(names) -> str:
    return " & ".join(f"blocks.finite({name}, LARGEST)" for name in names)


def noise_lines(noise_std, dim, add) -> list[str]:
    """Gaussian noise for every coordinate of particle ``j``; ``add(d, z)`` adds ``z``."""
    lines = []
    for pair in range((dim + 1) // 2):
        lines.append(f"z_0, z_1 = random.normal_pair(noise_keys[j], t, PAIRS, {pair})")
        lines += [add(2 * pair + q, f"{noise_std} * COMPUTE(z_{q})") for q in range(2) if 2 * pair + q < dim]
    return lines


# ---- the fused driver: one particle's coordinates in registers -------------------


# the arguments of the surface loops of the fused drivers, as defined and as called
RECORD_ARGUMENTS = (
    "ring, here, behind, status, positions, values, grad_norms, diverged_step, lo, n, row, t, surface_params"
)
STOP_ARGUMENTS = (
    "ring, here, ahead, behind, status, distance, diverged_step, lo, n, t, radius_squared, surface_params"
)


def fused(b: Builder, surface_lines, loops, update_lines, noise_std, dim, record_state) -> list[str]:
    """Straight-line code for one particle: a loop that moves, and at recorded steps (and where
    a particle may have left the radius) the surface's own loops of ``loops``."""
    record, stop_escaped = b.function(loops.record_block), b.function(loops.stop_escaped)
    step = [
        *RING,
        "row = record_rows[t]",
        "if row >= 0:",
        f"    still_moving -= {record}({RECORD_ARGUMENTS})",
        *indent(_record_state(record_state), 1),
        "if t == steps:",
        "    break",
        *CLOCK,
        *b.step_lines,
        "spread = COMPUTE(0.0)",
        # a block's particles all move until one stops: until then its loop reads no status
        "if still_moving == n:",
        "    for i in range(n):",
        *indent(_fused_move(b, surface_lines, update_lines, noise_std, dim, all_moving=True), 2),
        # once all have stopped, nothing but their optimizer state would change: unless it is
        # recorded, the block's positions just carry over
        "else:" if record_state else "elif still_moving > 0:",
        "    for i in range(n):",
        *indent(_fused_move(b, surface_lines, update_lines, noise_std, dim, all_moving=False), 2),
        *([] if record_state else ["else:", "    blocks.carry_over(ring, here, ahead, n)"]),
        *_count_escaped(),
        "if escaped > 0:",
        f"    {stop_escaped}({STOP_ARGUMENTS})",
        "still_moving -= escaped",
    ]
    return b.block_lines + ["still_moving = COMPUTE(n)", "for t in range(steps + 1):"] + indent(step, 1)


def surface_loops(kernel, dim, compute_dtype, store_dtype, name):
    """The fused driver's loops that evaluate the surface alone, a module of their own.

    ``record_block`` records a block's values and gradient norms (and sends
    particles standing on a bad point back), ``stop_escaped`` stops the
    particles that left the radius. They depend on the surface's formula,
    the dimension and the precision only, not on the optimizer: compiled
    once, every driver of the surface links them (about a quarter of a fused
    driver's compile time).
    """
    b = Builder(compute_dtype)
    surface_lines = kernel.emit_fused(b, dim)
    gradient = [f"grad_{d}" for d in range(dim)]
    finite_gradient = [*_load(dim), *surface_lines, f"finite_gradient = {finite_all(gradient)}"]
    body = [
        f"def record_block({RECORD_ARGUMENTS}):",
        *indent(_fused_record(b, surface_lines, dim), 1),
        "    return bad_points",
        "",
        "",
        f"def stop_escaped({STOP_ARGUMENTS}):",
        *indent(_stop_escaped(b, finite_gradient), 1),
    ]
    entries = ("record_block", "stop_escaped")
    precision = precision_name(compute_dtype, store_dtype)
    description = f"surface loops of the fused drivers: {name}, dim {dim}; {precision}."
    text = source(b, description=description, dim=dim, store_dtype=store_dtype, body=body, entries=entries)
    return load(text, b.functions, entries)


def _load(dim, rows="here"):
    return [f"x_{d} = COMPUTE(ring[{rows} + {d}, i])" for d in range(dim)]


def _record_state(record_state) -> list[str]:
    return ["blocks.record_state(state, state_records, row, lo, n)"] if record_state else []


def _fused_record(b, surface_lines, dim) -> list[str]:
    """Record every particle with no branch, so that the loop vectorizes; then, in the rare
    block where a moving particle stands on a bad point, send it back and record it again;
    then copy the block's positions to the record."""
    at_record = b.function(_divergence.at_record)
    gradient = [f"grad_{d}" for d in range(dim)]
    evaluations = [
        "block_values[i] = value",
        "block_grad_norms[i] = np.sqrt(" + " + ".join(f"{g} * {g}" for g in gradient) + ")",
    ]
    return [
        # the block's part of this record, indexed by i: as the compiler cannot tell that lo + i
        # is not negative, it stored at lo + i one number at a time instead of a vector
        "block_values = values[row, lo : lo + n]",
        "block_grad_norms = grad_norms[row, lo : lo + n]",
        "block_positions = positions[row, lo : lo + n]",
        "bad_points = COMPUTE(0.0)",
        "for i in range(n):",
        "    j = lo + i",
        *indent(_load(dim), 1),
        *indent(surface_lines, 1),
        f"    code = {at_record}(status[i], {finite_all(['value', *gradient])})",
        "    bad_points += COMPUTE(code == BAD_POINT)",
        "    status[i] = max(code, FROZEN)",
        *indent(evaluations, 1),
        "for i in range(n if bad_points > 0 else 0):",
        "    j = lo + i",
        # frozen by this record: the only frozen particles that have no diverged_step yet
        "    if status[i] == FROZEN and diverged_step[j] < 0:",
        "        diverged_step[j] = t",
        *indent(_load(dim, "behind"), 2),
        *[f"        ring[here + {d}, i] = x_{d}" for d in range(dim)],
        *indent(surface_lines, 2),
        *indent(evaluations, 2),
        # a loop of its own: its stores interleave coordinates, and in the loop above they
        # keep the compiler from vectorizing it; unrolled over the coordinates, it vectorizes
        "for i in range(n):",
        *[f"    block_positions[i, {d}] = ring[here + {d}, i]" for d in range(dim)],
    ]


def _fused_move(b, surface_lines, update_lines, noise_std, dim, all_moving) -> list[str]:
    lines = ["j = lo + i", *_load(dim), *surface_lines, *b.particle_loads, *b.particle_lines]
    if noise_std is not None:
        lines += noise_lines(noise_std, dim, lambda d, z: f"grad_{d} = grad_{d} + {z}")
    for d in range(dim):
        lines += [f"u = grad_{d}", *at_coordinate(update_lines, d, f"x_{d}"), f"moved_{d} = STORE(x_{d} + u)"]
    if not all_moving:
        lines.append("moving = status[i]")
        lines += [f"moved_{d} = moved_{d} if moving == MOVING else STORE(x_{d})" for d in range(dim)]
    # the block's sum of squared distances, with no branch so that the loop vectorizes: when it
    # is surely inside the radius squared, so is every particle
    lines.append("spread += " + " + ".join(f"moved_{d} * moved_{d}" for d in range(dim)))
    lines += [f"ring[ahead + {d}, i] = moved_{d}" for d in range(dim)]
    return lines


def _count_escaped() -> list[str]:
    """After the loop that moved the block (frozen particles stayed) and summed its squared
    distances in ``spread``: where a particle may have left the radius, count the moving ones
    that did (``distance`` then holds each particle's squared distance)."""
    return [
        "escaped = COMPUTE(0.0)",
        f"if not spread <= radius_squared * {SURELY_INSIDE}:",
        "    escaped = COMPUTE(blocks.count_escaped(ring, ahead, status, distance, n, radius_squared))",
    ]


def _stop_escaped(b, finite_gradient_lines) -> list[str]:
    """Stop the moving particles that left the radius, by the rule. ``finite_gradient_lines``
    say whether particle ``i``'s gradient at its position before the step was finite."""
    after_step, stop_step = b.function(_divergence.after_step), b.function(_divergence.stop_step)
    return [
        "for i in range(n):",
        "    if status[i] == MOVING and not distance[i] <= radius_squared:",
        *indent(finite_gradient_lines, 2),
        f"        code = {after_step}(status[i], COMPUTE(0.0), finite_gradient)",
        f"        diverged_step[lo + i] = {stop_step}(code, t)",
        "        status[i] = FROZEN",
        "        stay = behind if code == BAD_POINT else here",
        "        for d in range(DIM):",
        "            ring[ahead + d, i] = ring[stay + d, i]",
    ]


# ---- the blocked driver: loops over coordinates ----------------------------------


def blocked(b: Builder, full_lines, batch_lines, update_lines, noise_std, record_state) -> list[str]:
    """Loops over a block's particles: gradient block, noise, optimizer, divergence."""
    if batch_lines is not None:
        gradient = batch_lines + [
            "if want_value:",
            "    for i in range(n):",
            "        batch_value[lo + i] = value[i]",
        ]
    else:  # at recorded steps the record already holds the gradient
        gradient = ["if row < 0:"] + indent(full_lines, 1)
    step = [
        *RING,
        "position = ring[here : here + DIM]",
        "row = record_rows[t]",
        # a bool, not the literal True: numba would compile the surface's kernel a second time
        "want_value = row >= 0",
        "if row >= 0:",
        *indent(_blocked_record(b, full_lines, batch_lines is not None, record_state), 1),
        "if t == steps:",
        "    break",
        *CLOCK,
        *b.step_lines,
        "want_value = record_rows[t + 1] >= 0",
        *gradient,
        *_blocked_update(b, update_lines, noise_std),
        *_count_escaped(),
        "if escaped > 0:",
        *indent(_stop_escaped(b, [
            "finite_gradient = True",
            "for d in range(DIM):",
            "    finite_gradient = finite_gradient & blocks.finite(gradient[d, i], blocks.FLOAT64_LARGEST)",
        ]), 1),
    ]
    scratch = [
        "gradient = np.empty((DIM, width))",
        "value = np.empty(n)",
        f"computed = np.empty(({max(1, len(b.computed))}, width), COMPUTE)",
    ]
    return scratch + b.block_lines + ["for t in range(steps + 1):"] + indent(step, 1)


def _blocked_record(b, full_lines, minibatches, record_state) -> list[str]:
    at_record = b.function(_divergence.at_record)
    lines = [
        *full_lines,
        "broken = False",
        "for i in range(n):",
        "    finite = blocks.finite(value[i], blocks.FLOAT64_LARGEST)",
        "    for d in range(DIM):",
        "        finite = finite & blocks.finite(gradient[d, i], blocks.FLOAT64_LARGEST)",
        f"    code = {at_record}(status[i], finite)",
        "    if code == BAD_POINT:",
        "        broken = True",
        "        diverged_step[lo + i] = t",
        # a loop, not a slice assignment: numba compiles a slice assignment's shape
        # error message (string formatting) for 1.7 s
        "        for d in range(DIM):",
        "            ring[here + d, i] = ring[behind + d, i]",
        "    status[i] = max(code, FROZEN)",
        "if broken:  # values at the positions gone back to",
        *indent(full_lines, 1),
        "blocks.record_positions(ring, here, positions, row, lo, n)",
        *_record_state(record_state),
        # indexed by i, not lo + i: see _fused_record
        "block_values = values[row, lo : lo + n]",
        "block_grad_norms = grad_norms[row, lo : lo + n]",
        "for i in range(n):",
        "    norm = 0.0",
        "    for d in range(DIM):",
        "        norm += gradient[d, i] * gradient[d, i]",
        "    block_values[i] = value[i]",
        "    block_grad_norms[i] = np.sqrt(norm)",
    ]
    if minibatches:
        lines.append("    batch_values[row, lo + i] = value[i] if t == 0 else batch_value[lo + i]")
    return lines


def _blocked_update(b, update_lines, noise_std) -> list[str]:
    """Per particle: per-particle values and noise; then per coordinate: the optimizer."""
    particle = b.particle_loads + b.particle_lines
    particle += [f"computed[{k}, i] = {name}" for k, name in enumerate(b.computed)]
    if noise_std is not None:
        particle += [
            "for pair in range(PAIRS):",
            "    z_0, z_1 = random.normal_pair(noise_keys[j], t, PAIRS, pair)",
            f"    gradient[2 * pair, i] += {noise_std} * COMPUTE(z_0)",
            "    if 2 * pair + 1 < DIM:",
            f"        gradient[2 * pair + 1, i] += {noise_std} * COMPUTE(z_1)",
        ]
    reloads = [f"{name} = computed[{k}, i]" for k, name in enumerate(b.computed)]
    coordinate = b.particle_loads + reloads
    coordinate += ["x_d = COMPUTE(ring[here + d, i])", "u = COMPUTE(gradient[d, i])"]
    coordinate += at_coordinate(update_lines, "d", "x_d")
    coordinate += [
        "moved = STORE(x_d + u) if status[i] == MOVING else STORE(x_d)",
        "spread += moved * moved",
        "ring[ahead + d, i] = moved",
    ]
    per_particle = ["for i in range(n):", "    j = lo + i", *indent(particle, 1)] if particle else []
    return [
        *per_particle,
        "spread = COMPUTE(0.0)",
        "for d in range(DIM):",
        "    for i in range(n):",
        *indent(coordinate, 2),
    ]


# ---- writing and importing -------------------------------------------------------


@functools.cache
def _library_fingerprint() -> str:
    """Hash of the driver helpers' sources (they are compiled into every driver)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    digest.update(Path(_divergence.__file__).read_bytes())
    return digest.hexdigest()


def forget_unused(directory: Path, keep: int) -> None:
    """Delete all but the ``keep`` most recently used drivers, source and compiled code.

    A driver's key includes the kernels' sources, so every new version of
    the package leaves the previous drivers unused; without this the cache
    would grow by about 0.25 MiB per driver for good.
    """

    def last_used(path):
        try:
            return path.stat().st_mtime
        except FileNotFoundError:  # deleted meanwhile by another process
            return float("inf")

    drivers = sorted(directory.glob("landscape_kernel_*.py"), key=last_used)
    for path in drivers[: max(0, len(drivers) - keep)]:
        for compiled_code in (directory / "__pycache__").glob(f"{path.stem}.*"):
            compiled_code.unlink(missing_ok=True)
        path.unlink(missing_ok=True)


def load(text: str, functions: dict, entries=("run",)):
    """Import the module of ``text`` (writing it first if needed) with its ``entries`` compiled.

    An entry's fingerprint is the module's key, so that a driver calling it
    is keyed by everything the entry calls.
    """
    digest = hashlib.sha256(text.encode())
    digest.update(config.signature().encode())
    digest.update(_library_fingerprint().encode())
    for name in sorted(functions):
        digest.update(name.encode() + fingerprint(functions[name]))
    module_name = f"landscape_kernel_{digest.hexdigest()[:24]}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    directory = config.cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{module_name}.py"
    if path.exists():
        os.utime(path)  # the modification time says when a driver was last used
    else:
        with atomic_path(path) as temporary:
            temporary.write_text(text)
        forget_unused(directory, config.KEEP_DRIVERS)
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    for name, function in functions.items():
        setattr(module, name, function)
    spec.loader.exec_module(module)
    reloadable = all(_reloadable(function) for function in functions.values())
    for name in entries:
        entry = config.driver(getattr(module, name), cached=reloadable)
        entry._landscape_fingerprint = digest.digest()
        setattr(module, name, entry)
    sys.modules[module_name] = module
    return module


def _reloadable(kernel) -> bool:
    """Whether a driver calling ``kernel`` can be loaded from disk in another process.

    Numba rebuilds the functions a cached driver calls from the modules
    they were defined in; a function of a module that was never imported
    (made with ``types.ModuleType``, say) cannot be rebuilt, so its drivers
    are compiled in each process instead.
    """
    module = getattr(kernel, "py_func", kernel).__globals__.get("__name__")
    return module in sys.modules and getattr(sys.modules[module], "__file__", None) is not None
