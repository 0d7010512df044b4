"""landscape: see and measure how optimizers move over loss surfaces."""

from . import surfaces

__version__ = "0.1.0"
