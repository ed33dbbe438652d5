"""Essay contest use cases: each one transaction, domain rules inside, events to the outbox.

Every use case that changes an entry locks its row first, so two authors of
one entry (or one author in two tabs) change it one after the other. ``now``
comes from the caller's clock: the deadline is whatever that clock says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.essay_contest import access
from services.essay_contest.domain import (
    Author,
    EntryStatus,
    Notice,
    Standing,
    confirmation_wait,
    conflicted,
    count_words,
    fingerprint,
    jury_handle,
    jury_order,
    normalise_text,
    rank_entries,
    why_judging_closed,
    why_limits_wrong,
    why_no_more_authors,
    why_not_erasable,
    why_not_publishable,
    why_not_submittable,
    why_scores_wrong,
    why_window_wrong,
    why_word_count_wrong,
    why_writing_closed,
)
from services.essay_contest.models import (
    Contest,
    DeclaredConflict,
    Entrant,
    Entry,
    EntryAuthor,
    Juror,
    MailQueue,
    ScoreSheet,
    Submission,
)
from shared.events.catalogue import (
    ESSAY_SIGNED_UP,
    ESSAY_SUBMITTED,
    ESSAY_WINNERS_ANNOUNCED,
    ESSAY_WITHDRAWN,
)
from shared.events.outbox import EventRecorder
from shared.mail_queue import queue_mail
from shared.problems import Conflict, Forbidden, Invalid, NotFound
from shared.settings import Settings

# -- contests ---------------------------------------------------------------------------------


def get_contest(session: Session, contest_id: str, *, lock: bool = False) -> Contest:
    query = select(Contest).where(Contest.id == contest_id)
    contest = session.scalar(query.with_for_update() if lock else query)
    if contest is None:
        raise NotFound(f"There is no contest {contest_id}.")
    return contest


def all_contests(session: Session) -> list[Contest]:
    return list(session.scalars(select(Contest).order_by(Contest.opens_at.desc())))


def current_contest(session: Session) -> Contest | None:
    """The contest the public pages show: the one that opened (or opens) last."""
    return session.scalar(select(Contest).order_by(Contest.opens_at.desc()).limit(1))


def _apply_contest(contest: Contest, data: dict[str, Any]) -> None:
    jury = data.pop("jury", None)
    for key, value in data.items():
        setattr(contest, "criteria_spec" if key == "criteria" else key, value)
    if jury is not None:
        contest.jury = [Juror(**juror) for juror in jury]
    wrong = why_window_wrong(contest.opens_at, contest.closes_at, contest.publishes_at)
    if wrong:
        raise Invalid("The contest's dates are out of order.", errors={wrong[0]: [wrong[1]]})
    limits = why_limits_wrong(contest.min_words, contest.max_words)
    if limits:
        raise Invalid(limits, errors={"max_words": [limits]})


def create_contest(session: Session, data: dict[str, Any]) -> Contest:
    contest = Contest()
    _apply_contest(contest, dict(data))
    session.add(contest)
    session.flush()
    return contest


def change_contest(session: Session, contest_id: str, data: dict[str, Any]) -> Contest:
    """Anything may change until the results are out, except the criteria once judging began."""
    contest = get_contest(session, contest_id, lock=True)
    if contest.published_at is not None:
        raise Conflict("The results have been published; the contest can no longer change.")
    changes_criteria = "criteria" in data and data["criteria"] != contest.criteria_spec
    if changes_criteria and _sheets(session, contest.id):
        raise Conflict("The jury has started scoring; the criteria can no longer change.")
    _apply_contest(contest, dict(data))
    session.flush()
    return contest


def _writing_open(contest: Contest, now: datetime) -> None:
    reason = why_writing_closed(contest.opens_at, contest.closes_at, now)
    if reason:
        raise Conflict(reason, deadline=contest.closes_at.isoformat())


# -- entrants ---------------------------------------------------------------------------------


def get_entrant(session: Session, entrant_id: str) -> Entrant:
    entrant = session.get(Entrant, entrant_id)
    if entrant is None or entrant.erased_at is not None:
        raise NotFound(f"There is no entrant {entrant_id}.")
    return entrant


@dataclass(frozen=True)
class SignedUp:
    entrant: Entrant
    # Seconds until a new confirmation mail may go; None: one was queued now.
    retry_after: int | None


def sign_up(
    session: Session, settings: Settings, contest_id: str, data: dict[str, Any], now: datetime
) -> SignedUp:
    """A council member signs up; they may write once they confirmed their address.

    Signing up again before confirming replaces the details: whoever confirms gets what
    they gave last, never an earlier (mistyped, or someone else's) sign-up with the same
    address. It sends a new confirmation link only when the last one to the address went
    long enough ago (``essay_confirmation_interval_minutes``), so repeated sign-ups flood
    no mailbox; the row lock makes two sign-ups at once wait for each other.
    """
    contest = get_contest(session, contest_id)
    _writing_open(contest, now)
    same_address = func.lower(Entrant.email) == data["email"].lower()
    existing = session.scalar(
        select(Entrant).where(Entrant.contest_id == contest.id, same_address).with_for_update()
    )
    if existing is not None and existing.confirmed_at is not None:
        raise Conflict(f"{data['email']} has already signed up for this contest.")
    last_mailed = session.scalar(
        select(func.max(Entrant.confirmation_mailed_at)).where(same_address)
    )
    entrant = existing or Entrant(contest_id=contest.id)
    for key, value in data.items():
        setattr(entrant, key, value)
    entrant.created_at = now  # the confirmation link is valid from here
    if existing is None:
        session.add(entrant)
        try:
            session.flush()
        except IntegrityError as error:  # the same address at the same moment
            raise Conflict(f"{data['email']} has already signed up for this contest.") from error
    interval = timedelta(minutes=settings.essay_confirmation_interval_minutes)
    wait = confirmation_wait(last_mailed, now, interval)
    if wait is None:
        entrant.confirmation_mailed_at = now
        queue_mail(session, MailQueue, Notice.CONFIRM_EMAIL, entrant.id)
    return SignedUp(entrant, wait)


def confirm_email(
    session: Session, recorder: EventRecorder, settings: Settings, token: str, now: datetime
) -> Entrant:
    """The address is theirs: the entrant may write, and the sign-up counts."""
    entrant_id = access.confirmed_entrant(settings, token, now)
    entrant = session.scalar(select(Entrant).where(Entrant.id == entrant_id).with_for_update())
    if entrant is None or entrant.erased_at is not None:
        raise NotFound("This sign-up no longer exists.")
    if entrant.confirmed_at is not None:
        return entrant  # the link clicked twice
    entrant.confirmed_at = now
    recorder.record(
        session,
        ESSAY_SIGNED_UP,
        subject=f"contest/{entrant.contest_id}",
        data={"contest_id": entrant.contest_id, "municipality_code": entrant.municipality_code},
    )
    queue_mail(session, MailQueue, Notice.WELCOME, entrant.id)
    return entrant


def change_entrant(session: Session, entrant_id: str, data: dict[str, Any]) -> Entrant:
    """Consent to publication (and the party) may change until the results are out."""
    entrant = get_entrant(session, entrant_id)
    if get_contest(session, entrant.contest_id).published_at is not None:
        raise Conflict("The results have been published; this can no longer change.")
    for key, value in data.items():
        setattr(entrant, key, value)
    return entrant


# -- entries ----------------------------------------------------------------------------------


def entry_of(session: Session, entrant_id: str, *, lock: bool = False) -> Entry | None:
    """The entrant's own entry (as an author, confirmed or invited), or None."""
    query = select(Entry).join(EntryAuthor).where(EntryAuthor.entrant_id == entrant_id)
    return session.scalar(query.with_for_update(of=Entry) if lock else query)


def _writable(session: Session, entrant_id: str, now: datetime) -> tuple[Entry, Contest]:
    """The entrant's entry, locked, while writing is open and they are a confirmed author."""
    entrant = get_entrant(session, entrant_id)
    entry = entry_of(session, entrant_id, lock=True)
    if entry is None:
        raise NotFound("You have no entry yet; start one first.")
    contest = get_contest(session, entry.contest_id)
    _writing_open(contest, now)
    if entrant.authorship is None or entrant.authorship.confirmed_at is None:
        raise Conflict("Confirm that you co-author this entry before you change it.")
    return entry, contest


def _set_text(entry: Entry, data: dict[str, Any], now: datetime) -> None:
    entry.title = data["title"].strip()
    entry.text = normalise_text(data["text"])
    entry.word_count = count_words(entry.text)
    entry.updated_at = now


def start_entry(session: Session, entrant_id: str, data: dict[str, Any], now: datetime) -> Entry:
    entrant = get_entrant(session, entrant_id)
    contest = get_contest(session, entrant.contest_id)
    _writing_open(contest, now)
    if entrant.confirmed_at is None:
        raise Conflict("Confirm your e-mail address before you start writing.")
    if entrant.authorship is not None and entrant.authorship.confirmed_at is None:
        raise Conflict(
            "You have been invited to co-author an entry; decline the invitation first "
            "to write one of your own."
        )
    if entrant.authorship is not None:
        raise Conflict("You already have an entry: each council member writes one.")
    entry = Entry(contest_id=contest.id, status=EntryStatus.DRAFT, revision=0, created_at=now)
    _set_text(entry, data, now)
    session.add(entry)
    session.flush()
    session.add(EntryAuthor(entry_id=entry.id, entrant_id=entrant.id, position=1, confirmed_at=now))
    try:
        session.flush()
    except IntegrityError as error:  # started twice at once
        raise Conflict("You already have an entry: each council member writes one.") from error
    session.refresh(entry)
    session.expire(entrant, ["authorship"])  # so it may be submitted in the same transaction
    return entry


def _check_words(entry: Entry, contest: Contest) -> None:
    reason = why_word_count_wrong(entry.word_count, contest.min_words, contest.max_words)
    if reason:
        raise Invalid(reason, errors={"text": [reason]}, word_count=entry.word_count)


def _entry_event(session: Session, recorder: EventRecorder, kind: str, entry: Entry) -> None:
    """Where the authors come from, never who they are nor what they wrote."""
    recorder.record(
        session,
        kind,
        subject=f"entry/{entry.id}",
        data={
            "contest_id": entry.contest_id,
            "entry_id": entry.id,
            "municipality_codes": entry.municipality_codes,
            "word_count": entry.word_count,
            "revision": entry.revision,
        },
    )


def _receive(session: Session, recorder: EventRecorder, entry: Entry, now: datetime) -> None:
    """Record a submission (or revision) as received, and send every author the receipt."""
    entry.status = EntryStatus.SUBMITTED
    entry.revision += 1
    entry.fingerprint = fingerprint(entry.text or "")
    entry.submitted_at = now
    entry.withdrawn_at = None
    submission = Submission(
        entry_id=entry.id,
        revision=entry.revision,
        title=entry.title or "",
        word_count=entry.word_count,
        fingerprint=entry.fingerprint,
        submitted_at=now,
    )
    session.add(submission)
    session.flush()
    _entry_event(session, recorder, ESSAY_SUBMITTED, entry)
    queue_mail(session, MailQueue, Notice.RECEIPT, submission.id)


def save_entry(
    session: Session, recorder: EventRecorder, entrant_id: str, data: dict[str, Any], now: datetime
) -> Entry:
    """Save a draft; a submitted entry is revised: checked and received again, with a receipt."""
    entry, contest = _writable(session, entrant_id, now)
    submitted = entry.status == EntryStatus.SUBMITTED
    _set_text(entry, data, now)
    if submitted:
        _check_words(entry, contest)
        _receive(session, recorder, entry, now)
    else:
        entry.status = EntryStatus.DRAFT
    return entry


def receipts(session: Session, entry_id: str) -> list[Submission]:
    """Every submission and revision as it was received, the latest first."""
    return list(
        session.scalars(
            select(Submission)
            .where(Submission.entry_id == entry_id)
            .order_by(Submission.revision.desc())
        )
    )


def submit_entry(
    session: Session, recorder: EventRecorder, entrant_id: str, now: datetime
) -> Entry:
    entry, contest = _writable(session, entrant_id, now)
    if entry.status == EntryStatus.SUBMITTED:
        return entry  # submitting twice receives nothing new
    _check_words(entry, contest)
    reason = why_not_submittable(
        [Author(a.entrant.name or "", a.confirmed_at is not None) for a in entry.authors]
    )
    if reason:
        raise Conflict(reason)
    _receive(session, recorder, entry, now)
    return entry


def withdraw_entry(
    session: Session, recorder: EventRecorder, entrant_id: str, now: datetime
) -> Entry:
    """Withdrawn entries are not judged; until the deadline they can be submitted again."""
    entry, _ = _writable(session, entrant_id, now)
    if entry.status == EntryStatus.WITHDRAWN:
        return entry
    was_submitted = entry.status == EntryStatus.SUBMITTED
    entry.status = EntryStatus.WITHDRAWN
    entry.withdrawn_at = now
    if was_submitted:
        _entry_event(session, recorder, ESSAY_WITHDRAWN, entry)
        queue_mail(session, MailQueue, Notice.WITHDRAWN, entry.id)
    return entry


def invite_co_author(session: Session, entrant_id: str, email: str, now: datetime) -> EntryAuthor:
    """Another council member who signed up joins the entry once they confirm."""
    entry, _ = _writable(session, entrant_id, now)
    if entry.status == EntryStatus.SUBMITTED:
        raise Conflict("Add co-authors before you submit; withdraw the entry first to add one.")
    reason = why_no_more_authors(len(entry.authors))
    if reason:
        raise Conflict(reason)
    invited = session.scalar(
        select(Entrant).where(
            Entrant.contest_id == entry.contest_id,
            func.lower(Entrant.email) == email.lower(),
            Entrant.confirmed_at.is_not(None),
        )
    )
    if invited is None:
        raise Invalid(
            f"{email} has not signed up for this contest (and confirmed) yet.",
            errors={"email": [f"{email} has not signed up for this contest yet."]},
        )
    if invited.authorship is not None:
        raise Conflict(f"{email} is already an author of an entry.")
    author = EntryAuthor(entry_id=entry.id, entrant_id=invited.id, position=len(entry.authors) + 1)
    session.add(author)
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict(f"{email} is already an author of an entry.") from error
    queue_mail(session, MailQueue, Notice.CO_AUTHOR_INVITED, author.id)
    session.refresh(entry)
    return author


def take_back_invitation(session: Session, entrant_id: str, author_id: str, now: datetime) -> Entry:
    """An author withdraws an invitation nobody answered, so a silent colleague never keeps
    the entry from being submitted (nor themselves from writing their own)."""
    entry, _ = _writable(session, entrant_id, now)
    author = next((a for a in entry.authors if a.id == author_id and a.confirmed_at is None), None)
    if author is None:
        raise NotFound("There is no open invitation to take back.")
    session.delete(author)
    session.flush()
    session.refresh(entry)
    return entry


def answer_invitation(session: Session, entrant_id: str, accept: bool, now: datetime) -> Entry:
    """A co-author confirms, or declines and is free to write an entry of their own."""
    entrant = get_entrant(session, entrant_id)
    entry = entry_of(session, entrant_id, lock=True)
    author = entrant.authorship
    if entry is None or author is None or author.position == 1:
        raise NotFound("You have not been invited to co-author an entry.")
    _writing_open(get_contest(session, entry.contest_id), now)
    if accept:
        author.confirmed_at = author.confirmed_at or now
        return entry
    if entry.status == EntryStatus.SUBMITTED:
        raise Conflict("This entry has been submitted; ask its author to withdraw it first.")
    session.delete(author)
    session.flush()
    session.refresh(entry)
    return entry


# -- the jury ---------------------------------------------------------------------------------


def _juror(contest: Contest, email: str) -> Juror:
    juror = next((j for j in contest.jury if j.email.lower() == email.lower()), None)
    if juror is None:
        raise Forbidden("You are not on the jury of this contest.")
    return juror


def _judging_open(contest: Contest, now: datetime) -> None:
    reason = why_judging_closed(contest.closes_at, contest.published_at is not None, now)
    if reason:
        raise Conflict(reason)


def _submitted(session: Session, contest_id: str) -> list[Entry]:
    return list(
        session.scalars(
            select(Entry).where(
                Entry.contest_id == contest_id, Entry.status == EntryStatus.SUBMITTED
            )
        )
    )


def _sheets(session: Session, contest_id: str) -> list[ScoreSheet]:
    return list(
        session.scalars(
            select(ScoreSheet)
            .join(Entry)
            .where(Entry.contest_id == contest_id)
            .order_by(ScoreSheet.juror_email)
        )
    )


def _declared(session: Session, juror_email: str) -> set[str]:
    return set(
        session.scalars(
            select(DeclaredConflict.entry_id).where(DeclaredConflict.juror_email == juror_email)
        )
    )


def jury_entries(
    session: Session, contest_id: str, juror_email: str, secret: str, now: datetime
) -> list[dict[str, Any]]:
    """The entries one juror judges, in their own order, each by their own handle.

    Entries from the juror's own municipality are left out altogether (showing
    them as "conflicted" would say where they come from); declared conflicts
    stay listed, without the text, so the juror sees they are excluded.
    """
    contest = get_contest(session, contest_id)
    juror = _juror(contest, juror_email)
    _judging_open(contest, now)
    declared = _declared(session, juror.email)
    entries = {
        entry.id: entry
        for entry in _submitted(session, contest.id)
        if not conflicted(juror.municipality_code, entry.municipality_codes, declared=False)
    }
    sheets = {
        sheet.entry_id: sheet
        for sheet in session.scalars(
            select(ScoreSheet).where(
                ScoreSheet.juror_email == juror.email, ScoreSheet.entry_id.in_(entries)
            )
        )
    }
    return [
        _jury_view(entries[entry_id], secret, juror, entry_id in declared, sheets.get(entry_id))
        for entry_id in jury_order(secret, juror.email, entries)
    ]


def _jury_view(
    entry: Entry, secret: str, juror: Juror, declared: bool, sheet: ScoreSheet | None
) -> dict[str, Any]:
    """Exactly what a juror may see of an entry: its words, never its authors or its times."""
    return {
        "handle": jury_handle(secret, juror.email, entry.id),
        "title": None if declared else entry.title,
        "text": None if declared else entry.text,
        "word_count": entry.word_count,
        "conflict_declared": declared,
        "scores": sheet.scores if sheet else None,
        "comment": sheet.comment if sheet else None,
        "final": bool(sheet and sheet.submitted_at),
    }


def _by_handle(
    session: Session, contest_id: str, juror_email: str, secret: str, now: datetime, handle: str
) -> tuple[Contest, Juror, Entry]:
    contest = get_contest(session, contest_id)
    juror = _juror(contest, juror_email)
    _judging_open(contest, now)
    for entry in _submitted(session, contest.id):
        if jury_handle(secret, juror.email, entry.id) == handle:
            return contest, juror, entry
    raise NotFound("There is no such entry for you to judge.")


def jury_entry(
    session: Session, contest_id: str, juror_email: str, secret: str, now: datetime, handle: str
) -> dict[str, Any]:
    _, juror, entry = _by_handle(session, contest_id, juror_email, secret, now, handle)
    if conflicted(juror.municipality_code, entry.municipality_codes, declared=False):
        raise NotFound("There is no such entry for you to judge.")
    sheet = session.get(ScoreSheet, (entry.id, juror.email))
    return _jury_view(entry, secret, juror, entry.id in _declared(session, juror.email), sheet)


def score_entry(
    session: Session,
    contest_id: str,
    juror_email: str,
    secret: str,
    now: datetime,
    handle: str,
    data: dict[str, Any],
) -> dict[str, Any]:
    """Save a juror's scores and comment; ``final`` submits them, after which they stay."""
    contest, juror, entry = _by_handle(session, contest_id, juror_email, secret, now, handle)
    declared = entry.id in _declared(session, juror.email)
    if conflicted(juror.municipality_code, entry.municipality_codes, declared=declared):
        raise Forbidden("You have a conflict of interest with this entry and cannot score it.")
    reason = why_scores_wrong(data["scores"], contest.criteria)
    if reason:
        raise Invalid(reason, errors={"scores": [reason]})
    # The entry's row lock queues a juror's saves from two tabs: the second finds the sheet
    # the first made, where both would otherwise insert one.
    session.execute(select(Entry.id).where(Entry.id == entry.id).with_for_update())
    sheet = session.get(ScoreSheet, (entry.id, juror.email), populate_existing=True)
    if sheet is not None and sheet.submitted_at is not None:
        raise Conflict("Your scores for this entry have been submitted and are final.")
    if sheet is None:
        sheet = ScoreSheet(entry_id=entry.id, juror_email=juror.email)
        session.add(sheet)
    sheet.scores = dict(data["scores"])
    sheet.comment = data.get("comment") or ""
    sheet.updated_at = now
    sheet.submitted_at = now if data.get("final") else None
    session.flush()
    return _jury_view(entry, secret, juror, False, sheet)


def declare_conflict(
    session: Session, contest_id: str, juror_email: str, secret: str, now: datetime, handle: str
) -> dict[str, Any]:
    """The juror is excluded from the entry; scores not yet submitted are dropped."""
    _, juror, entry = _by_handle(session, contest_id, juror_email, secret, now, handle)
    sheet = session.get(ScoreSheet, (entry.id, juror.email))
    if sheet is not None and sheet.submitted_at is not None:
        raise Conflict("Your scores for this entry have been submitted and are final.")
    if sheet is not None:
        session.delete(sheet)
    if session.get(DeclaredConflict, (entry.id, juror.email)) is None:
        session.add(DeclaredConflict(entry_id=entry.id, juror_email=juror.email, declared_at=now))
    session.flush()
    return _jury_view(entry, secret, juror, True, None)


# -- ranking, results and privacy ---------------------------------------------------------------


@dataclass(frozen=True)
class JurySheet:
    """One juror's final scores and comment on an entry, as staff see them (jurors never)."""

    juror: str  # their name; their address once they left the jury
    juror_email: str
    scores: dict[str, int]
    comment: str
    # Left out of the ranking: a conflict of interest, or no longer on the jury.
    counted: bool


def jury_sheets(session: Session, contest_id: str) -> dict[str, list[JurySheet]]:
    """Every submitted entry's final score sheets, by juror, with whether each counts.

    A sheet counts only while its juror is on the jury without a conflict with the entry:
    a conflict found after scoring (the jury's municipalities corrected) or a juror taken
    off the jury leaves the mean and the number of jurors alike.
    """
    contest = get_contest(session, contest_id)
    entries = {entry.id: entry for entry in _submitted(session, contest.id)}
    jury = {juror.email.lower(): juror for juror in contest.jury}
    declared = {
        (entry_id, email)
        for entry_id, email in session.execute(
            select(DeclaredConflict.entry_id, DeclaredConflict.juror_email).where(
                DeclaredConflict.entry_id.in_(entries)
            )
        )
    }
    found: dict[str, list[JurySheet]] = {entry_id: [] for entry_id in entries}
    for sheet in _sheets(session, contest.id):
        if sheet.submitted_at is None or sheet.entry_id not in found:
            continue
        entry, juror = entries[sheet.entry_id], jury.get(sheet.juror_email.lower())
        mine = (entry.id, sheet.juror_email) in declared
        counted = juror is not None and not conflicted(
            juror.municipality_code, entry.municipality_codes, declared=mine
        )
        name = juror.name if juror else sheet.juror_email
        found[entry.id].append(
            JurySheet(name, sheet.juror_email, sheet.scores, sheet.comment, counted)
        )
    return found


def ranking(session: Session, contest_id: str) -> tuple[Contest, list[tuple[Standing, Entry]]]:
    """Every submitted entry by the final scores that count, with what staff need to weigh
    them (see ``jury_sheets``)."""
    contest = get_contest(session, contest_id)
    entries = {entry.id: entry for entry in _submitted(session, contest.id)}
    final = {
        entry_id: [sheet.scores for sheet in sheets if sheet.counted]
        for entry_id, sheets in jury_sheets(session, contest.id).items()
    }
    standings = rank_entries(final, contest.criteria, contest.min_scores)
    return contest, [(standing, entries[standing.entry_id]) for standing in standings]


def set_results(session: Session, contest_id: str, data: dict[str, Any], now: datetime) -> Contest:
    """The jury's decision: the winners by place and its report, before publication."""
    contest = get_contest(session, contest_id, lock=True)
    if now < contest.closes_at:
        raise Conflict("The winners can be chosen after the deadline.")
    if contest.published_at is not None:
        raise Conflict("The results have been published and can no longer change.")
    entries = {entry.id: entry for entry in _submitted(session, contest.id)}
    for index, winner in enumerate(data["winners"]):
        if str(winner["entry_id"]) not in entries:
            raise Invalid(
                "Only submitted entries of this contest can win.",
                errors={"winners": {str(index): ["Not a submitted entry of this contest."]}},
            )
    for entry in entries.values():
        entry.place = None
    for winner in data["winners"]:
        entries[str(winner["entry_id"])].place = winner["place"]
    contest.jury_report = data["jury_report"]
    return contest


def winners(session: Session, contest_id: str) -> list[Entry]:
    return list(
        session.scalars(
            select(Entry)
            .where(Entry.contest_id == contest_id, Entry.place.is_not(None))
            .order_by(Entry.place)
        )
    )


def publish_results(
    session: Session, recorder: EventRecorder, contest_id: str, now: datetime
) -> Contest:
    contest = get_contest(session, contest_id, lock=True)
    if contest.published_at is not None:
        return contest
    won = winners(session, contest.id)
    reason = why_not_publishable(contest.publishes_at, len(won), now)
    if reason:
        raise Conflict(reason)
    contest.published_at = now
    recorder.record(
        session,
        ESSAY_WINNERS_ANNOUNCED,
        subject=f"contest/{contest.id}",
        data={
            "contest_id": contest.id,
            "entries": len(_submitted(session, contest.id)),
            "winners": [
                {"entry_id": e.id, "place": e.place, "municipality_codes": e.municipality_codes}
                for e in won
            ],
        },
    )
    for entry in won:
        queue_mail(session, MailQueue, Notice.WINNER, entry.id)
    return contest


def published_results(session: Session, contest_id: str) -> tuple[Contest, list[Entry]]:
    contest = get_contest(session, contest_id)
    if contest.published_at is None:
        raise NotFound("The results of this contest have not been published yet.")
    return contest, winners(session, contest.id)


def publishable(entry: Entry) -> bool:
    """An essay is shown in full only when every one of its authors consented."""
    return all(author.entrant.consent_to_publish for author in entry.authors)


@dataclass(frozen=True)
class MunicipalityCounts:
    municipality_code: str
    signed_up: int
    confirmed: int
    submitted: int  # entries; one by authors from several municipalities counts in each


def counts_by_municipality(session: Session, contest_id: str) -> list[MunicipalityCounts]:
    """Per municipality: who signed up, who confirmed and the entries submitted. Counted from
    what erasure keeps (each entrant's municipality and confirmation, each entry's status),
    so the counts stay when the people behind them are forgotten."""
    contest = get_contest(session, contest_id)
    code = Entrant.municipality_code
    submitted = {
        found: entries
        for found, entries in session.execute(
            select(code, func.count(Entry.id.distinct()))
            .join(EntryAuthor, EntryAuthor.entrant_id == Entrant.id)
            .join(Entry, Entry.id == EntryAuthor.entry_id)
            .where(Entry.contest_id == contest.id, Entry.status == EntryStatus.SUBMITTED)
            .group_by(code)
        )
    }
    return [
        MunicipalityCounts(found, signed_up, confirmed, submitted.get(found, 0))
        for found, signed_up, confirmed in session.execute(
            select(code, func.count(), func.count(Entrant.confirmed_at))
            .where(Entrant.contest_id == contest.id)
            .group_by(code)
        )
    ]


def erase_personal_data(session: Session, contest_id: str, now: datetime) -> int:
    """After the contest: names, addresses and parties of entrants who did not win and did
    not consent go, with the essays only they wrote; counts by municipality stay."""
    contest = get_contest(session, contest_id, lock=True)
    reason = why_not_erasable(contest.published_at is not None)
    if reason:
        raise Conflict(reason)
    erased = 0
    entrants = session.scalars(select(Entrant).where(Entrant.contest_id == contest.id))
    for entrant in entrants:
        entry = entrant.authorship.entry if entrant.authorship else None
        if entrant.erased_at or entrant.consent_to_publish or (entry and entry.place):
            continue
        entrant.name = entrant.email = entrant.party = None
        entrant.erased_at = now
        erased += 1
    session.flush()
    for entry in session.scalars(select(Entry).where(Entry.contest_id == contest.id)):
        if entry.place is None and all(a.entrant.erased_at for a in entry.authors):
            entry.title = entry.text = None
            for received in receipts(session, entry.id):
                received.title = ""  # its fingerprint, count and time remain
    return erased
