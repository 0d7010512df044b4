"""The divergence rule, written once for both engines.

Every particle has a status: ``MOVING`` or ``FROZEN``. A step takes a moving
particle from ``x`` to ``x_new``; if ``x_new`` lies outside the divergence
radius the particle has diverged and stops, in one of two ways:

``ESCAPED``
    its gradient at ``x`` was finite: it stays at ``x``, and its
    ``diverged_step`` is ``t + 1``, the first step it would have left;
``BAD_POINT``
    its gradient at ``x`` was not finite, so ``x`` itself is a bad point:
    it goes back to the position before ``x``, and its ``diverged_step`` is
    ``t``.

At a recorded step, a moving particle whose value or gradient is not finite
is a bad point too. A frozen particle never moves again.

The rules are arithmetic on statuses (floats) and 0/1 flags, with no
branches: the numpy engine applies them to arrays of particles, the compiled
engine to one particle at a time inside its vectorized loops.
"""

MOVING, FROZEN, ESCAPED, BAD_POINT = 1.0, 0.0, -1.0, -2.0


def escaping(status, inside):
    """1 for a moving particle whose new position lies outside the radius, else 0.

    ``status`` is ``MOVING`` or ``FROZEN``; ``inside`` says whether the new
    position lies within the radius (a boolean or 0/1).
    """
    return status * (1.0 - inside)


def after_step(status, inside, finite_gradient):
    """The status after a step: ``MOVING``, ``FROZEN``, ``ESCAPED`` or ``BAD_POINT``.

    ``finite_gradient`` says whether the gradient at the old position was
    finite (a boolean or 0/1).
    """
    return status * inside - escaping(status, inside) * (2.0 - finite_gradient)


def at_record(status, finite):
    """The status after a recorded step's check of the value and gradient (``finite``)."""
    return status * finite - 2.0 * status * (1.0 - finite)


def stop_step(code, t):
    """The ``diverged_step`` of a particle that stopped with ``code`` during step ``t``."""
    return t + (code == ESCAPED)
