"""A small demonstration run: ``python -m landscape.demo``."""

from __future__ import annotations

import landscape as ls


def main() -> None:
    """Trace four optimizers on the lecture's elongated bowl and print what happened."""
    surface = ls.surfaces.get("elongated_bowl", kappa=25)
    optimizers = {
        "sgd": ls.optim.sgd(lr=0.075),
        "momentum": ls.optim.momentum(lr=0.075, beta=0.9),
        "rmsprop": ls.optim.rmsprop(lr=0.05),
        "adam": ls.optim.adam(lr=0.1),
    }
    for name, optimizer in optimizers.items():
        traj = ls.trace(
            surface, optimizer, surface.default_start, steps=100, particles=1000,
            noise=ls.noise.gaussian(0.5), seed=0,
        )
        print(f"{name:>9}: {traj.summary().splitlines()[1]}")


if __name__ == "__main__":
    main()
