"""Assemble one driver from the kernels of a run's parts, write it to disk, import it.

The driver is Python source generated from the parts (surface, optimizer
blocks, schedule, noise), compiled by numba with on-disk caching. Its shape:

* ``run(first_block, last_block, block_size, ...)`` traces blocks of
  ``block_size`` particles (at most ``config.BLOCK``); inside a block, the
  step loop; inside a step, loops over the block's particles that the
  compiler vectorizes. It releases the GIL, and the engine runs ranges of
  blocks on several threads. A block's particles never see other blocks, so
  the result of particle ``k`` depends neither on the number of threads nor
  on the block size.
* *fused* (dimension up to ``config.FUSED_MAX_DIM``, surfaces with a point
  kernel): one loop per step does gradient, noise, every optimizer block,
  the move and the divergence check on one particle's coordinates
  ``x_0 ... x_{dim-1}``, which stay in registers; at recorded steps one more
  loop evaluates value and gradient for the records.
* *blocked* (any dimension): the surface fills a ``(dim, n)`` gradient block
  (a matrix product, or exact mini-batches), then one loop over coordinates
  and particles applies the optimizer, then one loop checks divergence.

The file name is a hash of the source, the compiler flags, and the code of
every kernel it calls, so a change to any of them compiles afresh instead of
reusing stale machine code.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import re
import sys
import types
from pathlib import Path

import numba
import numpy as np

from ..._io import atomic_path
from . import config

# ---- collecting what a driver needs -------------------------------------------


class Builder:
    """Names and arrays a driver needs, collected while the parts emit their lines.

    Hyperparameters go to ``scal`` (numbers, read once per block) or to rows
    of ``hyper`` (one value per particle, read in the particle loop). Values
    derived from them are computed once per step, or once per particle and
    step when they differ between particles.

    A block runs through all its steps in one call, so everything but its
    records lives in fresh block arrays indexed by ``i``, the particle's
    place in the block (``j = lo + i`` is its place in the ensemble):
    positions ``xb``, the ring of previous positions ``prv``, optimizer state
    ``stb`` (row ``slot * DIM + coordinate``), status codes ``alb``, running
    powers ``pwb`` and per-particle hyperparameters ``hyb``. Nothing of this
    is allocated for the whole ensemble, which would cost page faults that
    short runs of many particles notice.
    """

    def __init__(self):
        self.scalars: list[float] = []
        self.rows: list[np.ndarray] = []
        self.functions: dict[str, object] = {}
        self.block_lines: list[str] = []
        self.step_lines: list[str] = []
        self.particle_loads: list[str] = []
        self.particle_lines: list[str] = []
        self.computed: list[str] = []
        self.varying: set[str] = set()
        self.states = 0
        self.powers = 0
        self.values = 0

    def function(self, name: str, kernel) -> str:
        if self.functions.get(name, kernel) is not kernel:
            raise ValueError(f"two different kernels named {name!r}")
        self.functions[name] = kernel
        return name

    def hyper(self, value) -> str:
        if isinstance(value, np.ndarray):
            name = f"h{len(self.rows)}"
            self.particle_loads.append(f"{name} = hyb[{len(self.rows)}, i]")
            self.rows.append(np.asarray(value, dtype=np.float64))
            self.varying.add(name)
        else:
            name = f"s{len(self.scalars)}"
            self.block_lines.append(f"{name} = scal[{len(self.scalars)}]")
            self.scalars.append(float(value))
        return name

    def _varies(self, expression: str) -> bool:
        return any(name in self.varying for name in re.findall(r"\b\w+\b", expression))

    def derived(self, expression: str) -> str:
        """A value computed from hyperparameters and the epoch ``e`` at every step."""
        name = f"c{self.values}"
        self.values += 1
        if self._varies(expression):
            self.particle_lines.append(f"{name} = {expression}")
            self.computed.append(name)
            self.varying.add(name)
        else:
            self.step_lines.append(f"{name} = {expression}")
        return name

    rate = derived

    def inverse_correction(self, beta: str) -> str:
        """``1 / (1 - β^t)`` for the update number ``t`` (bias correction)."""
        if beta not in self.varying:
            return self.derived(f"1.0 / (1.0 - {beta} ** float(t + 1))")
        # one value per particle: a running power instead of a power per particle and step
        k = self.powers
        self.powers += 1
        power = f"p{k}"
        self.particle_lines += [f"{power} = pwb[{k}, i] * {beta}", f"pwb[{k}, i] = {power}"]
        self.varying.add(power)
        return self.derived(f"1.0 / (1.0 - {power})")

    def state(self) -> str:
        """A new state variable per coordinate: row ``slot * DIM + d`` of ``state``."""
        self.states += 1
        return f"stb[{self.states - 1} * DIM + {{d}}, i]"


# ---- the two driver shapes ------------------------------------------------------

_HEADER = '''\
"""Generated by landscape.tracing._kernels.assemble; do not edit.

{description}

The engine defines the kernels this file calls ({functions}) before
executing it, and compiles ``run`` after.
"""

import numpy as np

from landscape.tracing._kernels import blocks, random
from landscape.tracing._kernels.blocks import ALIVE, BAD, DEAD, ESCAPED

DIM = {dim}
PAIRS = {pairs}
DTYPE = np.{dtype}


def run(
    first_block, last_block, block_size, steps, steps_per_epoch, radius_squared, x0, state_rows,
    power_rows, diverged_step, batch_value, record_rows, positions, values, grad_norms, batch_values,
    sp, sdata, scal, hyper, noise_keys, shuffle_keys,
):
    particles = x0.shape[0]
    for block in range(first_block, last_block):
        lo = block * block_size
        hi = min(particles, lo + block_size)
        n = hi - lo
        width = blocks.row_width(n)
        work = np.empty((3 * DIM + state_rows, width), x0.dtype)
        xb, prv, stb = blocks.start(x0, lo, hi, work)
        extra = np.empty((power_rows + hyper.shape[0], width))
        pwb = blocks.ones(extra, power_rows, n)
        hyb = blocks.take(hyper, lo, hi, extra, power_rows)
        alb = np.empty(n)  # status: a float compares in the lanes of the others
        for i in range(n):
            alb[i] = ALIVE
'''



def _indent(lines, depth):
    return [("    " * depth + line) if line else "" for line in lines]


def _coordinate(lines, d, x):
    return [line.replace("{d}", str(d)).replace("{x}", x) for line in lines]


# previous positions, a ring of two: step t writes x_t to one half while the
# other still holds x_{t-1}, the position a bad point goes back to
_RING = ["here = (t % 2) * DIM", "back = DIM - here"]


def _finite(names) -> str:
    return " & ".join(f"blocks.finite({name})" for name in names)


def _fused(b: Builder, surface_lines, update_lines, noise_std, dim) -> list[str]:
    """Straight-line code for one particle: a loop that records, a loop that moves."""
    coordinates = range(dim)
    loads = ["j = lo + i"] + [f"x_{d} = xb[{d}, i]" for d in coordinates]
    gradient = [f"g_{d}" for d in coordinates]
    # a point whose value or gradient is not finite: back to the previous position
    record = loads + surface_lines + [
        f"if not ({_finite(['v', *gradient])}):",
        "    if alb[i] == ALIVE:",
        "        diverged_step[j] = t",
        "    alb[i] = DEAD",
        *[f"    x_{d} = prv[back + {d}, i]" for d in coordinates],
        *[f"    xb[{d}, i] = x_{d}" for d in coordinates],
        *_indent(surface_lines, 1),
        *[f"positions[row, j, {d}] = x_{d}" for d in coordinates],
        "values[row, j] = v",
        "grad_norms[row, j] = np.sqrt(" + " + ".join(f"g_{d} * g_{d}" for d in coordinates) + ")",
    ]
    move = loads + surface_lines + b.particle_loads + b.particle_lines
    if noise_std is not None:
        for p in range((dim + 1) // 2):
            move.append(f"z_0, z_1 = random.normal_pair(noise_keys[j], t, PAIRS, {p})")
            move += [
                f"g_{2 * p + q} = g_{2 * p + q} + {noise_std} * z_{q}"
                for q in range(2)
                if 2 * p + q < dim
            ]
    for d in coordinates:
        move.append(f"u = g_{d}")
        move += _coordinate(update_lines, d, f"x_{d}")
        move.append(f"m_{d} = DTYPE(x_{d} + u)")
    move += [
        "r2 = " + " + ".join(f"m_{d} * m_{d}" for d in coordinates),
        # no branches (flags combined with &, selects), so the loop stays vectorized;
        # a particle that escapes is marked ESCAPED or BAD and flagged after the loop
        "was = alb[i] == ALIVE",
        "ok = was & (r2 <= radius_squared)",
        "escaped = was & (not ok)",
        f"bad = escaped & (not ({_finite(gradient)}))",
        "alb[i] = ALIVE if ok else (BAD if bad else (ESCAPED if escaped else alb[i]))",
        "escapes += escaped",
    ]
    for d in coordinates:
        move += [f"prv[here + {d}, i] = x_{d}", f"xb[{d}, i] = m_{d} if ok else x_{d}"]
    step = [
        *_RING,
        "row = record_rows[t]",
        "if row >= 0:",
        "    for i in range(n):",
        *_indent(record, 2),
        "if t == steps:",
        "    break",
        "e = float(t // steps_per_epoch + 1)",
        *b.step_lines,
        "escapes = 0",
        "for i in range(n):",
        *_indent(move, 1),
        "if escapes:",
        "    blocks.flag_escapes(alb, diverged_step, lo, t, xb, prv, back)",
    ]
    return b.block_lines + ["for t in range(steps + 1):"] + _indent(step, 1)


def _blocked(b: Builder, full_lines, batch_lines, update_lines, noise_std) -> list[str]:
    """Loops over a block's particles: gradient block, noise, optimizer, divergence."""
    record = [
        *full_lines,
        "broken = False",
        "for i in range(n):",
        "    broken_here = not blocks.finite(v[i])",
        "    for d in range(DIM):",
        "        broken_here = broken_here or not blocks.finite(g[d, i])",
        "    if broken_here:",
        "        broken = True",
        "        if alb[i] == ALIVE:",
        "            diverged_step[lo + i] = t",
        "        alb[i] = DEAD",
        # a loop, not a slice assignment: numba compiles a slice assignment's shape
        # error message (string formatting) for 1.7 s
        "        for d in range(DIM):",
        "            xb[d, i] = prv[back + d, i]",
        "if broken:  # values at the positions gone back to",
        *_indent(full_lines, 1),
        "for i in range(n):",
        "    j = lo + i",
        "    norm = 0.0",
        "    for d in range(DIM):",
        "        positions[row, j, d] = xb[d, i]",
        "        norm += g[d, i] * g[d, i]",
        "    values[row, j] = v[i]",
        "    grad_norms[row, j] = np.sqrt(norm)",
    ]
    if batch_lines is not None:
        record.append("    batch_values[row, j] = v[i] if t == 0 else batch_value[j]")
        gradient = batch_lines + [
            "if want_value:",
            "    for i in range(n):",
            "        batch_value[lo + i] = v[i]",
        ]
    else:
        gradient = ["if row < 0:"] + _indent(full_lines, 1)

    particle = b.particle_loads + b.particle_lines
    particle += [f"computed[{k}, i] = {name}" for k, name in enumerate(b.computed)]
    if noise_std is not None:
        particle += [
            "for p in range(PAIRS):",
            "    z_0, z_1 = random.normal_pair(noise_keys[j], t, PAIRS, p)",
            f"    g[2 * p, i] += {noise_std} * z_0",
            "    if 2 * p + 1 < DIM:",
            f"        g[2 * p + 1, i] += {noise_std} * z_1",
        ]
    reloads = [f"{name} = computed[{k}, i]" for k, name in enumerate(b.computed)]
    coordinate = b.particle_loads + reloads
    coordinate += ["xd = xb[d, i]", "u = g[d, i]"] + _coordinate(update_lines, "d", "xd")
    coordinate.append("moved[d, i] = DTYPE(xd + u)")
    step = [
        *_RING,
        "row = record_rows[t]",
        # True whenever it is read here; a bool, not the literal True, which would make
        # numba compile the surface's block kernel a second time (0.4 to 0.8 s)
        "want_value = row >= 0",
        "if row >= 0:",
        *_indent(record, 1),
        "if t == steps:",
        "    break",
        "e = float(t // steps_per_epoch + 1)",
        *b.step_lines,
        "want_value = record_rows[t + 1] >= 0",
        *gradient,
        "for i in range(n):",
        "    j = lo + i",
        *_indent(particle, 1),
        "for d in range(DIM):",
        "    for i in range(n):",
        *_indent(coordinate, 2),
        "for i in range(n):",
        "    r2 = 0.0",
        "    for d in range(DIM):",
        "        r2 += moved[d, i] * moved[d, i]",
        "    was = alb[i] == ALIVE",
        "    ok = was and r2 <= radius_squared",
        "    escaped = was and not ok",
        "    bad = False",
        "    for d in range(DIM):",
        "        bad = bad or (escaped and not blocks.finite(g[d, i]))",
        "    alb[i] = ALIVE if ok else DEAD",
        "    if escaped:",
        "        diverged_step[lo + i] = t if bad else t + 1",
        "    for d in range(DIM):",
        "        prv[here + d, i] = xb[d, i]",
        "        if ok:",
        "            xb[d, i] = moved[d, i]",
        "        elif bad:",
        "            xb[d, i] = prv[back + d, i]",
    ]
    scratch = [
        "g = np.empty((DIM, width))",
        "v = np.empty(n)",
        "moved = np.empty((DIM, width))",
        f"computed = np.empty(({max(1, len(b.computed))}, width))",
    ]
    return scratch + b.block_lines + ["for t in range(steps + 1):"] + _indent(step, 1)


def source(b: Builder, *, description, dim, dtype, body) -> str:
    """The whole module: header, driver signature and the body of a block."""
    header = _HEADER.format(
        description=description,
        functions=", ".join(sorted(b.functions)) or "none",
        dim=dim,
        pairs=(dim + 1) // 2,
        dtype=np.dtype(dtype).name,
    )
    return header + "\n".join(_indent(body, 2)) + "\n"


# ---- writing and importing -------------------------------------------------------


@functools.cache
def _library_fingerprint() -> str:
    """Hash of the kernels' own sources (they are compiled into every driver)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _code_fingerprint(function) -> bytes:
    """The bytecode, names and constants of a function (``marshal`` output varies between runs)."""

    def describe(code) -> bytes:
        constants = [
            describe(c) if isinstance(c, types.CodeType) else repr(c).encode()
            for c in code.co_consts
        ]
        names = repr((code.co_names, code.co_varnames)).encode()
        return b"|".join([code.co_code, names, *constants])

    return describe(getattr(function, "py_func", function).__code__)


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
        for compiled in (directory / "__pycache__").glob(f"{path.stem}.*"):
            compiled.unlink(missing_ok=True)
        path.unlink(missing_ok=True)


def load(text: str, functions: dict):
    """Import the driver module for ``text`` (writing it first if needed); returns the module."""
    digest = hashlib.sha256(text.encode())
    digest.update(config.signature().encode())
    digest.update(_library_fingerprint().encode())
    for name in sorted(functions):
        digest.update(name.encode() + _code_fingerprint(functions[name]))
    key = digest.hexdigest()[:24]
    module_name = f"landscape_kernel_{key}"
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
        is_compiled = isinstance(function, numba.core.registry.CPUDispatcher)
        setattr(module, name, function if is_compiled else config.uncached_kernel(function))
    spec.loader.exec_module(module)
    module.run = config.driver(module.run)
    sys.modules[module_name] = module
    return module

