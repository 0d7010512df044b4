"""Seeded two-dimensional toy data sets whose classes no straight line separates.

Each returns ``X`` of shape ``(2, m)`` (the notes' layout: one column per
example) and integer labels of shape ``(m,)``; the classes take turns, so
they are balanced to one example. A network needs a hidden layer to
classify any of them well.
"""

from __future__ import annotations

import numpy as np

from .._validation import check_choice, check_int, check_scalar

NAMES = ("moons", "circles", "spirals", "blobs")
DEFAULT_NOISE = {"moons": 0.1, "circles": 0.08, "spirals": 0.15, "blobs": 0.4}
TWO_CLASSES_ONLY = ("moons", "circles")


def dataset(name="moons", m=1000, *, classes=2, noise=None, seed=0):
    """Make a data set.

    Parameters
    ----------
    name : {"moons", "circles", "spirals", "blobs"}
        Two interleaving half circles; a disc inside a ring; ``classes``
        interleaved spiral arms; ``2 · classes`` Gaussian blobs on a circle
        whose labels alternate (for two classes, the XOR pattern).
    m : int
        Number of examples, >= ``classes``.
    classes : int
        Number of classes, >= 2 (moons and circles have exactly two).
    noise : float, optional
        Standard deviation of the Gaussian jitter added to every point
        (default: 0.1 moons, 0.08 circles, 0.15 spirals, 0.4 blobs).
    seed : int

    Returns
    -------
    X : ndarray, shape (2, m)
        Inputs, roughly centred with unit spread.
    labels : ndarray of int, shape (m,)
        Classes ``0 .. classes-1``.

    Examples
    --------
    >>> import landscape as ls
    >>> X, labels = ls.surfaces.dataset("spirals", m=300, classes=3, seed=1)
    >>> X.shape, sorted(set(labels.tolist()))
    ((2, 300), [0, 1, 2])
    """
    name = check_choice("data", name, NAMES)
    classes = check_int("classes", classes, minimum=2)
    if name in TWO_CLASSES_ONLY and classes != 2:
        raise ValueError(f"classes={classes} is not accepted for data={name!r}; it has exactly 2 classes")
    m = check_int("m", m, minimum=classes)
    noise = DEFAULT_NOISE[name] if noise is None else check_scalar("noise", noise, low=0.0)
    seed = check_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    labels = np.arange(m) % classes
    t = rng.random(m)  # where along its curve each point lies
    if name == "moons":
        angle = np.pi * t
        upper = np.stack([np.cos(angle), np.sin(angle)])
        lower = np.stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)])
        points = np.where(labels == 0, upper, lower) - np.array([[0.5], [0.25]])
    elif name == "circles":
        angle = 2.0 * np.pi * t
        radius = np.where(labels == 0, 1.0, 0.45)
        points = radius * np.stack([np.cos(angle), np.sin(angle)])
    elif name == "spirals":
        radius = 0.15 + 0.85 * t
        angle = 2.0 * np.pi * (1.25 * t + labels / classes)
        points = radius * np.stack([np.cos(angle), np.sin(angle)])
        noise = noise * radius  # jitter grows with the arm's gaps
    else:
        blob = labels + classes * rng.integers(0, 2, m)  # one of the two blobs of the class
        angle = np.pi * blob / classes
        points = 1.5 * np.stack([np.cos(angle), np.sin(angle)])
    points = points + noise * rng.standard_normal((2, m))
    return points, labels
