"""Municipalities as people read them: by their name in the register, not their CBS code."""

from __future__ import annotations

from shared.municipalities import Register


def municipality_name(register: Register, code: str) -> str:
    """The code itself when the register no longer knows it, rather than nothing."""
    found = register.get(code)
    return found.name if found else code
