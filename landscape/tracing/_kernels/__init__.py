"""Numba kernels of the compiled engine, one module per kind of part.

``surfaces`` and ``data`` (surfaces), ``optimizers`` (the blocks of
``landscape.optim``), ``schedules``, ``random`` (the counter-based streams),
``blocks`` (a block's copies, status codes, the finiteness test), ``config``
(compiler flags, cache place) and ``assemble`` (which writes one driver per
combination of parts). Importing this package imports numba.
"""
