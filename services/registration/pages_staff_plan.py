"""The pages for staff about the programme as a whole: the year's meetings against the plan
(and setting that plan), and registrations over time, for one meeting or a kind, region and
year, as a chart with its table of figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from flask import Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from services.registration import plan as planning
from services.registration.domain import programme_year_of
from services.registration.labels import PHRASEBOOK, TALLY_LABELS
from services.registration.schemas import PlanIn, TimelineQuery
from services.registration.timeline import Timeline, meeting_timeline, timeline
from shared.web.auth import page_for
from shared.web.chart_axes import date_axis
from shared.web.forms import Feedback, form_step, load_form, posted
from shared.web.service import now, service_context, transact

CHART = (400, 240)  # width, height of the chart in SVG units: legible on a phone too


# -- the plan ----------------------------------------------------------------------------------


@page_for("staff")
def this_year() -> Response:
    return redirect(url_for(".plan", year=programme_year_of(now())))


def _plan_page(year: int, feedback: Feedback | None = None) -> tuple[str, int]:
    view = transact(planning.plan_view, year, now(), service_context().register.target_group)
    shown: MultiDict[str, int] = MultiDict(
        {
            f"{kind.kind}.{tally.region}": tally.planned
            for kind in view.kinds
            for tally in kind.regions
        }
    )
    feedback = feedback or Feedback()
    return render_template(
        "registration/staff/plan.html",
        view=view,
        TALLIES=TALLY_LABELS,
        feedback=feedback,
        values=posted() if request.method == "POST" else shown,
    ), feedback.status


@page_for("staff")
def plan(year: int) -> tuple[str, int]:
    return _plan_page(year)


@page_for("staff")
def set_plan(year: int) -> ResponseReturnValue:
    return form_step(
        lambda: transact(planning.set_plan, year, load_form(PlanIn())),
        refused=lambda feedback: _plan_page(year, feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".plan", year=year),
        told=f"Het plan voor {year} is opgeslagen.",
    )


# -- registrations over time -------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """A timeline drawn in SVG units: per day a bar of registrations and one of cancellations,
    stepped lines of everyone registered and of who still comes, the seats as a line, and the
    dates (x, label) along the time axis."""

    width: int
    height: int
    top: int
    first: date
    last: date
    registered_bars: list[tuple[float, float, float, float]]  # x, y, width, height
    cancelled_bars: list[tuple[float, float, float, float]]
    registered_line: str  # SVG polyline points
    active_line: str
    capacity_y: float
    ticks: list[tuple[float, str]]


def chart(found: Timeline, size: tuple[int, int] = CHART) -> Chart | None:
    """Days run along at equal steps, the quiet days between too, so the slope shows the pace."""
    if not found.days:
        return None
    width, height = size
    first, last = found.days[0].day, found.days[-1].day
    slot = width / ((last - first).days + 1)
    top = max(found.capacity, found.registered, 1)

    def up(number: int) -> float:
        return round(height - number * height / top, 1)

    def bar(offset: float, day: date, number: int) -> tuple[float, float, float, float]:
        x = (day - first).days * slot + offset * slot
        return round(x, 1), up(number), round(slot * 0.4, 1), round(height - up(number), 1)

    def steps(totals: list[tuple[date, int]]) -> str:
        points, level = [], 0
        for day, total in totals:
            x = round((day - first).days * slot, 1)
            points += [f"{x},{up(level)}", f"{x},{up(total)}"]
            level = total
        return " ".join([*points, f"{width},{up(level)}"])

    return Chart(
        width=width,
        height=height,
        top=top,
        first=first,
        last=last,
        registered_bars=[bar(0.1, d.day, d.registered) for d in found.days if d.registered],
        cancelled_bars=[bar(0.5, d.day, d.cancelled) for d in found.days if d.cancelled],
        registered_line=steps([(d.day, d.registered_total) for d in found.days]),
        active_line=steps([(d.day, d.active) for d in found.days]),
        capacity_y=up(found.capacity),
        ticks=date_axis(first, last, width, slot),
    )


def _timeline_page(found: Timeline | None, feedback: Feedback | None = None) -> tuple[str, int]:
    feedback = feedback or Feedback()
    return render_template(
        "registration/staff/timeline.html",
        found=found,
        meeting=found.meeting if found else None,
        chart=chart(found) if found else None,
        feedback=feedback,
        values=request.args,
    ), feedback.status


@page_for("staff")
def registrations_over_time() -> tuple[str, int]:
    """Chosen with a form of its own (kind, region, year) that reads like the API's query."""
    query = TimelineQuery()
    try:
        chosen = query.load(
            {name: request.args[name] for name in query.fields if request.args.get(name)}
        )
    except ValidationError as error:
        return _timeline_page(None, PHRASEBOOK.feedback(error))
    return _timeline_page(transact(timeline, **chosen))


@page_for("staff")
def meeting_over_time(meeting_id: UUID) -> tuple[str, int]:
    return _timeline_page(transact(meeting_timeline, str(meeting_id)))
