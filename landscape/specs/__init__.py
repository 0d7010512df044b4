"""Specs: surfaces, optimizers, schedules and noise written as short strings.

The command line, the gallery and Python code share one grammar::

    NAME[:key=value,...]          elongated_bowl:kappa=50
                                  adam:lr=0.05,b1=0.9
                                  momentum:lr=0.1,beta=0.9,style=heavy_ball
    a schedule as a value         sgd:lr=inverse_time(0.2,1)
    one value per particle        sgd:lr=[0.01,0.03,0.1]
    a custom surface              expr:x**2 + 10*y**2
    your own code                 my_surfaces.py:bowl   or   my_surfaces.py:make_bowl:kappa=5

Specs are read with Python's ``ast`` module and never evaluated; only
``file.py:ATTRIBUTE`` runs code, the user's own file -- and never when the
spec was read from a file (``read_from``) the user has not said they trust.
"""

from ._build import (
    SurfaceSpec,
    parse_noise,
    parse_optimizer,
    parse_schedule,
    parse_surface,
    parse_surface_spec,
    per_particle_count,
)
from ._grammar import literal, split_spec
from ._modules import read_from, user_modules
from ._runs import DEFAULT_STEPS, trace_specs

__all__ = [
    "DEFAULT_STEPS",
    "SurfaceSpec",
    "literal",
    "parse_noise",
    "parse_optimizer",
    "parse_schedule",
    "parse_surface",
    "parse_surface_spec",
    "per_particle_count",
    "read_from",
    "split_spec",
    "trace_specs",
    "user_modules",
]
