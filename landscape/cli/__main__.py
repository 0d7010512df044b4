"""``python -m landscape.cli``: the ``landscape`` command."""

from . import main

main(prog_name="landscape")
