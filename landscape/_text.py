"""Wording shared by the package's messages and summaries."""

from __future__ import annotations


def counted(number: int, noun: str) -> str:
    """``"1 seed"``, ``"3 seeds"``: a count with its noun in the right number (regular plurals)."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
