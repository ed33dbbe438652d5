"""What the monitor survey asks besides awareness and use, as the 2008-2011 evaluation asked it,
and the answers per band or region beside the evaluation's figures.

The questions are the evaluation's tables 6-11: each question's statements and
possible answers come from the data file of those tables, so 2012 is asked in
the evaluation's own words and scales and compares with 2011 key by key. These
answers are opinions, not evidence: they are kept with the answer and never
move a figure.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.indicators.evaluation import TOTAL, Count, Option, Table, evaluation
from services.indicators.figures import ALL, groups, population
from services.indicators.models import SurveyAnswer
from shared.municipalities import Register

# The groupings staff read the answers by: the municipality's attribute of that name.
GROUPINGS = ("band", "region")


@dataclass(frozen=True)
class Item:
    """One thing a question asks an answer to; ``earlier`` the evaluation's shares as
    printed, per group it gives them for (``total`` for all)."""

    key: str
    label: str
    earlier: dict[str, dict[str, int]]


@dataclass(frozen=True)
class Question:
    """A survey field and the evaluation table it asks again.

    With ``statements`` the answer holds one answer per statement (the table's
    columns, on its scale); otherwise it is one of the table's answers.
    """

    field: str
    table: int
    statements: bool

    @property
    def evaluated(self) -> Table:
        return evaluation().table(self.table)

    @property
    def options(self) -> tuple[Option, ...]:
        return self.evaluated.answers

    @property
    def option_labels(self) -> dict[str, str]:
        """Each answer in the evaluation's words, with the Ja or Nee it details (table 9)."""
        table = self.evaluated
        groups = {group.key: group.label for group in table.answer_groups}
        return {
            option.key: f"{groups[option.group]}, {option.label}" if option.group else option.label
            for option in table.answers
        }

    @property
    def items(self) -> tuple[Item, ...]:
        table = self.evaluated
        if self.statements:
            return tuple(Item(c.key, c.label, {TOTAL: c.shares}) for c in table.columns)
        return (Item(self.field, table.title, {c.key: c.shares for c in table.columns}),)

    @property
    def source(self) -> str:
        return evaluation().cite(self.table)

    def given(self, answer: SurveyAnswer) -> dict[str, str]:
        """Per item, the answer given; items left unanswered are absent."""
        value = getattr(answer, self.field)
        if self.statements:
            return dict(value or {})
        return {self.field: value} if value else {}


QUESTIONS: tuple[Question, ...] = (
    Question("guide_appreciation", 6, statements=True),
    Question("meeting_appreciation", 7, statements=True),
    Question("approach_appreciation", 8, statements=True),
    Question("cmo_right_party", 9, statements=False),
    Question("desired_participants", 10, statements=True),
    Question("wants_to_continue", 11, statements=False),
)
FIELDS = tuple(question.field for question in QUESTIONS)


def answered_only(answer: dict[str, Any]) -> dict[str, Any]:
    """An answer with statements left blank left out, and a question with none answered None."""
    cleaned = dict(answer)
    for question in QUESTIONS:
        value = answer.get(question.field)
        if question.statements and value is not None:
            value = {item: option for item, option in value.items() if option is not None}
        cleaned[question.field] = value or None
    return cleaned


@dataclass(frozen=True)
class Tally:
    """How one group answered one item: ``answered`` municipalities, ``counts`` per answer."""

    group: str
    answered: int
    counts: dict[str, int]

    @property
    def shares(self) -> dict[str, float]:
        return {
            option: count / self.answered if self.answered else 0.0
            for option, count in self.counts.items()
        }


@dataclass(frozen=True)
class ItemResult:
    key: str
    label: str
    tallies: list[Tally]
    earlier: dict[str, dict[str, int]]


@dataclass(frozen=True)
class QuestionResult:
    field: str
    table: int
    title: str
    source: str
    options: tuple[Option, ...]
    items: list[ItemResult]
    option_labels: dict[str, str]


@dataclass(frozen=True)
class Respondents:
    """How many of a group's municipalities answered (their latest answer), beside the
    evaluation's response (table 1) where it gives it: for bands and in all."""

    group: str
    municipalities: int
    answered: int
    earlier: Count | None

    @property
    def value(self) -> float:
        return self.answered / self.municipalities if self.municipalities else 0.0


@dataclass(frozen=True)
class Appreciation:
    group_by: str
    groups: list[str]
    respondents: list[Respondents]
    questions: list[QuestionResult]
    response_source: str


def latest_answers(session: Session) -> dict[str, SurveyAnswer]:
    """Each municipality's latest answer: the one that counts, as for the figures."""
    query = select(SurveyAnswer).order_by(SurveyAnswer.answered_at, SurveyAnswer.number)
    return {answer.municipality_code: answer for answer in session.scalars(query)}


def appreciation(session: Session, register: Register, group_by: str) -> Appreciation:
    """The latest answers of the register's municipalities, per group and in all."""
    names = [*groups(population(register), ALL, group_by), TOTAL]
    latest = {
        code: (answer, municipality)
        for code, answer in latest_answers(session).items()
        if (municipality := register.get(code)) is not None
    }
    sizes = Counter(getattr(m, group_by) for m in register)
    answered = Counter(getattr(m, group_by) for _, m in latest.values())
    sizes[TOTAL], answered[TOTAL] = len(register), len(latest)
    response = evaluation().table(1)
    respondents = [
        Respondents(
            name,
            sizes[name],
            answered[name],
            response.total if name == TOTAL else response.row(name) if group_by == "band" else None,
        )
        for name in names
    ]
    counts: dict[tuple[str, str, str], Counter[str]] = {}
    for answer, municipality in latest.values():
        for question in QUESTIONS:
            for item, option in question.given(answer).items():
                for name in (getattr(municipality, group_by), TOTAL):
                    counts.setdefault((question.field, item, name), Counter())[option] += 1
    return Appreciation(
        group_by=group_by,
        groups=names,
        respondents=respondents,
        questions=[_result(question, names, counts) for question in QUESTIONS],
        response_source=evaluation().cite(1),
    )


def _result(
    question: Question, names: list[str], counts: dict[tuple[str, str, str], Counter[str]]
) -> QuestionResult:
    options = [option.key for option in question.options]
    items = []
    for item in question.items:
        tallies = []
        for name in names:
            found = counts.get((question.field, item.key, name), Counter())
            per_option = {option: found[option] for option in options}
            tallies.append(Tally(name, sum(per_option.values()), per_option))
        items.append(ItemResult(item.key, item.label, tallies, item.earlier))
    table = question.evaluated
    return QuestionResult(
        question.field,
        table.number,
        table.title,
        question.source,
        question.options,
        items,
        question.option_labels,
    )
