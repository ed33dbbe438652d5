"""Every staff page of every service on a 390 px phone (issue 14: overviews and lists that
grew wider than the phone): each service's ``/beheer`` and the staff pages its links lead to,
with rows in them, through the journeys' audit, and no missing resource or console error."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

import pytest
from playwright.sync_api import Page

from gia.registry import SERVICES
from tests.browser.pages import Audit, System, crawl, log_in, seeded_meeting
from tests.factories import PERSON, PRACTICETEAM_REQUEST

pytestmark = [pytest.mark.browser, pytest.mark.services]


def registration_starts(system: System) -> list[str]:
    """A seeded meeting with people in its lists (long names and addresses, one let in, one
    walk-in), for the lists that were widest, and the programme's pages."""
    meeting = seeded_meeting(system, "Zeeland")
    tag = uuid.uuid4().hex[:6]
    person = {
        **PERSON,
        "name": "Maria Josephina van den Bergh-Oosterhuis",
        "email": f"m.j.vandenbergh-oosterhuis-{tag}@gemeente-middelburg.nl",
        "municipality_code": "GM0687",
    }
    registrations = f"/meetings/{meeting['id']}/registrations"
    registered = system.api("registration", registrations, person)
    system.api("registration", f"/registrations/{registered['id']}/check-in", {})
    system.api("registration", registrations, {**person, "email": f"tweede-{tag}@example.nl"})
    walk_in = {**person, "name": "Pieter-Willem Aantjes", "email": None}
    system.api("registration", f"/meetings/{meeting['id']}/walk-ins", walk_in)
    own = f"/beheer/bijeenkomsten/{meeting['id']}"
    return [
        own,
        f"{own}/deur",
        f"{own}/inschrijvingen",
        f"{own}/aanwezigheid",
        f"/beheer/plan/{date.today().year}",
        "/beheer/verloop",
    ]


def practiceteam_starts(system: System) -> list[str]:
    """A request in the queue, so the queue has a row and its page something to show."""
    contact = {**PRACTICETEAM_REQUEST["contact"], "email": f"f-{uuid.uuid4().hex[:8]}@example.nl"}
    request = system.api("practiceteam", "/requests", {**PRACTICETEAM_REQUEST, "contact": contact})
    return [f"/beheer/aanvragen/{request['id']}"]


# Beside /beheer, where each service's staff start, and what its links are followed under:
# the figures of the indicators are staff pages all over the service.
STARTS: dict[str, Callable[[System], list[str]]] = {
    "registration": registration_starts,
    "practiceteam": practiceteam_starts,
    "indicators": lambda _system: ["/", "/rapport", "/gemeenten/GM0599"],
}
UNDER: dict[str, tuple[str, ...]] = {
    "indicators": (
        "/beheer",
        "/rapport",
        "/gemeenten",
        "/ontbrekend",
        "/waardering",
        "/uitnodigingen",
        "/geparkeerd",
    ),
}


@pytest.mark.parametrize("service", SERVICES)
def test_every_staff_page_fits_a_phone(
    service: str, system: System, open_page: Callable[[str], Page], audit: Audit
) -> None:
    page = audit.listen(open_page("phone"))
    base = system.urls[service]
    starts = ["/beheer", *STARTS.get(service, lambda _system: [])(system)]
    log_in(page, base, system, audit)
    visited = crawl(page, audit, base, starts, under=UNDER.get(service, ("/beheer",)))
    # The crawl found the staff pages behind the starts, or it would prove nothing.
    assert len(visited) > len(starts), visited
    audit.assert_clean()
