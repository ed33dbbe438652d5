"""The jury's pages: the entries to judge, anonymised, scoring them and declaring a conflict."""

from __future__ import annotations

from uuid import UUID

from flask import redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import CombinedMultiDict, MultiDict

from services.essay_contest import contests, judging
from services.essay_contest.labels import FIELD_LABELS, PHRASEBOOK
from services.essay_contest.schemas import ScoreIn
from shared.problems import NotFound
from shared.web.auth import page_for, session_principal
from shared.web.forms import Feedback, form_step, load_form, posted
from shared.web.service import now, service_context, transact


def _judge() -> judging.Judge:
    principal = session_principal()
    assert principal is not None  # page_for let only a jury member in
    return judging.Judge(principal.subject, service_context().settings.secret_key, now())


@page_for("jury")
def jury_home() -> ResponseReturnValue:
    contest = transact(contests.current_contest)
    if contest is None:
        raise NotFound("There is no contest yet.")
    return redirect(url_for(".jury_entries", contest_id=contest.id))


@page_for("jury")
def jury_entries(contest_id: UUID) -> str:
    """Only handles, titles and texts: nothing that says who wrote an entry or where."""
    to_judge = transact(judging.jury_entries, str(contest_id), _judge())
    return render_template(
        "essay_contest/jury/entries.html", contest_id=contest_id, entries=to_judge
    )


def _jury_page(contest_id: UUID, handle: str, feedback: Feedback | None = None) -> tuple[str, int]:
    entry = transact(judging.jury_entry, str(contest_id), _judge(), handle)
    criteria = transact(contests.get_contest, str(contest_id)).criteria
    saved = MultiDict({f"scores.{key}": score for key, score in (entry.scores or {}).items()})
    saved["comment"] = entry.comment or ""
    labels = {f"scores.{c.key}": f"{c.label} (gewicht {c.weight})" for c in criteria}
    feedback = feedback or Feedback()
    return render_template(
        "essay_contest/jury/entry.html",
        contest_id=contest_id,
        entry=entry,
        criteria=criteria,
        FIELDS={**FIELD_LABELS, **labels},
        feedback=feedback,
        values=CombinedMultiDict([posted(), saved]),
    ), feedback.status


@page_for("jury")
def jury_entry(contest_id: UUID, handle: str) -> tuple[str, int]:
    return _jury_page(contest_id, handle)


@page_for("jury")
def score_entry(contest_id: UUID, handle: str) -> ResponseReturnValue:
    return form_step(
        lambda: transact(
            judging.score_entry, str(contest_id), _judge(), handle, load_form(ScoreIn())
        ),
        refused=lambda feedback: _jury_page(contest_id, handle, feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".jury_entries", contest_id=contest_id),
        told=lambda sheet: (
            "Uw cijfers zijn ingediend en staan vast."
            if sheet.final
            else "Uw cijfers zijn opgeslagen; u kunt ze nog wijzigen."
        ),
    )


@page_for("jury")
def declare_conflict(contest_id: UUID, handle: str) -> ResponseReturnValue:
    return form_step(
        lambda: transact(judging.declare_conflict, str(contest_id), _judge(), handle),
        refused=lambda feedback: _jury_page(contest_id, handle, feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".jury_entries", contest_id=contest_id),
        told="U heeft een belangenconflict gemeld; dit essay beoordeelt u niet.",
    )
