"""Roots of ∇f from many starts at once: a vectorized Levenberg-Marquardt iteration.

Newton's method on ``∇f = 0`` (Jacobian: the Hessian) is attracted by every
kind of critical point alike — minima, maxima and saddles — which is what a
catalogue needs; gradient descent would only find minima. Far from a root,
Newton's step can be wild, so each iteration tries the Newton step and three
Levenberg-Marquardt steps ``−(H² + μI)⁻¹ H ∇f`` of growing damping ``μ``,
and takes the first that lowers ``‖∇f‖`` (a descent direction for
``½‖∇f‖²`` whenever ``H ∇f ≠ 0``). One eigendecomposition of ``H`` serves
all four trials. The Newton step only has to stay below the largest
``‖∇f‖`` of the last few iterates (a non-monotone rule in the manner of
Grippo, Lampariello and Lucidi), so it can follow a curved valley such as
Rosenbrock's, where ``‖∇f‖`` rises steeply off the valley floor.
"""

from __future__ import annotations

import numpy as np

from ._hessian import hessians

DAMPING_FACTORS = np.array([0.0, 1.0, 1e2, 1e4])  # times μ: Newton first, then damped
MAX_ITERATIONS = 200
ACCEPT_GRADIENT = 1e-8  # converged: |∇f| <= this · curvature · length ...
ACCEPT_STEP = 1e-6  # ... and the Newton step <= this · length
_STALLS = 4  # iterations without progress before a start is given up
PURE_NEWTON = 20  # iterations in which the Newton step is taken whenever it stays in the box
SLOW = 0.9
MEMORY = 8  # a Newton step may raise |∇f| up to the largest of this many previous values


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
        ``‖∇f‖ <= 1e-8 · scale · length`` and the Newton step is at most
        ``1e-6 · length``: the iteration ended at a root, to about machine
        precision for a nondegenerate one.
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
    floor = 4.0 * np.finfo(float).eps
    with np.errstate(all="ignore"):
        for iteration in range(max_iterations):
            idx = np.flatnonzero(active)
            if idx.size == 0:
                break
            eigenvalues, eigenvectors = np.linalg.eigh(hessians(surface, x[idx]))
            coefficients = np.einsum("nji,nj->ni", eigenvectors, gradient[idx])
            cutoff = floor * np.abs(eigenvalues).max(axis=-1, keepdims=True)
            newton = np.divide(
                1.0, eigenvalues, out=np.zeros_like(eigenvalues), where=np.abs(eigenvalues) > cutoff
            )
            newton_length[idx] = np.linalg.norm(newton * coefficients, axis=-1)
            if iteration < pure_newton:
                reference = np.full(idx.size, np.inf)
            else:  # non-monotone Newton
                reference = recent[idx, :memory].max(axis=1)
            chosen_mu = np.full(idx.size, np.nan)  # damping of the step taken; NaN: none
            undecided = np.arange(idx.size)
            for factor in DAMPING_FACTORS:  # later trials only for points still undecided
                if undecided.size == 0:
                    break
                rows = idx[undecided]
                mu = damping[rows] * factor
                lam = eigenvalues[undecided]
                gain = newton[undecided] if factor == 0 else lam / (lam**2 + mu[:, None])
                trial = x[rows] - np.einsum(
                    "nij,nj->ni", eigenvectors[undecided], gain * coefficients[undecided]
                )
                trial_gradient = surface.grad(trial)
                trial_norm = np.linalg.norm(trial_gradient, axis=-1)
                bar = reference[undecided] if factor == 0 else norm[rows]
                ok = (trial_norm < bar) & np.isfinite(trial_norm) & _inside(trial, box)
                x[rows[ok]], gradient[rows[ok]], norm[rows[ok]] = (
                    trial[ok],
                    trial_gradient[ok],
                    trial_norm[ok],
                )
                chosen_mu[undecided[ok]] = mu[ok]
                undecided = undecided[~ok]

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
            done = newton_length[idx] <= floor * reach  # at machine precision
            done |= stalls[idx] >= _STALLS
            if iteration >= pure_newton + MEMORY:  # crawling: under 10% progress in MEMORY steps
                done |= norm[idx] > SLOW * recent[idx].max(axis=1)
            done |= ~_inside(x[idx], box)
            active[idx[done]] = False
    converged = norm <= ACCEPT_GRADIENT * scale * length
    converged &= newton_length <= ACCEPT_STEP * length
    converged &= _inside(x, box) & np.isfinite(x).all(axis=-1)
    return x, converged


def _inside(x, box):
    return np.all((x >= box[:, 0]) & (x <= box[:, 1]), axis=-1)
