"""Staff's pages: contests and their settings, the griffies' addresses, the ranking with the
jury's sheets, the results and their publication, the counts by municipality, and erasing
personal data."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Response, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from services.essay_contest import contests, council, exports
from services.essay_contest import results as contest_results
from services.essay_contest.domain import (
    DEFAULT_CRITERIA,
    DEFAULT_MAX_WORDS,
    DEFAULT_MIN_SCORES,
    DEFAULT_MIN_WORDS,
)
from services.essay_contest.labels import PHRASEBOOK
from services.essay_contest.schemas import ContestIn, GriffieForm, ResultsIn
from shared.web.auth import page_for
from shared.web.forms import Feedback, form_step, form_values, load_form, posted
from shared.web.service import now, service_context, transact

ROWS = 8  # empty rows a staff form offers for criteria, jury members and winners


# -- contests -------------------------------------------------------------------------------------


def _new_contest() -> MultiDict[str, Any]:
    """What the form for a new contest starts with: the usual limits and criteria."""
    values: MultiDict[str, Any] = MultiDict(
        {
            "min_words": DEFAULT_MIN_WORDS,
            "max_words": DEFAULT_MAX_WORDS,
            "min_scores": DEFAULT_MIN_SCORES,
            # The contest is for council members: a new one asks their griffie, unless
            # staff untick it.
            "requires_council_confirmation": "on",
        }
    )
    for number, criterion in enumerate(DEFAULT_CRITERIA):
        for column, value in zip(("key", "label", "weight"), criterion, strict=True):
            values.add(f"criteria.{number}.{column}", value)
    return values


def _overview(feedback: Feedback | None = None) -> tuple[str, int]:
    listed = transact(contests.all_contests)
    feedback = feedback or Feedback()
    return render_template(
        "essay_contest/staff/overview.html",
        contests=listed,
        rows=ROWS,
        feedback=feedback,
        values=posted() if request.method == "POST" else _new_contest(),
    ), feedback.status


@page_for("staff")
def overview() -> tuple[str, int]:
    return _overview()


@page_for("staff")
def create_contest() -> ResponseReturnValue:
    return form_step(
        lambda: transact(contests.create_contest, load_form(ContestIn())),
        refused=_overview,
        feedback=PHRASEBOOK.feedback,
        then=url_for(".overview"),
        told=lambda contest: f"De wedstrijd {contest.title} is aangemaakt.",
    )


def _edit_page(contest_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    contest = transact(contests.get_contest, contest_id)
    feedback = feedback or Feedback()
    return render_template(
        "essay_contest/staff/edit.html",
        contest=contest,
        rows=ROWS,
        feedback=feedback,
        values=posted() if request.method == "POST" else form_values(ContestIn(), contest),
    ), feedback.status


@page_for("staff")
def edit_contest(contest_id: UUID) -> tuple[str, int]:
    return _edit_page(str(contest_id))


@page_for("staff")
def change_contest(contest_id: UUID) -> ResponseReturnValue:
    """The whole form is loaded, so the schema checks the dates as on creation."""
    return form_step(
        lambda: transact(contests.change_contest, str(contest_id), load_form(ContestIn())),
        refused=lambda feedback: _edit_page(str(contest_id), feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".overview"),
        told="De wedstrijd is gewijzigd.",
    )


# -- the griffies' addresses ----------------------------------------------------------------------


def _griffies_page(feedback: Feedback | None = None) -> tuple[str, int]:
    book = transact(council.address_book, service_context().register, now())
    feedback = feedback or Feedback()
    return render_template(
        "essay_contest/staff/griffies.html", book=book, feedback=feedback
    ), feedback.status


@page_for("staff")
def griffies() -> tuple[str, int]:
    return _griffies_page()


@page_for("staff")
def set_griffie() -> ResponseReturnValue:
    """Set or replace one municipality's address; whoever waited for it is asked at once."""

    def act() -> council.GriffieRow:
        form = load_form(GriffieForm())
        register = service_context().register
        return transact(
            council.set_griffie, register, form["municipality_code"], form["email"], now()
        )

    return form_step(
        act,
        refused=_griffies_page,
        feedback=PHRASEBOOK.feedback,
        then=url_for(".griffies"),
        told=lambda row: f"Het griffie-adres van {row.municipality} is nu {row.email}.",
    )


@page_for("staff")
def remove_griffie(code: str) -> ResponseReturnValue:
    return form_step(
        lambda: transact(council.remove_griffie, service_context().register, code),
        refused=_griffies_page,
        feedback=PHRASEBOOK.feedback,
        then=url_for(".griffies"),
        told="Het griffie-adres is verwijderd.",
    )


# -- ranking, results and privacy -----------------------------------------------------------------


def _ranking_page(contest_id: str, feedback: Feedback | None = None) -> tuple[str, int]:
    contest, ranked = transact(contest_results.ranking, contest_id)
    saved: MultiDict[str, Any] = MultiDict({"jury_report": contest.jury_report or ""})
    chosen = sorted((row.entry for row in ranked if row.entry.place), key=lambda e: e.place or 0)
    for number, entry in enumerate(chosen):
        saved[f"winners.{number}.place"] = entry.place
        saved[f"winners.{number}.entry_id"] = entry.id
    feedback = feedback or Feedback()
    return render_template(
        "essay_contest/staff/ranking.html",
        contest=contest,
        ranked=ranked,
        titles={row.entry.id: row.entry.title for row in ranked},
        rows=3,
        feedback=feedback,
        values=posted() if request.method == "POST" else saved,
    ), feedback.status


@page_for("staff")
def ranking(contest_id: UUID) -> tuple[str, int]:
    return _ranking_page(str(contest_id))


@page_for("staff")
def ranking_csv(contest_id: UUID) -> Response:
    contest, ranked = transact(contest_results.ranking, str(contest_id))
    return exports.ranking_csv(contest, ranked, service_context().register)


@page_for("staff")
def municipalities(contest_id: UUID) -> str:
    """Who took part from where; it stays after personal data is erased."""
    contest, counts = transact(
        contest_results.counts_by_municipality, str(contest_id), service_context().register
    )
    return render_template(
        "essay_contest/staff/municipalities.html", contest=contest, counts=counts
    )


@page_for("staff")
def municipalities_csv(contest_id: UUID) -> Response:
    contest, counts = transact(
        contest_results.counts_by_municipality, str(contest_id), service_context().register
    )
    return exports.municipalities_csv(contest, counts)


@page_for("staff")
def set_results(contest_id: UUID) -> ResponseReturnValue:
    return form_step(
        lambda: transact(
            contest_results.set_results, str(contest_id), load_form(ResultsIn()), now()
        ),
        refused=lambda feedback: _ranking_page(str(contest_id), feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".ranking", contest_id=contest_id),
        told="De winnaars en het juryrapport zijn vastgelegd.",
    )


@page_for("staff")
def publish_results(contest_id: UUID) -> ResponseReturnValue:
    """The winners go public and are invited; the event tells the indicators."""
    recorder = service_context().recorder
    return form_step(
        lambda: transact(contest_results.publish_results, recorder, str(contest_id), now()),
        refused=lambda feedback: _ranking_page(str(contest_id), feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".ranking", contest_id=contest_id),
        told="De uitslag is gepubliceerd en de winnaars krijgen bericht.",
    )


@page_for("staff")
def erase_personal_data(contest_id: UUID) -> ResponseReturnValue:
    """After the results: who neither won nor consented is forgotten; counts remain."""
    return form_step(
        lambda: transact(contest_results.erase_personal_data, str(contest_id), now()),
        refused=lambda feedback: _ranking_page(str(contest_id), feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".ranking", contest_id=contest_id),
        told=lambda erased: f"De persoonsgegevens van {erased} deelnemer(s) zijn gewist.",
    )
