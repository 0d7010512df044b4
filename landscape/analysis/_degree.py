"""A completeness check for 2-D catalogues: the winding number of ∇f (Poincaré-Hopf).

The winding number of the gradient field along the boundary of a rectangle
on which it does not vanish equals the sum of the indices of the zeros
inside: +1 for a nondegenerate minimum or maximum, −1 for a nondegenerate
saddle (the sign of the Hessian's determinant), and for a degenerate zero
its own winding number on a small circle (−2 for the monkey saddle). A
mismatch proves that a critical point is missing.
"""

from __future__ import annotations

import numpy as np

FIRST_SAMPLES = 1024  # points per side of the first pass
MAX_SAMPLES = 1 << 16
_MAX_TURN = np.pi / 4  # largest accepted turn of ∇f between neighbouring samples


def degree_mismatch(surface, bounds, points, *, radius) -> str:
    """A sentence if the points do not account for the boundary winding number, else ``""``.

    Returns ``""`` as well when the check is not possible (``∇f`` vanishes
    on or too near the boundary).
    """
    (x0, x1), (y0, y1) = bounds
    corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]])
    boundary = _winding(surface, corners)
    if boundary is None:
        return ""
    positions = np.array([p.position for p in points]).reshape(-1, 2)
    total = 0
    for i, point in enumerate(points):
        if point.kind == "degenerate":
            others = np.delete(positions, i, axis=0)
            gap = np.min(np.linalg.norm(others - point.position, axis=1)) if len(others) else np.inf
            local = _circle_winding(surface, point.position, min(0.25 * gap, 1e3 * radius))
            if local is None:
                return ""
            total += local
        else:
            total += 1 if point.kind in ("minimum", "maximum") else -1
    if total == boundary:
        return ""
    return (
        f"the winding number of grad f around the window is {boundary} but the points found "
        f"account for {total}: at least one critical point is missing"
    )


def _winding(surface, loop) -> int | None:
    """Winding number of ``∇f`` along a closed polygon ``(m, 2)``, or None if undefined."""
    samples = FIRST_SAMPLES
    while samples <= MAX_SAMPLES:
        t = np.arange(samples) / samples
        path = np.concatenate(
            [a + t[:, None] * (b - a) for a, b in zip(loop[:-1], loop[1:], strict=True)]
        )
        turn = _turns(surface, np.vstack([path, path[:1]]))
        if turn is None:
            return None
        if np.abs(turn).max() < _MAX_TURN:
            return int(np.rint(turn.sum() / (2 * np.pi)))
        samples *= 4
    return None


def _circle_winding(surface, center, r) -> int | None:
    angles = np.linspace(0.0, 2 * np.pi, 4097)
    circle = center + r * np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    turn = _turns(surface, circle)
    if turn is None or np.abs(turn).max() >= _MAX_TURN:
        return None
    return int(np.rint(turn.sum() / (2 * np.pi)))


def _turns(surface, path):
    """Angles by which ``∇f`` turns between consecutive points of ``path``."""
    g = surface.grad(path)
    z = g[:, 0] + 1j * g[:, 1]
    if not np.all(np.abs(z) > 0) or not np.isfinite(z).all():
        return None
    return np.angle(z[1:] / z[:-1])
