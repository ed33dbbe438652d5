"""The essay contest JSON API under /api/v1: thin views over the use cases.

Four kinds of caller: everyone (the contest, signing up, the results), an
entrant through the token of their personal link, the jury and staff with
bearer tokens of their role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from http import HTTPStatus
from typing import Any

from flask import current_app

from services.essay_contest import access, co_authors, contests, entrants, entries, exports, judging
from services.essay_contest import results as contest_results
from services.essay_contest.domain import countdown, phase
from services.essay_contest.models import Contest, Entrant, Entry
from services.essay_contest.schemas import (
    CoAuthorIn,
    ConfirmIn,
    ContestChange,
    ContestIn,
    ContestOut,
    EntrantChange,
    EntrantOut,
    EntryIn,
    EntryOut,
    InvitationAnswer,
    JuryEntryOut,
    MunicipalityCountOut,
    ResultsIn,
    ResultsOut,
    ScoreIn,
    SignUpIn,
    SignUpOut,
    StaffContestOut,
    StandingOut,
    TokenQuery,
)
from shared.municipalities import Register
from shared.problems import PROBLEM_JSON, problem_body
from shared.web.auth import bearer_principal, require_role
from shared.web.errors import ProblemSchema, problem_response
from shared.web.service import ApiBlueprint, service_context

api = ApiBlueprint(
    "essay_contest_api",
    __name__,
    url_prefix="/api/v1",
    description="The Raad voor Raad essay contest: entries, blind judging, results",
)
STAFF = [{"bearer": []}]
ENTRANT = [{}]  # the token of the entrant's personal link, in the query


def contest_now() -> datetime:
    """The contest's clock: the wall clock, unless a test set its own."""
    return current_app.extensions["essay_clock"]()


# -- what each reader sees ------------------------------------------------------------------------


CONTEST_COLUMNS = [name for name in StaffContestOut().fields if hasattr(Contest, name)]


def contest_out(contest: Contest, now: datetime) -> dict[str, Any]:
    published = contest.published_at is not None
    return {
        **{name: getattr(contest, name) for name in CONTEST_COLUMNS},
        "criteria_spec": contest.criteria_spec,
        "phase": phase(contest.opens_at, contest.closes_at, published, now),
        "countdown": countdown(contest.closes_at, now),
    }


def entry_out(entry: Entry) -> dict[str, Any]:
    out = {name: getattr(entry, name) for name in EntryOut().fields if name != "authors"}
    out["authors"] = [
        {
            "id": author.id,
            "name": author.entrant.name,
            "municipality_code": author.entrant.municipality_code,
            "confirmed": author.confirmed_at is not None,
        }
        for author in entry.authors
    ]
    return out


def entrant_out(entrant: Entrant, entry: Entry | None) -> dict[str, Any]:
    author = entrant.authorship
    return {
        **{name: getattr(entrant, name) for name in EntrantOut().fields if hasattr(entrant, name)},
        "confirmed": entrant.confirmed_at is not None,
        "entry": entry_out(entry) if entry else None,
        "invited": author is not None and author.confirmed_at is None,
    }


def municipality_name(register: Register, code: str) -> str:
    found = register.get(code)
    return found.name if found else code


def results_out(contest: Contest, won: list[Entry]) -> dict[str, Any]:
    register = service_context().register
    return {
        "contest_id": contest.id,
        "title": contest.title,
        "published_at": contest.published_at,
        "jury_report": contest.jury_report,
        "winners": [
            {
                "place": entry.place,
                "title": entry.title,
                "authors": [
                    {
                        "name": author.entrant.name,
                        "municipality": municipality_name(
                            register, author.entrant.municipality_code
                        ),
                    }
                    for author in entry.authors
                ],
                "text": entry.text if contest_results.publishable(entry) else None,
            }
            for entry in won
        ],
    }


# -- contests (staff writes, everyone reads) -----------------------------------------------------


@api.get("/contests")
@api.response(200, ContestOut(many=True))
def list_contests() -> Any:
    with service_context().db.transaction() as session:
        return [contest_out(c, contest_now()) for c in contests.all_contests(session)]


@api.post("/contests")
@require_role("staff")
@api.arguments(ContestIn)
@api.response(201, StaffContestOut)
@api.doc(security=STAFF)
def create_contest(data: dict[str, Any]) -> Any:
    with service_context().db.transaction() as session:
        return contest_out(contests.create_contest(session, data), contest_now())


@api.get("/contests/<uuid:contest_id>")
@api.response(200, ContestOut)
def get_contest(contest_id: Any) -> Any:
    """The contest with its rules, criteria, phase and the time left until the deadline."""
    with service_context().db.transaction() as session:
        return contest_out(contests.get_contest(session, str(contest_id)), contest_now())


@api.get("/contests/<uuid:contest_id>/settings")
@require_role("staff")
@api.response(200, StaffContestOut)
@api.doc(security=STAFF)
def contest_settings(contest_id: Any) -> Any:
    """The contest with its jury and the jury's report."""
    with service_context().db.transaction() as session:
        return contest_out(contests.get_contest(session, str(contest_id)), contest_now())


@api.patch("/contests/<uuid:contest_id>")
@require_role("staff")
@api.arguments(ContestChange)
@api.response(200, StaffContestOut)
@api.doc(security=STAFF)
def change_contest(data: dict[str, Any], contest_id: Any) -> Any:
    with service_context().db.transaction() as session:
        contest = contests.change_contest(session, str(contest_id), data)
        return contest_out(contest, contest_now())


# -- entrants -------------------------------------------------------------------------------------


@api.post("/contests/<uuid:contest_id>/entrants")
@api.arguments(SignUpIn)
@api.response(202, SignUpOut)
@api.alt_response(409, description="The contest is not open, or the address signed up already")
@api.alt_response(
    429,
    schema=ProblemSchema,
    content_type=PROBLEM_JSON,
    description="A confirmation mail went to this address less than "
    "GIA_ESSAY_CONFIRMATION_INTERVAL_MINUTES ago: the details are saved, no new mail is sent",
    headers={
        "Retry-After": {
            "description": "Seconds until a new mail can go",
            "schema": {"type": "integer"},
        }
    },
)
def sign_up(data: dict[str, Any], contest_id: Any) -> Any:
    """Sign up; the link to confirm the address (valid 48 hours) goes by e-mail."""
    context = service_context()
    with context.db.transaction() as session:
        signed = entrants.sign_up(session, context.settings, str(contest_id), data, contest_now())
        entrant = signed.entrant
        answer = {
            "id": entrant.id,
            "contest_id": entrant.contest_id,
            "confirmed": False,
            "message": "Check your e-mail and confirm your address with the link in it.",
        }
    if signed.retry_after is None:
        return answer
    # Answered after the commit: the details given are saved all the same.
    detail = (
        f"A confirmation mail went to {entrant.email} less than "
        f"{context.settings.essay_confirmation_interval_minutes} minutes ago; your details are "
        "saved. Check your inbox (and spam folder) for it, or sign up again after "
        f"{signed.retry_after} seconds for a new one."
    )
    status = HTTPStatus.TOO_MANY_REQUESTS
    return problem_response(
        problem_body(status, status.phrase, detail, retry_after=signed.retry_after),
        {"Retry-After": str(signed.retry_after)},
    )


@api.post("/confirmations")
@api.arguments(ConfirmIn)
@api.response(200, SignUpOut)
@api.alt_response(410, description="The link has expired")
def confirm(data: dict[str, Any]) -> Any:
    """Confirm the address with the token from the e-mail; the personal link follows by e-mail."""
    context = service_context()
    with context.db.transaction() as session:
        entrant = entrants.confirm_email(
            session, context.recorder, context.settings, data["token"], contest_now()
        )
        return {
            "id": entrant.id,
            "contest_id": entrant.contest_id,
            "confirmed": True,
            "message": "Your address is confirmed; your personal link is in your e-mail.",
        }


def _own(entrant_id: Any, token: str | None) -> str:
    access.check_entrant(service_context().settings, str(entrant_id), token)
    return str(entrant_id)


def _entrant_answer(session: Any, entrant_id: str) -> dict[str, Any]:
    entrant = entrants.get_entrant(session, entrant_id)
    return entrant_out(entrant, entries.entry_of(session, entrant_id))


@api.get("/entrants/<uuid:entrant_id>")
@api.arguments(TokenQuery, location="query")
@api.response(200, EntrantOut)
@api.doc(security=ENTRANT)
def get_entrant(query: dict[str, Any], entrant_id: Any) -> Any:
    """The entrant's own page: their details and their entry, drafts included."""
    own = _own(entrant_id, query["token"])
    with service_context().db.transaction() as session:
        return _entrant_answer(session, own)


@api.patch("/entrants/<uuid:entrant_id>")
@api.arguments(TokenQuery, location="query")
@api.arguments(EntrantChange)
@api.response(200, EntrantOut)
@api.doc(security=ENTRANT)
def change_entrant(query: dict[str, Any], data: dict[str, Any], entrant_id: Any) -> Any:
    """Consent to publication of the essay, and the party."""
    own = _own(entrant_id, query["token"])
    with service_context().db.transaction() as session:
        entrants.change_entrant(session, own, data)
        return _entrant_answer(session, own)


@api.post("/entrants/<uuid:entrant_id>/entry")
@api.arguments(TokenQuery, location="query")
@api.arguments(EntryIn)
@api.response(201, EntryOut)
@api.alt_response(409, description="Writing is closed, or the entrant has an entry already")
@api.doc(security=ENTRANT)
def start_entry(query: dict[str, Any], data: dict[str, Any], entrant_id: Any) -> Any:
    own = _own(entrant_id, query["token"])
    with service_context().db.transaction() as session:
        return entry_out(entries.start_entry(session, own, data, contest_now()))


@api.put("/entrants/<uuid:entrant_id>/entry")
@api.arguments(TokenQuery, location="query")
@api.arguments(EntryIn)
@api.response(200, EntryOut)
@api.alt_response(409, description="Past the deadline (the deadline is in the message)")
@api.alt_response(422, description="A submitted entry revised outside the word limits")
@api.doc(security=ENTRANT)
def save_entry(query: dict[str, Any], data: dict[str, Any], entrant_id: Any) -> Any:
    """Save the draft; a submitted entry is revised and received again, with a new receipt."""
    own = _own(entrant_id, query["token"])
    context = service_context()
    with context.db.transaction() as session:
        return entry_out(entries.save_entry(session, context.recorder, own, data, contest_now()))


@api.post("/entrants/<uuid:entrant_id>/entry/submit")
@api.arguments(TokenQuery, location="query")
@api.response(200, EntryOut)
@api.alt_response(409, description="Past the deadline, or a co-author has not confirmed")
@api.alt_response(422, description="Outside the word limits (the count is in the answer)")
@api.doc(security=ENTRANT)
def submit_entry(query: dict[str, Any], entrant_id: Any) -> Any:
    """Submit; every author gets a receipt with the SHA-256 fingerprint of the text."""
    own = _own(entrant_id, query["token"])
    context = service_context()
    with context.db.transaction() as session:
        return entry_out(entries.submit_entry(session, context.recorder, own, contest_now()))


@api.post("/entrants/<uuid:entrant_id>/entry/withdraw")
@api.arguments(TokenQuery, location="query")
@api.response(200, EntryOut)
@api.doc(security=ENTRANT)
def withdraw_entry(query: dict[str, Any], entrant_id: Any) -> Any:
    own = _own(entrant_id, query["token"])
    context = service_context()
    with context.db.transaction() as session:
        return entry_out(entries.withdraw_entry(session, context.recorder, own, contest_now()))


@api.post("/entrants/<uuid:entrant_id>/entry/co-authors")
@api.arguments(TokenQuery, location="query")
@api.arguments(CoAuthorIn)
@api.response(201, EntryOut)
@api.doc(security=ENTRANT)
def invite_co_author(query: dict[str, Any], data: dict[str, Any], entrant_id: Any) -> Any:
    """Invite a council member who signed up; they confirm through their own link."""
    own = _own(entrant_id, query["token"])
    with service_context().db.transaction() as session:
        author = co_authors.invite_co_author(session, own, data["email"], contest_now())
        return entry_out(author.entry)


@api.delete("/entrants/<uuid:entrant_id>/entry/co-authors/<uuid:author_id>")
@api.arguments(TokenQuery, location="query")
@api.response(200, EntryOut)
@api.doc(security=ENTRANT)
def take_back_invitation(query: dict[str, Any], entrant_id: Any, author_id: Any) -> Any:
    """Take back an invitation the co-author has not answered."""
    own = _own(entrant_id, query["token"])
    with service_context().db.transaction() as session:
        return entry_out(
            co_authors.take_back_invitation(session, own, str(author_id), contest_now())
        )


@api.post("/entrants/<uuid:entrant_id>/invitation")
@api.arguments(TokenQuery, location="query")
@api.arguments(InvitationAnswer)
@api.response(200, EntrantOut)
@api.doc(security=ENTRANT)
def answer_invitation(query: dict[str, Any], data: dict[str, Any], entrant_id: Any) -> Any:
    """Confirm (accept) or decline co-authorship of the entry one was invited to."""
    own = _own(entrant_id, query["token"])
    with service_context().db.transaction() as session:
        co_authors.answer_invitation(session, own, data["accept"], contest_now())
        return _entrant_answer(session, own)


# -- the jury -------------------------------------------------------------------------------------


def as_juror(juror: str, use_case: Callable[..., Any], contest_id: Any, *args: Any) -> Any:
    """A jury use case for one jury member, by the contest's clock (for the API and pages)."""
    context = service_context()
    with context.db.transaction() as session:
        return use_case(
            session, str(contest_id), juror, context.settings.secret_key, contest_now(), *args
        )


def _as_juror(use_case: Callable[..., Any], contest_id: Any, *args: Any) -> Any:
    """A jury use case for the jury member the bearer token names."""
    return as_juror(bearer_principal().subject, use_case, contest_id, *args)


@api.get("/contests/<uuid:contest_id>/jury/entries")
@require_role("jury")
@api.response(200, JuryEntryOut(many=True))
@api.doc(security=STAFF)
def jury_entries(contest_id: Any) -> Any:
    """The entries to judge, anonymised, in an order of this jury member's own."""
    return _as_juror(judging.jury_entries, contest_id)


@api.get("/contests/<uuid:contest_id>/jury/entries/<handle>")
@require_role("jury")
@api.response(200, JuryEntryOut)
@api.doc(security=STAFF)
def jury_entry(contest_id: Any, handle: str) -> Any:
    return _as_juror(judging.jury_entry, contest_id, handle)


@api.put("/contests/<uuid:contest_id>/jury/entries/<handle>/score")
@require_role("jury")
@api.arguments(ScoreIn)
@api.response(200, JuryEntryOut)
@api.alt_response(403, description="A conflict of interest with this entry")
@api.alt_response(409, description="The scores were submitted already and are final")
@api.doc(security=STAFF)
def score_entry(data: dict[str, Any], contest_id: Any, handle: str) -> Any:
    """Score every criterion and comment; with ``final`` the scores are submitted for good."""
    return _as_juror(judging.score_entry, contest_id, handle, data)


@api.post("/contests/<uuid:contest_id>/jury/entries/<handle>/conflict")
@require_role("jury")
@api.response(200, JuryEntryOut)
@api.doc(security=STAFF)
def declare_conflict(contest_id: Any, handle: str) -> Any:
    """Declare a conflict of interest: the jury member no longer judges this entry."""
    return _as_juror(judging.declare_conflict, contest_id, handle)


# -- staff: ranking, results, privacy -------------------------------------------------------------


def standings_out(session: Any, contest_id: str) -> list[dict[str, Any]]:
    _, ranked = contest_results.ranking(session, contest_id)
    sheets = contest_results.jury_sheets(session, contest_id)
    return [
        {
            "rank": standing.rank,
            "entry_id": entry.id,
            "title": entry.title,
            "municipality_codes": entry.municipality_codes,
            "mean": standing.mean,
            "jurors": standing.jurors,
            "spread": standing.spread,
            "stdev": standing.stdev,
            "criterion_means": standing.criterion_means,
            "too_few_scores": standing.too_few_scores,
            "place": entry.place,
            "sheets": sheets[entry.id],
        }
        for standing, entry in ranked
    ]


@api.get("/contests/<uuid:contest_id>/ranking")
@require_role("staff")
@api.response(200, StandingOut(many=True))
@api.doc(security=STAFF)
def contest_ranking(contest_id: Any) -> Any:
    """Submitted entries by the weighted mean of final scores, with the spread between jury
    members, a flag for too few scores and each jury member's scores and comment.
    Tie-break: see services/essay_contest/domain.py."""
    with service_context().db.transaction() as session:
        return standings_out(session, str(contest_id))


@api.get("/contests/<uuid:contest_id>/ranking.csv")
@require_role("staff")
@api.response(200, description="The ranking as CSV, with the mean of every criterion")
@api.doc(security=STAFF)
def contest_ranking_csv(contest_id: Any) -> Any:
    """The ranking for a spreadsheet: weighted mean, each criterion's mean, spread, place."""
    context = service_context()
    with context.db.transaction() as session:
        return exports.ranking_csv(
            *contest_results.ranking(session, str(contest_id)), context.register
        )


def municipality_counts(session: Any, contest_id: str) -> tuple[Contest, list[dict[str, Any]]]:
    """The contest's counts by municipality, named from the register, by name."""
    register = service_context().register
    named = [
        {"municipality": municipality_name(register, counts.municipality_code), **asdict(counts)}
        for counts in contest_results.counts_by_municipality(session, contest_id)
    ]
    contest = contests.get_contest(session, contest_id)
    return contest, sorted(named, key=lambda row: (row["municipality"], row["municipality_code"]))


@api.get("/contests/<uuid:contest_id>/municipalities")
@require_role("staff")
@api.response(200, MunicipalityCountOut(many=True))
@api.doc(security=STAFF)
def contest_municipalities(contest_id: Any) -> Any:
    """Per municipality: entrants signed up, confirmed, and entries submitted. The counts
    stay after personal data is erased."""
    with service_context().db.transaction() as session:
        return municipality_counts(session, str(contest_id))[1]


@api.get("/contests/<uuid:contest_id>/municipalities.csv")
@require_role("staff")
@api.response(200, description="The counts by municipality as CSV")
@api.doc(security=STAFF)
def contest_municipalities_csv(contest_id: Any) -> Any:
    with service_context().db.transaction() as session:
        return exports.municipalities_csv(*municipality_counts(session, str(contest_id)))


@api.put("/contests/<uuid:contest_id>/results")
@require_role("staff")
@api.arguments(ResultsIn)
@api.response(200, StaffContestOut)
@api.doc(security=STAFF)
def set_results(data: dict[str, Any], contest_id: Any) -> Any:
    """The jury's decision: winners by place and the jury's report (until published)."""
    with service_context().db.transaction() as session:
        contest = contest_results.set_results(session, str(contest_id), data, contest_now())
        return contest_out(contest, contest_now())


@api.post("/contests/<uuid:contest_id>/publish")
@require_role("staff")
@api.response(200, StaffContestOut)
@api.alt_response(409, description="Before the publication date, or no winners chosen")
@api.doc(security=STAFF)
def publish_results(contest_id: Any) -> Any:
    """From the publication date: the results go public and the winners are invited."""
    context = service_context()
    with context.db.transaction() as session:
        contest = contest_results.publish_results(
            session, context.recorder, str(contest_id), contest_now()
        )
        return contest_out(contest, contest_now())


@api.get("/contests/<uuid:contest_id>/results")
@api.response(200, ResultsOut)
def results(contest_id: Any) -> Any:
    """The published winners; an essay's text only when every one of its authors consented."""
    with service_context().db.transaction() as session:
        return results_out(*contest_results.published_results(session, str(contest_id)))


@api.post("/contests/<uuid:contest_id>/erase-personal-data")
@require_role("staff")
@api.response(200, description="How many entrants were erased")
@api.doc(security=STAFF)
def erase_personal_data(contest_id: Any) -> Any:
    """After publication: entrants who neither won nor consented are forgotten."""
    with service_context().db.transaction() as session:
        erased = contest_results.erase_personal_data(session, str(contest_id), contest_now())
    return {"erased": erased}
