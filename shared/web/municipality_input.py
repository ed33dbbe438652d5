"""What the one municipality input of every form shows (the macro ``municipality`` in
gia/_form.html): the name, never the CBS code, and the names to choose from when the text
named no municipality or several.

People type a name and the server resolves it (``Register.resolve``). A form that comes back
offers the candidates as radio buttons named ``<input's name>:<the text typed>``; reading the
form (``shared.web.forms``) takes the one chosen in place of that text, so the choice works
without a script and counts only while the text it was offered for is still typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from werkzeug.datastructures import MultiDict

from shared.municipalities import Register, UnknownMunicipality
from shared.municipalities.register import COMMON_NAMES


def choice_name(name: str, text: str) -> str:
    """The name of the radio buttons offering the candidates for ``text`` in input ``name``."""
    return f"{name}:{text.strip()}"


@dataclass(frozen=True)
class Typed:
    """One municipality input as the page shows it again: ``shown`` is the municipality's name
    or, when the text named none or several, the text itself with the ``candidates``' names."""

    shown: str
    candidates: tuple[str, ...] = ()
    ambiguous: bool = False


def typed_municipality(
    register: Register, values: MultiDict[str, str], name: str, text: str
) -> Typed:
    """Input ``name`` holding ``text`` (a name, a common name or a code), or the candidate the
    person chose for it, as the page shows it again."""
    text = values.get(choice_name(name, text)) or text.strip()
    if not text:
        return Typed("")
    try:
        return Typed(register.label(register.resolve(text)))
    except UnknownMunicipality as unknown:
        names = tuple(register.label(candidate) for candidate in unknown.candidates)
        return Typed(text, names, unknown.ambiguous)


@dataclass(frozen=True)
class Suggestion:
    """A name to suggest, with the other names people know the municipality by (``also``,
    lower case), which the script matches too: "den haag" finds 's-Gravenhage."""

    name: str
    also: str


@lru_cache(maxsize=4)
def municipality_suggestions(register: Register) -> tuple[Suggestion, ...]:
    """Every municipality by the name the input shows, in alphabetical order."""
    suggestions = (
        Suggestion(register.label(found), " ".join(COMMON_NAMES.get(found.code, ())).casefold())
        for found in register
    )
    # 's-Gravenhage and 's-Hertogenbosch among the G and the H, as Dutch lists have them.
    return tuple(
        sorted(suggestions, key=lambda suggestion: suggestion.name.casefold().removeprefix("'s-"))
    )
