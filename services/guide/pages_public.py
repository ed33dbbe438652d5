"""The pages for everyone: the guides, one guide with its editions and toolbox, and
downloading a document after naming one's municipality (no account)."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from marshmallow import ValidationError

from services.guide import downloads, guides
from services.guide.files import send, store
from services.guide.labels import PHRASEBOOK
from services.guide.schemas import PageDownloadIn, ToolboxQuery
from shared.problems import Problem
from shared.web.forms import Feedback, load_form
from shared.web.mail_limits import limit_mail
from shared.web.service import now, service_context, transact


def guides_page() -> str:
    return render_template("guide/guides.html", guides=transact(guides.list_guides))


def _guide_page(slug: str, feedback: Feedback | None = None) -> tuple[str, int]:
    guide = transact(guides.guide_at, slug)
    theme = ToolboxQuery().load({"theme": request.args.get("theme") or None})["theme"]
    toolbox = [item for item in guide.toolbox if theme is None or theme in item.themes]
    feedback = feedback or Feedback()
    return render_template(
        "guide/guide.html", guide=guide, toolbox=toolbox, theme=theme, feedback=feedback
    ), feedback.status


def guide_page(slug: str) -> tuple[str, int]:
    return _guide_page(slug)


def download(slug: str) -> ResponseReturnValue:
    """The chosen document itself, which the browser saves, and the page stays where it was.
    Not a ``form_step``: there is no next page to go on to. A refusal shows the page again
    with what to fix, and nothing was kept."""
    guide = transact(guides.guide_at, slug)
    try:
        limit_mail("email")  # the address is only for a notice of the next edition
        chosen = load_form(PageDownloadIn())
        choice = chosen.pop("document")
        served = transact(
            downloads.download,
            service_context().recorder,
            store(),
            guide.id,
            choice,
            chosen,
            now(),
        )
    except (ValidationError, Problem) as error:
        return _guide_page(slug, PHRASEBOOK.feedback(error))
    return send(served.file)
