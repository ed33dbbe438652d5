"""Evidence and events in words staff can repeat to parliament, instead of their keys.

Pure: what a piece of evidence rests on (its basis, ``rules``) and the event behind it
become one Dutch sentence, "Praktijkteamaanvraag van Gouda, ingediend op 12 maart 2012".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from shared.clock import AMSTERDAM
from shared.events import catalogue as kinds
from shared.web.formats import long_date

# What a praktijkteam request's move to each status is called.
REQUEST_STEPS = {
    "submitted": "ingediend",
    "intake": "in intake",
    "accepted": "toegekend",
    "declined": "afgewezen",
    "planned": "ingepland",
    "in_progress": "in uitvoering",
    "completed": "uitgevoerd",
    "closed": "afgesloten",
    "withdrawn": "ingetrokken",
}
#: Every event type as the pages name it.
EVENTS = {
    kinds.MEETING_SCHEDULED: "Bijeenkomst gepland",
    kinds.MEETING_CHANGED: "Bijeenkomst gewijzigd",
    kinds.MEETING_CANCELLED: "Bijeenkomst afgelast",
    kinds.REGISTERED: "Aanmelding voor een bijeenkomst",
    kinds.WAITLISTED: "Aanmelding op de wachtlijst",
    kinds.PROMOTED: "Van de wachtlijst geplaatst",
    kinds.REGISTRATION_CANCELLED: "Aanmelding geannuleerd",
    kinds.ATTENDED: "Aanwezig bij een bijeenkomst",
    kinds.ATTENDANCE_REVOKED: "Aanwezigheid ongedaan gemaakt",
    kinds.SIGNAL_ANSWERED: "Signaal beantwoord",
    kinds.ESSAY_SIGNED_UP: "Aanmelding essaywedstrijd",
    kinds.ESSAY_SUBMITTED: "Essay ingezonden",
    kinds.ESSAY_WITHDRAWN: "Essay ingetrokken",
    kinds.ESSAY_WINNERS_ANNOUNCED: "Winnaars essaywedstrijd bekendgemaakt",
    kinds.SURVEY_ANSWERED: "Antwoord op de monitor-enquête",
    kinds.GUIDE_DOWNLOADED: "Handreiking gedownload",
    **{
        kind: f"Praktijkteamaanvraag {REQUEST_STEPS[status]}"
        for status, kind in kinds.PRACTICETEAM_EVENTS.items()
    },
}
MEETING_KINDS = {"gia": "GIA-bijeenkomst", "raad_voor_raad": "Raad voor Raad-bijeenkomst"}


def _day(moment: datetime | str | None) -> str:
    """A moment as the Dutch day it fell on (events carry UTC or offsets, as text in data)."""
    if moment is None:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return long_date(moment.astimezone(AMSTERDAM).date())


def _names(codes: list[str], names: Mapping[str, str]) -> str:
    """Municipalities by name, as a sentence lists them: Gouda, Delft en Leiden."""
    found = [names.get(code, code) for code in codes]
    return " en ".join(filter(None, [", ".join(found[:-1]), found[-1]])) if found else ""


def describe(
    basis: str,
    kind: str | None,
    data: Mapping[str, Any],
    at: datetime | None,
    names: Mapping[str, str],
    meeting: Mapping[str, Any] | None = None,
) -> str:
    """One sentence for a piece of evidence: its ``basis``, and the event (``kind``, ``data``,
    time ``at``) that gave or withdrew it; an attendance names its meeting (the data of the
    meeting's latest scheduled or changed event) where that is known. A basis of a kind
    the table does not know is shown as it is."""
    source, _, rest = basis.partition(":")
    code = rest.rpartition(":")[2]
    on = f" op {_day(at)}" if at else ""
    if source == "registration":
        if meeting:
            what = MEETING_KINDS.get(meeting.get("kind", ""), "bijeenkomst")
            held = _day(meeting["starts_at"])
            return f"Aanwezig bij de {what} in regio {meeting['region']} op {held}"
        return f"Aanwezig bij een bijeenkomst{on}"
    if source == "survey":
        return f"Antwoord op de monitor-enquête{' van ' + _day(at) if at else ''}"
    if source == "practiceteam":
        step = REQUEST_STEPS.get((kind or "").rpartition(".")[2], "ingediend")
        who = _names(data.get("municipality_codes") or [code], names)
        return f"Praktijkteamaanvraag van {who}, {step}{on}"
    if source == "essay":
        step = "ingetrokken" if kind == kinds.ESSAY_WITHDRAWN else "ingezonden"
        who = _names(data.get("municipality_codes") or [code], names)
        return f"Essay voor Raad voor Raad uit {who}, {step}{on}"
    if source == "guide":
        if not data:
            return f"Handreiking gedownload{on}"
        edition = data.get("edition")
        part = f"editie {edition}" if edition else "onderdeel van de gereedschapskist"
        return f"Handreiking {data['guide_slug']} gedownload ({part}){on}"
    return basis
