"""Which event is evidence for which indicator, and why: the one rule table.

Every piece of evidence rests on a *basis* (one attendance, one municipality's
survey, one praktijkteam request) and is given or withdrawn by events; the
latest of the two decides (``evidence.Standing``). The table:

========================  =====================  ==========================================
event                     gives / withdraws      why
========================  =====================  ==========================================
attended                  participation          at a meeting that counts: the attendance
                                                 list is what counted in 2008-2011
                                                 (evaluation, Table 4)
attended                  awareness              where the guide was presented: everyone
                                                 there saw it
attendance revoked        withdraws both         an undone check-in was never attendance;
                                                 it names the same indicators, so a
                                                 revocation arriving first still cancels
survey answered           awareness, or          the municipality's own answer, as the
                          withdraws it           2008-2011 web survey (Table 3); knowing,
                                                 reading or using the guide is knowing it
survey answered           use, or withdraws it   any way of using it that has happened
                                                 (Table 5); "still to come" is not use yet
practiceteam request      activity               shows the municipality at work on
                                                 integration; declined or withdrawn
                                                 requests withdraw it
essay submitted           activity               a council member of the municipality
                                                 thinking about its integration policy;
                                                 a withdrawn essay withdraws it
guide downloaded          awareness              an official named the municipality and
                                                 took the new guide (an edition or a tool
                                                 of its toolbox): it has it in hand; only
                                                 guides staff mark as counting, and a
                                                 download is never undone
========================  =====================  ==========================================

The latest survey answer of a municipality counts: all its answers share one
basis per indicator, so a later answer that no longer gives ``use`` withdraws
it, and an earlier answer arriving late changes nothing. Two answers of the
same time are ordered by their number (the municipality's n-th answer), so the
one given last counts, never whichever has the larger random event id.

Activity is kept beside the three figures and never counted in them: the
targets of the letter of 7 June 2012 are defined as the evaluation measured
them (survey and attendance lists), so the 2012 figures stay comparable with
2008-2011. A download of the new guide is the one source the evaluation did not
have: the 2012 awareness target is of the new guide, and a municipality that
downloaded it has it in hand, which the survey would only learn later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shared.events.catalogue import (
    ATTENDANCE_REVOKED,
    ATTENDED,
    ESSAY_SUBMITTED,
    ESSAY_WITHDRAWN,
    GUIDE_DOWNLOADED,
    PRACTICETEAM_EVENTS,
    SURVEY_ANSWERED,
)
from shared.events.envelope import Event

INDICATORS: dict[str, float] = {"awareness": 0.85, "use": 0.35, "participation": 0.45}
ACTIVITY = "activity"

# The survey's "still to come" (evaluation, Table 5): not use yet.
PLANNED = "planned"
ENDED_REQUESTS = {PRACTICETEAM_EVENTS["declined"], PRACTICETEAM_EVENTS["withdrawn"]}


@dataclass(frozen=True)
class Effect:
    """What one event does to one piece of evidence: give it, or withdraw it.

    ``seq`` orders the effects of events of the same time on one basis (a survey
    answer's number); events that cannot share a time on one basis leave it 0.
    """

    indicator: str
    basis: str
    municipality_code: str
    gives: bool
    seq: int = 0


def _attendance(event: Event) -> list[Effect]:
    data = event.data
    code = data.get("municipality_code")
    if not code:
        return []  # a partner organisation: no municipality to credit
    basis, gives = f"registration:{data['registration_id']}", event.type == ATTENDED
    indicators = [
        indicator
        for indicator, applies in (
            ("participation", data["counts_for_participation"]),
            ("awareness", data["guide_presented"]),
        )
        if applies
    ]
    return [Effect(indicator, basis, code, gives) for indicator in indicators]


def survey_gives(knows_guide: bool, read_guide: bool, uses: list[str]) -> dict[str, bool]:
    """Which of awareness and use one survey answer gives (the rest it withdraws)."""
    used = any(way != PLANNED for way in uses)
    return {"awareness": knows_guide or read_guide or used, "use": used}


def _survey(event: Event) -> list[Effect]:
    data = event.data
    code = data["municipality_code"]
    given = survey_gives(data["knows_guide"], data["read_guide"], data["uses"])
    seq = data.get("number", 0)
    return [
        Effect(indicator, f"survey:{code}", code, gives, seq) for indicator, gives in given.items()
    ]


def _activity(basis: str, codes: list[str], gives: bool) -> list[Effect]:
    """Activity of every municipality named, each on a basis of its own."""
    return [Effect(ACTIVITY, f"{basis}:{code}", code, gives) for code in codes]


def _practiceteam(event: Event) -> list[Effect]:
    data = event.data
    gives = event.type not in ENDED_REQUESTS
    return _activity(f"practiceteam:{data['request_id']}", data["municipality_codes"], gives)


def _essay(event: Event) -> list[Effect]:
    data = event.data
    gives = event.type == ESSAY_SUBMITTED
    return _activity(f"essay:{data['entry_id']}", data["municipality_codes"], gives)


def _guide_download(event: Event) -> list[Effect]:
    """One piece of evidence per guide and municipality: more downloads renew it."""
    data = event.data
    if not data["counts_for_awareness"]:
        return []
    code = data["municipality_code"]
    return [Effect("awareness", f"guide:{data['guide_id']}:{code}", code, True)]


RULES: dict[str, Callable[[Event], list[Effect]]] = {
    ATTENDED: _attendance,
    ATTENDANCE_REVOKED: _attendance,
    SURVEY_ANSWERED: _survey,
    **dict.fromkeys(PRACTICETEAM_EVENTS.values(), _practiceteam),
    ESSAY_SUBMITTED: _essay,
    ESSAY_WITHDRAWN: _essay,
    GUIDE_DOWNLOADED: _guide_download,
}


def effects(event: Event) -> list[Effect]:
    """What an event gives or withdraws; nothing for events the table does not name."""
    rule = RULES.get(event.type)
    return rule(event) if rule else []


#: The table as the report and the dashboard print it (Dutch, for staff and parliament).
EXPLAINED: tuple[tuple[str, str, str], ...] = (
    (
        "Aanwezig bij een GIA-bijeenkomst die meetelt",
        "deelname",
        "Zoals de presentielijsten in 2008-2011 (evaluatie, tabel 4).",
    ),
    (
        "Aanwezig bij een bijeenkomst waar de handreiking is gepresenteerd",
        "bekendheid",
        "Wie erbij was, heeft de handreiking gezien.",
    ),
    (
        "Aanwezigheid ongedaan gemaakt",
        "trekt in wat die aanwezigheid gaf",
        "Een teruggedraaide aanmelding bij de deur was geen aanwezigheid.",
    ),
    (
        "Antwoord op de monitor-enquête",
        "bekendheid en/of gebruik, of trekt ze in",
        "Het laatste antwoord van de gemeente telt (evaluatie, tabellen 3 en 5); "
        "'gaat nog gebeuren' is nog geen gebruik.",
    ),
    (
        "Aanvraag praktijkteam",
        "activiteit (telt niet mee in de drie cijfers)",
        "De doelen zijn gemeten zoals in 2008-2011, zodat de cijfers vergelijkbaar blijven.",
    ),
    (
        "Essay ingezonden (Raad voor Raad)",
        "activiteit (telt niet mee in de drie cijfers); intrekken trekt die in",
        "Een raadslid van de gemeente denkt na over het integratiebeleid.",
    ),
    (
        "Handreiking gedownload door een ambtenaar die de gemeente noemde",
        "bekendheid",
        "De gemeente heeft de nieuwe handreiking in handen (een editie of een onderdeel van de "
        "gereedschapskist); alleen handreikingen die daarvoor meetellen.",
    ),
)
