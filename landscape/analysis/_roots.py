"""Roots of ∇f from many starts at once: a vectorized Levenberg-Marquardt iteration.

Newton's method on ``∇f = 0`` (Jacobian: the Hessian) is attracted by every
kind of critical point alike — minima, maxima and saddles — which is what a
catalogue needs; gradient descent would only find minima. Far from a root,
Newton's step can be wild, so each iteration tries the Newton step and then
three Levenberg-Marquardt steps ``−(H² + μI)⁻¹ H ∇f`` of growing damping
``μ``, and takes the first that lowers ``‖∇f‖`` (a descent direction for
``½‖∇f‖²`` whenever ``H ∇f ≠ 0``). The Newton step costs one batched
solve; the points that reject it get one eigendecomposition of ``H``, which
serves all their damped trials.

Two rules let a start travel (``wander=True``, for complete catalogues in low
dimension): for the first iterations the Newton step is taken whenever it
stays in the box, exploring Newton's far-reaching basins, and afterwards it
only has to stay below the largest ``‖∇f‖`` of the last few iterates (a
non-monotone rule in the manner of Grippo, Lampariello and Lucidi), so it can
follow a curved valley such as Rosenbrock's, where ``‖∇f‖`` rises steeply off
the valley floor. With ``wander=False`` every step must lower ``‖∇f‖``.
"""

from __future__ import annotations

import numpy as np

from ._hessian import hessians

DAMPING_FACTORS = np.array([0.0, 1.0, 1e2, 1e4])  # times μ: Newton first, then damped
MAX_ITERATIONS = 200
ACCEPT_GRADIENT = 1e-8  # converged: |∇f| <= this · curvature · length ...
ACCEPT_STEP = 1e-6  # ... and the Newton step <= this · length
STALLS = 4  # iterations without progress before a start is given up
PURE_NEWTON = 20  # iterations in which the Newton step is taken whenever it stays in the box
MEMORY = 8  # a Newton step may raise |∇f| up to the largest of this many previous values
SLOW = 0.9  # ... and a start that gains less than 10% over as many iterations is given up
FLOOR = 4.0 * np.finfo(float).eps  # relative size of a step at machine precision


def find_roots(surface, starts, *, scale, length, box, max_iterations=MAX_ITERATIONS, wander=True):
    """Run the iteration from every start; return the end points and which are roots.

    Parameters
    ----------
    surface : Surface
    starts : ndarray, shape (n, dim)
    scale, length : float
        Curvature and length units of the window (see ``_hessian``).
    box : ndarray, shape (dim, 2)
        A start that leaves this box is abandoned (its root, if any, lies
        outside the region of interest).
    max_iterations : int
    wander : bool
        Take the Newton step unconditionally for the first iterations and let
        it raise ``‖∇f‖`` later (finds every root of a 2-D catalogue, through
        Newton's far-reaching basins). ``False``: only steps that lower
        ``‖∇f‖``, so each start stays near the critical point it converges to
        (for sampling critical points where the starts are, in high
        dimension).

    Returns
    -------
    positions : ndarray, shape (n, dim)
    converged : ndarray of bool, shape (n,)
        ``‖∇f‖ <= 1e-8 · scale · length`` and the last Newton step was at
        most ``1e-6 · length``: the iteration ended at a root (to about
        machine precision for a nondegenerate one, since it runs until the
        Newton step stops shrinking).
    """
    x = np.array(starts, dtype=float)
    n = x.shape[0]
    gradient = surface.grad(x)
    norm = np.linalg.norm(gradient, axis=-1)
    damping = np.full(n, (1e-3 * scale) ** 2)
    newton_length = np.full(n, np.inf)
    stalls = np.zeros(n, dtype=int)
    pure_newton, memory = (PURE_NEWTON, MEMORY) if wander else (0, 1)
    recent = np.repeat(norm[:, None], MEMORY, axis=1)  # norms of the last few iterates
    active = np.isfinite(norm)

    def attempt(rows, step, bar):
        """Move ``rows`` by ``-step`` where that lowers ``‖∇f‖`` below ``bar``; which did."""
        trial = x[rows] - step
        trial_gradient = surface.grad(trial)
        trial_norm = np.linalg.norm(trial_gradient, axis=-1)
        ok = (trial_norm < bar) & np.isfinite(trial_norm) & _inside(trial, box)
        x[rows[ok]], gradient[rows[ok]], norm[rows[ok]] = trial[ok], trial_gradient[ok], trial_norm[ok]
        return ok

    with np.errstate(all="ignore"):
        for iteration in range(max_iterations):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            h = hessians(surface, x[idx])
            step = _newton_steps(h, gradient[idx])
            newton_length[idx] = np.linalg.norm(step, axis=-1)
            if iteration < pure_newton:
                bar = np.full(idx.size, np.inf)
            else:  # non-monotone Newton
                bar = recent[idx, :memory].max(axis=1)
            moved = attempt(idx, step, bar)
            chosen_mu = np.where(moved, 0.0, np.nan)  # damping of the step taken; NaN: none

            undecided = np.flatnonzero(~moved)
            if undecided.size:  # damped steps, from one eigendecomposition per point
                eigenvalues, eigenvectors = np.linalg.eigh(h[undecided])
                coefficients = np.einsum("nji,nj->ni", eigenvectors, gradient[idx[undecided]])
                for factor in DAMPING_FACTORS[1:]:
                    rows = idx[undecided]
                    mu = damping[rows] * factor
                    lam = eigenvalues
                    damped = np.einsum(
                        "nij,nj->ni", eigenvectors, lam / (lam**2 + mu[:, None]) * coefficients
                    )
                    ok = attempt(rows, damped, norm[rows])
                    chosen_mu[undecided[ok]] = mu[ok]
                    undecided, eigenvalues = undecided[~ok], eigenvalues[~ok]
                    eigenvectors, coefficients = eigenvectors[~ok], coefficients[~ok]
                    if undecided.size == 0:
                        break

            moved = ~np.isnan(chosen_mu)
            damping[idx] = np.where(
                moved,
                np.maximum(np.where(chosen_mu > 0, chosen_mu, damping[idx]) / 10.0, 1e-300),
                damping[idx] * DAMPING_FACTORS[-1],
            )
            stalls[idx] = np.where(moved, 0, stalls[idx] + 1)
            recent[idx] = np.roll(recent[idx], 1, axis=1)
            recent[idx, 0] = norm[idx]

            reach = np.maximum(length, np.linalg.norm(x[idx], axis=-1))
            done = newton_length[idx] <= FLOOR * reach  # at machine precision
            done |= stalls[idx] >= STALLS
            if iteration >= pure_newton + MEMORY:  # crawling: under 10% progress in MEMORY steps
                done |= norm[idx] > SLOW * recent[idx].max(axis=1)
            done |= ~_inside(x[idx], box)
            active[idx[done]] = False
    converged = norm <= ACCEPT_GRADIENT * scale * length
    converged &= newton_length <= ACCEPT_STEP * length
    converged &= _inside(x, box) & np.isfinite(x).all(axis=-1)
    return x, converged


def _newton_steps(h, g):
    """``H⁻¹ g`` for batches ``(n, dim, dim)``, ``(n, dim)``; the pseudo-inverse if any ``H`` is singular."""
    try:
        return np.linalg.solve(h, g[..., None])[..., 0]
    except np.linalg.LinAlgError:
        eigenvalues, eigenvectors = np.linalg.eigh(h)
        cutoff = FLOOR * np.abs(eigenvalues).max(axis=-1, keepdims=True)
        inverse = np.divide(
            1.0, eigenvalues, out=np.zeros_like(eigenvalues), where=np.abs(eigenvalues) > cutoff
        )
        coefficients = np.einsum("nji,nj->ni", eigenvectors, g)
        return np.einsum("nij,nj->ni", eigenvectors, inverse * coefficients)


def _inside(x, box):
    return np.all((x >= box[:, 0]) & (x <= box[:, 1]), axis=-1)
