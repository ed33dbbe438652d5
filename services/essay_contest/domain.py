"""The contest's rules, free of Flask and SQL: the deadline, word counts, authors, blind judging.

Every rule that depends on the time takes ``now``, so the use cases pass the
clock in and tests move it instead of sleeping.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import statistics
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from fractions import Fraction

from shared.clock import amsterdam

DEFAULT_MIN_WORDS = 800
DEFAULT_MAX_WORDS = 2000
# An entry is written by one council member or by up to three together.
MAX_AUTHORS = 3
SCORE_RANGE = (1, 10)
# Below this many final score sheets staff see an entry flagged.
DEFAULT_MIN_SCORES = 3
DEFAULT_CRITERIA: tuple[tuple[str, str, int], ...] = (
    ("vision", "Visie", 3),
    ("local_relevance", "Lokale relevantie", 2),
    ("feasibility", "Uitvoerbaarheid", 2),
    ("originality", "Originaliteit", 2),
    ("style", "Stijl", 1),
)


class EntryStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"


class Notice(StrEnum):
    """The mails the contest queues; each names the row it is about."""

    CONFIRM_EMAIL = "confirm_email"  # an entrant: the signed, time-limited confirmation link
    WELCOME = "welcome"  # an entrant: confirmed, with the personal link to write
    CO_AUTHOR_INVITED = "co_author_invited"  # an author row: asked to confirm co-authorship
    RECEIPT = "receipt"  # a submission: what was received, with its fingerprint
    WITHDRAWN = "withdrawn"  # an entry: withdrawn, to every author
    WINNER = "winner"  # an entry: it won, with the invitation to present it
    COUNCIL_CHECK = "council_check"  # an entrant: their griffie, the signed link to answer
    COUNCIL_ANSWERED = "council_answered"  # an entrant: what their griffie answered


# -- the contest window ------------------------------------------------------------------------


class Phase(StrEnum):
    UPCOMING = "upcoming"  # before it opens
    OPEN = "open"  # entrants sign up and write
    JUDGING = "judging"  # entries frozen, the jury scores
    PUBLISHED = "published"  # the results are public


def phase(opens_at: datetime, closes_at: datetime, published: bool, now: datetime) -> Phase:
    if published:
        return Phase.PUBLISHED
    if now < opens_at:
        return Phase.UPCOMING
    return Phase.OPEN if now < closes_at else Phase.JUDGING


def why_writing_closed(opens_at: datetime, closes_at: datetime, now: datetime) -> str | None:
    """Why entries cannot change now, or None while they can. At the deadline they freeze."""
    if now < opens_at:
        return f"The contest opens at {amsterdam(opens_at)} (Amsterdam time)."
    if now >= closes_at:
        return (
            f"The deadline was {amsterdam(closes_at)} (Amsterdam time); "
            "entries are frozen and can no longer change."
        )
    return None


def why_judging_closed(closes_at: datetime, published: bool, now: datetime) -> str | None:
    """The jury scores frozen entries only: after the deadline, until the results are out."""
    if now < closes_at:
        return f"Judging starts after the deadline of {amsterdam(closes_at)} (Amsterdam time)."
    if published:
        return "The results have been published; scores can no longer change."
    return None


def why_window_wrong(
    opens_at: datetime, closes_at: datetime, publishes_at: datetime
) -> tuple[str, str] | None:
    """(field, reason) when a contest's dates are out of order."""
    if closes_at <= opens_at:
        return "closes_at", "The contest must close after it opens."
    if publishes_at <= closes_at:
        return "publishes_at", "The results must be published after the contest closes."
    return None


def countdown(closes_at: datetime, now: datetime) -> dict[str, int] | None:
    """Days, hours and minutes left until the deadline; None once it passed."""
    left = int((closes_at - now).total_seconds())
    if left <= 0:
        return None
    days, rest = divmod(left, 86400)
    return {"days": days, "hours": rest // 3600, "minutes": rest % 3600 // 60}


def confirmation_wait(
    last_mailed: datetime | None, now: datetime, interval: timedelta
) -> int | None:
    """Whole seconds until another confirmation mail may go to an address, or None when one may
    go now: signing up again and again never floods someone's mailbox."""
    if last_mailed is None:
        return None
    left = (last_mailed + interval - now).total_seconds()
    return math.ceil(left) if left > 0 else None


# -- the text -----------------------------------------------------------------------------------

WORD = re.compile(r"\w[\w'\u2019\-]*")


def count_words(text: str) -> int:
    """Runs of letters and digits, with the apostrophes and hyphens inside words
    ("raad's", "lange-termijn"); punctuation on its own is not a word."""
    return len(WORD.findall(text))


def normalise_text(text: str) -> str:
    """Composed letters (NFC), one line ending, no trailing space: the same essay always has
    the same fingerprint, and an "ë" pasted as "e" plus a diaeresis is one letter, not a
    word break."""
    text = unicodedata.normalize("NFC", text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def fingerprint(text: str) -> str:
    """SHA-256 of the submitted text (UTF-8), in hex: what the receipt shows."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def why_word_count_wrong(words: int, minimum: int, maximum: int) -> str | None:
    if words < minimum:
        return f"The essay has {words} words; it needs at least {minimum} (at most {maximum})."
    if words > maximum:
        return f"The essay has {words} words; it may have at most {maximum} (at least {minimum})."
    return None


def why_limits_wrong(minimum: int, maximum: int) -> str | None:
    if maximum < minimum:
        return "The maximum number of words must not be below the minimum."
    return None


# -- authors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Author:
    name: str
    confirmed: bool


def why_not_submittable(authors: Sequence[Author]) -> str | None:
    """Every author of a co-authored entry has confirmed before it is submitted."""
    waiting = [author.name for author in authors if not author.confirmed]
    if waiting:
        return f"Not every author has confirmed yet: {', '.join(waiting)}."
    return None


def why_no_more_authors(current: int) -> str | None:
    if current >= MAX_AUTHORS:
        return f"An entry has at most {MAX_AUTHORS} authors."
    return None


# -- council membership ---------------------------------------------------------------------------

# How long the link a griffie (council clerk) gets to confirm a council member stays valid.
COUNCIL_LINK_VALID = timedelta(days=14)


class CouncilAnswer(StrEnum):
    CONFIRMED = "confirmed"  # the griffie: this person sits on our council
    DENIED = "denied"  # the griffie: they do not


class CouncilStatus(StrEnum):
    """Where the griffie's confirmation that an entrant sits on the council stands."""

    NOT_REQUIRED = "not_required"  # the contest does not ask for it
    EMAIL_UNCONFIRMED = "email_unconfirmed"  # the entrant's own address is not confirmed yet
    NO_GRIFFIE = "no_griffie"  # staff know no griffie address for the municipality yet
    NOT_ASKED = "not_asked"  # an address is known, not yet asked (the contest asked it later)
    PENDING = "pending"  # the griffie has a valid link and has not answered
    EXPIRED = "expired"  # the link expired unanswered: the entrant may ask again
    CONFIRMED = "confirmed"
    DENIED = "denied"


def council_link_expired(asked_at: datetime, now: datetime) -> bool:
    return now >= asked_at + COUNCIL_LINK_VALID


def council_status(
    *,
    required: bool,
    email_confirmed: bool,
    griffie_known: bool,
    asked_at: datetime | None,
    answer: str | None,
    now: datetime,
) -> CouncilStatus:
    """An answer stands for good; until there is one, a griffie is asked only for an entrant
    whose own address is confirmed, so a sign-up with someone else's name mails no griffie."""
    if not required:
        return CouncilStatus.NOT_REQUIRED
    if answer is not None:
        return CouncilStatus(answer)
    if not email_confirmed:
        return CouncilStatus.EMAIL_UNCONFIRMED
    if asked_at is None:
        return CouncilStatus.NOT_ASKED if griffie_known else CouncilStatus.NO_GRIFFIE
    return CouncilStatus.EXPIRED if council_link_expired(asked_at, now) else CouncilStatus.PENDING


def why_not_council_member(name: str, status: CouncilStatus) -> str | None:
    """Why an entry by this author cannot be submitted, or None when nothing stands in the way."""
    if status in (CouncilStatus.NOT_REQUIRED, CouncilStatus.CONFIRMED):
        return None
    if status == CouncilStatus.DENIED:
        return (
            f"The griffie answered that {name} does not sit on the municipal council; "
            "this contest is for council members, so the entry cannot be submitted."
        )
    if status == CouncilStatus.NO_GRIFFIE:
        return (
            f"No griffie address is known for the municipality of {name} yet, so their "
            "council membership cannot be confirmed; the entry can be submitted once it is. "
            "Drafts can be saved meanwhile."
        )
    return (
        f"The griffie has not yet confirmed that {name} sits on the municipal council; the "
        "entry can be submitted once it has. Drafts can be saved meanwhile."
    )


def why_no_council_request(status: CouncilStatus) -> str | None:
    """Whether the griffie may be asked (again) now: one valid link at a time, and none once
    answered, so nobody floods a griffie's mailbox."""
    if status in (CouncilStatus.NOT_ASKED, CouncilStatus.EXPIRED):
        return None
    reasons = {
        CouncilStatus.NOT_REQUIRED: "This contest does not ask the griffie to confirm entrants.",
        CouncilStatus.EMAIL_UNCONFIRMED: "Confirm your e-mail address before the griffie is asked.",
        CouncilStatus.NO_GRIFFIE: (
            "No griffie address is known for this municipality yet; the griffie is asked as "
            "soon as it is."
        ),
        CouncilStatus.PENDING: (
            "The griffie has been asked already and its link is still valid; it cannot be "
            "asked again until that link expires."
        ),
        CouncilStatus.CONFIRMED: "The griffie has already answered.",
        CouncilStatus.DENIED: "The griffie has already answered.",
    }
    return reasons[status]


# -- blind judging ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    key: str
    label: str
    weight: int


def conflicted(
    juror_municipality: str | None, author_municipalities: Iterable[str], declared: bool
) -> bool:
    """A juror judges no entry from their own municipality (detected), nor any they declared."""
    return declared or (
        juror_municipality is not None and juror_municipality in set(author_municipalities)
    )


def jury_handle(secret: str, juror: str, entry_id: str) -> str:
    """The name one juror knows an entry by: nothing in it leads to the entry's id or authors,
    and two jurors know the same entry by different names."""
    digest = hmac.new(secret.encode(), f"{juror}\x00{entry_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:20]


def jury_order(secret: str, juror: str, entry_ids: Iterable[str]) -> list[str]:
    """The order one juror sees the entries in: the same every visit, different per juror,
    so no entry is always read first (or last, by a tired jury)."""
    return sorted(entry_ids, key=lambda entry_id: jury_handle(secret, juror, entry_id))


def why_scores_wrong(scores: Mapping[str, int], criteria: Sequence[Criterion]) -> str | None:
    expected = {criterion.key for criterion in criteria}
    if set(scores) != expected:
        return f"Score every criterion, and only these: {', '.join(sorted(expected))}."
    low, high = SCORE_RANGE
    if any(not low <= value <= high for value in scores.values()):
        return f"Each score is from {low} to {high}."
    return None


def weighted_score(scores: Mapping[str, int], criteria: Sequence[Criterion]) -> Fraction:
    """One juror's verdict on one entry: the mean of the criteria, each by its weight."""
    total = sum(criterion.weight for criterion in criteria)
    return Fraction(sum(scores[c.key] * c.weight for c in criteria), total)


@dataclass(frozen=True)
class Standing:
    """An entry's place in the ranking, with what staff need to judge the judging."""

    entry_id: str
    rank: int
    mean: Fraction | None  # None: nobody scored it
    jurors: int
    spread: Fraction | None  # highest minus lowest juror's weighted score
    stdev: float | None  # population standard deviation between jurors
    criterion_means: dict[str, Fraction]
    too_few_scores: bool


def rank_entries(
    sheets: Mapping[str, Sequence[Mapping[str, int]]],
    criteria: Sequence[Criterion],
    min_scores: int = DEFAULT_MIN_SCORES,
) -> list[Standing]:
    """Rank entries by the weighted mean over the jurors who scored them (final sheets only).

    Ties are broken, in this order, by:

    1. the higher mean on the heaviest criterion, then the next heaviest, and so
       on (equal weights in the contest's order of criteria): the jury said
       what matters most;
    2. more jurors who scored it: a verdict that rests on more judgement;
    3. the smaller spread between jurors: a verdict they agree on.

    Entries equal on all of these share a rank (the next rank is skipped), and
    the jury decides between them. Nobody's score is rounded: the arithmetic
    is exact (fractions), so rounding never decides a place. Entries nobody
    scored come last, sharing a rank.
    """
    heaviest_first = sorted(criteria, key=lambda c: -c.weight)  # stable: contest order in ties
    rows = [
        _standing(entry_id, list(found), criteria, min_scores) for entry_id, found in sheets.items()
    ]

    def key(standing: Standing) -> tuple[object, ...]:
        if standing.mean is None:
            return (1,)
        return (
            0,
            -standing.mean,
            *(-standing.criterion_means[c.key] for c in heaviest_first),
            -standing.jurors,
            standing.spread,
        )

    rows.sort(key=lambda standing: (key(standing), standing.entry_id))
    ranked: list[Standing] = []
    for position, standing in enumerate(rows, start=1):
        tied = ranked and key(ranked[-1]) == key(standing)
        rank = ranked[-1].rank if tied else position
        ranked.append(replace(standing, rank=rank))
    return ranked


def _standing(
    entry_id: str, sheets: list[Mapping[str, int]], criteria: Sequence[Criterion], min_scores: int
) -> Standing:
    verdicts = [weighted_score(sheet, criteria) for sheet in sheets]
    if not verdicts:
        return Standing(entry_id, 0, None, 0, None, None, {}, min_scores > 0)
    return Standing(
        entry_id=entry_id,
        rank=0,
        mean=sum(verdicts, Fraction(0)) / len(verdicts),
        jurors=len(verdicts),
        spread=max(verdicts) - min(verdicts),
        stdev=statistics.pstdev(float(v) for v in verdicts),
        criterion_means={
            c.key: Fraction(sum(sheet[c.key] for sheet in sheets), len(sheets)) for c in criteria
        },
        too_few_scores=len(verdicts) < min_scores,
    )


# -- results and privacy -----------------------------------------------------------------------


def why_not_publishable(publishes_at: datetime, winners: int, now: datetime) -> str | None:
    if now < publishes_at:
        return f"The results can be published from {amsterdam(publishes_at)} (Amsterdam time)."
    if winners == 0:
        return "Choose the winners first."
    return None


def why_not_erasable(published: bool) -> str | None:
    """Personal data goes after the contest: once the results are public."""
    if not published:
        return "Personal data can be erased once the results have been published."
    return None
