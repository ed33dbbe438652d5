"""The monitor survey, as a municipality's officials open it through its personal link."""

from __future__ import annotations

from typing import Any

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from services.indicators import answers
from services.indicators.access import survey_links
from services.indicators.appreciation import QUESTIONS
from services.indicators.labels import PHRASEBOOK
from services.indicators.models import SurveyAnswer
from services.indicators.schemas import SurveyIn
from shared.problems import Forbidden
from shared.web.forms import Feedback, form_step, form_values, load_form
from shared.web.service import service_context, transact


def _opened(code: str, token: str | None) -> None:
    """Only the municipality's own link opens its survey."""
    if not survey_links(service_context().settings.secret_key).opens(code, token):
        raise Forbidden("Deze link is niet geldig. Gebruik de link die u van het ministerie kreeg.")


def _survey_page(code: str, token: str | None, feedback: Feedback | None = None) -> tuple[str, int]:
    _opened(code, token)
    found = service_context().register.get(code)
    if found is None:
        raise Forbidden("Deze link is niet geldig.")
    answer = transact(answers.latest_answer, found.code)
    shown = {"values": _as_answered(answer)} if answer is not None and feedback is None else {}
    feedback = feedback or Feedback()
    return render_template(
        "indicators/survey.html",
        municipality=found,
        token=token,
        answer=answer,
        feedback=feedback,
        **shown,
    ), feedback.status


def _as_answered(answer: SurveyAnswer) -> MultiDict[str, Any]:
    """The form as the municipality last answered it, so changing one answer keeps the rest;
    each statement's answer under its input's name (``guide_appreciation.readable``)."""
    values = form_values(SurveyIn(), answer)
    for question in QUESTIONS:
        values.pop(question.field, None)
        for item, option in question.given(answer).items():
            values[f"{question.field}.{item}" if question.statements else item] = option
    return values


def survey(code: str) -> tuple[str, int]:
    return _survey_page(code, request.args.get("token"))


def answer_survey(code: str) -> ResponseReturnValue:
    context = service_context()
    token = request.form.get("token")
    _opened(code, token)
    source = context.settings.event_source("indicators")
    return form_step(
        lambda: transact(
            answers.answer_survey, context.register, source, code, load_form(SurveyIn())
        ),
        refused=lambda feedback: _survey_page(code, token, feedback),
        feedback=PHRASEBOOK.feedback,
        then=url_for(".survey", code=code, token=token, bedankt=1),
    )
