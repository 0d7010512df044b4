"""Newton-MINRES on ∇f = 0 for many starts at once, from Hessian-vector products only.

Newton's step solves ``H s = ∇f``; in high dimension ``H`` is never formed:
MINRES (Paige & Saunders 1975) builds the step from products ``H v`` alone,
and, unlike conjugate gradients, works on indefinite ``H`` — at a saddle
exactly what a catalogue of critical points needs. On a singular ``H`` it
returns the least-squares step. A backtracking line search on ``‖∇f‖²``
makes every accepted step lower the gradient norm (Dauphin et al. 2014;
Frye et al. 2021, "Critical point-finding methods reveal gradient-flat
regions of deep network losses").

Every start has its own Krylov recurrence; all of them advance together,
one batched ``hvp`` per MINRES iteration (no loop over starts).
"""

from __future__ import annotations

import numpy as np

from ._hessian import hvp_at

ARMIJO = 1e-4
HALVINGS = 12  # backtracking steps: 1, 1/2, ..., 2**-11
KRYLOV_LIMIT = 200  # MINRES iterations per Newton step, at most
KRYLOV_TOL = 1e-10  # relative residual at which MINRES stops


def minres(operator, b, *, iterations, tol=KRYLOV_TOL):
    """Solve ``A s = b`` for a batch of symmetric systems by MINRES.

    Parameters
    ----------
    operator : callable
        ``operator(v)`` returns ``A v`` for ``v`` of shape ``(n, dim)``, one
        symmetric matrix per row.
    b : ndarray, shape (n, dim)
    iterations : int
        At most this many iterations.
    tol : float
        A system stops when its residual ``‖b − A s‖`` is below ``tol · ‖b‖``.

    Returns
    -------
    s : ndarray, shape (n, dim)
    residual : ndarray, shape (n,)
        MINRES's estimate of ``‖b − A s‖``.

    Notes
    -----
    The Lanczos three-term recurrence with Givens rotations, vectorized over
    the systems; each system keeps its own scalars, and one that has
    converged (or whose Krylov space is exhausted) stops changing.
    """
    n = b.shape[0]
    s = np.zeros_like(b)
    beta1 = np.linalg.norm(b, axis=1)
    active = beta1 > 0
    r1, r2 = b.copy(), b.copy()
    w, w2 = np.zeros_like(b), np.zeros_like(b)
    old_beta = np.zeros(n)
    beta = beta1.copy()
    dbar, epsilon = np.zeros(n), np.zeros(n)
    phibar = beta1.copy()
    cs, sn = -np.ones(n), np.zeros(n)
    for iteration in range(iterations):
        if not active.any():
            break
        safe_beta = np.where(beta > 0, beta, 1.0)
        v = r2 / safe_beta[:, None]
        y = operator(v)
        if iteration:
            y -= (beta / np.where(old_beta > 0, old_beta, 1.0))[:, None] * r1
        alpha = np.einsum("nd,nd->n", v, y)
        y -= (alpha / safe_beta)[:, None] * r2
        r1, r2 = r2, y
        old_beta, beta = beta, np.linalg.norm(r2, axis=1)
        old_epsilon = epsilon
        delta = cs * dbar + sn * alpha
        gbar = sn * dbar - cs * alpha
        epsilon = sn * beta
        dbar = -cs * beta
        gamma = np.maximum(np.hypot(gbar, beta), np.finfo(float).tiny)
        cs, sn = gbar / gamma, beta / gamma
        phi = cs * phibar
        w1, w2 = w2, w
        w = (v - old_epsilon[:, None] * w1 - delta[:, None] * w2) / gamma[:, None]
        s += np.where(active, phi, 0.0)[:, None] * w
        phibar = np.where(active, sn * phibar, phibar)
        active &= (phibar > tol * beta1) & (beta > 0)
    return s, phibar


def newton_minres(
    surface, starts, *, gradient_tol, step_tol, max_iterations=100, krylov=None, on_iteration=None
):
    """Newton-MINRES with a line search on ``‖∇f‖²`` from every start.

    Parameters
    ----------
    surface : Surface
    starts : ndarray, shape (n, dim)
    gradient_tol, step_tol : float
        A start has converged when ``‖∇f‖ <= gradient_tol`` and its Newton
        step is at most ``step_tol`` long: it is then that close to a
        critical point (a point running off to infinity along a vanishing
        slope has a small gradient but a long Newton step).
    max_iterations : int
        Newton steps at most.
    krylov : int, optional
        MINRES iterations per step (default ``min(dim + 2, 200)``).
    on_iteration : callable, optional
        ``on_iteration(iteration, converged, active)`` after every step.

    Returns
    -------
    positions : ndarray, shape (n, dim)
    converged : ndarray of bool, shape (n,)
    gradient_norms : ndarray, shape (n,)
    flat : ndarray of bool, shape (n,)
        Starts that stalled where the Newton step no longer lowers ``‖∇f‖``
        because ``∇f`` lies (nearly) in the kernel of ``H``: Frye et al.'s
        gradient-flat points, not critical points.
    """
    x = np.array(starts, dtype=float)
    n, dim = x.shape
    krylov = min(dim + 2, KRYLOV_LIMIT) if krylov is None else krylov
    gradient = surface.grad(x)
    norm = np.linalg.norm(gradient, axis=1)
    converged = np.zeros(n, dtype=bool)
    flat = np.zeros(n, dtype=bool)
    active = np.isfinite(norm)
    with np.errstate(all="ignore"):
        for iteration in range(max_iterations):
            rows = np.flatnonzero(active)
            if rows.size == 0:
                break
            points = x[rows]
            step, residual = minres(hvp_at(surface, points), gradient[rows], iterations=krylov)
            done = (norm[rows] <= gradient_tol) & (np.linalg.norm(step, axis=1) <= step_tol)
            converged[rows[done]] = True
            active[rows[done]] = False
            rows, points, step, residual = rows[~done], points[~done], step[~done], residual[~done]
            # the step's share of ‖∇f‖ that H can remove: the predicted decrease of ‖∇f‖²
            reducible = np.clip(1.0 - residual / np.maximum(norm[rows], np.finfo(float).tiny), 0.0, 1.0)
            accepted = np.zeros(rows.size, dtype=bool)
            scale = 1.0
            for _ in range(HALVINGS):
                trying = np.flatnonzero(~accepted)
                if trying.size == 0:
                    break
                trial = points[trying] - scale * step[trying]
                trial_gradient = surface.grad(trial)
                trial_norm = np.linalg.norm(trial_gradient, axis=1)
                bar = norm[rows[trying]] ** 2 * (1.0 - 2.0 * ARMIJO * scale * reducible[trying])
                ok = np.isfinite(trial_norm) & (trial_norm**2 <= bar) & (trial_norm < norm[rows[trying]])
                chosen = rows[trying[ok]]
                x[chosen], gradient[chosen], norm[chosen] = trial[ok], trial_gradient[ok], trial_norm[ok]
                accepted[trying[ok]] = True
                scale *= 0.5
            stalled = rows[~accepted]
            flat[stalled] = reducible[~accepted] < 0.5
            active[stalled] = False
            if on_iteration is not None:
                on_iteration(iteration, int(converged.sum()), int(active.sum()))
    return x, converged, norm, flat & ~converged
